"""Benchmark of the monitoring dashboards (issue 9): measurements for every district × the key indicators ×
5 years × 4 quarters (≈ 340,000 rows), against one year of them, in the same run.

- the SQL statements of the national and a regional dashboard (page and API): constant in the number of rows;
- each dashboard's time with 5 years of data within 1.2× of its time with one year (medians of rounds
  alternating between a database of one year and one of five, built side by side).

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``); it can also run alone:
``python benchmarks/bench_dashboards.py``. It builds its own throw-away SQLite database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_DASHBOARD_ROUNDS", "7"))
FIRST_YEAR = 2008
YEARS = 5


def _app():  # noqa: ANN202
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-dashboards-')) / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
    return app


def add_measurements(years: list[int], department: str | None = None) -> int:
    """District measurements (value, numerator, denominator) of every key indicator line, every quarter of
    ``years``, for every district (of ``department``, if given); bulk insert, committed. Returns the rows."""
    from sqlalchemy import insert, select

    from core.extensions import db
    from core.models import Government, Territory
    from plugins.monitoring.dashboards.board import lines
    from plugins.monitoring.indicators.models import Measurement

    query = select(Territory.id, Territory.ubigeo).where(Territory.level == "district").order_by(Territory.ubigeo)
    if department:
        query = query.where(Territory.ubigeo.like(f"{department}%"))
    districts = db.session.execute(query).all()
    governments = dict(
        db.session.execute(select(Government.ubigeo, Government.id).where(Government.kind == "district")).all()
    )
    rows = []
    # year by year, as measurements arrive (one quarter's import after another)
    for year in years:
        for line in lines():
            for territory_id, ubigeo in districts:
                seed = int(ubigeo) % 97
                for quarter in (1, 2, 3, 4):
                    denominator = Decimal(200 + seed)
                    share = Decimal(20 + (seed + line.number * 7 + quarter) % 40) - (year - FIRST_YEAR)
                    numerator = (denominator * share / 100).quantize(Decimal("0.0001"))
                    rows.append(
                        {
                            "indicator_id": line.indicator_id,
                            "measure": line.measure,
                            "territory_id": territory_id,
                            "ubigeo": ubigeo,
                            "level": "district",
                            "department": ubigeo[:2],
                            "province": ubigeo[:4],
                            "government_id": governments.get(ubigeo),
                            "year": year,
                            "period_kind": "quarter",
                            "period_number": quarter,
                            "period_start": date(year, 3 * quarter - 2, 1),
                            "source": "SIEN",
                            "area": "",
                            "sex": "",
                            "value": (numerator / denominator * line.factor).quantize(Decimal("0.0001")),
                            "numerator": numerator,
                            "denominator": denominator,
                            "demo": True,
                            "version": 1,
                        }
                    )
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(Measurement), rows[start : start + 20_000])
    db.session.commit()
    return len(rows)


def region_id() -> int:
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Government

    return db.session.scalar(select(Government.id).where(Government.kind == "regional", Government.ubigeo == "100000"))


def reads(region: int) -> tuple[tuple[str, str], ...]:
    return (
        ("web: tablero nacional", "/seguimiento/nacional"),
        ("API: tablero nacional", "/api/v1/monitoring/dashboards/national"),
        ("web: tablero regional", f"/seguimiento/region/{region}"),
        ("API: tablero regional", f"/api/v1/monitoring/dashboards/regions/{region}"),
    )


def statement_count(app, client, path: str, headers: dict[str, str] | None = None) -> int:  # noqa: ANN001
    """SQL statements of one request (after a warm-up request of the same path)."""
    from core.database import QueryCounter
    from core.extensions import db

    client.get(path, headers=headers)
    with app.app_context(), QueryCounter(db.engine) as counter:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


def _time(client, path: str, headers: dict[str, str]) -> float:  # noqa: ANN001
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def _national_user(app, client) -> dict[str, str]:  # noqa: ANN001
    """A national supervisor, logged in on ``client`` (pages) and with a token (API headers)."""
    import re

    from core.extensions import db
    from core.models import ApiToken, Membership, User

    with app.app_context():
        user = User(email="bench@stcias.pe", name="ST-CIAS", locale="es", active=True)
        user.set_password("bench-password-1")
        user.memberships.append(Membership(government_id=None, role="national"))
        db.session.add(user)
        db.session.commit()
        token, plain = ApiToken.issue(user, "bench")
        db.session.add(token)
        db.session.commit()
    html = client.get("/ingresar").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/ingresar", data={"email": "bench@stcias.pe", "password": "bench-password-1", "csrf_token": csrf})
    return {"Authorization": f"Bearer {plain}"}


def _database(years: list[int]) -> tuple[Any, Any, dict[str, str], int, int]:
    """A throw-away database with ``years`` of measurements: app, signed-in client, API headers, region, rows."""
    app = _app()
    client = app.test_client()
    headers = _national_user(app, client)
    with app.app_context():
        rows = add_measurements(years)
        region = region_id()
    return app, client, headers, region, rows


def run() -> list[str]:
    # Two databases, 1 and 5 years, requested in alternation (as bench_scale does): a machine whose load
    # drifts during the run weighs on both alike, so the ratio measures the data, not the neighbours.
    one = _database([FIRST_YEAR])
    five = _database([FIRST_YEAR + n for n in range(YEARS)])
    sizes = {1: one, YEARS: five}
    lines = [
        f"Tableros de seguimiento: {one[4]:,} mediciones (1 año) y {five[4]:,} ({YEARS} años), "
        f"medianas de {ROUNDS} pedidos alternados:"
    ]
    for label, path in reads(one[3]):
        counts = {n: statement_count(app, client, path, headers) for n, (app, client, headers, _r, _c) in sizes.items()}
        times: dict[int, list[float]] = {n: [] for n in sizes}
        for _round in range(ROUNDS):
            for n, (_a, client, headers, _r, _c) in sizes.items():
                times[n].append(_time(client, path, headers))
        time_1, time_5 = statistics.median(times[1]), statistics.median(times[YEARS])
        ratio = time_5 / time_1
        verdict = "✔ ≤ 1.2×" if ratio <= 1.2 else "✘ > 1.2×"
        constant = "constante" if counts[1] == counts[YEARS] else "CRECE con las filas"
        lines.append(
            f"  {label:<24} SQL {counts[1]} y {counts[YEARS]} ({constant}); {time_1 * 1000:7.1f} ms y "
            f"{time_5 * 1000:7.1f} ms = {ratio:4.2f}×  {verdict}"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
