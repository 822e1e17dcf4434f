"""Submission pages (sent, received, national overview, send, detail), API endpoints and admin view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from core.admin import ReadOnlyModelView
from core.extensions import db
from core.models import Government
from core.models.deadlines import DeadlineRule
from core.models.submissions import Submission
from core.panels import Panel, register_cycle_panel
from core.references import find_reference, reference_message
from core.security import EDIT, current_scope, ensure, readable_clause, writable_government_ids
from core.submissions import (
    OVERVIEW_STATUSES,
    SubmissionError,
    acknowledge,
    load_submission,
    may_receive,
    national_overview,
    overview_counts,
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
    from core.deadlines import lima_today

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
    from core.deadlines import binds

    rules = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.active.is_(True), DeadlineRule.kind.in_(("fixed_yearly", "quarterly")))
    )
    return [(r.key, r.label) for r in rules if binds(r.level, government.kind)]


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
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(table)
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens the accents right
        mimetype = "text/csv; charset=utf-8"
    else:
        import io

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
    from flask import Response

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
    from core.security import can
    from core.submissions import missing_documents

    return {
        "rows": rows,
        "government": government,
        "year": year,
        "can_send": can(scope, EDIT, government),
        "recipient": recipient_of(government),
        # what the 30 June rule still asks for (regional governments, SP 8)
        "missing": missing_documents(government, year) if government.kind == "regional" else [],
    }


register_cycle_panel(Panel("submissions", "submissions/_cycle_panel.html", cycle_panel_context, order=20))


# --- API ------------------------------------------------------------------------------------------


def submission_json(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.id,
        "receipt_number": submission.receipt_number,
        "government_id": submission.government_id,
        "government": submission.government.name,
        "recipient_government_id": submission.recipient_government_id,
        "recipient": submission.recipient_label,
        "year": submission.year,
        "rule": submission.rule_key,
        "due_date": submission.due_date.isoformat() if submission.due_date else None,
        "submitted_on": submission.submitted_on.isoformat(),
        "submitted_at": submission.submitted_at.isoformat() + "Z",
        "on_time": submission.on_time,
        "received_at": submission.received_at.isoformat() + "Z" if submission.received_at else None,
        "note": submission.note,
        "documents": [
            {
                "id": item.document.id,
                "number": item.document.number,
                "title": item.document.title,
                "sha256": item.document.sha256,
            }
            for item in submission.items
        ],
    }


SUBMISSION_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "receipt_number": {"type": "string"},
        "government_id": {"type": "integer"},
        "recipient_government_id": {"type": ["integer", "null"]},
        "recipient": {"type": "string"},
        "year": {"type": "integer"},
        "rule": {"type": ["string", "null"]},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "submitted_on": {"type": "string", "format": "date"},
        "on_time": {"type": ["boolean", "null"]},
        "received_at": {"type": ["string", "null"]},
        "documents": {"type": "array", "items": {"type": "object"}},
    },
}


def register_api_endpoints(api: Any) -> None:
    from core.api import PAGE_PARAMETERS, bad_request, page_json, page_schema

    api.schemas["Submission"] = SUBMISSION_SCHEMA
    ref = {"$ref": "#/components/schemas/Submission"}

    @api.route(
        "/submissions",
        summary=_l("Submissions made or received by governments in your scope"),
        tag="envíos",
        response=page_schema(ref),
        parameters=[
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {"name": "government", "in": "query", "schema": {"type": "integer"}},
            *PAGE_PARAMETERS,
        ],
    )
    def list_submissions():
        query = (
            select(Submission)
            .where(visible_clause(current_scope()))
            .options(joinedload(Submission.government), joinedload(Submission.recipient_government))
            .order_by(Submission.id.desc())
        )
        for name, column in (("year", Submission.year), ("government", Submission.government_id)):
            value = request.args.get(name)
            if value:
                if not value.isdigit():
                    bad_request(_("«%(name)s» must be an integer.", name=name))
                query = query.where(column == int(value))
        return page_json(paginate(query, Submission.id), submission_json)

    @api.route(
        "/submissions",
        ("POST",),
        summary=_l("Send issued documents to the level above"),
        status=201,
        tag="envíos",
        response=ref,
        request_body={
            "type": "object",
            "required": ["government_id", "document_ids"],
            "properties": {
                "government_id": {"type": "integer"},
                "year": {"type": "integer"},
                "document_ids": {"type": "array", "items": {"type": "integer"}},
                "rule": {"type": "string"},
                "note": {"type": "string"},
            },
        },
    )
    def create_submission():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            bad_request(_("The body must be a JSON object."))
        government = find_reference(Government, data.get("government_id"), scope=current_scope())
        if government is None:
            bad_request(reference_message("government_id"), 404)  # out of scope is 404 (architecture)
        if not isinstance(data.get("document_ids"), list):
            bad_request(_("«document_ids» must be a list of numbers."))
        try:
            submission = submit(
                government,
                data["document_ids"],
                current_user,
                current_scope(),
                data.get("year"),
                rule_key=data.get("rule"),
                note=data.get("note"),
            )
            db.session.commit()
        except SubmissionError as error:
            db.session.rollback()
            bad_request(str(error), error.status)
        return jsonify(submission_json(submission)), 201

    @api.route(
        "/submissions/<int:submission_id>", summary=_l("One submission with its documents"), tag="envíos", response=ref
    )
    def get_submission(submission_id: int):
        submission = load_submission(submission_id, current_scope())
        if submission is None:
            abort(404)
        return jsonify(submission_json(submission))

    @api.route(
        "/submissions/<int:submission_id>/receipt",
        ("POST",),
        summary=_l("Record the receipt of a submission"),
        tag="envíos",
        response=ref,
    )
    def receive_submission(submission_id: int):
        scope = current_scope()
        submission = load_submission(submission_id, scope)
        if submission is None:
            abort(404)
        try:
            acknowledge(submission, current_user, scope)
            db.session.commit()
        except SubmissionError as error:
            db.session.rollback()
            bad_request(str(error), error.status)
        return jsonify(submission_json(submission))

    @api.route(
        "/submissions/overview",
        summary=_l("By year, each region: on time, late, not sent (overdue) or not sent (30 June)"),
        tag="envíos",
        parameters=[
            {
                "name": "year",
                "in": "query",
                "required": True,
                "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
            }
        ],
        response={"type": "array", "items": {"type": "object"}},
    )
    def submissions_overview():
        if not current_scope().everything:
            abort(403)
        year = request.args.get("year", "")
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            bad_request(_("Give the year (year), between 2000 and 2100."))
        return jsonify(
            [
                {
                    "government_id": row.government.id,
                    "government": row.government.name,
                    "status": row.status,
                    "due_date": row.due_date.isoformat() if row.due_date else None,
                    "receipt_number": row.submission.receipt_number if row.submission else None,
                    "submitted_on": row.submission.submitted_on.isoformat() if row.submission else None,
                    "met_on": row.met_on.isoformat() if row.met_on else None,
                    "missing": row.missing or [],
                }
                for row in national_overview(int(year))
            ]
        )


# --- admin ----------------------------------------------------------------------------------------


class SubmissionView(ReadOnlyModelView):
    """Read-only for everyone: a submission is the record of what was sent and when."""

    government_column = "government_id"
    column_list = (
        "receipt_number",
        "government",
        "recipient_government",
        "year",
        "rule_key",
        "due_date",
        "submitted_on",
        "on_time",
        "received_at",
    )
    column_filters = ("year", "on_time", "rule_key")
    column_searchable_list = ("receipt_number",)
    column_select_related_list = (Submission.government, Submission.recipient_government)
    column_default_sort = ("submitted_at", True)

    def _scoped(self, query: Any) -> Any:
        return query.filter(visible_clause(current_scope()))


def register_admin_views(admin: Any) -> None:
    admin.add_view(SubmissionView(Submission, db.session, name=_l("Submissions"), category=_l("Cases")))
