"""Document pages: preview, issue, download (stored bytes), job status, assets, public verification,
and a government's letterhead images.

Every route reaches a case or a document through ``core.security``; only ``/verificar`` is public."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.database import writing
from core.documents.access import (
    PREVIEW_CSP,
    issue_checked,
    load_case,
    load_document,
    load_job,
    load_spec,
    pdf_response,
    stored_pdf_response,
)
from core.documents.context import render_html
from core.documents.emblems import DEFAULT_MAX_BYTES, EMBLEM_LABELS, EmblemError, emblem_uris, validate
from core.documents.environment import asset_roots
from core.documents.issue import can_issue, issuing
from core.documents.jobs import enqueue, message_of, status_of
from core.documents.models import EMBLEM_KINDS, GovernmentEmblem, IssuedDocument
from core.documents.pdf import content_hash, draft_pdf
from core.documents.registry import DocumentError, LargeDocument
from core.documents.verification import normalize_code
from core.documents.worker import resolve_asset
from core.errors import error_response
from core.extensions import db
from core.models import Government
from core.models.user import utcnow
from core.security import APPROVE, can, current_scope, ensure

bp = Blueprint("documents", __name__)


emblems_bp = Blueprint("emblems", __name__, url_prefix="/gobiernos")


# --- preview and issue ----------------------------------------------------------------------------


@bp.route("/documentos/vista-previa/<int:case_id>/<key>")
@login_required
def preview(case_id: int, key: str):
    """The document as HTML, with a bar to issue it or see the draft PDF."""
    case = load_case(case_id)
    spec = load_spec(case, key)
    toolbar = Markup(
        render_template(
            "documents/preview_toolbar.html", case=case, spec=spec, can_issue=can_issue(current_scope(), case, spec)
        )
    )
    try:
        html = render_html(case, spec, preview_toolbar=toolbar)
    except DocumentError as error:
        return error_response(error.status, str(error))
    # Unchanged content, unchanged ETag: the browser's copy is reused (304) and nothing is sent. The
    # toolbar's CSRF token is signed with the time (a new value every second), so it is left out of
    # the hash; the token in a reused copy stays valid for the session (WTF_CSRF_TIME_LIMIT).
    response = current_app.response_class(html, mimetype="text/html")
    response.set_etag(content_hash(html.replace(generate_csrf(), "")))
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response.make_conditional(request)


@bp.route("/documentos/vista-previa/<int:case_id>/<key>.pdf")
@login_required
def preview_pdf(case_id: int, key: str):
    """A draft PDF (marked as a preview, no code, not stored)."""
    case = load_case(case_id)
    spec = load_spec(case, key)
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
    case = load_case(case_id)
    spec = load_spec(case, key)
    if not can_issue(current_scope(), case, spec):
        abort(403)
    try:
        try:
            document = issuing(lambda: issue_checked(case_id, key), allow_background=True)
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
    found = load_job(job_id)
    status = status_of(found)
    response = current_app.response_class(
        render_template("documents/job.html", job=found, status=status, message=message_of(found))
    )
    if status in ("queued", "running"):
        response.headers["Refresh"] = "3"  # a header, not a script: the CSP allows no inline code
    return response




@bp.route("/documentos/<int:document_id>/pdf")
@login_required
def download(document_id: int):
    """The stored file, byte for byte: never rendered again."""
    document = load_document(document_id, with_content=True)
    return stored_pdf_response(document)


@bp.route("/documentos/recursos/<owner>/<path:path>")
def asset(owner: str, path: str):
    """Packaged static assets of documents (the browser preview loads what the PDF renderer loads)."""

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


def emblem_panel_context(government: Government) -> dict[str, Any]:
    """What the government's page shows of its letterhead images (as data: URIs, like the PDF)."""
    return {
        "emblems": emblem_uris(government.id),
        "emblem_labels": EMBLEM_LABELS,
        "emblem_kinds": EMBLEM_KINDS,
        "can_edit_emblems": can(current_scope(), APPROVE, government),
    }


def _government(government_id: int, action: str) -> Government:
    government = db.session.get(Government, government_id)
    if government is None:
        abort(404)
    ensure(action, government)
    return government


@emblems_bp.route("/<int:government_id>/emblemas/<kind>", methods=["POST"])
@login_required
def upload(government_id: int, kind: str):
    """Upload (or replace) the crest or the national coat of arms: the government's coordinator or an admin."""
    if kind not in EMBLEM_KINDS:
        abort(404)
    government = _government(government_id, APPROVE)
    file = request.files.get("file")
    content = file.read() if file else b""
    try:
        mime = validate(content, int(current_app.config.get("EMBLEM_MAX_BYTES", DEFAULT_MAX_BYTES)))
    except EmblemError as error:
        flash(str(error), "error")
        return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)
    with writing():
        emblem = db.session.scalar(
            select(GovernmentEmblem).where(
                GovernmentEmblem.government_id == government.id, GovernmentEmblem.kind == kind
            )
        ) or GovernmentEmblem(government_id=government.id, kind=kind)
        emblem.mime, emblem.content, emblem.size = mime, content, len(content)
        emblem.sha256 = hashlib.sha256(content).hexdigest()
        emblem.uploaded_by_id = current_user.id
        emblem.uploaded_at = utcnow()
        db.session.add(emblem)
        db.session.commit()
    flash(_("The image was saved; documents issued from now on print it."), "success")
    return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)


@emblems_bp.route("/<int:government_id>/emblemas/<kind>/eliminar", methods=["POST"])
@login_required
def remove(government_id: int, kind: str):
    if kind not in EMBLEM_KINDS:
        abort(404)
    government = _government(government_id, APPROVE)
    with writing():
        emblem = db.session.scalar(
            select(GovernmentEmblem).where(
                GovernmentEmblem.government_id == government.id, GovernmentEmblem.kind == kind
            )
        )
        if emblem is not None:
            db.session.delete(emblem)
        db.session.commit()
    flash(_("The image was removed; documents print no image in its place."), "success")
    return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)
