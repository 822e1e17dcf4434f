"""Pages of training and educational communication under /operaciones/capacitacion: the events the
user reaches (a region sees its local governments' events, read-only, through the one scoping
layer), recording an event, the communication plans and their actions. The case pages (state,
evidence as attachments) are the engine's. Every write is an operation (form_run)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, READ, can, current_scope, readable_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.operations.training.fields import ACTION, ACTION_CHOICES, EVENT, KIND_CHOICES, PLAN, PROVIDER_CHOICES
from plugins.operations.training.models import CommunicationPlan, TrainingEvent

bp = Blueprint("operations_training", __name__, url_prefix="/operaciones/capacitacion")


class _WithGovernment(FlaskForm):
    government_id = SelectField(coerce=str)


EventForm = EVENT.form_class(_WithGovernment, versioned=False)
PlanForm = PLAN.form_class(_WithGovernment, versioned=False)
ActionForm = ACTION.form_class(FlaskForm)


def _load(model: type, record_id: int, **kwargs: Any) -> Any:
    """The record through the scoping layer: 404 out of reach, 403 not allowed (as the page answers)."""
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        abort(refusal.status)


@bp.app_context_processor
def _names() -> dict[str, Any]:
    return {"training_names": {"providers": PROVIDER_CHOICES, "kinds": KIND_CHOICES, "actions": ACTION_CHOICES}}


def _writable_governments() -> list[tuple[str, str]]:
    scope = current_scope()
    query = select(Government).order_by(Government.name)
    if not scope.is_admin:
        query = query.where(Government.id.in_(writable_government_ids(scope)))
    return [(str(g.id), g.name) for g in db.session.scalars(query.limit(300))]


def _government_filter() -> int | None:
    raw = request.args.get("gobierno", "")
    return int(raw) if raw.isdigit() else None


@bp.route("/")
@login_required
def index() -> str:
    scope = current_scope()
    query = (
        select(TrainingEvent)
        .where(readable_clause(scope, TrainingEvent.government_id))
        .options(joinedload(TrainingEvent.government))
        .order_by(TrainingEvent.start_date.desc(), TrainingEvent.id.desc())
    )
    government_id = _government_filter()
    if government_id:
        query = query.where(TrainingEvent.government_id == government_id)
    plans = db.session.scalars(
        select(CommunicationPlan)
        .where(readable_clause(scope, CommunicationPlan.government_id))
        .options(joinedload(CommunicationPlan.government))
        .order_by(CommunicationPlan.year.desc(), CommunicationPlan.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "operations/training/index.html",
        page=paginate(query, TrainingEvent.id),
        plans=plans,
        workflow=get_workflow("training_event"),
        plan_workflow=get_workflow("communication_plan"),
        creatable=can(scope, "case.create"),
    )


def _create(form: FlaskForm, operation: str, names: tuple[str, ...]) -> tuple[Any, int]:
    data = {name: request.form[name] for name in names if name in request.form}
    data["government_id"] = request.form.get("government_id")
    return form_run(operation, current_user, data, form)


@bp.route("/eventos/nuevo", methods=["GET", "POST"])
@login_required
def new_event() -> Any:
    if not can(current_scope(), "case.create"):
        abort(403)
    form = EventForm()
    form.government_id.choices = _writable_governments()
    status = 200
    if request.method == "POST":
        event, status = _create(form, "operations.training.event.create", EVENT.input_names)
        if event is not None:
            return redirect(url_for("cases.detail", case_id=event.id), 303)
    return render_template("operations/training/form.html", form=form, heading="event"), status


@bp.route("/planes/nuevo", methods=["GET", "POST"])
@login_required
def new_plan() -> Any:
    if not can(current_scope(), "case.create"):
        abort(403)
    form = PlanForm()
    form.government_id.choices = _writable_governments()
    status = 200
    if request.method == "POST":
        plan, status = _create(form, "operations.training.plan.create", PLAN.input_names)
        if plan is not None:
            return redirect(url_for("operations_training.plan", plan_id=plan.id), 303)
    return render_template("operations/training/form.html", form=form, heading="plan"), status


@bp.route("/planes/<int:plan_id>", methods=["GET", "POST"])
@login_required
def plan(plan_id: int) -> Any:
    record = _load(CommunicationPlan, plan_id, action=EDIT if request.method == "POST" else READ)
    form = ActionForm() if request.method == "POST" else ActionForm(formdata=None)
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in ACTION.input_names if name in request.form}
        data |= {"plan_id": record.id, "version": request.form.get("version")}
        action, status = form_run("operations.training.action.add", current_user, data, form)
        if action is not None:
            return redirect(url_for("operations_training.plan", plan_id=plan_id), 303)
        record = _load(CommunicationPlan, plan_id)
    return render_template(
        "operations/training/plan.html",
        plan=record,
        form=form,
        workflow=get_workflow("communication_plan"),
        can_edit=can(current_scope(), "operations.training.edit", record),
    ), status
