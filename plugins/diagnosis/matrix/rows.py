"""The Plan Articulado's matrix as records: loading it whole, seeding a new plan, copying it into
next year's, and editing one row (a result, an indicator, an activity) with its declared fields
(fields.py), as the pages, the API and the demo send them through the operations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from plugins.diagnosis import fields as declared  # a module: fields.py imports this package's parsers
from plugins.diagnosis.models import Plan, PlanActivity, PlanIndicator, PlanResult, StandardResult

#: Appendix 5, "Objetivo General": the CRECER objective every plan starts from.
CRECER_OBJECTIVE = (
    "Contribuir a reducir la desnutrición crónica en niños y niñas menores de cinco años en 9 puntos "
    "porcentuales al año 2011, con prioridad en los menores de tres años en situación de vulnerabilidad y "
    "pobreza, con enfoque de derechos, protección del capital humano, desarrollo social y corresponsabilidad "
    "(Estrategia Nacional CRECER)."
)


# --- loading -----------------------------------------------------------------------------------------


def load_plan(plan_id: int) -> Plan | None:
    """The plan with its whole matrix in a fixed number of queries, whatever its size."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.results).selectinload(PlanResult.indicators),
            selectinload(Plan.results)
            .selectinload(PlanResult.activities)
            .options(selectinload(PlanActivity.institutions), selectinload(PlanActivity.strategic_program)),
        )
        .execution_options(populate_existing=True)
    )


# --- seeding and next cycle --------------------------------------------------------------------------


def seed_new_plan(plan: Plan) -> None:
    """A new plan: the CRECER general objective and the four results of Appendix 5."""
    if not plan.general_objective:
        plan.general_objective = CRECER_OBJECTIVE
    standard = db.session.scalars(
        select(StandardResult).where(StandardResult.active.is_(True)).order_by(StandardResult.position)
    ).all()
    for position, item in enumerate(standard, start=1):
        plan.results.append(PlanResult(name=item.name, position=position, standard_key=item.key))


def copy_structure(source: Plan, target: Plan) -> None:
    """Next year's plan from this one: sections, results, indicators and activities copied; the goals
    (beneficiaries per result, indicator targets, physical goals) left empty, to be updated."""
    for name in (
        "background",
        "justification",
        "general_objective",
        "specific_objectives",
        "alignment_pdc",
        "alignment_participatory_budget",
        "alignment_institutional",
    ):
        setattr(target, name, getattr(source, name))
    target.previous_plan_id = source.id
    for result in source.results:
        new_result = PlanResult(
            name=result.name, position=result.position, goal_unit=result.goal_unit, standard_key=result.standard_key
        )
        for ind in result.indicators:
            new_result.indicators.append(
                PlanIndicator(
                    name=ind.name, position=ind.position, formula=ind.formula, source=ind.source, baseline=ind.target
                )
            )
        for act in result.activities:
            new_result.activities.append(
                PlanActivity(
                    name=act.name,
                    position=act.position,
                    budget=act.budget,
                    strategic_program_id=act.strategic_program_id,
                    funding_source=act.funding_source,
                    months=list(act.months or []),
                    official=act.official,
                    physical_unit=act.physical_unit,
                    communities=act.communities,
                    institutions=list(act.institutions),
                )
            )
        target.results.append(new_result)


# --- editing one row (web forms, API and demo share these) ----------------------------------------------


def apply_sections(plan: Plan, data: dict[str, Any]) -> None:
    """The plan's text sections and approval data, from a form or JSON (only the keys present)."""
    for name, value in declared.parse_row(declared.PLAN, data, new=False).items():
        setattr(plan, name, value)


def apply_row(row: PlanResult | PlanIndicator | PlanActivity, data: dict[str, Any]) -> None:
    """A result, an indicator or an activity from its declared fields (only the keys sent; a new row
    needs its name). Every value is checked before any is set, so a refused edit changes nothing."""
    fields = {PlanResult: declared.RESULT, PlanIndicator: declared.INDICATOR, PlanActivity: declared.ACTIVITY}
    for name, value in declared.parse_row(fields[type(row)], data, new=row.id is None).items():
        setattr(row, name, value)
