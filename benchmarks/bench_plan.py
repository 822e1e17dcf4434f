"""Benchmark of the Plan Articulado (issue 5): a plan of 4 results × 40 activities.

- its PDF through Articula's document pipeline against bare WeasyPrint on the same HTML
  (goal ≤ 1.15×), measured in this run the way benchmarks/bench_documents.py measures it;
- the SQL statements of its web pages at two sizes (4 × 10 and 4 × 40 activities): the count
  must not grow with the rows.

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``); it can also run alone:
``python benchmarks/bench_plan.py``. It builds its own throw-away SQLite database.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_PLAN_ROUNDS", "5"))


def _app():  # noqa: ANN202
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-plan-')) / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PLUGINS": "institutionalization,diagnosis"})
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
    return app


def _plan(activities_per_result: int) -> int:
    """A complete plan of the Huánuco region with 4 results × N activities; returns its id."""
    from sqlalchemy import select

    from core.cases import case_types, create_case
    from core.extensions import db
    from core.models import Government, Institution, StrategicProgram
    from core.security import scope_for_cli
    from plugins.diagnosis.models import PlanActivity, PlanIndicator

    region = db.session.scalar(select(Government).where(Government.kind == "regional", Government.ubigeo == "100000"))
    institutions = db.session.scalars(select(Institution).limit(3)).all()
    program = db.session.scalar(select(StrategicProgram).limit(1))
    plan = create_case(
        case_types()["articulated_plan"],
        region,
        2008,
        f"PAR de prueba ({activities_per_result})",
        None,
        scope_for_cli(None),
        background="Antecedentes. " * 40,
        justification="Justificación. " * 40,
        specific_objectives="Objetivos. " * 20,
    )
    db.session.flush()
    for result in plan.results:
        result.goal_value, result.goal_unit = 1000, "beneficiarios"
        for i in range(3):
            result.indicators.append(PlanIndicator(name=f"Indicador {i}", formula="A/B×100", source="ENDES"))
        for i in range(activities_per_result):
            result.activities.append(
                PlanActivity(
                    name=f"Actividad {i} del resultado",
                    budget=Decimal("12345.67") + i,
                    strategic_program=program,
                    funding_source="RO",
                    institutions=list(institutions),
                    months=[3, 4, 5],
                    official="Gerente",
                )
            )
    db.session.commit()
    return plan.id


def _pdf_lines(app, plan_id: int) -> list[str]:  # noqa: ANN001
    """Our pipeline (context + Jinja + PDF in the document worker) against bare WeasyPrint rendering
    the same HTML in a clean process (the documents benchmark's method: interleaved rounds, medians)."""
    from benchmarks.bench_documents import BareWeasyPrint, _pages, _timed
    from core.documents import CORE_STATIC, html_to_pdf, render_html, spec_for
    from core.documents.worker import ASSET_PREFIX
    from core.extensions import db
    from core.models import Case

    with app.test_request_context("/"):
        case = db.session.get(Case, plan_id)
        spec = spec_for(case, "plan_articulado")

        def ours() -> bytes:
            return html_to_pdf(render_html(case, spec)).pdf

        html = render_html(case, spec).replace(ASSET_PREFIX + "core/", CORE_STATIC.as_uri() + "/")
        bare = BareWeasyPrint(html, CORE_STATIC.as_uri() + "/", Path(tempfile.mkdtemp(prefix="articula-bench-plan-")))
        try:
            pages = _pages(ours())
            ours(), bare.render()  # warm both sides (worker, fonts)
            ours_times, bare_times = [], []
            for _ in range(ROUNDS):
                ours_times.append(_timed(ours))
                bare_times.append(bare.render())
        finally:
            bare.close()
    ours_s, bare_s = statistics.median(ours_times), statistics.median(bare_times)
    ratio = ours_s / bare_s
    verdict = "✔ ≤ 1.15×" if ratio <= 1.15 else "✘ > 1.15×"
    return [
        f"  PDF del plan (4 × 40 actividades, {pages} págs.) {ours_s * 1000:7.1f} ms  vs. WeasyPrint solo "
        f"{bare_s * 1000:7.1f} ms  = {ratio:4.2f}×  {verdict}"
    ]


def _query_lines(app, small: int, large: int) -> list[str]:  # noqa: ANN001
    from core.database import QueryCounter
    from core.demo import DEMO_PASSWORD, load_demo
    from core.extensions import db

    with app.app_context():
        load_demo(app)
    client = app.test_client()
    html = client.get("/ingresar").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post(
        "/ingresar", data={"email": "equipo.regional@huanuco.demo", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    lines = []
    for label, template in (
        ("web: matriz del plan", "/planes/{id}/matriz"),
        ("web: página del plan", "/expedientes/{id}"),
        ("API: plan con su matriz", "/api/v1/plans/{id}"),
        ("XLSX de la matriz", "/planes/{id}/matriz.xlsx"),
    ):
        counts = []
        for plan_id in (small, large):
            path = template.format(id=plan_id)
            client.get(path)
            with app.app_context(), QueryCounter(db.engine) as counter:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts.append(counter.count)
        verdict = "constante" if counts[0] == counts[1] else "CRECE con las filas"
        lines.append(f"  {label:<26} consultas SQL con 4×10 y 4×40 actividades: {counts[0]} y {counts[1]} ({verdict})")
    return lines


def run() -> list[str]:
    app = _app()
    with app.app_context():
        small, large = _plan(10), _plan(40)
    lines = ["Plan Articulado (4 resultados × 40 actividades):"]
    lines += _pdf_lines(app, large)
    lines += _query_lines(app, small, large)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
