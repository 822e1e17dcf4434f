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
from plugins.diagnosis.operations.common import changed, editing, not_found
from plugins.diagnosis.ordinance_annex import link
from plugins.diagnosis.tabular import ImportRefused, ImportReport, TableError
from plugins.institutionalization.models import Ordinance  # the plugin this one depends on (manifest)

CASE = ("case_id", "version")


def _plan(ctx: Context, data: dict[str, Any], *, append: bool = False) -> Plan:
    plan = editing(ctx, Plan, data, append=append)
    return matrix.load_plan(plan.id)  # the whole matrix, in a fixed number of queries


@operation("diagnosis.plan.edit", params=CASE)
def edit_sections(ctx: Context, data: dict[str, Any]) -> Plan:
    """Change the plan's text sections and approval data (only the keys sent)."""
    plan = editing(ctx, Plan, data)
    matrix.apply_sections(plan, data)
    changed(ctx, plan)
    return plan


# --- the matrix's rows: the same three writes for results, indicators and activities ----------------------

#: Each kind of row: its model, and the collection of its parent (the plan's results, a result's
#: indicators or activities) that holds it.
ROWS: dict[str, tuple[type, str]] = {
    "result": (PlanResult, "results"),
    "indicator": (PlanIndicator, "indicators"),
    "activity": (PlanActivity, "activities"),
}


def _row(plan: Plan, record: str, row_id: Any) -> Any:
    """The plan's row of kind ``record`` with id ``row_id`` (one query, whatever the matrix's size), or 404."""
    model = ROWS[record][0]
    try:
        query = select(model).where(model.id == int(row_id))
    except (TypeError, ValueError):
        raise not_found() from None
    if model is not PlanResult:
        query = query.join(PlanResult, model.result_id == PlanResult.id)
    row = db.session.scalar(query.where(PlanResult.plan_id == plan.id))
    if row is None:
        raise not_found()
    return row


def _siblings(plan: Plan, record: str, row: Any) -> list[Any]:
    """The collection that holds ``row`` (or a new row of kind ``record`` under the result ``row``)."""
    return (
        plan.results
        if record == "result"
        else getattr(row if isinstance(row, PlanResult) else row.result, ROWS[record][1])
    )


def _row_operations(record: str, add_doc: str, edit_doc: str, remove_doc: str) -> list[Any]:
    """The add, edit and remove operations of one kind of matrix row (``diagnosis.<record>.<verb>``):
    rows are added at the end of their parent, edited from the declared fields sent, removed with
    whatever hangs from them. Only the rows concerned are loaded, not the whole matrix."""
    model = ROWS[record][0]
    own_id = f"{record}_id"
    parent_ids = () if record == "result" else ("result_id",)

    def add(ctx: Context, data: dict[str, Any]) -> Any:
        plan = editing(ctx, Plan, data, append=True)
        parent = _row(plan, "result", data.get("result_id")) if parent_ids else None
        siblings = _siblings(plan, record, parent)
        row = model(position=len(siblings) + 1)
        matrix.apply_row(row, data)
        siblings.append(row)
        changed(ctx, plan, append=True)
        db.session.flush()
        return row

    def edit(ctx: Context, data: dict[str, Any]) -> Any:
        plan = editing(ctx, Plan, data)
        row = _row(plan, record, data.get(own_id))
        matrix.apply_row(row, data)
        changed(ctx, plan)
        return row

    def remove(ctx: Context, data: dict[str, Any]) -> Plan:
        plan = editing(ctx, Plan, data)
        row = _row(plan, record, data.get(own_id))
        _siblings(plan, record, row).remove(row)
        changed(ctx, plan)
        return plan

    add.__doc__, edit.__doc__, remove.__doc__ = add_doc, edit_doc, remove_doc
    return [
        operation(f"diagnosis.{record}.add", params=(*CASE, *parent_ids))(add),
        operation(f"diagnosis.{record}.edit", params=(*CASE, own_id))(edit),
        operation(f"diagnosis.{record}.remove", params=(*CASE, own_id))(remove),
    ]


RESULT_OPERATIONS = _row_operations(
    "result",
    "Add a result at the end of the matrix (``name``, ``goal_value``, ``goal_unit``).",
    "Change a result's name or goal (only the keys sent).",
    "Remove a result with its indicators and activities.",
)
INDICATOR_OPERATIONS = _row_operations(
    "indicator",
    "Add an indicator to a result (``name``, ``formula``, ``source``, ``baseline``, ``target``).",
    "Change an indicator (only the keys sent).",
    "Remove an indicator from its result.",
)
ACTIVITY_OPERATIONS = _row_operations(
    "activity",
    "Add an activity to a result: budget, strategic program, funding source, responsible, months.",
    "Change an activity; every value is checked before any is set.",
    "Remove an activity from its result.",
)


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
    *RESULT_OPERATIONS,
    *INDICATOR_OPERATIONS,
    *ACTIVITY_OPERATIONS,
    import_matrix,
    next_cycle,
    link_ordinance,
]
