"""Writes of the results-based budget as named operations (core.operations): set one budget line, import a
«Consulta Amigable»-shaped CSV/XLSX (every row checked first, nothing saved if any is wrong, a re-import
of the same file changes nothing), and set the alignment threshold (administrators).

Rules of every line, typed or imported: amounts ≥ 0 with at most two decimals, PIM not below devengado,
an activity of this plan, a known source, a quarter 1–4, a place inside the government's territory.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Government, Territory
from core.operations import Context, Refusal, operation
from core.values import ValueProblem, parse_money
from plugins.diagnosis.matrix import load_plan
from plugins.diagnosis.models import Plan
from plugins.diagnosis.tabular import ImportReport, TableError, read_table, require_columns
from plugins.operations.budget.fields import BUDGET_LINE, THRESHOLD
from plugins.operations.budget.models import AlignmentThreshold, BudgetLine
from plugins.operations.budget.sources import source_from_text
from plugins.operations.places import within

EDIT_ACTION = "operations.budget.edit"
CONFIGURE_ACTION = "operations.budget.configure"
#: The import's columns (normalized header → as the user sees it), «Consulta Amigable» style.
COLUMNS = {
    "actividad": "Actividad",
    "fuente_de_financiamiento": "Fuente de Financiamiento",
    "trimestre": "Trimestre",
    "pia": "PIA",
    "pim": "PIM",
    "devengado": "Devengado",
}
OPTIONAL_COLUMNS = {"ubigeo": "Ubigeo"}
QUARTER = re.compile(r"^(?:t|trim(?:estre)?\.?\s*)?([1-4])(?:\s*(?:er|do|ro|to|°|º)?\s*(?:trim(?:estre)?)?)?$", re.I)


def _activities(plan: Plan) -> dict[str, Any]:
    """The plan's activities by number ("1.2": result 1, activity 2), by id and by name (lower case)."""
    found: dict[str, Any] = {}
    for n, result in enumerate(plan.results, start=1):
        for m, activity in enumerate(result.activities, start=1):
            found[f"{n}.{m}"] = activity
            found[f"#{activity.id}"] = activity
            found.setdefault(" ".join(activity.name.lower().split()), activity)
    return found


def _activity_from_text(activities: dict[str, Any], text: Any) -> Any:
    raw = " ".join(str(text or "").lower().split())
    if raw in activities:
        return activities[raw]
    number = re.match(r"^(\d+\.\d+)[\s.:\-–]", raw + " ")
    return activities.get(number.group(1)) if number else None


def _quarter_text(raw: Any) -> str:
    """A quarter cell as text: a spreadsheet's number 2.0 reads "2"."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw if raw is not None else "").strip()


def _places(government: Government) -> dict[str, int]:
    """Ubigeo → territory id of the places a line of this government may name (its own and those inside)."""
    digits = {"regional": 2, "provincial": 4}.get(government.kind, 6)
    rows = db.session.execute(
        select(Territory.ubigeo, Territory.id).where(Territory.ubigeo.like(government.ubigeo[:digits] + "%"))
    )
    return dict(rows.all())


def _existing(plan_id: int) -> dict[tuple[int, str, int, int], BudgetLine]:
    lines = db.session.scalars(select(BudgetLine).where(BudgetLine.plan_id == plan_id))
    return {(ln.activity_id, ln.source, ln.quarter, ln.territory_id): ln for ln in lines}


def _put(plan: Plan, existing: dict, key: tuple, amounts: tuple[Decimal, Decimal, Decimal]) -> bool:
    """Create or update the line ``key``; False when it already holds these amounts (nothing written)."""
    line = existing.get(key)
    if line is not None and (line.pia, line.pim, line.accrued) == amounts:
        return False
    if line is None:
        activity_id, source, quarter, territory_id = key
        line = BudgetLine(
            plan_id=plan.id, activity_id=activity_id, source=source, quarter=quarter, territory_id=territory_id
        )
        db.session.add(line)
        existing[key] = line
    line.pia, line.pim, line.accrued = amounts
    return True


@operation("operations.budget.line.set", fields=BUDGET_LINE, params=("plan_id",))
def set_line(ctx: Context, data: dict[str, Any]) -> BudgetLine:
    """Enter (or correct) the PIA, PIM and devengado of a plan activity, source and quarter (and place)."""
    plan = ctx.load(Plan, data.pop("plan_id", None), action=EDIT_ACTION)
    activity = _activities(load_plan(plan.id)).get(f"#{data['activity_id']}")
    if activity is None:
        message = _("The activity is not in this plan.")
        raise Refusal(message, 400, {"activity_id": [message]})
    places = _places(plan.government)
    ubigeo = data.get("ubigeo") or plan.government.territory.ubigeo
    if ubigeo not in places or not within(plan.government, ubigeo):
        message = _("The place is not in the territory of %(name)s.", name=plan.government.name)
        raise Refusal(message, 400, {"ubigeo": [message]})
    existing = _existing(plan.id)
    key = (activity.id, data["source"], int(data["quarter"]), places[ubigeo])
    _put(plan, existing, key, (data["pia"], data["pim"], data["accrued"]))
    db.session.flush()
    return existing[key]


def check_rows(plan: Plan, rows: list[tuple[int, dict[str, Any]]], report: ImportReport) -> list[tuple]:
    """Every row parsed and checked (problems added to ``report`` naming row and column); the lines to put."""
    activities = _activities(plan)
    places = _places(plan.government)
    own = plan.government.territory.ubigeo
    seen: dict[tuple, int] = {}
    out = []
    for number, row in rows:
        report.rows += 1
        problems_before = len(report.problems)
        activity = _activity_from_text(activities, row.get("actividad"))
        if activity is None:
            report.add(
                number, "Actividad", _("«%(value)s» is not an activity of this plan.", value=row.get("actividad") or "")
            )
        source = source_from_text(row.get("fuente_de_financiamiento"))
        if source is None:
            report.add(
                number,
                "Fuente de Financiamiento",
                _(
                    "«%(value)s» is not a known source of funding.",
                    value=row.get("fuente_de_financiamiento") or "",
                ),
            )
        match = QUARTER.match(_quarter_text(row.get("trimestre")))
        if match is None:
            report.add(
                number, "Trimestre", _("«%(value)s» is not a quarter (1 to 4).", value=row.get("trimestre") or "")
            )
        amounts = []
        for column, shown in (("pia", "PIA"), ("pim", "PIM"), ("devengado", "Devengado")):
            try:
                amounts.append(parse_money(row.get(column), shown, required=True))
            except ValueProblem as problem:
                report.add(number, shown, str(problem))
        if len(amounts) == 3 and amounts[1] < amounts[2]:
            report.add(number, "PIM", _("The PIM cannot be less than the accrued amount (devengado)."))
        ubigeo = str(row.get("ubigeo") or "").strip() or own
        if ubigeo not in places:
            report.add(
                number,
                "Ubigeo",
                _(
                    "«%(ubigeo)s» is not a place in the territory of %(government)s.",
                    ubigeo=ubigeo,
                    government=plan.government.name,
                ),
            )
        if len(report.problems) > problems_before:
            continue
        key = (activity.id, source, int(match.group(1)), places[ubigeo])
        if key in seen:
            report.add(
                number,
                "Actividad",
                _("Repeats the activity, source, quarter and place of row %(row)s.", row=seen[key]),
            )
            continue
        seen[key] = number
        out.append((key, tuple(amounts)))
    return out


@operation("operations.budget.import", params=("plan_id", "filename", "content"))
def import_lines(ctx: Context, data: dict[str, Any]) -> ImportReport:
    """Import budget lines from a CSV/XLSX shaped like MEF's «Consulta Amigable» (Actividad, Fuente de
    Financiamiento, Trimestre, PIA, PIM, Devengado; Ubigeo optional): all rows or none."""
    plan = ctx.load(Plan, data.get("plan_id"), action=EDIT_ACTION)
    report = ImportReport()
    try:
        headers, rows = read_table(str(data.get("filename") or ""), bytes(data.get("content") or b""))
        require_columns(headers, COLUMNS)
    except TableError as error:
        raise Refusal(str(error), 400) from error
    lines = check_rows(load_plan(plan.id), rows, report)
    if not report.ok:
        raise Refusal(
            _("Nothing was imported: %(count)s problem(s) in the file.", count=len(report.problems)),
            400,
            {"file": [str(p) for p in report.problems]},
        )
    existing = _existing(plan.id)
    report.saved = sum(_put(plan, existing, key, amounts) for key, amounts in lines)
    db.session.flush()
    return report


@operation("operations.budget.threshold.set", fields=THRESHOLD)
def set_threshold(ctx: Context, data: dict[str, Any]) -> AlignmentThreshold:
    """Set the minimum share of the planned budget a result must have allocated (administrators)."""
    government = db.session.get(Government, data["government_id"]) if data.get("government_id") else None
    ctx.require(CONFIGURE_ACTION, government)
    row = db.session.scalar(
        select(AlignmentThreshold).where(
            AlignmentThreshold.government_id.is_(None)
            if government is None
            else AlignmentThreshold.government_id == government.id
        )
    )
    if row is None:
        row = AlignmentThreshold(government=government, share=data["share"])
        db.session.add(row)
    row.share = data["share"]
    db.session.flush()
    return row


OPERATIONS = [set_line, import_lines, set_threshold]
