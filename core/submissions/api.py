"""``/api/v1`` submission endpoints: list, send, detail, acknowledge, the national overview."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import PAGE_PARAMETERS, bad_request, json_object, page_json, page_schema
from core.extensions import db
from core.models import Government
from core.models.submissions import Submission
from core.references import find_reference, reference_message
from core.security import current_scope
from core.submissions.overview import national_overview
from core.submissions.service import SubmissionError, acknowledge, load_submission, submit, visible_clause
from core.web.pagination import paginate

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
        data = json_object()
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
