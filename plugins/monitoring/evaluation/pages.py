"""Pages of the yearly evaluation under /seguimiento/evaluaciones: the evaluations the user reaches and opening
one for an approved plan; an evaluation's page with the plan's results (appraisal forms), its indicators
(goal adjustment forms) and the lessons. Approving is the engine's case page. Every write is an operation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, READ, can, current_scope, readable_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.diagnosis.models import Plan
from plugins.monitoring.evaluation.fields import ADJUSTMENT, APPRAISAL, EVALUATION
from plugins.monitoring.evaluation.models import PlanEvaluation
from plugins.monitoring.evaluation.operations import EVALUABLE_STATES

bp = Blueprint("monitoring_evaluation", __name__, url_prefix="/seguimiento/evaluaciones")

EvaluationForm = EVALUATION.form_class(FlaskForm)
AppraisalForm = APPRAISAL.form_class(FlaskForm)
AdjustmentForm = ADJUSTMENT.form_class(FlaskForm)


def _evaluable_plans() -> list[Plan]:
    """The approved plans of the user's writable governments that have no evaluation yet."""
    scope = current_scope()
    evaluated = select(PlanEvaluation.plan_id)
    query = select(Plan).where(Plan.state.in_(EVALUABLE_STATES), Plan.id.not_in(evaluated))
    if not scope.is_admin:
        query = query.where(Plan.government_id.in_(writable_government_ids(scope)))
    return list(db.session.scalars(query.options(joinedload(Plan.government)).order_by(Plan.year.desc()).limit(100)))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    status = 200
    if request.method == "POST":
        if not writable_government_ids(current_scope()) and not current_scope().is_admin:
            abort(403)
        form = FlaskForm()
        evaluation, status = form_run(
            "monitoring.evaluation.create", current_user, {"plan_id": request.form.get("plan_id")}, form
        )
        if evaluation is not None:
            return redirect(url_for("monitoring_evaluation.evaluation", evaluation_id=evaluation.id), 303)
    query = (
        select(PlanEvaluation)
        .where(readable_clause(current_scope(), PlanEvaluation.government_id))
        .options(joinedload(PlanEvaluation.government))
        .order_by(PlanEvaluation.year.desc(), PlanEvaluation.id.desc())
    )
    return render_template(
        "monitoring/evaluation/index.html",
        page=paginate(query, PlanEvaluation.id),
        plans=_evaluable_plans(),
        workflow=get_workflow("plan_evaluation"),
        form=FlaskForm(),
    ), status


FORMS = {
    "lessons": ("monitoring.evaluation.edit", EvaluationForm, EVALUATION.input_names, None),
    "appraisal": ("monitoring.evaluation.appraisal.set", AppraisalForm, APPRAISAL.input_names, "result_id"),
    "adjustment": ("monitoring.evaluation.adjustment.set", AdjustmentForm, ADJUSTMENT.input_names, "indicator_id"),
}


@bp.route("/<int:evaluation_id>", methods=["GET", "POST"])
@login_required
def evaluation(evaluation_id: int) -> Any:
    try:
        record = load_or_404(PlanEvaluation, evaluation_id, action=EDIT if request.method == "POST" else READ)
    except Refusal as refusal:
        abort(refusal.status)
    status, failed = 200, None
    if request.method == "POST":
        kind = request.form.get("form", "")
        if kind not in FORMS:
            abort(400)
        name, form_class, names, key = FORMS[kind]
        # each row's form has its own prefix: the ids of its fields stay unique on the page
        prefix = request.form.get("prefix", "")
        form = form_class(prefix=prefix)
        data = {n: request.form[prefix + n] for n in names if prefix + n in request.form}
        data |= {"evaluation_id": record.id, "version": request.form.get("version")}
        if key:
            data[key] = request.form.get(key)
        saved, status = form_run(name, current_user, data, form)
        if saved is not None:
            return redirect(url_for("monitoring_evaluation.evaluation", evaluation_id=record.id), 303)
        failed = (kind, prefix, form)
        record = load_or_404(PlanEvaluation, evaluation_id)
    appraisals = {a.result_id: a for a in record.appraisals}
    adjustments = {a.indicator_id: a for a in record.adjustments}
    return render_template(
        "monitoring/evaluation/evaluation.html",
        evaluation=record,
        plan=record.plan,
        appraisals=appraisals,
        adjustments=adjustments,
        lessons_form=EvaluationForm,
        appraisal_form=AppraisalForm,
        adjustment_form=AdjustmentForm,
        failed=failed,
        can_edit=can(current_scope(), "monitoring.evaluation.edit", record),
    ), status
