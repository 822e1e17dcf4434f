"""Attachment pages: upload to a case, scoped download (sha256 re-checked), soft delete; case panel, API, admin.

Permissions come from core.security like everywhere else: reading a case's government lets you
download its attachments; uploading and deleting need EDIT there (auditors never have it);
another jurisdiction's attachment answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, jsonify, make_response, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import Length, Optional

from core.admin import ReadOnlyModelView
from core.attachments import (
    KNOWN_TYPES,
    AttachmentCorrupt,
    AttachmentError,
    add_attachment,
    allowed_names,
    allowed_types,
    case_attachments,
    commit_upload,
    frozen_reason,
    human_size,
    max_bytes,
    open_verified,
    record_download,
    soft_delete,
    uploader_names,
)
from core.database import SAFE_METHODS
from core.errors import error_response
from core.extensions import db
from core.models import Case
from core.models.attachments import Attachment
from core.panels import Panel, register_case_panel
from core.security import EDIT, READ, can, ensure_case

bp = Blueprint("attachments", __name__)


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to attach."))])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])


def _load(attachment_id: int, action: str) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    ensure_case(action, attachment.case)  # a participant government reads them too (DESIGN §11)
    return attachment


def _case_page(case_id: int, status: int):  # noqa: ANN202
    """The case page again (with the flashed reason), under the error's status code."""
    from core.web.cases import detail

    response = make_response(detail(case_id=case_id))
    response.status_code = status
    return response


@bp.route("/expedientes/<int:case_id>/adjuntos", methods=["POST"])
@login_required
def upload(case_id: int):
    from core.web.cases import load_case

    case = load_case(case_id, EDIT)
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return _case_page(case_id, 400)
    try:
        attachment, stored = add_attachment(case, form.file.data, form.description.data, current_user)
        commit_upload(stored)
    except AttachmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _case_page(case_id, error.status)
    flash(_("Attachment %(name)s added.", name=attachment.filename), "success")
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="attachments"), 303)


def serve(attachment: Attachment):  # noqa: ANN201
    """The verified file, as a download that no browser will sniff or render in our origin."""
    try:
        fh = open_verified(attachment)
    except AttachmentCorrupt as error:
        return error_response(500, str(error))
    name, content_type, sha, uploaded_at = (
        attachment.filename,
        attachment.content_type,
        attachment.sha256,
        attachment.uploaded_at,
    )
    record_download(attachment)
    response = send_file(
        fh,
        mimetype=content_type,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=sha,
        last_modified=uploaded_at,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/adjuntos/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    return serve(_load(attachment_id, READ))


@bp.route("/adjuntos/<int:attachment_id>/eliminar", methods=["POST"])
@login_required
def delete(attachment_id: int):
    attachment = _load(attachment_id, EDIT)
    case_id, name = attachment.case_id, attachment.filename
    try:
        soft_delete(attachment, current_user)
    except AttachmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _case_page(case_id, error.status)
    db.session.commit()
    flash(_("Attachment %(name)s deleted.", name=name), "success")
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="attachments"), 303)


# --- case panel ------------------------------------------------------------------------------------


def case_panel_context(case: Case, scope: Any, **_kwargs: Any) -> dict[str, Any]:
    attachments = case_attachments(case)
    frozen = frozen_reason(case)
    extensions = [ext for mime in allowed_types() for ext in KNOWN_TYPES.get(mime, ("", ()))[1]]
    return {
        "attachments": attachments,
        "names": uploader_names(attachments),
        "can_upload": can(scope, EDIT, case.government) and frozen is None,
        "frozen": frozen,
        "max_size": human_size(max_bytes()),
        "allowed": allowed_names(),
        "accept": ",".join(extensions),
        "human_size": human_size,
        "case": case,
    }


def _too_large(error: Any):  # noqa: ANN202
    # Flask cut the request off (MAX_CONTENT_LENGTH): say what the limit is.
    return error_response(
        413, _("The file is too large: the limit for an attachment is %(size)s.", size=human_size(max_bytes()))
    )


def init_views(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(413, _too_large)
    register_case_panel(Panel("attachments", "attachments/case_panel.html", case_panel_context, order=300))


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
    from core.api import PAGE_PARAMETERS, bad_request, page_json, page_schema
    from core.web.pagination import paginate

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
        summary="Adjuntos de un expediente",
        tag="adjuntos",
        response=page_schema(ref),
        parameters=PAGE_PARAMETERS,
    )
    def list_case_attachments(case_id: int):
        from sqlalchemy import select

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
        summary="Adjuntar un archivo (multipart: file, description); PDF, PNG, JPEG u ofimática, hasta el límite",
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
        summary="El archivo adjunto (verificado por su sha256 antes de entregarlo)",
        tag="adjuntos",
        response={"type": "string", "format": "binary"},
        response_content_type=tuple(KNOWN_TYPES),  # served as the type it was stored with
    )
    def get_attachment_file(attachment_id: int):
        return serve(_load(attachment_id, READ))


# --- admin -----------------------------------------------------------------------------------------


def _fmt_filename(view: Any, context: Any, model: Attachment, name: str) -> Markup:
    if model.deleted_at is not None:
        return Markup("<del>{}</del>").format(model.filename)
    return Markup('<a href="{}">{}</a>').format(url_for("attachments.download", attachment_id=model.id), model.filename)


def _fmt_size(view: Any, context: Any, model: Attachment, name: str) -> str:
    return human_size(model.size)


class AttachmentView(ReadOnlyModelView):
    """Read-only list: attachments come in through their case, and leave only by soft delete."""

    government_column = "government_id"
    column_list = ("case", "filename", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "deleted_at")
    column_labels = {
        "case": _l("Case"),
        "filename": _l("File"),
        "content_type": _l("Type"),
        "size": _l("Size"),
        "uploaded_by": _l("Uploaded by"),
        "uploaded_at": _l("Uploaded at"),
        "deleted_at": _l("Deleted at"),
    }
    column_searchable_list = ("filename", "sha256", "description")
    column_filters = ("content_type", "uploaded_at", "deleted_at", "case_id")
    column_select_related_list = (Attachment.case, Attachment.uploaded_by)
    column_default_sort = ("id", True)
    column_formatters = {"filename": _fmt_filename, "size": _fmt_size}
    column_formatters_export = {}

    def _handle_view(self, name: str, **kwargs: Any):  # noqa: ANN201
        denied = super()._handle_view(name, **kwargs)
        if denied is not None:
            return denied
        if request.method not in SAFE_METHODS:
            abort(403)
        return None


def register_admin_views(admin: Any) -> None:
    admin.add_view(AttachmentView(Attachment, db.session, name=_l("Attachments"), category=_l("Cases")))
