"""Demo portfolio (``articula setup --demo``): five social-investment projects of Huánuco — three of the
regional government and two of Amarilis — in different phases, with funding and progress. Written through
the operations (as the system). Idempotent: a government that already has projects is left as it is.
Codes and figures are illustrative, not the registry's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Government, StrategicProgram
from core.operations import run
from plugins.diagnosis.models import Plan, PlanActivity, PlanResult
from plugins.operations.investment.models import InvestmentProject

# (government ubigeo, kind, code, name, category, places, cost, phases [(phase, date)], funding, progress)
PROJECTS = [
    (
        "100000",
        "snip",
        "84512",
        "Mejoramiento de la capacidad resolutiva de los establecimientos de salud para la "
        "atención materno-infantil en la provincia de Huánuco",
        "health",
        "100101,100102,100104",
        "4850000.00",
        [("viable", "2008-03-14"), ("technical_file", "2008-06-20"), ("execution", "2008-09-01")],
        {"RO": "3850000.00", "CANON": "1000000.00"},
        [(2008, 4, "22.50", "950000.00"), (2009, 1, "41.00", "1820000.00")],
    ),
    (
        "100000",
        "snip",
        "91207",
        "Instalación del sistema de agua potable y saneamiento básico en centros poblados rurales de Churubamba",
        "sanitation",
        "100104",
        "2310000.00",
        [("profile", "2008-05-02"), ("viable", "2008-11-28")],
        {"RO": "1310000.00", "DyT": "1000000.00"},
        [],
    ),
    (
        "100000",
        "snip",
        "70433",
        "Fortalecimiento de la vigilancia nutricional comunal de la niña y el niño menor de "
        "cinco años en la región Huánuco",
        "nutrition",
        "100101,100601",
        "1275000.50",
        [("execution", "2008-02-11"), ("finished", "2008-12-19")],
        {"RO": "1275000.50"},
        [(2008, 2, "48.00", "610000.00"), (2008, 4, "100.00", "1275000.50")],
    ),
    (
        "100102",
        "snip",
        "95120",
        "Mejoramiento del servicio de identificación (DNI) de niñas y niños en Amarilis",
        "identity",
        "100102",
        "385400.00",
        [("idea", "2008-08-18")],
        {},
        [],
    ),
    (
        "100102",
        "snip",
        "88764",
        "Instalación de cocinas mejoradas y biohuertos familiares en los caseríos de Amarilis",
        "nutrition",
        "100102",
        "642300.00",
        [("profile", "2008-04-07"), ("viable", "2008-07-15"), ("execution", "2008-10-06")],
        {"RD": "442300.00", "RDR": "200000.00"},
        [(2008, 4, "35.00", "180000.00")],
    ),
]


def _activity(government: Government, index: int) -> int | None:
    """One of the government's 2008 plan activities (the demo plan of the diagnosis plugin), if any."""
    ids = db.session.scalars(
        select(PlanActivity.id)
        .join(PlanResult, PlanResult.id == PlanActivity.result_id)
        .join(Plan, Plan.id == PlanResult.plan_id)
        .where(Plan.government_id == government.id, Plan.year == 2008)
        .order_by(PlanResult.position, PlanActivity.position)
    ).all()
    return ids[index % len(ids)] if ids else None


def load(app: Any) -> None:
    program = db.session.scalar(select(StrategicProgram.id).order_by(StrategicProgram.position).limit(1))
    done: set[int] = set()
    for n, (ubigeo, kind, code, name, category, places, cost, phases, funding, progress) in enumerate(PROJECTS):
        government = db.session.scalar(select(Government).where(Government.ubigeo == ubigeo))
        if government is None:
            continue
        if government.id not in done and db.session.scalar(
            select(InvestmentProject.id).where(InvestmentProject.government_id == government.id).limit(1)
        ):
            continue  # idempotent: this government's portfolio is already there
        done.add(government.id)
        first, first_on = phases[0]
        project = run(
            "operations.investment.project.create",
            None,
            {
                "government_id": government.id,
                "code_kind": kind,
                "code": code,
                "name": name,
                "category": category,
                "strategic_program_id": program,
                "activity_id": _activity(government, n * 3),
                "target_population": "Niñas y niños menores de cinco años y gestantes",
                "beneficiaries": 1200 + 350 * n,
                "places": places,
                "cost": cost,
                "phase": first,
                "registered_on": first_on,
            },
        )
        for phase, on in phases[1:]:
            run("operations.investment.project.phase", None, {"project_id": project.id, "phase": phase, "on": on})
        for source, amount in funding.items():
            run(
                "operations.investment.funding.set",
                None,
                {"project_id": project.id, "source": source, "amount": amount},
            )
        for year, quarter, physical, financial in progress:
            run(
                "operations.investment.progress.record",
                None,
                {
                    "project_id": project.id,
                    "year": year,
                    "quarter": str(quarter),
                    "physical": physical,
                    "financial": financial,
                },
            )
