"""The attachments' read-only admin list (scoped, never the bytes)."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from core.admin import ReadOnlyModelView
from core.attachments.storage import human_size
from core.database import SAFE_METHODS
from core.extensions import db
from core.models.attachments import Attachment

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
