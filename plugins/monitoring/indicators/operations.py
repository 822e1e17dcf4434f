"""The writes of the key indicators, as named operations (core.operations):

- ``monitoring.measurement.record``: one measurement (form, API), every rule of rules.py;
- ``monitoring.measurement.correct``: a correction, the old values kept with who, when and why;
- ``monitoring.measurements.import``: a CSV/XLSX file, all or nothing, a report per row (imports.py);
- ``monitoring.targets.from_plan``: a government's targets from its approved plan (result and indicator goals);
- ``monitoring.target.adjust``: an adjustment made in evaluation, with its justification and who approved it;
- ``monitoring.plan_indicator.link``: a plan indicator linked to the key indicator it measures.

Who may write a measurement is the named action ``monitoring.measurement.write`` (:func:`may_write_measurement`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, operation
from core.security import EDIT, READ, Scope, writable_government_ids
from plugins.monitoring.indicators.fields import ADJUSTMENT, CORRECTION, LINK, MEASUREMENT
from plugins.monitoring.indicators.models import Measurement, MeasurementRevision, PlanIndicatorLink, Target
from plugins.monitoring.indicators.rules import WRITE_ACTION, Checker, Place, measurement_key

#: Plan states whose goals are approved (the Instancia's approval, then the norm's).
APPROVED_PLAN_STATES = ("approved_instancia", "approved_norm", "submitted")


def may_write_measurement(scope: Scope, place: Any) -> bool:
    """The government's team (or coordinator) for its own territory; a regional government's for every
    territory of its department too; the national supervisor (and an administrator) for any, the
    country included. ``place``: a rules.Place, or a Measurement."""
    if scope.is_admin or "national" in scope.global_roles:
        return True
    ubigeo, level = place.ubigeo, place.level
    if level == "national":
        return False
    writers = writable_government_ids(scope)
    if not writers:
        return False
    rows = db.session.execute(select(Government.kind, Government.ubigeo).where(Government.id.in_(writers)))
    for kind, own in rows:
        if own == ubigeo or (kind == "regional" and own[:2] == ubigeo[:2]):
            return True
    return False


def _refusal(problems: list[tuple[str, str]]) -> Refusal:
    errors: dict[str, list[str]] = {}
    for field, message in problems:
        errors.setdefault(field, []).append(message)
    return Refusal(_("The measurement was not saved: correct the fields marked."), 400, errors)


def _existing(values: dict[str, Any]) -> Measurement | None:
    names = ("indicator_id", "measure", "ubigeo", "period_kind", "year", "period_number", "source", "area", "sex")
    return db.session.scalar(
        select(Measurement).where(
            *(getattr(Measurement, name) == value for name, value in zip(names, measurement_key(values), strict=True))
        )
    )


def new_measurement(values: dict[str, Any], user_id: int | None, *, demo: bool = False) -> Measurement:
    """A Measurement from checked values (rules.Checker.check)."""
    place: Place = values["place"]
    return Measurement(
        indicator_id=values["indicator_id"],
        measure=values["measure"],
        territory_id=place.territory_id,
        ubigeo=place.ubigeo,
        level=place.level,
        department=place.department,
        province=place.province,
        government_id=place.government_id,
        year=values["year"],
        period_kind=values["period_kind"],
        period_number=values["period_number"],
        period_start=values["period_start"],
        source=values["source"],
        area=values["area"],
        sex=values["sex"],
        value=values["value"],
        numerator=values["numerator"],
        denominator=values["denominator"],
        notes=values["notes"],
        demo=demo,
        created_by_id=user_id,
        updated_by_id=user_id,
    )


@operation("monitoring.measurement.record", fields=MEASUREMENT, params=("demo",))
def record_measurement(ctx: Context, data: dict[str, Any]) -> Measurement:
    """Record one measurement: indicator, measure, ubigeo, period, source, disaggregation, value (or numerator
    and denominator). Refused, naming the field: an unknown code, a source below its valid level
    (Figure 03), a percentage over 100, a period in the future, a duplicate."""
    checker = Checker(ctx.scope, lima_today())
    place = checker.place(str(data.get("ubigeo") or ""))
    if place is not None and not checker.may_write(place):
        raise Refusal(_("You cannot record measurements for %(place)s.", place=place.name), 403)
    values, problems = checker.check(data)
    if problems:
        raise _refusal(problems)
    if _existing(values) is not None:
        raise _refusal(
            [
                (
                    "indicator",
                    _(
                        "This measurement already exists (same indicator, measure, territory, period, source and "
                        "disaggregation): correct it instead."
                    ),
                )
            ]
        )
    row = new_measurement(values, getattr(ctx.user, "id", None), demo=bool(data.get("demo")))
    db.session.add(row)
    db.session.flush()
    return row


@operation("monitoring.measurement.correct", fields=CORRECTION, partial=True, params=("measurement_id", "version"))
def correct_measurement(ctx: Context, data: dict[str, Any]) -> Measurement:
    """Correct a measurement's value, numerator, denominator or notes (``reason`` required); the old values are
    kept in its history with who and when. ``version``: the one read (409 if it changed since)."""
    row: Measurement = ctx.load(Measurement, data.get("measurement_id"), action=READ)
    if not may_write_measurement(ctx.scope, row):
        raise Refusal(_("You cannot correct measurements of %(place)s.", place=row.ubigeo), 403)
    try:
        version = int(data.get("version"))
    except (TypeError, ValueError):
        raise Refusal(_("The record's version is missing (field «version»)."), 400) from None
    if version != row.version:
        raise Refusal(_("The record was changed by someone else. Reload it and try again."), 409)
    reason = data.get("reason")
    if not reason:
        raise Refusal(
            _("Say why the value is corrected."), 400, {"reason": [_("«Reason for the correction» is required.")]}
        )
    merged = {
        "value": data.get("value", row.value) if "value" in data else (None if "numerator" in data else row.value),
        "numerator": data.get("numerator", row.numerator),
        "denominator": data.get("denominator", row.denominator),
    }
    checker = Checker(ctx.scope, lima_today())
    problems: list[tuple[str, str]] = []
    numbers = checker.numbers(row.indicator, merged, problems)
    if problems:
        raise _refusal(problems)
    new = {"value": numbers["value"], "numerator": numbers["numerator"], "denominator": numbers["denominator"]}
    notes = data.get("notes", row.notes) if "notes" in data else row.notes
    if all(_same(getattr(row, k), v) for k, v in new.items()) and notes == row.notes:
        raise Refusal(_("Nothing changed: the values are the ones recorded."), 400)
    db.session.add(
        MeasurementRevision(
            measurement_id=row.id,
            changed_by_id=getattr(ctx.user, "id", None),
            old_value=row.value,
            old_numerator=row.numerator,
            old_denominator=row.denominator,
            old_notes=row.notes,
            reason=reason,
        )
    )
    row.value, row.numerator, row.denominator, row.notes = new["value"], new["numerator"], new["denominator"], notes
    row.updated_by_id = getattr(ctx.user, "id", None)
    db.session.flush()
    return row


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))


@operation("monitoring.measurements.import", params=("filename", "content", "demo"))
def import_measurements(ctx: Context, data: dict[str, Any]) -> Any:
    """Measurements from a CSV or XLSX file (``filename``, ``content``), all or nothing; re-importing the
    same file changes nothing. Columns: ubigeo, indicador, medida, periodo, fuente, valor, numerador,
    denominador, area, sexo, notas."""
    from plugins.monitoring.indicators.imports import import_file

    scope = ctx.scope
    if not (scope.is_admin or "national" in scope.global_roles or writable_government_ids(scope)):
        raise Refusal(_("You do not have permission to do this."), 403)  # an auditor: reads only
    content = data.get("content")
    if not isinstance(content, bytes | bytearray) or not content:
        raise Refusal(_("Choose a CSV or XLSX file."), 400, {"file": [_("Choose a CSV or XLSX file.")]})
    return import_file(ctx, str(data.get("filename") or ""), bytes(content), demo=bool(data.get("demo")))


# --- targets ---------------------------------------------------------------------------------------------


@operation("monitoring.targets.from_plan", params=("plan_id",))
def targets_from_plan(ctx: Context, data: dict[str, Any]) -> list[Target]:
    """A government's targets for the plan's year from its approved plan: each result's goal (beneficiaries)
    and each linked plan indicator's goal. Running it again updates them (nothing is duplicated)."""
    from plugins.diagnosis.models import Plan

    plan: Plan = ctx.load(Plan, data.get("plan_id"), action=READ)
    ctx.require(EDIT, plan.government)
    if plan.state not in APPROVED_PLAN_STATES:
        raise Refusal(_("Only an approved plan's goals become targets."), 400)
    existing = {
        (t.plan_result_id, t.plan_indicator_id): t
        for t in db.session.scalars(select(Target).where(Target.plan_id == plan.id, Target.origin == "plan"))
    }
    links = {
        link.plan_indicator_id: link
        for link in db.session.scalars(
            select(PlanIndicatorLink).where(
                PlanIndicatorLink.plan_indicator_id.in_([i.id for r in plan.results for i in r.indicators])
            )
        )
    }
    user_id = getattr(ctx.user, "id", None)
    targets = []

    def put(key: tuple[int | None, int | None], **values: Any) -> None:
        target = existing.get(key)
        if target is None:
            target = Target(origin="plan", government_id=plan.government_id, plan_id=plan.id, created_by_id=user_id)
            db.session.add(target)
        for name, value in values.items():
            setattr(target, name, value)
        targets.append(target)

    for result in plan.results:
        if result.goal_value is not None:
            put(
                (result.id, None),
                year=plan.year,
                plan_result_id=result.id,
                value=Decimal(result.goal_value),
                unit=result.goal_unit,
                label=result.name,
            )
        for indicator in result.indicators:
            link = links.get(indicator.id)
            if link is not None and indicator.target is not None:
                put(
                    (None, indicator.id),
                    year=plan.year,
                    plan_indicator_id=indicator.id,
                    indicator_id=link.indicator_id,
                    measure=link.measure,
                    value=indicator.target,
                    label=indicator.name,
                )
    db.session.flush()
    return targets


@operation("monitoring.target.adjust", fields=ADJUSTMENT, params=("demo",))
def adjust_target(ctx: Context, data: dict[str, Any]) -> Target:
    """A target adjusted in evaluation (§4.1.4): government, year, indicator (measure, area), the new value,
    its justification, who approved it and when. It wins over the plan's and the national goal."""
    from plugins.monitoring.indicators.queries import indicator_by_code

    government = db.session.get(Government, data["government_id"])
    if government is None:
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    ctx.require(EDIT, government)
    indicator = indicator_by_code(data["indicator"])
    checker = Checker(ctx.scope, lima_today())
    problems: list[tuple[str, str]] = []
    measure = checker.measure(indicator, data.get("measure"), problems)
    area = checker.disaggregation(indicator, "area", data.get("area"), problems)
    if data["value"] > indicator.factor:
        problems.append(
            (
                "value",
                _("A percentage cannot be over 100.") if indicator.is_percentage else _("The value is too large."),
            )
        )
    if data["approved_on"] > lima_today():
        problems.append(("approved_on", _("«Approval date» cannot be in the future.")))
    if problems:
        raise Refusal(_("The adjustment was not saved: correct the fields marked."), 400, {f: [m] for f, m in problems})
    target = Target(
        origin="adjustment",
        government_id=government.id,
        year=data["year"],
        indicator_id=indicator.id,
        measure=measure,
        area=area,
        value=data["value"],
        justification=data["justification"],
        approved_by=data["approved_by"],
        approved_on=data["approved_on"],
        demo=bool(data.get("demo")),
        created_by_id=getattr(ctx.user, "id", None),
    )
    db.session.add(target)
    db.session.flush()
    return target


@operation("monitoring.plan_indicator.link", fields=LINK, params=("plan_indicator_id",))
def link_plan_indicator(ctx: Context, data: dict[str, Any]) -> PlanIndicatorLink | None:
    """Link a plan indicator (the matrix) to the key indicator (and measure) it measures; no indicator: unlink."""
    from plugins.diagnosis.models import PlanIndicator
    from plugins.monitoring.indicators.queries import indicator_by_code

    plan_indicator = ctx.load(
        PlanIndicator, data.get("plan_indicator_id"), action=READ, government=lambda i: i.result.plan.government
    )
    ctx.require(EDIT, plan_indicator.result.plan.government)
    link = db.session.scalar(select(PlanIndicatorLink).where(PlanIndicatorLink.plan_indicator_id == plan_indicator.id))
    if not data.get("indicator"):
        if link is not None:
            db.session.delete(link)
        return None
    indicator = indicator_by_code(data["indicator"])
    problems: list[tuple[str, str]] = []
    measure = Checker(ctx.scope, lima_today()).measure(indicator, data.get("measure"), problems)
    if problems:
        raise Refusal(problems[0][1], 400, {"measure": [problems[0][1]]})
    if link is None:
        link = PlanIndicatorLink(plan_indicator_id=plan_indicator.id, indicator_id=indicator.id)
        db.session.add(link)
    link.indicator_id, link.measure = indicator.id, measure
    db.session.flush()
    return link


OPERATIONS = [
    record_measurement,
    correct_measurement,
    import_measurements,
    targets_from_plan,
    adjust_target,
    link_plan_indicator,
]
PERMISSION_ACTIONS = {WRITE_ACTION: may_write_measurement}
