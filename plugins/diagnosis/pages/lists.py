"""The list of plans and diagnoses, the dashboard widget, what the case pages show of each case
type, and the names the plugin's templates use."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.cases import case_types
from core.extensions import db
from core.formatting import money
from core.models import Case
from core.security import can, current_scope, readable_clause
from core.web.pagination import paginate
from plugins.diagnosis import fields as declared
from plugins.diagnosis import instruments, matrix
from plugins.diagnosis.labels import (
    ACTOR_KIND_LABELS,
    ACTOR_LEVEL_LABELS,
    CAUSE_LEVEL_LABELS,
    FUNDING_SOURCE_LABELS,
    MONTHS_SHORT,
    RELATION_KIND_LABELS,
    SURVEY_SECTION_LABELS,
    WEALTH_CATEGORY_LABELS,
    label,
)
from plugins.diagnosis.models import (
    Actor,
    Baseline,
    Cause,
    Diagnosis,
    DistrictRecord,
    Plan,
    PlanActivity,
    PlanResult,
    WealthItem,
    month_list,
)
from plugins.diagnosis.pages.common import bp, can_write, declared_form, input_attrs, typed, typed_chosen, typed_open
from plugins.diagnosis.transitions import approval_gaps


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "dx_label": label,
        "ACTOR_KIND_LABELS": ACTOR_KIND_LABELS,
        "ACTOR_LEVEL_LABELS": ACTOR_LEVEL_LABELS,
        "RELATION_KIND_LABELS": RELATION_KIND_LABELS,
        "CAUSE_LEVEL_LABELS": CAUSE_LEVEL_LABELS,
        "WEALTH_CATEGORY_LABELS": WEALTH_CATEGORY_LABELS,
        "SURVEY_SECTION_LABELS": SURVEY_SECTION_LABELS,
        "FUNDING_SOURCE_LABELS": FUNDING_SOURCE_LABELS,
        "MONTHS_SHORT": MONTHS_SHORT,
        "month_list": month_list,
        "dx_diagnosis_summary": diagnosis_summary,
        "dx_plan_summary": plan_summary,
        "dx_money": money,
        "typed": typed,
        "typed_chosen": typed_chosen,
        "typed_open": typed_open,
        "declared": declared,
        "declared_form": declared_form,
        "input_attrs": input_attrs,
    }


def diagnosis_summary(case: Diagnosis) -> dict[str, Any]:
    """What the case page shows of a diagnosis: counts per instrument and what blocks validation."""
    counts = {}
    for key, model in (("actors", Actor), ("causes", Cause), ("baselines", Baseline), ("wealth", WealthItem)):
        counts[key] = db.session.scalar(select(func.count(model.id)).where(model.diagnosis_id == case.id))
    counts["fichas"] = db.session.scalar(
        select(func.count(DistrictRecord.id)).where(DistrictRecord.diagnosis_id == case.id)
    )
    return {"counts": counts, "gaps": instruments.gaps(case), "can_write": can_write(case)}


def plan_summary(case: Plan) -> dict[str, Any]:
    plan = matrix.load_plan(case.id)
    next_plan = db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == case.id))
    return {
        "plan": plan,
        "totals": matrix.totals(plan),
        "gaps": approval_gaps(plan),
        "next_plan_id": next_plan,
        "can_create_next": can(current_scope(), "government.write", case.government_id),
    }


@bp.route("/planes/")
@login_required
def plans():
    """Plans and diagnoses in the user's scope, newest first, paginated."""
    scope = current_scope()
    query = (
        select(Case)
        .where(Case.type.in_(("articulated_plan", "diagnosis")), readable_clause(scope, Case.government_id))
        .options(joinedload(Case.government))
        .order_by(Case.year.desc(), Case.id.desc())
    )
    year = request.args.get("year", "")
    if year.isdigit():
        query = query.where(Case.year == int(year))
    page = paginate(query, Case.id)
    return render_template("diagnosis/plans.html", page=page, types=case_types(), year=year)


def dashboard_widget(user: Any) -> dict[str, Any] | None:
    """The user's plans of the latest year in scope: state and total budget (two queries)."""
    scope = current_scope()
    if not (scope.everything or scope.direct):
        return None
    plans = db.session.scalars(
        select(Plan)
        .where(readable_clause(scope, Case.government_id))
        .options(joinedload(Plan.government))
        .order_by(Case.year.desc(), Case.id.desc())
        .limit(5)
    ).all()
    totals = dict(
        db.session.execute(
            select(PlanResult.plan_id, func.coalesce(func.sum(PlanActivity.budget), 0))
            .join(PlanActivity, PlanActivity.result_id == PlanResult.id)
            .where(PlanResult.plan_id.in_([p.id for p in plans]))
            .group_by(PlanResult.plan_id)
        ).all()
    )
    return {
        "title": _("Plans Articulados"),
        "template": "diagnosis/widget.html",
        "context": {"plans": plans, "totals": totals},
        "order": 20,
    }
