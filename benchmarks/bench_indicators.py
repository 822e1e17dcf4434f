"""Benchmark of the key indicators' measurement import (issue 9): a CSV of 10,000 rows (every district
× 6 indicators with a district-level source, numerator and denominator) imported through the
operation — parse, check every row, find the recorded ones, insert — against parsing the file alone.
Goal: the import under 10× the parse. Then the weighted aggregation of those 10,000 rows to the 25
departments and to the country (one query each).

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``); it can also run alone:
``python benchmarks/bench_indicators.py``. It builds its own throw-away SQLite database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_INDICATORS_ROUNDS", "3"))
ROWS = 10_000
#: indicator → a source valid at the district (Figure 03)
INDICATORS = {"2": "SIEN", "4": "SIEN", "5": "CNV", "7": "HIS", "8": "HIS", "9": "RENIEC"}


def _app():  # noqa: ANN202
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-indicators-')) / 'bench.db'}"
    # a loaded machine parses 10,000 XLSX rows slowly: the bench measures, it does not enforce the upload's limit
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PLUGINS": "institutionalization,diagnosis,operations,monitoring",
            "XLSX_PARSE_TIMEOUT": 300,
        }
    )
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
    return app


def measurements_csv(rows: int = ROWS, year: int = 2024) -> bytes:
    """The file a national team would upload: district × indicator, numerator and denominator."""
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Territory

    districts = list(
        db.session.scalars(select(Territory.ubigeo).where(Territory.level == "district").order_by(Territory.ubigeo))
    )
    lines = ["ubigeo,indicador,periodo,fuente,numerador,denominador"]
    for indicator, source in INDICATORS.items():
        for n, ubigeo in enumerate(districts):
            if len(lines) > rows:
                break
            denominator = 200 + n % 900
            lines.append(f"{ubigeo},{indicator},{year},{source},{denominator * (10 + n % 40) // 100},{denominator}")
    return ("\n".join(lines) + "\n").encode()


def as_xlsx(data: bytes) -> bytes:
    """The same rows as an Excel workbook (the other format teams upload)."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("mediciones")
    for line in data.decode().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _timed(function, *args):  # noqa: ANN001, ANN002, ANN202
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def _national_user():  # noqa: ANN202
    from core.extensions import db
    from core.models import Membership, User

    user = User(email="bench.nacional@articula.pe", name="Supervisor", locale="es", active=True)
    user.set_password("bench-password-123")
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, role="national", government_id=None))
    db.session.commit()
    return user


def run() -> list[str]:
    from sqlalchemy import delete, func, select

    from core.extensions import db
    from core.operations import run as run_operation
    from plugins.diagnosis.tabular import read_table
    from plugins.monitoring.indicators import queries
    from plugins.monitoring.indicators.imports import MAX_ROWS
    from plugins.monitoring.indicators.models import Measurement

    app = _app()
    lines = []
    with app.app_context():
        data = measurements_csv()
        user = _national_user()
        lines.append("Indicadores clave (issue 9): importación de 10,000 mediciones y agregación ponderada")
        for label, filename, content in (("CSV", "bench.csv", data), ("XLSX", "bench.xlsx", as_xlsx(data))):
            parse, full = [], []
            for _round in range(ROUNDS):
                parse.append(_timed(read_table, filename, content, MAX_ROWS)[0])
                db.session.execute(delete(Measurement))
                db.session.commit()
                seconds, report = _timed(
                    run_operation, "monitoring.measurements.import", user, {"filename": filename, "content": content}
                )
                full.append(seconds)
                assert report.saved == report.rows, report.as_dict()
            repeat, again = _timed(
                run_operation, "monitoring.measurements.import", user, {"filename": filename, "content": content}
            )
            saved = db.session.scalar(select(func.count(Measurement.id)))
            parse_s, import_s = statistics.median(parse), statistics.median(full)
            ratio = import_s / parse_s
            verdict = "cumple" if ratio < 10 else "NO cumple"
            lines.append(
                f"Importación de mediciones, {label} ({report.rows:,} filas, {saved:,} guardadas; mediana de {ROUNDS}):"
            )
            lines.append(
                f"  leer el archivo solo: {parse_s * 1000:.0f} ms; "
                f"importar (leer, revisar, guardar): {import_s * 1000:.0f} ms"
            )
            lines.append(f"  razón importación / lectura: {ratio:.1f}× (meta < 10×: {verdict})")
            lines.append(
                f"  reimportar el mismo archivo (nada cambia, {again.unchanged:,} iguales): {repeat * 1000:.0f} ms"
            )
        anemia = queries.indicator_by_code(4)
        for level in ("department", "national"):
            start = time.perf_counter()
            values = queries.aggregate(anemia, level, 2024)
            elapsed = time.perf_counter() - start
            lines.append(
                f"  agregación ponderada a nivel {level}: {len(values)} valores en {elapsed * 1000:.1f} ms (1 consulta)"
            )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
