"""Pages of the results-based budget under /operaciones/presupuesto/: the plans in scope, a plan's budget page
(its alignment check, lines entered by form or imported from CSV/XLSX), the alignment report (PDF, XLSX)
and the threshold setting (administrators). Every write calls an operation through ``form_run``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.documents import DOCUMENTS, DocumentError
from core.documents.models import IssuedDocument
from core.extensions import db
from core.operations import Refusal, form_run, load_or_404, run
from core.security import READ, can, current_scope, readable_clause
from plugins.diagnosis.matrix import load_plan
from plugins.diagnosis.models import Plan
from plugins.operations.budget.alignment import alignment, min_share
from plugins.operations.budget.fields import BUDGET_LINE, THRESHOLD
from plugins.operations.budget.operations import CONFIGURE_ACTION, EDIT_ACTION
from plugins.operations.budget.report import KEY as REPORT_KEY
from plugins.operations.budget.report import XLSX_MIME, alignment_pdf, alignment_xlsx

bp = Blueprint("budget", __name__, url_prefix="/operaciones/presupuesto")
LineForm = BUDGET_LINE.form_class(FlaskForm, versioned=False)
ThresholdForm = THRESHOLD.form_class(FlaskForm, versioned=False, exclude=("government_id",))


def _plan(case_id: int, action: str = READ) -> Plan:
    try:
        return load_or_404(Plan, case_id, action=action)
    except Refusal as refusal:
        abort(refusal.status)


@bp.get("/")
@login_required
def index() -> str:
    plans = db.session.scalars(
        select(Plan)
        .where(readable_clause(current_scope(), Plan.government_id))
        .options(joinedload(Plan.government))
        .order_by(Plan.year.desc(), Plan.id.desc())
        .limit(300)
    ).all()
    return render_template("operations/budget/index.html", plans=plans)


def _line_form(plan_id: int, data: Any = None) -> FlaskForm:
    form = LineForm(data) if data is not None else LineForm()

    plan = load_plan(plan_id)
    form.activity_id.choices = [
        (a.id, f"{n}.{m} {a.name}")
        for n, r in enumerate(plan.results, start=1)
        for m, a in enumerate(r.activities, start=1)
    ]
    return form


@bp.get("/planes/<int:case_id>")
@login_required
def plan(case_id: int, form: FlaskForm | None = None, report: Any = None, status: int = 200) -> Any:
    """The plan's budget page: the alignment check per result and program, and the forms to enter lines."""
    plan = _plan(case_id)
    return (
        render_template(
            "operations/budget/plan.html",
            plan=plan,
            data=alignment(plan.id),
            form=form or _line_form(plan.id),
            may_edit=can(current_scope(), EDIT_ACTION, plan.government),
            report=report,
            issued=db.session.scalars(
                select(IssuedDocument)
                .where(IssuedDocument.case_id == plan.id, IssuedDocument.template_key == REPORT_KEY)
                .order_by(IssuedDocument.id.desc())
            ).all(),
            may_issue=can(current_scope(), "document.issue", (plan, DOCUMENTS[REPORT_KEY])),
        ),
        status,
    )


@bp.post("/planes/<int:case_id>/lineas")
@login_required
def add_line(case_id: int) -> Any:
    plan_record = _plan(case_id, EDIT_ACTION)
    form = _line_form(plan_record.id, request.form)
    if form.validate():
        data = {n: form[n].raw_data[0] if form[n].raw_data else None for n in BUDGET_LINE.input_names}
        result, status = form_run("operations.budget.line.set", current_user, {**data, "plan_id": plan_record.id}, form)
        if result is not None:
            flash(_("Budget line saved."), "success")
            return redirect(url_for("budget.plan", case_id=plan_record.id))
        return plan(case_id, form=form, status=status)
    return plan(case_id, form=form, status=400)


@bp.post("/planes/<int:case_id>/importar")
@login_required
def import_file(case_id: int) -> Any:
    plan_record = _plan(case_id, EDIT_ACTION)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("budget.plan", case_id=plan_record.id))
    data = {"plan_id": plan_record.id, "filename": upload.filename, "content": upload.read()}
    try:
        report = run("operations.budget.import", current_user, data)
    except Refusal as refusal:
        if refusal.status in (403, 404):
            abort(refusal.status)
        flash(refusal.message, "error")
        return plan(case_id, report=refusal.errors.get("file", []), status=400)
    flash(_("Imported: %(rows)s rows read, %(saved)s lines changed.", rows=report.rows, saved=report.saved), "success")
    return redirect(url_for("budget.plan", case_id=plan_record.id))


@bp.get("/planes/<int:case_id>/alineamiento.pdf")
@login_required
def report_pdf(case_id: int) -> Response:
    plan_record = _plan(case_id)
    try:
        pdf = alignment_pdf(alignment(plan_record.id))
    except DocumentError as error:
        abort(error.status)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="alineamiento-{plan_record.id}.pdf"'},
    )


@bp.get("/planes/<int:case_id>/alineamiento.xlsx")
@login_required
def report_xlsx(case_id: int) -> Response:
    plan_record = _plan(case_id)
    return Response(
        alignment_xlsx(alignment(plan_record.id)),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="alineamiento-{plan_record.id}.xlsx"'},
    )


@bp.route("/umbral", methods=["GET", "POST"])
@login_required
def threshold() -> Any:
    """The national minimum share (administrators only)."""
    if not can(current_scope(), CONFIGURE_ACTION, None):
        abort(403)
    form = ThresholdForm()
    if form.validate_on_submit():
        result, status = form_run(
            "operations.budget.threshold.set", current_user, {"share": form.share.raw_data[0]}, form
        )
        if result is not None:
            flash(_("Threshold saved."), "success")
            return redirect(url_for("budget.threshold"))
        return render_template("operations/budget/threshold.html", form=form, current=min_share(None)), status
    return render_template("operations/budget/threshold.html", form=form, current=min_share(None))
