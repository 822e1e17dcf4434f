"""Pages of the social-investment portfolio under /operaciones/inversion/: the list, a project (its phases,
funding and progress, each with its form), registration and edit, and the portfolio report (PDF, XLSX).
Every write calls an operation through ``form_run``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.documents import DocumentError
from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import Government
from core.operations import Refusal, check_scope, form_run, load_or_404
from core.security import READ, can, current_scope, readable_clause, writable_government_ids
from plugins.diagnosis.models import Plan, PlanActivity, PlanResult
from plugins.operations.budget.sources import source_name
from plugins.operations.investment.fields import (
    CATEGORY_LABELS,
    FUNDING,
    PHASE_CHANGE,
    PHASE_LABELS,
    PROGRESS,
    PROJECT,
)
from plugins.operations.investment.models import InvestmentProject
from plugins.operations.investment.operations import EDIT_ACTION
from plugins.operations.investment.report import KEY as REPORT_KEY
from plugins.operations.investment.report import XLSX_MIME, portfolio_pdf, portfolio_xlsx

bp = Blueprint("investment", __name__, url_prefix="/operaciones/inversion")

ProjectForm = PROJECT.form_class(FlaskForm, versioned=False, exclude=("phase",))
PhaseForm = PHASE_CHANGE.form_class(FlaskForm, versioned=False)
FundingForm = FUNDING.form_class(FlaskForm, versioned=False)
ProgressForm = PROGRESS.form_class(FlaskForm, versioned=False)


def _project_form(*args: Any, **kwargs: Any) -> FlaskForm:
    form = ProjectForm(*args, **kwargs)
    ids = writable_government_ids(current_scope())
    query = select(Government).order_by(Government.name)
    if not current_scope().is_admin:
        query = query.where(Government.id.in_(ids))
    form.government_id.choices = [(g.id, g.name) for g in db.session.scalars(query.limit(2000))]
    form.activity_id.choices = [("", "—"), *_activity_choices([g for g, _name in form.government_id.choices])]
    return form


def _activity_choices(government_ids: list[int]) -> list[tuple[int, str]]:
    """The activities of the plans of these governments, as «PA-001-2008-GRH · 1.2 name» (one statement)."""
    rows = db.session.execute(
        select(PlanActivity.id, PlanActivity.name, PlanResult.position, PlanActivity.position, Plan.reference)
        .join(PlanResult, PlanResult.id == PlanActivity.result_id)
        .join(Plan, Plan.id == PlanResult.plan_id)
        .where(Plan.government_id.in_(government_ids))
        .order_by(Plan.id.desc(), PlanResult.position, PlanActivity.position)
        .limit(1000)
    )
    return [(i, f"{ref} · {r}.{a} {name}") for i, name, r, a, ref in rows]


def _data(form: FlaskForm, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: form[name].raw_data[0] if form[name].raw_data else None for name in names if name in form}


def _project(project_id: int, action: str = READ) -> InvestmentProject:
    try:
        return load_or_404(InvestmentProject, project_id, action=action)
    except Refusal as refusal:
        abort(refusal.status)


def _form_page(form: FlaskForm, project: InvestmentProject | None) -> str:
    return render_template("operations/investment/form.html", form=form, project=project, phase_labels=PHASE_LABELS)


@bp.get("/")
@login_required
def index() -> str:
    """Projects in the user's scope, by government; a government filter for the report links."""
    scope = current_scope()
    query = (
        select(InvestmentProject)
        .where(readable_clause(scope, InvestmentProject.government_id))
        .options(joinedload(InvestmentProject.government))
        .order_by(InvestmentProject.government_id, InvestmentProject.code)
    )
    government_id = request.args.get("government", type=int)
    if government_id:
        query = query.where(InvestmentProject.government_id == government_id)
    projects = db.session.scalars(query.limit(500)).all()
    governments = sorted({p.government for p in projects}, key=lambda g: g.name)
    issued: dict[int, IssuedDocument] = {}
    if governments:
        rows = db.session.scalars(
            select(IssuedDocument)
            .where(
                IssuedDocument.template_key == REPORT_KEY,
                IssuedDocument.case_id.is_(None),
                IssuedDocument.government_id.in_([g.id for g in governments]),
            )
            .order_by(IssuedDocument.id)
        )
        issued = {d.government_id: d for d in rows}  # the newest of each government
    return render_template(
        "operations/investment/index.html",
        projects=projects,
        governments=governments,
        issued=issued,
        may_issue={g.id for g in governments if can(scope, EDIT_ACTION, g)},
        phase_labels=PHASE_LABELS,
        category_labels=CATEGORY_LABELS,
        may_create=bool(writable_government_ids(scope)) or scope.is_admin,
    )


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
def create() -> Any:
    form = _project_form()
    if form.validate_on_submit():
        data = _data(form, PROJECT.input_names)
        data["registered_on"] = request.form.get("registered_on") or None
        data["phase"] = request.form.get("phase") or None
        project, status = form_run("operations.investment.project.create", current_user, data, form)
        if project is not None:
            flash(_("Project registered."), "success")
            return redirect(url_for("investment.detail", project_id=project.id))
        return _form_page(form, None), status
    return _form_page(form, None), 400 if form.errors else 200


@bp.route("/<int:project_id>/editar", methods=["GET", "POST"])
@login_required
def edit(project_id: int) -> Any:
    project = _project(project_id, EDIT_ACTION)
    form = _project_form(obj=project)
    if form.validate_on_submit():
        data = _data(form, tuple(n for n in PROJECT.input_names if n not in ("government_id", "phase")))
        data["project_id"] = project.id
        result, status = form_run("operations.investment.project.edit", current_user, data, form)
        if result is not None:
            flash(_("Changes saved."), "success")
            return redirect(url_for("investment.detail", project_id=project.id))
        return _form_page(form, project), status
    return _form_page(form, project)


@bp.get("/<int:project_id>")
@login_required
def detail(project_id: int) -> str:
    project = _project(project_id)
    return render_template(
        "operations/investment/detail.html",
        project=project,
        may_edit=can(current_scope(), EDIT_ACTION, project.government),
        phase_labels=PHASE_LABELS,
        category_labels=CATEGORY_LABELS,
        source_name=source_name,
        phase_form=PhaseForm(),
        funding_form=FundingForm(),
        progress_form=ProgressForm(),
    )


def _child_write(project_id: int, name: str, form_class: type, fields: Any, done: str) -> Any:
    project = _project(project_id, EDIT_ACTION)
    form = form_class()
    if form.validate_on_submit():
        data = {**_data(form, fields.input_names), "project_id": project.id}
        result, _status = form_run(name, current_user, data, form)
        if result is not None:
            flash(done, "success")
    else:
        for field_name, problems in form.errors.items():
            for problem in problems:
                flash(f"{form[field_name].label.text}: {problem}", "error")
    return redirect(url_for("investment.detail", project_id=project.id))


@bp.post("/<int:project_id>/fase")
@login_required
def phase(project_id: int) -> Any:
    return _child_write(project_id, "operations.investment.project.phase", PhaseForm, PHASE_CHANGE, _("Phase changed."))


@bp.post("/<int:project_id>/financiamiento")
@login_required
def funding(project_id: int) -> Any:
    return _child_write(project_id, "operations.investment.funding.set", FundingForm, FUNDING, _("Funding saved."))


@bp.post("/<int:project_id>/avance")
@login_required
def progress(project_id: int) -> Any:
    return _child_write(
        project_id, "operations.investment.progress.record", ProgressForm, PROGRESS, _("Progress recorded.")
    )


def report_government(raw: Any) -> Government:
    """The government of a portfolio report (404 outside the user's scope)."""
    government = db.session.get(Government, raw) if raw else None
    if government is None:
        abort(404)
    try:
        check_scope(current_scope(), READ, government)
    except Refusal as refusal:
        abort(refusal.status)
    return government


@bp.get("/cartera.pdf")
@login_required
def portfolio_report_pdf() -> Response:
    government = report_government(request.args.get("government", type=int))
    try:
        pdf = portfolio_pdf(government)
    except DocumentError as error:
        abort(error.status)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="cartera-{government.ubigeo}.pdf"'},
    )


@bp.post("/cartera/emitir")
@login_required
def portfolio_issue() -> Response:
    """Issue the portfolio report of a government (stored, numbered, verifiable), then download it."""
    government = report_government(request.form.get("government", type=int))
    document, _status = form_run(
        "operations.investment.portfolio.issue", current_user, {"government_id": government.id}
    )
    if document is None:
        return redirect(url_for("investment.index"), 303)
    flash(_("Report issued: %(number)s.", number=document.number), "success")
    return redirect(url_for("documents.download", document_id=document.id), 303)


@bp.get("/cartera.xlsx")
@login_required
def portfolio_report_xlsx() -> Response:
    government = report_government(request.args.get("government", type=int))
    return Response(
        portfolio_xlsx(government),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="cartera-{government.ubigeo}.xlsx"'},
    )
