"""Serving an attachment, shared by the download page and the API: the scoped loader and the
verified, never-sniffed download response."""

from __future__ import annotations

from flask import abort, send_file

from core.attachments.service import record_download
from core.attachments.storage import AttachmentCorrupt, open_verified
from core.errors import error_response
from core.extensions import db
from core.models.attachments import Attachment
from core.security import ensure_case


def load_attachment(attachment_id: int, action: str) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    ensure_case(action, attachment.case)  # a participant government reads them too (DESIGN §11)
    return attachment


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
