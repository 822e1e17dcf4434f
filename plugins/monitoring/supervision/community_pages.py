"""Pages of community monitoring under /seguimiento/vigilancia-comunitaria: the organizations and reports
the user reaches, registering an organization, an organization with its reports (and the form for a new
one), a report with its consolidation and the actions it may become (actions.py). Writes are operations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import Government
from core.operations import form_run
from core.security import can, current_scope, readable_clause, writable_government_ids
from plugins.monitoring.supervision.actions import finding_actions
from plugins.monitoring.supervision.community import WRITE_ACTION
from plugins.monitoring.supervision.fields import (
    ORGANIZATION,
    ORGANIZATION_KIND_LABELS,
    REPORT,
    REPORT_STATUS_LABELS,
    checklist_choices,
)
from plugins.monitoring.supervision.models import CommunityOrganization, CommunityReport
from plugins.monitoring.supervision.pages import load

bp = Blueprint("monitoring_community", __name__, url_prefix="/seguimiento/vigilancia-comunitaria")

OrganizationForm = ORGANIZATION.form_class(FlaskForm, versioned=False)
ReportForm = REPORT.form_class(FlaskForm, versioned=False, exclude=("organization_id",))


def _municipalities() -> list[tuple[int, str]]:
    scope = current_scope()
    query = select(Government.id, Government.name).where(Government.kind.in_(("provincial", "district")))
    if not scope.is_admin:
        query = query.where(Government.id.in_(writable_government_ids(scope)))
    return [(row.id, row.name) for row in db.session.execute(query.order_by(Government.name).limit(2000))]


@bp.get("/")
@login_required
def index() -> str:
    scope = current_scope()
    organizations = db.session.scalars(
        select(CommunityOrganization)
        .where(readable_clause(scope, CommunityOrganization.government_id))
        .options(joinedload(CommunityOrganization.government))
        .order_by(CommunityOrganization.government_id, CommunityOrganization.name)
        .limit(500)
    ).all()
    reports = db.session.scalars(
        select(CommunityReport)
        .where(readable_clause(scope, CommunityReport.government_id))
        .options(joinedload(CommunityReport.organization))
        .order_by(CommunityReport.report_date.desc(), CommunityReport.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "monitoring/supervision/community_index.html",
        organizations=organizations,
        reports=reports,
        kind_labels=ORGANIZATION_KIND_LABELS,
        status_labels=REPORT_STATUS_LABELS,
        may_register=bool(_municipalities()),
    )


@bp.route("/organizaciones/nueva", methods=["GET", "POST"])
@login_required
def organization_new() -> Any:
    scope = current_scope()
    if not (writable_government_ids(scope) or scope.is_admin):
        abort(403)
    form = OrganizationForm()
    form.government_id.choices = _municipalities()  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in ORGANIZATION.input_names if name in request.form}
        organization, status = form_run("monitoring.supervision.organization.register", current_user, data, form)
        if organization is not None:
            flash(_("Community organization registered."), "success")
            return redirect(url_for("monitoring_community.organization", organization_id=organization.id), 303)
    return render_template("monitoring/supervision/organization_new.html", form=form), status


def _organization_page(organization: CommunityOrganization, form: FlaskForm | None = None) -> str:
    return render_template(
        "monitoring/supervision/organization.html",
        organization=organization,
        form=form or ReportForm(formdata=None),
        kind_labels=ORGANIZATION_KIND_LABELS,
        status_labels=REPORT_STATUS_LABELS,
        can_write=can(current_scope(), WRITE_ACTION, organization.government),
    )


@bp.get("/organizaciones/<int:organization_id>")
@login_required
def organization(organization_id: int) -> str:
    return _organization_page(load(CommunityOrganization, organization_id))


@bp.post("/organizaciones/<int:organization_id>/reportes")
@login_required
def report_submit(organization_id: int) -> Any:
    organization = load(CommunityOrganization, organization_id, action=WRITE_ACTION)
    form = ReportForm()
    data = {name: request.form[name] for name in REPORT.input_names if name in request.form}
    data["organization_id"] = organization.id
    report, status = form_run("monitoring.supervision.community_report.submit", current_user, data, form)
    if report is not None:
        flash(_("Report recorded."), "success")
        return redirect(url_for("monitoring_community.report", report_id=report.id), 303)
    return _organization_page(load(CommunityOrganization, organization_id), form), status


def _action_forms() -> dict[str, Any]:
    forms = {}
    for key, action in finding_actions().items():
        form = action.fields.form_class(FlaskForm, versioned=False)(formdata=None, prefix=key)
        if "checklist_id" in form:
            form.checklist_id.choices = checklist_choices()
        forms[key] = (action, form)
    return forms


@bp.get("/reportes/<int:report_id>")
@login_required
def report(report_id: int) -> str:
    item = load(CommunityReport, report_id)
    return render_template(
        "monitoring/supervision/community_report.html",
        report=item,
        actions=_action_forms(),
        status_labels=REPORT_STATUS_LABELS,
        can_write=can(current_scope(), WRITE_ACTION, item.organization.government),
    )


@bp.post("/reportes/<int:report_id>/consolidar")
@login_required
def consolidate(report_id: int) -> Any:
    item = load(CommunityReport, report_id, action=WRITE_ACTION)
    data = {"report_id": item.id, "note": request.form.get("note", "")}
    form_run("monitoring.supervision.community_report.consolidate", current_user, data)
    return redirect(url_for("monitoring_community.report", report_id=report_id), 303)


@bp.post("/reportes/<int:report_id>/acciones/<key>")
@login_required
def act(report_id: int, key: str) -> Any:
    item = load(CommunityReport, report_id, action=WRITE_ACTION)
    action = finding_actions().get(key) or abort(404)
    prefix = f"{key}-"
    data = {name: request.form[prefix + name] for name in action.fields.input_names if prefix + name in request.form}
    result, _status = form_run(
        "monitoring.supervision.community_report.act", current_user, {**data, "report_id": item.id, "action": key}
    )
    if result is not None:
        flash(_("The report was turned into: %(what)s.", what=result.action_label), "success")
    return redirect(url_for("monitoring_community.report", report_id=report_id), 303)
