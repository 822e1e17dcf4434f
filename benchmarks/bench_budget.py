"""Benchmark of the budget alignment report (issue 11): a region with 84 districts × 40 activities × 4 quarters
of budget lines (13,440 lines) against a tenth of the districts (1×: 8 districts, 1,280 lines).

- the SQL statements of the alignment's page, API, XLSX and PDF context at 1× and 10×: constant in the number
  of lines (the check aggregates in the database);
- the alignment PDF through Articula's document pipeline against bare WeasyPrint on the same HTML
  (goal ≤ 1.15×), interleaved rounds and medians, as benchmarks/bench_plan.py measures the plan.

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``); it can also run alone:
``python benchmarks/bench_budget.py``. It builds its own throw-away SQLite database.
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
ROUNDS = int(os.environ.get("BENCH_BUDGET_ROUNDS", "5"))
ACTIVITIES_PER_RESULT = 10  # × 4 results = 40 activities
DISTRICTS = 84


def _app():  # noqa: ANN202
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-budget-')) / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PLUGINS": "institutionalization,diagnosis,operations"})
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
    return app


def budget_plan(districts: int, activities_per_result: int = ACTIVITIES_PER_RESULT) -> int:
    """A Huánuco regional plan of 4 results × N activities, with PIA/PIM/devengado lines for every activity,
    quarter and one of the region's first ``districts`` districts (Core bulk insert); returns the plan's id.

    The fourth result gets 40 % of its planned budget, the others 100 %: one result is flagged."""
    from sqlalchemy import insert, select

    from core.cases import case_types, create_case
    from core.extensions import db
    from core.models import Government, StrategicProgram, Territory
    from core.security import scope_for_cli
    from plugins.diagnosis.models import PlanActivity
    from plugins.operations.budget.models import BudgetLine

    region = db.session.scalar(select(Government).where(Government.kind == "regional", Government.ubigeo == "100000"))
    programs = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position).limit(5)).all()
    plan = create_case(
        case_types()["articulated_plan"], region, 2008, f"PAR ({districts} distritos)", None, scope_for_cli(None)
    )
    db.session.flush()
    for n, result in enumerate(plan.results):
        for i in range(activities_per_result):
            result.activities.append(
                PlanActivity(
                    name=f"Actividad {n + 1}.{i + 1}",
                    budget=Decimal("1000000.00"),
                    strategic_program=programs[(n + i) % len(programs)],
                    position=i + 1,
                )
            )
    db.session.flush()
    in_region = select(Territory.id).where(Territory.level == "district", Territory.ubigeo.like("10%"))
    places = db.session.scalars(in_region.order_by(Territory.ubigeo)).all()[:districts]
    rows = []
    for n, result in enumerate(plan.results):
        share = Decimal("0.4") if n == 3 else Decimal("1")
        for activity in result.activities:
            pim = (Decimal("250000.00") * share / len(places)).quantize(Decimal("0.01"))
            for territory_id in places:
                for quarter in (1, 2, 3, 4):
                    rows.append(
                        {
                            "plan_id": plan.id,
                            "activity_id": activity.id,
                            "source": "RO" if quarter % 2 else "CANON",
                            "quarter": quarter,
                            "territory_id": territory_id,
                            "pia": pim,
                            "pim": pim,
                            "accrued": (pim / 2).quantize(Decimal("0.01")),
                        }
                    )
    db.session.execute(insert(BudgetLine), rows)
    db.session.commit()
    return plan.id


READS = (
    ("web: página de presupuesto", "/operaciones/presupuesto/planes/{id}"),
    ("API: alineamiento", "/api/v1/operations/budget/plans/{id}/alignment"),
    ("XLSX del informe", "/operaciones/presupuesto/planes/{id}/alineamiento.xlsx"),
)


def statement_counts(app, client, small: int, large: int) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """SQL statements of each alignment read for the small and the large plan (a warm-up request first),
    and of the PDF's context (what the report reads before rendering)."""
    from core.database import QueryCounter
    from core.extensions import db
    from plugins.operations.budget.alignment import alignment
    from plugins.operations.budget.report import alignment_context

    counts: dict[str, tuple[int, int]] = {}
    for label, template in READS:
        found = []
        for plan_id in (small, large):
            path = template.format(id=plan_id)
            client.get(path)
            with app.app_context(), QueryCounter(db.engine) as counter:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            found.append(counter.count)
        counts[label] = (found[0], found[1])
    found = []
    for plan_id in (small, large):
        with app.test_request_context("/"):
            alignment_context(alignment(plan_id))  # warm (charts, fonts)
            with QueryCounter(db.engine) as counter:
                alignment_context(alignment(plan_id))
            found.append(counter.count)
    counts["PDF: contexto del informe"] = (found[0], found[1])
    return counts


def _login(app, client) -> None:  # noqa: ANN001
    from core.demo import DEMO_PASSWORD
    from core.extensions import db
    from core.models import Government, Membership, User

    with app.app_context():
        region = db.session.query(Government).filter_by(kind="regional", ubigeo="100000").one()
        user = User(email="bench@huanuco.pe", name="Equipo", locale="es")
        user.set_password(DEMO_PASSWORD)
        user.memberships.append(Membership(government=region, role="team"))
        db.session.add(user)
        db.session.commit()
    html = client.get("/ingresar").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/ingresar", data={"email": "bench@huanuco.pe", "password": DEMO_PASSWORD, "csrf_token": token})


def _pdf_lines(app, plan_id: int) -> list[str]:  # noqa: ANN001
    from benchmarks.bench_documents import BareWeasyPrint, _pages, _timed
    from core.documents import CORE_STATIC, html_to_pdf
    from core.documents.worker import ASSET_PREFIX
    from plugins.operations.budget.alignment import alignment
    from plugins.operations.budget.report import alignment_context
    from plugins.operations.reporting import render_report

    template = "operations/budget_alignment.html"
    with app.test_request_context("/"):

        def ours() -> bytes:
            return html_to_pdf(render_report(template, alignment_context(alignment(plan_id)))).pdf

        html = render_report(template, alignment_context(alignment(plan_id)))
        html = html.replace(ASSET_PREFIX + "core/", CORE_STATIC.as_uri() + "/")
        bare = BareWeasyPrint(html, CORE_STATIC.as_uri() + "/", Path(tempfile.mkdtemp(prefix="articula-bench-budget-")))
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
        f"  PDF del informe ({DISTRICTS} distritos × 40 actividades × 4 trimestres, {pages} págs.) "
        f"{ours_s * 1000:7.1f} ms  vs. WeasyPrint solo {bare_s * 1000:7.1f} ms  = {ratio:4.2f}×  {verdict}"
    ]


def run() -> list[str]:
    app = _app()
    with app.app_context():
        small, large = budget_plan(DISTRICTS // 10), budget_plan(DISTRICTS)
    client = app.test_client()
    _login(app, client)
    lines = [f"Informe de Alineamiento Presupuestal ({DISTRICTS} distritos × 40 actividades × 4 trimestres):"]
    for label, (one, ten) in statement_counts(app, client, small, large).items():
        verdict = "constante" if one == ten else "CRECE con las líneas"
        lines.append(f"  {label:<28} consultas SQL con 1× y 10× líneas: {one} y {ten} ({verdict})")
    lines += _pdf_lines(app, large)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
