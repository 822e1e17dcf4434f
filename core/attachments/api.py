"""``/api/v1`` attachment endpoints: a case's attachments (list, upload), download, delete."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, bad_request, page_json, page_schema
from core.attachments.download import load_attachment, serve
from core.attachments.service import add_attachment, commit_upload
from core.attachments.storage import KNOWN_TYPES, AttachmentError
from core.extensions import db
from core.models import Case
from core.models.attachments import Attachment
from core.security import EDIT, READ, ensure_case
from core.web.pagination import paginate

# --- API -------------------------------------------------------------------------------------------

ATTACHMENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "case_id": {"type": "integer"},
        "filename": {"type": "string"},
        "content_type": {"type": "string"},
        "size": {"type": "integer"},
        "sha256": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "uploaded_by_id": {"type": ["integer", "null"]},
        "uploaded_at": {"type": "string", "format": "date-time"},
        "download_url": {"type": "string"},
    },
}


def attachment_json(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.id,
        "case_id": a.case_id,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "description": a.description,
        "uploaded_by_id": a.uploaded_by_id,
        "uploaded_at": a.uploaded_at.isoformat() + "Z",
        "download_url": url_for("api.get_attachment_file", attachment_id=a.id),
    }


def register_api_endpoints(api: Any) -> None:
    api.schemas["Attachment"] = ATTACHMENT_SCHEMA
    ref = {"$ref": "#/components/schemas/Attachment"}

    def case_or_404(case_id: int, action: str) -> Case:
        case = db.session.get(Case, case_id)
        if case is None:
            abort(404)
        ensure_case(action, case)
        return case

    @api.route(
        "/cases/<int:case_id>/attachments",
        summary=_l("Attachments of a case"),
        tag="adjuntos",
        response=page_schema(ref),
        parameters=PAGE_PARAMETERS,
    )
    def list_case_attachments(case_id: int):
        case = case_or_404(case_id, READ)
        query = (
            select(Attachment)
            .where(Attachment.case_id == case.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.id.desc())
        )
        return page_json(paginate(query, Attachment.id), attachment_json)

    @api.route(
        "/cases/<int:case_id>/attachments",
        ("POST",),
        summary=_l("Attach a file (multipart: file, description); PDF, PNG, JPEG or office files, up to the limit"),
        status=201,
        tag="adjuntos",
        response=ref,
        request_content_type="multipart/form-data",
        request_body={
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "description": {"type": "string", "maxLength": 500},
            },
        },
    )
    def create_case_attachment(case_id: int):
        case = case_or_404(case_id, EDIT)
        try:
            attachment, stored = add_attachment(
                case, request.files.get("file"), request.form.get("description"), current_user
            )
            commit_upload(stored)
        except AttachmentError as error:
            db.session.rollback()
            bad_request(str(error), error.status)
        return jsonify(attachment_json(attachment)), 201

    @api.route(
        "/attachments/<int:attachment_id>",
        summary=_l("The attached file (checked by its sha256 before delivery)"),
        tag="adjuntos",
        response={"type": "string", "format": "binary"},
        response_content_type=tuple(KNOWN_TYPES),  # served as the type it was stored with
    )
    def get_attachment_file(attachment_id: int):
        return serve(load_attachment(attachment_id, READ))
