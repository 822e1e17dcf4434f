"""Document pages and API: preview, issue, download (stored bytes), public verification, assets.

Every route reaches a case or a document through ``core.security`` (404 outside the user's
jurisdiction, 403 when reachable but not allowed); only ``/verificar`` is public.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from core.documents import (
    DocumentError,
    can_issue,
    content_hash,
    documents_for,
    draft_pdf,
    issue_document,
    issuing,
    normalize_code,
    render_html,
    safe_filename,
    spec_for,
    verify_url,
)
from core.extensions import db
from core.jobs import JOB_SCHEMA, LargeDocument, enqueue, job_json, message_of, status_of
from core.models import Case
from core.models.documents import DocumentJob, IssuedDocument
from core.security import READ, current_scope, ensure, ensure_case

bp = Blueprint("documents", __name__)

#: The preview is the document itself: no scripts, assets only from this server.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    ensure_case(READ, case)  # participant governments read its documents too (DESIGN §11)
    return case


def _spec(case: Case, key: str):  # noqa: ANN202
    try:
        return spec_for(case, key)
    except DocumentError:
        abort(404)


def _document(document_id: int, with_content: bool = False) -> IssuedDocument:
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


def _issue_checked(case_id: int, key: str) -> IssuedDocument:
    """One run of a manual issue (see core.documents.issuing): load, check, issue."""
    case = _case(case_id)
    spec = _spec(case, key)
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


# --- preview and issue ----------------------------------------------------------------------------


@bp.route("/documentos/vista-previa/<int:case_id>/<key>")
@login_required
def preview(case_id: int, key: str):
    """The document as HTML, with a bar to issue it or see the draft PDF."""
    case = _case(case_id)
    spec = _spec(case, key)
    toolbar = Markup(
        render_template(
            "documents/preview_toolbar.html", case=case, spec=spec, can_issue=can_issue(current_scope(), case, spec)
        )
    )
    try:
        html = render_html(case, spec, preview_toolbar=toolbar)
    except DocumentError as error:
        from core.errors import error_response

        return error_response(error.status, str(error))
    # Unchanged content, unchanged ETag: the browser's copy is reused (304) and nothing is sent.
    response = current_app.response_class(html, mimetype="text/html")
    response.set_etag(content_hash(html))
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response.make_conditional(request)


@bp.route("/documentos/vista-previa/<int:case_id>/<key>.pdf")
@login_required
def preview_pdf(case_id: int, key: str):
    """A draft PDF (marked as a preview, no code, not stored)."""
    case = _case(case_id)
    spec = _spec(case, key)
    filename = f"borrador-{case.reference}-{spec.title}"
    try:
        pdf, digest = draft_pdf(render_html(case, spec))  # cached by content hash
    except DocumentError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.detail", case_id=case.id), 303)
    response = pdf_response(pdf, filename, inline=True, etag=digest)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.route("/expedientes/<int:case_id>/documentos/<key>", methods=["POST"])
@login_required
def issue(case_id: int, key: str):
    case = _case(case_id)
    spec = _spec(case, key)
    if not can_issue(current_scope(), case, spec):
        abort(403)
    try:
        try:
            document = issuing(lambda: _issue_checked(case_id, key), allow_background=True)
            db.session.commit()
        except LargeDocument:
            db.session.rollback()
            job = enqueue(case_id, current_user, template_key=key)
            flash(_("The document is large: it is being prepared in the background."), "info")
            return redirect(url_for("documents.job", job_id=job.id), 303)
    except DocumentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cases.detail", case_id=case_id), 303)
    flash(
        _(
            "Document %(number)s issued (verification code %(code)s).",
            number=document.number,
            code=document.display_code,
        ),
        "success",
    )
    return redirect(url_for("cases.detail", case_id=case.id) + "#documents", 303)


@bp.route("/documentos/trabajos/<int:job_id>")
@login_required
def job(job_id: int):
    """A background job's status: reloads itself while it runs, then links to the document."""
    found = _job(job_id)
    status = status_of(found)
    response = current_app.response_class(
        render_template("documents/job.html", job=found, status=status, message=message_of(found))
    )
    if status in ("queued", "running"):
        response.headers["Refresh"] = "3"  # a header, not a script: the CSP allows no inline code
    return response


def _job(job_id: int) -> DocumentJob:
    found = db.session.scalar(
        select(DocumentJob).where(DocumentJob.id == job_id).options(joinedload(DocumentJob.government))
    )
    if found is None:
        abort(404)
    ensure(READ, found.government)
    return found


@bp.route("/documentos/<int:document_id>/pdf")
@login_required
def download(document_id: int):
    """The stored file, byte for byte: never rendered again."""
    document = _document(document_id, with_content=True)
    return pdf_response(document.content, document.filename, etag=document.sha256)


@bp.route("/documentos/recursos/<owner>/<path:path>")
def asset(owner: str, path: str):
    """Packaged static assets of documents (the browser preview loads what the PDF renderer loads)."""
    from core.document_worker import resolve_asset
    from core.documents import asset_roots

    found = resolve_asset(asset_roots(), owner, path)
    if found is None:
        abort(404)
    return send_file(found, max_age=3600)


# --- public verification --------------------------------------------------------------------------


class UploadTooLarge(Exception):
    pass


def _uploaded_sha256() -> str | None:
    """sha256 of the uploaded ``archivo`` (streamed, never stored), None when nothing was sent."""
    limit = int(current_app.config["DOCUMENT_VERIFY_MAX_BYTES"])
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise UploadTooLarge()
    upload = request.files.get("archivo")
    if upload is None or not upload.filename:
        return None
    digest, total = hashlib.sha256(), 0
    while chunk := upload.stream.read(64 * 1024):
        total += len(chunk)
        if total > limit:
            raise UploadTooLarge()
        digest.update(chunk)
    return digest.hexdigest()


def _verification(document: IssuedDocument | None) -> dict[str, Any] | None:
    if document is None:
        return None
    newer = document.superseded_by
    return {"document": document, "newer": newer}


@bp.route("/verificar", methods=["GET", "POST"])
def verify_index():
    """Public: enter a code, or upload a PDF to see whether it is exactly an issued document."""
    code = request.args.get("codigo")
    if code:
        return redirect(url_for("documents.verify", code=normalize_code(code) or code.strip()[:40]))
    result, status = None, 200
    if request.method == "POST":
        try:
            digest = _uploaded_sha256()
        except UploadTooLarge:
            return _too_large()
        if digest is None:
            result, status = {"kind": "missing"}, 400
        else:
            match = db.session.scalar(
                select(IssuedDocument)
                .where(IssuedDocument.sha256 == digest)
                .options(joinedload(IssuedDocument.government))
                .order_by(IssuedDocument.id)
                .limit(1)
            )
            result = {"kind": "match" if match else "no_match", "sha256": digest, **(_verification(match) or {})}
    return render_template("documents/verify.html", document=None, code=None, upload=result), status


@bp.route("/verificar/<code>", methods=["GET", "POST"])
def verify(code: str):
    """Public: is ``code`` the code of an issued document? And is an uploaded file exactly it?"""
    normalized = normalize_code(code)
    document = None
    if normalized:
        document = db.session.scalar(
            select(IssuedDocument)
            .where(IssuedDocument.code == normalized)
            .options(joinedload(IssuedDocument.government))
        )
    upload, status = None, 200 if document else 404
    if request.method == "POST" and document is not None:
        try:
            digest = _uploaded_sha256()
        except UploadTooLarge:
            return _too_large()
        if digest is None:
            upload, status = {"kind": "missing"}, 400
        else:
            upload = {"kind": "match" if digest == document.sha256 else "no_match", "sha256": digest}
    return (
        render_template(
            "documents/verify.html",
            document=document,
            newer=document.superseded_by if document else None,
            code=code[:40],
            upload=upload,
        ),
        status,
    )


def _too_large():  # noqa: ANN202
    limit_mb = int(current_app.config["DOCUMENT_VERIFY_MAX_BYTES"]) // (1024 * 1024)
    return render_template(
        "documents/verify.html",
        document=None,
        code=None,
        upload={"kind": "too_large", "limit_mb": limit_mb},
    ), 413


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
    from core.api import PAGE_PARAMETERS, bad_request, page_schema
    from core.web.pagination import paginate

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
        summary="Documentos emitidos de un expediente y las plantillas que se le aplican",
        tag="documentos",
        response=list_schema,
        parameters=PAGE_PARAMETERS,
    )
    def list_case_documents(case_id: int):
        case = _case(case_id)
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
        summary="Emitir un documento del expediente (se guarda inmutable con su código de verificación)",
        status=201,
        extra_errors=(503,),
        tag="documentos",
        response=ref,
    )
    def issue_case_document(case_id: int, key: str):
        case = _case(case_id)
        try:
            spec = spec_for(case, key)
        except DocumentError as error:
            bad_request(str(error), 404)
        if not can_issue(current_scope(), case, spec):
            bad_request("No puede emitir este documento en este expediente.", 403)
        try:
            try:
                document = issuing(lambda: _issue_checked(case_id, key), allow_background=True)
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
        summary="Estado de un documento grande que se prepara en segundo plano",
        tag="documentos",
        response={"$ref": "#/components/schemas/DocumentJob"},
    )
    def get_document_job(job_id: int):
        return jsonify(job_json(_job(job_id)))

    @api.route("/documents/<int:document_id>", summary="Datos de un documento emitido", tag="documentos", response=ref)
    def get_document(document_id: int):
        return jsonify(document_json(_document(document_id)))

    @api.route(
        "/documents/<int:document_id>/pdf",
        summary="El PDF emitido, tal como se guardó",
        tag="documentos",
        response={"type": "string", "format": "binary"},
        response_content_type="application/pdf",
    )
    def get_document_pdf(document_id: int):
        document = _document(document_id, with_content=True)
        return pdf_response(document.content, document.filename, etag=document.sha256)
