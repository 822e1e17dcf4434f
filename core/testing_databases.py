"""The test kit's databases (part of core.testing, the pytest plugin, which re-exports all of it): fresh
SQLite files or PostgreSQL schemas per run, the app built on one, and the demo loaded once per session into
a template database that each ``@pytest.mark.demo`` test gets a private copy of (loading the demo costs
seconds; copying it, a fraction of one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The project's PostgreSQL test database (a URL), or None for SQLite files.
PG_URL = os.environ.get("ARTICULA_TEST_DATABASE_URL")


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True)


class DatabaseFactory:
    """Fresh databases for a test session: SQLite files, or on PostgreSQL private schemas of the test
    database (``new``) and whole databases (``new_template``, ``copy``: a copy needs a database of its own,
    ``CREATE DATABASE … TEMPLATE``). Everything made is dropped by ``drop_all`` at the end."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp = tmp_path_factory
        self.schemas: list[str] = []
        self.pg_databases: list[str] = []

    def new(self) -> dict[str, Any]:
        if not PG_URL:
            return self._sqlite_file()
        schema = f"articula_test_{uuid.uuid4().hex[:10]}"
        with _pg_admin() as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        return {
            "SQLALCHEMY_DATABASE_URI": PG_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"options": f"-csearch_path={schema}"},
                "pool_pre_ping": True,
            },
        }

    def new_template(self) -> dict[str, Any]:
        """An empty database that ``copy`` can clone (a whole PostgreSQL database, not a schema)."""
        return self._sqlite_file() if not PG_URL else self._pg_database()

    def copy(self, template: dict[str, Any]) -> dict[str, Any]:
        """A new database with the template's content. The template must have no open connection
        (PostgreSQL refuses to copy a database in use): dispose its engines first."""
        import sqlalchemy

        if not PG_URL:
            import sqlite3

            target = self._sqlite_file()
            source_path = sqlalchemy.make_url(template["SQLALCHEMY_DATABASE_URI"]).database
            target_path = sqlalchemy.make_url(target["SQLALCHEMY_DATABASE_URI"]).database
            # The backup API, not a file copy: it takes the WAL's committed pages along.
            with sqlite3.connect(source_path) as source, sqlite3.connect(target_path) as copy:
                source.backup(copy)
            source.close()
            copy.close()
            return target
        source_name = sqlalchemy.make_url(template["SQLALCHEMY_DATABASE_URI"]).database
        return self._pg_database(template=source_name)

    def drop(self, database: dict[str, Any]) -> None:
        """Done with a database made by ``copy``: a SQLite file is deleted now; a PostgreSQL database waits
        for ``drop_all`` (each DROP DATABASE forces a checkpoint: one after the other, only the first is slow)."""
        import sqlalchemy

        if not PG_URL:
            name = sqlalchemy.make_url(database["SQLALCHEMY_DATABASE_URI"]).database
            for suffix in ("", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)

    def drop_all(self) -> None:
        if not PG_URL or not (self.schemas or self.pg_databases):
            return
        with _pg_admin() as conn:
            for schema in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            for name in self.pg_databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _sqlite_file(self) -> dict[str, Any]:
        path = self.tmp.mktemp("db") / "articula.db"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}

    def _pg_database(self, template: str | None = None) -> dict[str, Any]:
        import sqlalchemy

        name = f"articula_test_{uuid.uuid4().hex[:10]}"
        with _pg_admin() as conn:
            # The default strategy (WAL_LOG): measured twice as fast here as FILE_COPY, which forces checkpoints.
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        self.pg_databases.append(name)
        url = sqlalchemy.make_url(PG_URL).set(database=name)
        return {
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        }


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.drop_all()


def build_app(database: dict[str, Any], **overrides: Any) -> Any:
    """The app of the tests on ``database`` (``overrides``: more configuration)."""
    from core.app import create_app

    # Still scrypt, at a cost that keeps hundreds of test logins fast.
    config = {"TESTING": True, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", **database, **overrides}
    return create_app(config)


def migrate_and_load(app: Any, territories: bool = True) -> None:
    """Migrate the app's database to every head, then load the territory and the seed data."""
    from flask_migrate import upgrade

    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    with app.app_context(), writing():
        upgrade(revision="heads")
        if territories:
            load_territories()
            load_all(app)


def dispose(app: Any) -> None:
    """Close every connection of the app's engines (before its database is copied or dropped)."""
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def demo_template(databases: DatabaseFactory) -> dict[str, Any]:
    """A database with the full demo loaded, made once per session by the real loader (``load_demo``,
    as ``articula setup --demo`` does) on first use; ``demo_app`` hands each test a copy of it."""
    from core.database import writing
    from core.demo import load_demo

    database = databases.new_template()
    application = build_app(database)
    migrate_and_load(application)
    with application.app_context(), writing():
        load_demo(application)
    dispose(application)
    return database


@pytest.fixture
def demo_app(databases: DatabaseFactory, demo_template: dict[str, Any]) -> Iterator[Any]:
    """An app on a private copy of the demo database (seconds of loading saved per test). A test that
    asks for it through ``@pytest.mark.demo`` gets it as ``app``, and so do ``client``, ``govs``,
    ``make_user``…; the copy is dropped afterwards."""
    database = databases.copy(demo_template)
    application = build_app(database)
    yield application
    dispose(application)
    databases.drop(database)
