"""The Plan Articulado's writes: its sections, the matrix row by row (results, indicators,
activities), the matrix from a workbook, next year's plan, and the ordinance whose annex it is.

Each is a named operation (core.operations): pages, API and demo data call them by name."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.cases import case_types, check_version, create_case
from core.extensions import db
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.diagnosis import matrix, workbook
from plugins.diagnosis.models import Plan, PlanActivity, PlanIndicator, PlanResult
from plugins.diagnosis.operations.common import changed, editing, not_found, row_of
from plugins.diagnosis.ordinance_annex import link
from plugins.diagnosis.tabular import ImportRefused, ImportReport, TableError
from plugins.institutionalization.models import Ordinance  # the plugin this one depends on (manifest)

CASE = ("case_id", "version")


def _plan(ctx: Context, data: dict[str, Any], *, append: bool = False) -> Plan:
    plan = editing(ctx, Plan, data, append=append)
    return matrix.load_plan(plan.id)  # the whole matrix, in a fixed number of queries


def _fields(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    # The row's values only: the matrix parsers read every key they are given.
    return {k: v for k, v in data.items() if k not in (*CASE, *keys)}


@operation("diagnosis.plan.edit", params=CASE)
def edit_sections(ctx: Context, data: dict[str, Any]) -> Plan:
    """Change the plan's text sections and approval data (only the keys sent)."""
    plan = _plan(ctx, data)
    matrix.apply_sections(plan, _fields(data))
    changed(ctx, plan)
    return plan


@operation("diagnosis.result.add", params=CASE)
def add_result(ctx: Context, data: dict[str, Any]) -> PlanResult:
    """Add a result at the end of the matrix (``name``, ``goal_value``, ``goal_unit``)."""
    plan = _plan(ctx, data, append=True)
    result = PlanResult(position=len(plan.results) + 1)
    matrix.apply_result(result, _fields(data))
    plan.results.append(result)
    changed(ctx, plan, append=True)
    db.session.flush()
    return result


@operation("diagnosis.result.edit", params=(*CASE, "result_id"))
def edit_result(ctx: Context, data: dict[str, Any]) -> PlanResult:
    """Change a result's name or goal (only the keys sent)."""
    plan = _plan(ctx, data)
    result = row_of(plan.results, data.get("result_id"))
    matrix.apply_result(result, _fields(data, "result_id"))
    changed(ctx, plan)
    return result


@operation("diagnosis.result.remove", params=(*CASE, "result_id"))
def remove_result(ctx: Context, data: dict[str, Any]) -> Plan:
    """Remove a result with its indicators and activities."""
    plan = _plan(ctx, data)
    plan.results.remove(row_of(plan.results, data.get("result_id")))
    changed(ctx, plan)
    return plan


def _indicators(plan: Plan) -> list[PlanIndicator]:
    return [i for r in plan.results for i in r.indicators]


def _activities(plan: Plan) -> list[PlanActivity]:
    return [a for r in plan.results for a in r.activities]


@operation("diagnosis.indicator.add", params=(*CASE, "result_id"))
def add_indicator(ctx: Context, data: dict[str, Any]) -> PlanIndicator:
    """Add an indicator to a result (``name``, ``formula``, ``source``, ``baseline``, ``target``)."""
    plan = _plan(ctx, data, append=True)
    result = row_of(plan.results, data.get("result_id"))
    indicator = PlanIndicator(position=len(result.indicators) + 1)
    matrix.apply_indicator(indicator, _fields(data, "result_id"))
    result.indicators.append(indicator)
    changed(ctx, plan, append=True)
    db.session.flush()
    return indicator


@operation("diagnosis.indicator.edit", params=(*CASE, "indicator_id"))
def edit_indicator(ctx: Context, data: dict[str, Any]) -> PlanIndicator:
    """Change an indicator (only the keys sent)."""
    plan = _plan(ctx, data)
    indicator = row_of(_indicators(plan), data.get("indicator_id"))
    matrix.apply_indicator(indicator, _fields(data, "indicator_id"))
    changed(ctx, plan)
    return indicator


@operation("diagnosis.indicator.remove", params=(*CASE, "indicator_id"))
def remove_indicator(ctx: Context, data: dict[str, Any]) -> Plan:
    """Remove an indicator from its result."""
    plan = _plan(ctx, data)
    indicator = row_of(_indicators(plan), data.get("indicator_id"))
    indicator.result.indicators.remove(indicator)
    changed(ctx, plan)
    return plan


@operation("diagnosis.activity.add", params=(*CASE, "result_id"))
def add_activity(ctx: Context, data: dict[str, Any]) -> PlanActivity:
    """Add an activity to a result: budget, strategic program, funding source, responsible, months."""
    plan = _plan(ctx, data, append=True)
    result = row_of(plan.results, data.get("result_id"))
    activity = PlanActivity(position=len(result.activities) + 1)
    matrix.apply_activity(activity, _fields(data, "result_id"))
    result.activities.append(activity)
    changed(ctx, plan, append=True)
    db.session.flush()
    return activity


@operation("diagnosis.activity.edit", params=(*CASE, "activity_id"))
def edit_activity(ctx: Context, data: dict[str, Any]) -> PlanActivity:
    """Change an activity; every value is checked before any is set."""
    plan = _plan(ctx, data)
    activity = row_of(_activities(plan), data.get("activity_id"))
    matrix.apply_activity(activity, _fields(data, "activity_id"))
    changed(ctx, plan)
    return activity


@operation("diagnosis.activity.remove", params=(*CASE, "activity_id"))
def remove_activity(ctx: Context, data: dict[str, Any]) -> Plan:
    """Remove an activity from its result."""
    plan = _plan(ctx, data)
    activity = row_of(_activities(plan), data.get("activity_id"))
    activity.result.activities.remove(activity)
    changed(ctx, plan)
    return plan


@operation("diagnosis.matrix.import", params=(*CASE, "content"))
def import_matrix(ctx: Context, data: dict[str, Any]) -> ImportReport:
    """Replace the matrix from an XLSX workbook (``content``: its bytes); nothing is saved if a row fails."""
    plan = _plan(ctx, data)
    if not data.get("content"):
        raise TableError(_("Choose a file."))
    report = workbook.import_matrix(plan, data["content"])
    if not report.ok:
        raise ImportRefused(report)
    changed(ctx, plan)
    return report


@operation("diagnosis.plan.next_cycle", params=("case_id",))
def next_cycle(ctx: Context, data: dict[str, Any]) -> Plan:
    """Create next year's plan from this one: structure copied, goals left to update."""
    plan = ctx.load(Plan, data.get("case_id"), action=EDIT)
    if db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == plan.id)):
        raise Refusal(_("Next year's plan already exists."), 409)
    new = create_case(
        case_types()["articulated_plan"],
        plan.government,
        plan.year + 1,
        f"{plan.title[:280]} ({plan.year + 1})",
        ctx.user,
        ctx.scope,
        previous_plan_id=plan.id,
    )
    matrix.copy_structure(plan, new)
    return new


@operation("diagnosis.annex.link", params=("ordinance_id", "plan_id", "version"))
def link_ordinance(ctx: Context, data: dict[str, Any]) -> Plan | None:
    """Link an ordinance to the plan whose objectives and goals it annexes (no ``plan_id``: unlink)."""
    ordinance = ctx.load(Ordinance, data.get("ordinance_id"), action=EDIT)
    raw = str(data.get("plan_id") or "").strip()
    plan = None
    if raw:
        plan = db.session.get(Plan, int(raw)) if raw.isdigit() else None
        if plan is None:
            raise not_found()
    check_version(ordinance, data.get("version"))
    link(ordinance, plan, ctx.scope, ctx.user)
    return plan


OPERATIONS = [
    edit_sections,
    add_result,
    edit_result,
    remove_result,
    add_indicator,
    edit_indicator,
    remove_indicator,
    add_activity,
    edit_activity,
    remove_activity,
    import_matrix,
    next_cycle,
    link_ordinance,
]
