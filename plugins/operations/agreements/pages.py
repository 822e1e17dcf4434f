"""Pages of the agreements under /operaciones/convenios/: list, new, detail (parties, goals, commitments with
their deadline status, support, progress, the workflow's buttons), edit, and the forms for goals,
commitments, support, progress, acceptance and fulfilment. Forms come from the declared fields
(fields.py); every write is an operation (operations.py), refused with the input kept."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from core.deadlines import rule_by_key, status_now
from core.deadlines.models import Deadline
from core.documents.models import IssuedDocument
from core.extensions import db
from core.fields import RecordFields
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, can, current_scope, readable_case_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import available_transitions, get_workflow
from plugins.operations.agreements.fields import AGREEMENT, COMMITMENT, GOAL, SUPPORT
from plugins.operations.agreements.models import COUNTERPART, Agreement, AgreementCommitment
from plugins.operations.agreements.operations import TERM_STATES

bp = Blueprint("operations_agreements", __name__, url_prefix="/operaciones/convenios")
#: The sub-area's entry on the root page /operaciones/ (label, endpoint, description).
AREA = (
    _l("Management agreements"),
    "operations_agreements.index",
    _l("Convenios de Gestión with the municipalities and inter-institutional agreements."),
)


def _agreement(agreement_id: int, action: str = "read") -> Agreement:
    try:
        return load_or_404(Agreement, agreement_id, action=action)
    except Refusal as refusal:
        abort(refusal.status)


def _regions() -> list[Government]:
    """The regional governments where the user writes (where a convenio may be drafted)."""
    scope = current_scope()
    ids = writable_government_ids(scope)
    if not ids:
        return []
    found = db.session.scalars(select(Government).where(Government.id.in_(ids)).order_by(Government.name))
    return [g for g in found if can(scope, "operations.agreements.create", g)]


def _municipalities(regions: list[Government]) -> list[Government]:
    if not regions:
        return []
    query = select(Government).where(Government.region_id.in_([r.id for r in regions]), Government.kind != "regional")
    return list(db.session.scalars(query.order_by(Government.kind.desc(), Government.name)))


@bp.route("/")
@login_required
def index() -> str:
    query = select(Agreement).where(readable_case_clause(current_scope())).order_by(Agreement.id.desc())
    page = paginate(query, Agreement.id)
    workflow = get_workflow("agreement")
    return render_template("operations/agreements/index.html", page=page, workflow=workflow, regions=_regions())


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
def new() -> Any:
    regions = _regions()
    if not regions:
        abort(403)
    form = AGREEMENT.form_class(FlaskForm, versioned=False)()
    status = 200
    if form.validate_on_submit():
        values = {name: form[name].data for name in AGREEMENT.input_names}
        values |= {
            "government_id": request.form.get("government_id", ""),
            "counterparts": request.form.getlist("counterparts"),
        }
        agreement, status = form_run("operations.agreement.create", current_user, values, form)
        if agreement is not None:
            flash(_("Agreement drafted."), "success")
            return redirect(url_for("operations_agreements.detail", agreement_id=agreement.id), 303)
    elif request.method == "POST":
        status = 400
    chosen = set(request.form.getlist("counterparts"))
    return render_template(
        "operations/agreements/new.html",
        form=form,
        regions=regions,
        municipalities=_municipalities(regions),
        chosen=chosen,
    ), status


@bp.route("/<int:agreement_id>")
@login_required
def detail(agreement_id: int) -> str:
    agreement = _agreement(agreement_id)
    scope = current_scope()
    rule = rule_by_key("operations.agreement_commitment")
    deadlines = {}
    if rule is not None:
        rows = db.session.scalars(select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == agreement.id))
        deadlines = {d.period: status_now(d) for d in rows}
    accept_roles = set(get_workflow(agreement.workflow_id).transitions["accept"].roles)
    may_accept = agreement.state == "negotiation" and any(
        accept_roles & scope.roles_by_government.get(g.id, frozenset()) for g in agreement.pending_counterparts
    )
    documents = db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.case_id == agreement.id).order_by(IssuedDocument.id)
    ).all()
    return render_template(
        "operations/agreements/detail.html",
        agreement=agreement,
        documents=documents,
        workflow=get_workflow(agreement.workflow_id),
        transitions=[(t, reasons) for t, reasons in available_transitions(agreement, scope) if t.key != "accept"],
        deadlines=deadlines,
        can_edit=agreement.state in TERM_STATES and can(scope, "operations.agreements.edit", agreement),
        may_accept=may_accept,
        can_report=agreement.state == "execution" and can(scope, "operations.agreements.report", agreement),
        party_write=can(scope, "case.party_write", (agreement, COUNTERPART)),
        can_write=can(scope, EDIT, agreement.government),
    )


def _record_page(agreement: Agreement, fields: RecordFields, operation: str, title: Any, edit: bool = False) -> Any:
    """Edit the agreement, or add a goal, commitment or support measure: the form generated from the declared
    fields, the write by the operation; a refusal re-renders the form with the input kept."""
    if not can(current_scope(), "operations.agreements.edit", agreement):
        abort(403)
    data = None
    if request.method == "GET":
        data = (fields.form_data(agreement) if edit else {}) | {"version": agreement.version}
    form = fields.form_class(FlaskForm)(data=data)
    status = 200
    if form.validate_on_submit():
        # An edit changes the fields the browser sent (a form always sends them all; a select left
        # untouched by a script is not cleared).
        sent = [name for name in fields.input_names if not edit or name in request.form]
        values = {name: form[name].data for name in sent} | {
            "version": form.version.data,
            "agreement_id": agreement.id,
        }
        if fields is COMMITMENT:
            values["party"] = request.form.get("party", "region")
        result, status = form_run(operation, current_user, values, form)
        if result is not None:
            flash(_("Changes saved."), "success")
            return redirect(url_for("operations_agreements.detail", agreement_id=agreement.id), 303)
    elif request.method == "POST":
        status = 400
    parties = []
    if fields is COMMITMENT:
        parties = [("region", agreement.government.name)]
        parties += [(str(g.id), g.name) for g in agreement.counterparts]
        if agreement.external_name:
            parties.append(("external", agreement.external_name))
    return render_template(
        "operations/agreements/record_form.html", form=form, agreement=agreement, title=title, parties=parties
    ), status


@bp.route("/<int:agreement_id>/editar", methods=["GET", "POST"])
@login_required
def edit(agreement_id: int) -> Any:
    agreement = _agreement(agreement_id, EDIT)
    return _record_page(agreement, AGREEMENT, "operations.agreement.edit", _("Edit the agreement"), edit=True)


@bp.route("/<int:agreement_id>/metas/nueva", methods=["GET", "POST"])
@login_required
def goal_new(agreement_id: int) -> Any:
    agreement = _agreement(agreement_id, EDIT)
    return _record_page(agreement, GOAL, "operations.agreement.goal.add", _("Add a goal"))


@bp.route("/<int:agreement_id>/compromisos/nuevo", methods=["GET", "POST"])
@login_required
def commitment_new(agreement_id: int) -> Any:
    agreement = _agreement(agreement_id, EDIT)
    return _record_page(agreement, COMMITMENT, "operations.agreement.commitment.add", _("Add a commitment"))


@bp.route("/<int:agreement_id>/apoyos/nuevo", methods=["GET", "POST"])
@login_required
def support_new(agreement_id: int) -> Any:
    agreement = _agreement(agreement_id, EDIT)
    return _record_page(agreement, SUPPORT, "operations.agreement.support.add", _("Add a support measure"))


def _back(agreement_id: int) -> Response:
    return redirect(url_for("operations_agreements.detail", agreement_id=agreement_id), 303)


@bp.route("/<int:agreement_id>/aceptar", methods=["POST"])
@login_required
def accept(agreement_id: int) -> Response:
    agreement = _agreement(agreement_id)
    result, _status = form_run(
        "operations.agreement.accept",
        current_user,
        {"agreement_id": agreement.id, "version": request.form.get("version")},
    )
    if result is not None:
        flash(_("Agreement accepted on your side."), "success")
    return _back(agreement.id)


@bp.route("/<int:agreement_id>/avances", methods=["POST"])
@login_required
def report(agreement_id: int) -> Response:
    agreement = _agreement(agreement_id)
    values = {key[6:]: value for key, value in request.form.items() if key.startswith("value_") and value}
    data = {"agreement_id": agreement.id, "period": request.form.get("period", ""), "values": values}
    if request.form.get("summary"):
        data["summary"] = request.form["summary"]
    result, _status = form_run("operations.agreement.report.add", current_user, data)
    if result is not None:
        flash(_("Progress report filed."), "success")
    return _back(agreement.id)


@bp.route("/compromisos/<int:commitment_id>/cumplido", methods=["POST"])
@login_required
def fulfil(commitment_id: int) -> Response:
    try:
        commitment = load_or_404(AgreementCommitment, commitment_id, government=lambda c: c.agreement.government)
    except Refusal as refusal:
        abort(refusal.status)
    data = {"commitment_id": commitment.id, "fulfilled_on": request.form.get("fulfilled_on", "")}
    result, _status = form_run("operations.agreement.commitment.fulfil", current_user, data)
    if result is not None:
        flash(_("Commitment recorded as fulfilled."), "success")
    return _back(commitment.agreement_id)


@bp.route("/compromisos/<int:commitment_id>/evidencia", methods=["POST"])
@login_required
def evidence(commitment_id: int) -> Response:
    try:
        commitment = load_or_404(AgreementCommitment, commitment_id, government=lambda c: c.agreement.government)
    except Refusal as refusal:
        abort(refusal.status)
    data = {
        "commitment_id": commitment.id,
        "upload": request.files.get("file"),
        "description": request.form.get("description", ""),
    }
    result, _status = form_run("operations.agreement.commitment.evidence", current_user, data)
    if result is not None:
        flash(_("Evidence filed."), "success")
    return _back(commitment.agreement_id)
