"""Reaching a case, a document or a job for a request through core.security (404 outside the
user's jurisdiction, 403 when not allowed), and the PDF response."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, jsonify, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from core.documents.issue import can_issue, issue_document
from core.documents.jobs import job_json
from core.documents.models import DocumentJob, IssuedDocument
from core.documents.registry import DocumentError, document_filename, safe_filename, spec_for
from core.extensions import db
from core.models import Case
from core.security import READ, current_scope, ensure, ensure_case

PREVIEW_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def load_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    ensure_case(READ, case)  # participant governments read its documents too (DESIGN §11)
    return case


def load_spec(case: Case, key: str):  # noqa: ANN202
    try:
        return spec_for(case, key)
    except DocumentError:
        abort(404)


def load_document(document_id: int, with_content: bool = False) -> IssuedDocument:
    query = select(IssuedDocument).where(IssuedDocument.id == document_id)
    query = query.options(joinedload(IssuedDocument.government))
    if with_content:  # one query for a download, bytes included
        query = query.options(undefer(IssuedDocument.content))
    document = db.session.scalar(query)
    if document is None:
        abort(404)
    if document.case is not None:
        ensure_case(READ, document.case)
    else:
        ensure(READ, document.government)
    return document


def job_accepted(found: DocumentJob) -> Any:
    """202 Accepted: the API's answer when a document went to a background job."""
    response = jsonify(job_json(found))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_document_job", job_id=found.id)
    return response


def issue_checked(case_id: int, key: str) -> IssuedDocument:
    """One run of a manual issue (see core.documents.issuing): load, check, issue."""
    case = load_case(case_id)
    spec = load_spec(case, key)
    if not can_issue(current_scope(), case, spec):
        abort(403)
    return issue_document(case, key, current_user)


def pdf_response(content: bytes, filename: str, *, inline: bool = False, etag: str | None = None) -> Any:
    response = send_file(
        io.BytesIO(content),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=safe_filename(filename.removesuffix(".pdf")) + ".pdf",
        etag=etag or False,
        conditional=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def load_job(job_id: int) -> DocumentJob:
    found = db.session.scalar(
        select(DocumentJob).where(DocumentJob.id == job_id).options(joinedload(DocumentJob.government))
    )
    if found is None:
        abort(404)
    ensure(READ, found.government)
    return found


def stored_pdf_response(document: IssuedDocument) -> Any:
    """An issued document's stored bytes, named by its number and title, with its hash as ETag."""
    filename = document_filename(document.number, document.template_key)
    return pdf_response(document.content, filename, etag=document.sha256)
