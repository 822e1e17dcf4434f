"""Pages of the agreements under /operaciones/convenios/: list, new, detail (parties, goals, commitments
with their deadline status, support, progress) with the workflow's buttons; writes go to the operations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from core.deadlines import rule_by_key, status_now
from core.extensions import db
from core.models import Government
from core.models.deadlines import Deadline
from core.operations import Refusal, form_run, load_or_404
from core.security import can, current_scope, readable_case_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import available_transitions, get_workflow
from plugins.operations.agreements.models import Agreement

bp = Blueprint("operations_agreements", __name__, url_prefix="/operaciones/convenios")
#: The sub-area's entry on the root page /operaciones/ (label, endpoint, description).
AREA = (
    _l("Management agreements"),
    "operations_agreements.index",
    _l("Convenios de Gestión with the municipalities and inter-institutional agreements."),
)


def _agreement(agreement_id: int) -> Agreement:
    try:
        return load_or_404(Agreement, agreement_id)
    except Refusal as refusal:
        abort(refusal.status)


@bp.route("/")
@login_required
def index() -> str:
    query = select(Agreement).where(readable_case_clause(current_scope())).order_by(Agreement.id.desc())
    page = paginate(query, Agreement.id)
    return render_template(
        "operations/agreements/index.html", page=page, workflow=get_workflow("agreement"), regions=_regions()
    )


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if request.method == "POST":
        data = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
        data["counterparts"] = request.form.getlist("counterparts")
        agreement, status = form_run("operations.agreement.create", current_user, data)
        if agreement is not None:
            flash(_("Changes saved."), "success")
            return redirect(url_for("operations_agreements.detail", agreement_id=agreement.id), 303)
        return render_template("operations/agreements/new.html", data=request.form, regions=_regions()), status
    return render_template("operations/agreements/new.html", data={}, regions=_regions())


def _regions() -> list[Government]:
    scope = current_scope()
    return [g for g in (db.session.get(Government, i) for i in writable_government_ids(scope)) if g.kind == "regional"]


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
    return render_template(
        "operations/agreements/detail.html",
        agreement=agreement,
        workflow=get_workflow(agreement.workflow_id),
        transitions=available_transitions(agreement, scope) if not scope.read_only or scope.is_admin else [],
        deadlines=deadlines,
        can_report=agreement.state == "execution" and _can_report(agreement),
    )


def _can_report(agreement: Agreement) -> bool:
    return can(current_scope(), "operations.agreements.report", agreement)


@bp.route("/<int:agreement_id>/avances", methods=["POST"])
@login_required
def report(agreement_id: int) -> Any:
    agreement = _agreement(agreement_id)
    values = {key[6:]: value for key, value in request.form.items() if key.startswith("value_") and value}
    data = {"agreement_id": agreement.id, "period": request.form.get("period", ""), "values": values}
    if request.form.get("summary"):
        data["summary"] = request.form["summary"]
    result, _status = form_run("operations.agreement.report.add", current_user, data)
    if result is not None:
        flash(_("Changes saved."), "success")
    return redirect(url_for("operations_agreements.detail", agreement_id=agreement.id), 303)
