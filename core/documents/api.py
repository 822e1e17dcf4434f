"""Documents in the API: issued documents, their PDF, issuing by hand, background jobs."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, bad_request, page_schema
from core.documents.access import issue_checked, job_accepted, load_case, load_document, load_job, stored_pdf_response
from core.documents.issue import can_issue, issuing
from core.documents.jobs import JOB_SCHEMA, enqueue, job_json
from core.documents.models import IssuedDocument
from core.documents.registry import DocumentError, LargeDocument, documents_for, spec_for
from core.documents.verification import verify_url
from core.extensions import db
from core.security import current_scope
from core.web.pagination import paginate

# --- API ------------------------------------------------------------------------------------------

DOCUMENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "case_id": {"type": ["integer", "null"]},
        "government_id": {"type": "integer"},
        "template": {"type": "string"},
        "number": {"type": "string"},
        "title": {"type": "string"},
        "year": {"type": "integer"},
        "sha256": {"type": "string"},
        "size": {"type": "integer"},
        "issued_by_id": {"type": ["integer", "null"]},
        "issued_at": {"type": "string", "format": "date-time"},
        "code": {"type": "string"},
        "verify_url": {"type": "string"},
        "pdf_url": {"type": "string"},
        "supersedes_id": {"type": ["integer", "null"]},
    },
}


def document_json(document: IssuedDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "case_id": document.case_id,
        "government_id": document.government_id,
        "template": document.template_key,
        "number": document.number,
        "title": document.title,
        "year": document.year,
        "sha256": document.sha256,
        "size": document.size,
        "issued_by_id": document.issued_by_id,
        "issued_at": document.issued_at.isoformat() + "Z",
        "code": document.code,
        "verify_url": verify_url(document.code),
        "pdf_url": url_for("api.get_document_pdf", document_id=document.id, _external=True),
        "supersedes_id": document.supersedes_id,
    }


def register_api_endpoints(api: Any) -> None:
    api.schemas["IssuedDocument"] = DOCUMENT_SCHEMA
    ref = {"$ref": "#/components/schemas/IssuedDocument"}
    list_schema = page_schema(ref)
    list_schema["properties"]["templates"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "can_issue": {"type": "boolean"}},
        },
    }

    @api.route(
        "/cases/<int:case_id>/documents",
        summary=_l("Issued documents of a case and the templates that apply to it"),
        tag="documentos",
        response=list_schema,
        parameters=PAGE_PARAMETERS,
    )
    def list_case_documents(case_id: int):
        case = load_case(case_id)
        query = select(IssuedDocument).where(IssuedDocument.case_id == case.id).order_by(IssuedDocument.id.desc())
        page = paginate(query, IssuedDocument.id)
        scope = current_scope()
        return jsonify(
            {
                "items": [document_json(d) for d in page.items],
                "total": page.total,
                "page": page.page,
                "per_page": page.per_page,
                "pages": page.pages,
                "templates": [
                    {"key": spec.key, "title": spec.title, "can_issue": can_issue(scope, case, spec)}
                    for spec in documents_for(case)
                ],
            }
        )

    @api.route(
        "/cases/<int:case_id>/documents/<key>",
        ("POST",),
        summary=_l("Issue a document of the case (stored immutable with its verification code)"),
        status=201,
        extra_errors=(503,),
        tag="documentos",
        response=ref,
    )
    def issue_case_document(case_id: int, key: str):
        case = load_case(case_id)
        try:
            spec = spec_for(case, key)
        except DocumentError as error:
            bad_request(str(error), 404)
        if not can_issue(current_scope(), case, spec):
            bad_request(_("You cannot issue this document in this case."), 403)
        try:
            try:
                document = issuing(lambda: issue_checked(case_id, key), allow_background=True)
                db.session.commit()
            except LargeDocument:
                db.session.rollback()
                return job_accepted(enqueue(case_id, current_user, template_key=key))
        except DocumentError as error:
            db.session.rollback()
            bad_request(str(error), error.status)
        return jsonify(document_json(document)), 201

    api.schemas["DocumentJob"] = JOB_SCHEMA

    @api.route(
        "/document-jobs/<int:job_id>",
        summary=_l("Status of a large document being prepared in the background"),
        tag="documentos",
        response={"$ref": "#/components/schemas/DocumentJob"},
    )
    def get_document_job(job_id: int):
        return jsonify(job_json(load_job(job_id)))

    @api.route("/documents/<int:document_id>", summary=_l("Data of an issued document"), tag="documentos", response=ref)
    def get_document(document_id: int):
        return jsonify(document_json(load_document(document_id)))

    @api.route(
        "/documents/<int:document_id>/pdf",
        summary=_l("The issued PDF, as it was stored"),
        tag="documentos",
        response={"type": "string", "format": "binary"},
        response_content_type="application/pdf",
    )
    def get_document_pdf(document_id: int):
        document = load_document(document_id, with_content=True)
        return stored_pdf_response(document)
