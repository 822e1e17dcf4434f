"""Attachment pages: upload to a case, scoped download (sha256 re-checked), soft delete; the case panel.

Permissions come from core.security like everywhere else: reading a case's government lets you
download its attachments; uploading and deleting need EDIT there (auditors never have it);
another jurisdiction's attachment answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, make_response, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from core.attachments.download import load_attachment, serve
from core.attachments.service import (
    add_attachment,
    case_attachments,
    commit_upload,
    frozen_reason,
    soft_delete,
    uploader_names,
)
from core.attachments.storage import KNOWN_TYPES, AttachmentError, allowed_names, allowed_types, human_size, max_bytes
from core.cases.pages import detail, load_case
from core.errors import error_response
from core.extensions import db
from core.models import Case
from core.panels import Panel, register_case_panel
from core.security import EDIT, READ, can

bp = Blueprint("attachments", __name__)


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to attach."))])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])


def _case_page(case_id: int, status: int):  # noqa: ANN202
    """The case page again (with the flashed reason), under the error's status code."""

    response = make_response(detail(case_id=case_id))
    response.status_code = status
    return response


@bp.route("/expedientes/<int:case_id>/adjuntos", methods=["POST"])
@login_required
def upload(case_id: int):
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


@bp.route("/adjuntos/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    return serve(load_attachment(attachment_id, READ))


@bp.route("/adjuntos/<int:attachment_id>/eliminar", methods=["POST"])
@login_required
def delete(attachment_id: int):
    attachment = load_attachment(attachment_id, EDIT)
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


def register_panels() -> None:
    register_case_panel(Panel("attachments", "attachments/case_panel.html", case_panel_context, order=300))


def register(app: Flask) -> None:
    """The upload/download/delete routes and the 413 page that names the limit."""
    app.register_blueprint(bp)
    app.register_error_handler(413, _too_large)
