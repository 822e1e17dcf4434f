"""Engine tuning: SQLite pragmas and up-front write locks; query counting for tests and benchmarks."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Set by CLI commands and background jobs that write outside a request.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Mark the enclosed work as a writer, so SQLite takes the write lock when it begins."""
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


def _wants_write_lock() -> bool:
    if write_intent.get():
        return True
    return has_request_context() and request.method not in SAFE_METHODS


def configure_engine(app: Flask) -> None:
    """Attach per-dialect listeners to the app's engine (call inside an app context)."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling defers BEGIN and ignores IMMEDIATE;
    # SQLAlchemy's documented recipe takes over BEGIN so that writers queue on
    # the lock up front instead of failing with "database is locked" on upgrade.
    if getattr(engine, "_articula_configured", False):
        return
    engine._articula_configured = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def sqlite_plan(engine: Engine, statement: str, parameters: Any = ()) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of one statement (as captured by QueryCounter): its steps' details, e.g.
    «SEARCH ventanilla_entry USING INDEX ix_… (office_id=?)». Tests and benchmarks check index use with it."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [str(row[-1]) for row in rows]


def table_plans(engine: Engine, counter: QueryCounter, table: str) -> list[list[str]]:
    """The SQLite plan of each statement ``counter`` captured that reads ``table``."""
    return [
        sqlite_plan(engine, statement, parameters)
        for statement, parameters in zip(counter.statements, counter.parameters, strict=True)
        if f"FROM {table}" in statement
    ]


def full_scans(plans: list[list[str]], table: str) -> list[str]:
    """Steps reading every row of ``table`` without an index («SCAN t», not «SCAN t USING INDEX …»)."""
    return [step for plan in plans for step in plan if step in (f"SCAN {table}", f"SCAN TABLE {table}")]


class QueryCounter:
    """Counts SQL statements on an engine while active (tests and benchmarks use it)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []
        self.parameters: list[Any] = []  # beside each statement: its DB-API parameters (to explain it)

    def _listener(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.strip().upper() in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            return
        self.count += 1
        self.statements.append(statement)
        self.parameters.append(parameters)

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._listener)
