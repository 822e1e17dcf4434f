"""Submission pages: sent, received, national overview (and its export), send, detail; the cycle panel."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from core.deadlines.generation import binds
from core.deadlines.models import DeadlineRule
from core.deadlines.scopes import within_scope
from core.deadlines.settings import lima_today
from core.extensions import db
from core.models import Government
from core.models.submissions import Submission
from core.panels import Panel, register_cycle_panel
from core.security import EDIT, can, current_scope, ensure, readable_clause, writable_government_ids
from core.submissions.overview import OVERVIEW_STATUSES, national_overview, overview_counts
from core.submissions.service import (
    SubmissionError,
    acknowledge,
    load_submission,
    may_receive,
    missing_documents,
    recipient_of,
    sent_in,
    submit,
    submittable_documents,
    visible_clause,
)
from core.web.pagination import paginate

bp = Blueprint("submissions", __name__, url_prefix="/envios")

#: The one vocabulary of the 30 June overview (core.submissions.OVERVIEW_STATUSES), used by the
#: Envíos page, the Plazos page, the exports and the API.
STATUS_LABELS = {
    "on_time": _l("On time"),
    "late": _l("Sent late"),
    "overdue": _l("Not sent (overdue)"),
    "not_sent": _l("Not sent"),
}


@bp.app_context_processor
def _overview_helpers() -> dict[str, Any]:
    return {"overview_status_labels": STATUS_LABELS, "overview_statuses": OVERVIEW_STATUSES}


def _year_arg() -> int:
    value = request.args.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else lima_today().year


@bp.route("/")
@login_required
def index():
    scope = current_scope()
    view = request.args.get("view", "sent")
    year = _year_arg()
    overview = None
    counts = None
    query = (
        select(Submission)
        .where(visible_clause(scope), Submission.year == year)
        .options(joinedload(Submission.government), joinedload(Submission.recipient_government))
        .order_by(Submission.submitted_at.desc())
    )
    if view == "received":
        mine = list(scope.direct)
        received = Submission.recipient_government_id.in_(mine)
        if "national" in scope.global_roles or scope.is_admin:
            received = or_(received, Submission.recipient_government_id.is_(None))
        query = query.where(received)
    elif view == "national":
        if not scope.everything:
            abort(403)
        overview = national_overview(year)
        counts = overview_counts(overview)
    else:
        view = "sent"
        query = query.where(readable_clause(scope, Submission.government_id))
    page = paginate(query, Submission.id) if overview is None else None
    senders = (
        []
        if scope.read_only
        else db.session.scalars(
            select(Government).where(Government.id.in_(writable_government_ids(scope))).order_by(Government.name)
        ).all()
    )
    return render_template(
        "submissions/index.html",
        view=view,
        year=year,
        page=page,
        overview=overview,
        senders=senders,
        counts=counts,
    )


class SubmitForm(FlaskForm):
    year = IntegerField(
        _l("Year of the cycle"),
        validators=[Optional(), NumberRange(2000, 2100, _l("Enter a year between 2000 and 2100."))],
        description=_l("Empty: the year of the chosen documents' cycle."),
    )
    rule = SelectField(_l("Deadline it meets"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


def _rules_for(government: Government) -> list[tuple[str, str]]:
    rules = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.active.is_(True), DeadlineRule.kind.in_(("fixed_yearly", "quarterly")))
    )
    return [(r.key, r.label) for r in rules if binds(r.level, government.kind) and within_scope(r.key, [government.id])]


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
def create():
    government = db.session.get(Government, request.args.get("government", type=int) or 0)
    if government is None:
        abort(404)
    ensure(EDIT, government)
    # The year defaults to the documents' own year (core.submissions.submit), not today's: a
    # 2008 plan sent in 2026 belongs to the 2008 cycle. A link from a cycle page names its year.
    asked = request.args.get("year", "")
    form = SubmitForm(data={"year": int(asked) if asked.isdigit() else None} if request.method == "GET" else None)
    form.rule.choices = [("", _("None"))] + _rules_for(government)
    if request.method == "GET" and government.kind == "regional":
        form.rule.data = "core.regional_submission"
    documents = submittable_documents(government)
    status = 200
    if form.validate_on_submit():
        try:
            submission = submit(
                government,
                request.form.getlist("documents"),
                current_user,
                current_scope(),
                form.year.data or None,
                rule_key=form.rule.data or None,
                note=form.note.data,
            )
            db.session.commit()
        except SubmissionError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = error.status
        else:
            flash(_("Sent. Receipt number: %(number)s.", number=submission.receipt_number), "success")
            if getattr(submission, "missing", None):
                flash(
                    _(
                        "The 30 June rule is not met yet: still to be sent: %(missing)s.",
                        missing="; ".join(submission.missing),
                    ),
                    "warning",
                )
            return redirect(url_for("submissions.detail", submission_id=submission.id))
    elif request.method == "POST":
        status = 400
    chosen = {int(i) for i in request.form.getlist("documents") if i.isdigit()}
    return render_template(
        "submissions/new.html",
        form=form,
        government=government,
        documents=documents,
        already_sent=sent_in(government, [d.id for d in documents]),
        chosen=chosen,
        recipient=recipient_of(government),
    ), status


@bp.route("/resumen-nacional.<fmt>")
@login_required
def overview_export(fmt: str):
    """The national overview of a year as CSV or XLSX: the same rows and labels as the pages."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    if not current_scope().everything:
        abort(403)
    year = _year_arg()
    rows = national_overview(year)
    header = [_("Regional government"), _("Status"), _("Due"), _("Met on"), _("Receipt"), _("Still to be sent")]
    table = [
        [
            row.government.name,
            str(STATUS_LABELS[row.status]),
            row.due_date.isoformat() if row.due_date else "",
            row.met_on.isoformat() if row.met_on else "",
            row.submission.receipt_number if row.submission else "",
            "; ".join(row.missing or []),
        ]
        for row in rows
    ]
    name = f"resumen-envios-{year}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(table)
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens the accents right
        mimetype = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = _("Submissions %(year)s", year=year)
        sheet.append(header)
        for line in table:
            sheet.append(line)
        sheet.append([])
        for status in OVERVIEW_STATUSES:
            sheet.append([str(STATUS_LABELS[status]), sum(1 for row in rows if row.status == status)])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:submission_id>")
@login_required
def detail(submission_id: int):
    scope = current_scope()
    submission = load_submission(submission_id, scope)
    if submission is None:
        abort(404)
    return render_template(
        "submissions/detail.html",
        submission=submission,
        can_acknowledge=may_receive(scope, submission) and submission.received_at is None,
    )


@bp.route("/<int:submission_id>/recibido", methods=["POST"])
@login_required
def receive(submission_id: int):
    scope = current_scope()
    submission = load_submission(submission_id, scope)
    if submission is None:
        abort(404)
    try:
        acknowledge(submission, current_user, scope)
        db.session.commit()
    except SubmissionError as error:
        db.session.rollback()
        abort(error.status)
    flash(_("Receipt recorded."), "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id))


def cycle_panel_context(government: Government, year: int, scope: Any, **_: Any) -> dict[str, Any]:
    rows = db.session.scalars(
        select(Submission)
        .where(Submission.government_id == government.id, Submission.year == year)
        .order_by(Submission.submitted_at.desc())
    ).all()

    return {
        "rows": rows,
        "government": government,
        "year": year,
        "can_send": can(scope, EDIT, government),
        "recipient": recipient_of(government),
        # what the 30 June rule still asks for (regional governments, SP 8)
        "missing": missing_documents(government, year) if government.kind == "regional" else [],
    }


def register_panels() -> None:
    register_cycle_panel(Panel("submissions", "submissions/_cycle_panel.html", cycle_panel_context, order=20))
