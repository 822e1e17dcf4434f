"""Benchmark at national scale (issue 13, point 14): every list and dashboard at 1× and 10× data.

Two throw-away databases (SQLite; PostgreSQL too with ``--postgres`` or ``BENCH_PG=1``, at
``PG_TEST_URL``) get the territory, catalogs and demo, then ``benchmarks/datagen.py``'s bulk data:
1× = the cycle of every tenth government (~4 000 cases), 10× = all 1 918 governments (~40 000
cases, 96 000 members, 38 000 transitions, 200 000 audit events). Each page is requested through
the app in-process, alternating 1× and 10×, and the median times are compared: goal ≤ 1.2×.
The SQL statements of each page are counted at both sizes and two page sizes: they must be equal.

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``); alone:
``python benchmarks/bench_scale.py [--postgres]``.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "15"))
GOAL = 1.2
PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

#: (label, path, who): "admin" signs in as the administrator, "national" as the ST-CIAS supervisor.
PAGES = [
    ("web: expedientes", "/expedientes/?per_page={n}", "national"),
    ("web: buscar expedientes", "/expedientes/?q=instancia+{ubigeo}&per_page={n}", "national"),
    ("API: expedientes", "/api/v1/cases?per_page={n}", "national"),
    ("web: resumen nacional", "/envios/?view=national&year=2024", "national"),
    ("API: resumen nacional", "/api/v1/submissions/overview?year=2024", "national"),
    ("admin: expedientes", "/admin/case/?page_size={n}", "admin"),
    ("admin: buscar expedientes", "/admin/case/?search=articulacion+{ubigeo}&page_size={n}", "admin"),
    ("admin: transiciones", "/admin/casetransition/?page_size={n}", "admin"),
    ("admin: miembros", "/admin/inst_member/?page_size={n}", "admin"),
    ("admin: auditoría", "/admin/auditevent/?page_size={n}", "admin"),
    ("admin: gobiernos", "/admin/government/?page_size={n}", "admin"),
]
PAGE_SIZES = (20, 50)


def _database(dialect: str) -> tuple[str, dict[str, Any]]:
    if dialect == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-scale-')) / 'bench.db'}"
        return url, {"SQLALCHEMY_DATABASE_URI": url}
    import psycopg

    schema = f"articula_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema, {
        "SQLALCHEMY_DATABASE_URI": PG_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


def _drop(dialect: str, name: str) -> None:
    if dialect == "postgresql":
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def build(dialect: str, factor: int) -> tuple[Any, str, dict[str, int]]:
    """An app on a fresh database with the demo and ``factor``× bulk data."""
    from flask_migrate import upgrade

    from benchmarks.datagen import generate
    from core.app import create_app
    from core.database import writing
    from core.demo import load_demo
    from core.extensions import db
    from core.seed import load_all
    from core.territories import load_territories

    name, config = _database(dialect)
    app = create_app(config)
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
        load_demo(app)
        counts = generate(db.engine, factor)
        if dialect == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
    return app, name, counts


def _clients(app: Any) -> dict[str, Any]:
    from core.demo import DEMO_PASSWORD

    clients = {}
    for who, email in (("admin", "admin@articula.demo"), ("national", "supervisor@stcias.demo")):
        client = app.test_client()
        html = client.get("/ingresar").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        client.post("/ingresar", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
        clients[who] = client
    return clients


def _headers(app: Any, who: str) -> dict[str, str]:
    from sqlalchemy import select

    from core.extensions import db
    from core.models import ApiToken, User

    email = "admin@articula.demo" if who == "admin" else "supervisor@stcias.demo"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        token, plain = ApiToken.issue(user, "bench-scale")
        db.session.add(token)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _admin_page_size(client: Any, path: str) -> str:
    """Flask-Admin ignores ?page_size= unless the view lets users choose: set the view's size instead."""
    match = re.match(r"/admin/([a-z_]+)/.*?[?&]page_size=(\d+)", path)
    if match:
        admin = client.application.extensions["articula.admin"]
        view = next(v for v in admin._views if getattr(v, "endpoint", None) == match.group(1))
        view.page_size = int(match.group(2))
        path = re.sub(r"[?&]page_size=\d+", "", path)
    return path


def _get(client: Any, path: str, headers: dict[str, str]) -> float:
    path = _admin_page_size(client, path)
    started = time.perf_counter()
    response = client.get(path, headers=headers if path.startswith("/api/") else None)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return elapsed


def _statements(app: Any, client: Any, path: str, headers: dict[str, str]) -> int:
    from core.database import QueryCounter
    from core.extensions import db

    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        _get(client, path, headers)
    return counter.count


def compare(dialect: str) -> list[str]:
    small, small_name, _ = build(dialect, 1)
    large, large_name, counts = build(dialect, 10)
    try:
        apps = {1: small, 10: large}
        clients = {f: _clients(a) for f, a in apps.items()}
        headers = {f: {who: _headers(a, who) for who in ("admin", "national")} for f, a in apps.items()}
        lines = [
            f"Escala 10× ({dialect}: {counts['case']:,} expedientes, {counts['body_member']:,} miembros, "
            f"{counts['case_transition']:,} transiciones, {counts['audit_event']:,} eventos de auditoría "
            f"añadidos; medianas de {ROUNDS} pedidos alternados)".replace(",", " ")
        ]
        worst = 0.0
        # A search names one place (a ubigeo of a government active at both sizes) and common words:
        # its cost must follow the matches, not the table.
        with small.app_context():
            from sqlalchemy import func, select

            from core.extensions import db
            from core.models import Government

            ubigeo = db.session.scalar(
                select(Government.ubigeo).where(Government.id == select(func.min(Government.id)).scalar_subquery())
            )
        for label, raw, who in PAGES:
            template = raw.replace("{ubigeo}", ubigeo)
            path = template.format(n=PAGE_SIZES[1])
            times: dict[int, list[float]] = {1: [], 10: []}
            for factor in (1, 10):
                _get(clients[factor][who], path, headers[factor][who])  # warm-up
            for _ in range(ROUNDS):
                for factor in (1, 10):
                    times[factor].append(_get(clients[factor][who], path, headers[factor][who]))
            one, ten = statistics.median(times[1]), statistics.median(times[10])
            statements = [
                _statements(apps[f], clients[f][who], template.format(n=n), headers[f][who])
                for f in (1, 10)
                for n in PAGE_SIZES
            ]
            ratio = ten / one
            worst = max(worst, ratio)
            flat = "constantes" if len(set(statements)) == 1 else "VARÍAN " + "/".join(map(str, statements))
            mark = "✔" if ratio <= GOAL else "✘"
            lines.append(
                f"  {label:<27} 1×{one * 1000:7.1f} ms  10×{ten * 1000:7.1f} ms  = {ratio:4.2f}× {mark} ≤ {GOAL}×"
                f"  consultas SQL: {statements[0]} ({flat})"
            )
        lines.append(f"  peor razón 10×/1×: {worst:.2f}×")
        return lines
    finally:
        _drop(dialect, small_name)
        _drop(dialect, large_name)


def run() -> list[str]:
    lines = compare("sqlite")
    if "--postgres" in sys.argv or os.environ.get("BENCH_PG") == "1":
        lines += compare("postgresql")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
