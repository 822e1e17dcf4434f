"""Pages of quality supervision under /seguimiento/supervision: the visits (list, new, a visit with its
answers, findings and commitments), the fichas (list, one, the blank PDF) and the consolidated report of
a period. Transitions (closing issues the filled ficha) are the engine's case page (/expedientes/<id>).
Every write is an operation (form_run)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.deadlines import lima_today
from core.documents import DocumentError
from core.extensions import db
from core.models import Government
from core.operations import Refusal, check_scope, form_run, load_or_404
from core.security import EDIT, READ, can, current_scope, readable_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.monitoring.supervision.documents import (
    Period,
    blank_factsheet_pdf,
    consolidated_report_pdf,
    report_context,
)
from plugins.monitoring.supervision.fields import (
    COMMITMENT_STATUS_LABELS,
    FINDING,
    SERVICE_KIND_LABELS,
    VISIT,
    VISIT_EDIT,
    checklist_choices,
)
from plugins.monitoring.supervision.models import SupervisionChecklist, SupervisionVisit, VisitFinding
from plugins.monitoring.supervision.operations import EDIT_ACTION, FOLLOW_UP_ACTION

bp = Blueprint("monitoring_supervision", __name__, url_prefix="/seguimiento/supervision")

VisitForm = VISIT.form_class(FlaskForm, versioned=False)
FindingForm = FINDING.form_class(FlaskForm)
VisitEditForm = VISIT_EDIT.form_class(FlaskForm)


def load(model: type, record_id: int, **kwargs: Any) -> Any:
    """The record through the scoping layer: 404 out of reach, 403 not allowed (as the page answers)."""
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        abort(refusal.status)


def government_choices(writable: bool = True) -> list[tuple[int, str]]:
    scope = current_scope()
    query = select(Government.id, Government.name).order_by(Government.name)
    if writable and not scope.is_admin:
        query = query.where(Government.id.in_(writable_government_ids(scope)))
    elif not writable:
        query = query.where(readable_clause(scope, Government.id))
    return [(row.id, row.name) for row in db.session.execute(query.limit(2000))]


@bp.get("/")
@login_required
def index() -> str:
    scope = current_scope()
    query = (
        select(SupervisionVisit)
        .where(readable_clause(scope, SupervisionVisit.government_id))
        .options(joinedload(SupervisionVisit.government), joinedload(SupervisionVisit.checklist))
        .order_by(SupervisionVisit.visit_date.desc(), SupervisionVisit.id.desc())
    )
    return render_template(
        "monitoring/supervision/index.html",
        page=paginate(query, SupervisionVisit.id),
        workflow=get_workflow("supervision_visit"),
        creatable=bool(writable_government_ids(scope)) or scope.is_admin,
        governments=government_choices(writable=False)[:200],
        this_year=lima_today().year,
    )


@bp.route("/visitas/nueva", methods=["GET", "POST"])
@login_required
def new() -> Any:
    scope = current_scope()
    if not (writable_government_ids(scope) or scope.is_admin):
        abort(403)
    form = VisitForm()
    form.government_id.choices = government_choices()  # type: ignore[attr-defined]
    form.checklist_id.choices = checklist_choices()  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in VISIT.input_names if name in request.form}
        visit, status = form_run("monitoring.supervision.visit.create", current_user, data, form)
        if visit is not None:
            return redirect(url_for("monitoring_supervision.visit", visit_id=visit.id), 303)
    return render_template("monitoring/supervision/new.html", form=form), status


def _visit_context(
    visit: SupervisionVisit, form: FlaskForm | None = None, edit_form: FlaskForm | None = None
) -> dict[str, Any]:
    scope = current_scope()
    return {
        "visit": visit,
        "edit_form": edit_form or VisitEditForm(formdata=None, data=VISIT_EDIT.form_data(visit)),
        "answers": {a.item_id: a for a in visit.answers},
        "items": [item for item in visit.checklist.items if item.active],
        "form": form or FindingForm(formdata=None),
        "workflow": get_workflow("supervision_visit"),
        "can_edit": can(scope, EDIT_ACTION, visit),
        "can_follow_up": can(scope, FOLLOW_UP_ACTION, visit),
        "status_labels": COMMITMENT_STATUS_LABELS,
        "kind_labels": SERVICE_KIND_LABELS,
        "today": lima_today(),
    }


@bp.get("/visitas/<int:visit_id>")
@login_required
def visit(visit_id: int) -> str:
    return render_template("monitoring/supervision/visit.html", **_visit_context(load(SupervisionVisit, visit_id)))


@bp.post("/visitas/<int:visit_id>/respuestas")
@login_required
def answers(visit_id: int) -> Any:
    visit = load(SupervisionVisit, visit_id, action=EDIT)
    given = {}
    for item in visit.checklist.items:
        points = request.form.get(f"item-{item.id}", "")
        if points != "":
            given[str(item.id)] = {
                "item_id": item.id,
                "points": points,
                "remark": request.form.get(f"remark-{item.id}"),
            }
    data = {"visit_id": visit.id, "version": request.form.get("version"), "answers": list(given.values())}
    _result, status = form_run("monitoring.supervision.visit.answers", current_user, data)
    if status == 200:
        return redirect(url_for("monitoring_supervision.visit", visit_id=visit_id), 303)
    db.session.rollback()
    return render_template(
        "monitoring/supervision/visit.html", **_visit_context(load(SupervisionVisit, visit_id))
    ), status


@bp.post("/visitas/<int:visit_id>/datos")
@login_required
def edit(visit_id: int) -> Any:
    """Correct the visit's date, place and supervisor (operation ``monitoring.supervision.visit.edit``)."""
    visit = load(SupervisionVisit, visit_id, action=EDIT)
    form = VisitEditForm()
    data = {name: request.form[name] for name in VISIT_EDIT.input_names if name in request.form}
    data |= {"visit_id": visit.id, "version": request.form.get("version")}
    _result, status = form_run("monitoring.supervision.visit.edit", current_user, data, form)
    if status == 200:
        return redirect(url_for("monitoring_supervision.visit", visit_id=visit_id), 303)
    db.session.rollback()
    visit = load(SupervisionVisit, visit_id)
    return render_template("monitoring/supervision/visit.html", **_visit_context(visit, edit_form=form)), status


@bp.post("/visitas/<int:visit_id>/hallazgos")
@login_required
def finding_add(visit_id: int) -> Any:
    visit = load(SupervisionVisit, visit_id, action=EDIT)
    form = FindingForm()
    data = {name: request.form.get(name, "") for name in ("finding", "commitment", "responsible", "due_date")}
    data |= {"visit_id": visit.id, "version": request.form.get("version")}
    _result, status = form_run("monitoring.supervision.finding.add", current_user, data, form)
    if status == 200:
        return redirect(url_for("monitoring_supervision.visit", visit_id=visit_id) + "#hallazgos", 303)
    visit = load(SupervisionVisit, visit_id)
    return render_template("monitoring/supervision/visit.html", **_visit_context(visit, form)), status


@bp.post("/hallazgos/<int:finding_id>/seguimiento")
@login_required
def follow_up(finding_id: int) -> Any:
    finding = load(VisitFinding, finding_id, action=EDIT, government=lambda f: f.visit.government)
    data = {"finding_id": finding.id, "status": request.form.get("status", ""), "done_on": request.form.get("done_on")}
    form_run("monitoring.supervision.finding.follow_up", current_user, data)
    return redirect(url_for("monitoring_supervision.visit", visit_id=finding.visit_id) + "#hallazgos", 303)


@bp.get("/fichas")
@login_required
def checklists() -> str:
    rows = db.session.scalars(
        select(SupervisionChecklist)
        .options(selectinload(SupervisionChecklist.items))
        .order_by(SupervisionChecklist.service_kind, SupervisionChecklist.name)
    ).all()
    return render_template(
        "monitoring/supervision/checklists.html",
        checklists=rows,
        kind_labels=SERVICE_KIND_LABELS,
        governments=government_choices(writable=False)[:200],
        writable_governments=government_choices()[:200],
        form=FlaskForm(),
    )


def _government_arg() -> Government:
    """The ``government`` of a document (404 when absent or outside the user's scope)."""
    raw = request.args.get("government", type=int)
    government = db.session.get(Government, raw) if raw else None
    if government is None:
        abort(404)
    try:
        check_scope(current_scope(), READ, government)
    except Refusal as refusal:
        abort(refusal.status)
    return government


@bp.get("/fichas/<int:checklist_id>/ficha.pdf")
@login_required
def blank_pdf(checklist_id: int) -> Response:
    checklist = db.session.get(SupervisionChecklist, checklist_id) or abort(404)
    government = _government_arg()
    try:
        pdf = blank_factsheet_pdf(checklist, government)
    except DocumentError as error:
        abort(error.status)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ficha-{checklist.key}.pdf"'},
    )


def period_arg() -> Period:
    year = request.args.get("year", type=int) or lima_today().year
    quarter = request.args.get("quarter", type=int) or None
    if not 2000 <= year <= lima_today().year or quarter not in (None, 1, 2, 3, 4):
        abort(400, description=_("The period must be a year from 2000 to this year and a quarter 1 to 4."))
    return Period(year, quarter)


@bp.get("/informe")
@login_required
def report() -> str:
    government = _government_arg()
    period = period_arg()
    return render_template(
        "monitoring/supervision/report.html",
        **report_context(government, period),
        can_issue=can(current_scope(), EDIT, government),
        form=FlaskForm(),
    )


@bp.get("/informe.pdf")
@login_required
def report_pdf() -> Response:
    government, period = _government_arg(), period_arg()
    try:
        pdf = consolidated_report_pdf(government, period)
    except DocumentError as error:
        abort(error.status)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="supervision-{government.ubigeo}-{period.code}.pdf"'},
    )


# --- issued (stored, numbered, with a verification code): the operations of supervision/issuing.py -------------


def _issued(name: str, data: dict[str, Any], back: str) -> Response:
    document, _status = form_run(name, current_user, data)  # CSRF is checked app-wide (core.extensions)
    if document is None:
        return redirect(back, 303)
    flash(_("Document issued: %(number)s.", number=document.number), "success")
    return redirect(url_for("documents.download", document_id=document.id), 303)


@bp.post("/fichas/<int:checklist_id>/emitir")
@login_required
def blank_issue(checklist_id: int) -> Response:
    """Issue the blank ficha for a government (its team's): stored with its verification code, then downloaded."""
    data = {"checklist_id": checklist_id, "government_id": request.values.get("government", type=int)}
    return _issued("monitoring.supervision.blank.issue", data, url_for("monitoring_supervision.checklists"))


@bp.post("/informe/emitir")
@login_required
def report_issue() -> Response:
    """Issue the consolidated report of a government and period: stored with its verification code."""
    data = {
        "government_id": request.values.get("government", type=int),
        "year": request.values.get("year"),
        "quarter": request.values.get("quarter"),
    }
    back = url_for("monitoring_supervision.report", **{k: v for k, v in request.values.items() if k != "csrf_token"})
    return _issued("monitoring.supervision.report.issue", data, back)
