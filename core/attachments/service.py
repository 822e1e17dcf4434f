"""A case's attachments: add, freeze with the case, soft-delete, list, and audit downloads.

The files themselves (settings, sniffed types, content-addressed storage) are
``core.attachments.storage``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

import core.audit.service as audit
from core.attachments.storage import AttachmentError, StoredFile, discard, storage_dir, store
from core.database import writing
from core.extensions import db
from core.models import Case, User
from core.models.attachments import Attachment
from core.models.user import utcnow
from core.workflow import get_workflow

# --- the case's attachments ----------------------------------------------------------------------------


def frozen_reason(case: Case) -> str | None:
    """Why the case's attachments can no longer change (None: they can).

    Attachments freeze with the case: once it is in a state nobody may edit (published, approved by
    norm, submitted, validated, archived…) or a final one, what was attached is part of the record as
    approved, so files are neither added nor removed, by anyone (administrators included)."""

    state = get_workflow(case.workflow_id).states.get(case.state)
    if state is not None and (state.final or not state.edit):
        return _(
            "The case is in the state «%(state)s»: its attachments were fixed with it and can no "
            "longer be added or removed.",
            state=state.label,  # in the reader's language, as the sentence
        )
    return None


def add_attachment(case: Case, upload: Any, description: str | None, user: Any) -> tuple[Attachment, StoredFile]:
    """Store ``upload`` (a Werkzeug FileStorage) for ``case``; the caller commits, or calls discard()."""
    frozen = frozen_reason(case)
    if frozen:
        raise AttachmentError(frozen, status=409)
    if upload is None or not getattr(upload, "filename", None):
        raise AttachmentError(_("Choose a file to attach."))
    description = (description or "").strip() or None
    if description and len(description) > 500:
        raise AttachmentError(_("The description admits at most 500 characters."))
    stored = store(upload.stream, upload.filename)
    try:
        attachment = Attachment(
            case_id=case.id,
            government_id=case.government_id,
            filename=stored.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.key,
            description=description,
            uploaded_by_id=getattr(user, "id", None),
        )
        db.session.add(attachment)
        db.session.flush()
    except Exception:
        if stored.created:  # nothing saved refers to the file we just wrote
            (storage_dir() / stored.key).unlink(missing_ok=True)
        raise
    return attachment, stored


def commit_upload(stored: StoredFile) -> None:
    """Commit the upload's transaction; if it fails, no orphan file stays behind."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard(stored)
        raise


def soft_delete(attachment: Attachment, user: Any) -> None:
    """Hide an attachment; the file and the row stay (the audit trail records the deletion)."""
    frozen = frozen_reason(attachment.case)
    if frozen:
        raise AttachmentError(frozen, status=409)
    attachment.deleted_at = utcnow()
    attachment.deleted_by_id = getattr(user, "id", None)


def record_download(attachment: Attachment) -> None:
    """Write the download to the audit trail in its own short write transaction.

    A download is a GET: on SQLite its transaction began as a reader, so the event is written
    in a fresh transaction that takes the write lock up front (core.database.writing).
    """

    db.session.commit()
    with writing():
        audit.record("attachment_download", attachment, detail=attachment.filename)
        db.session.commit()


def case_attachments(case: Case) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.case_id == case.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
        )
    )


def uploader_names(attachments: list[Attachment]) -> dict[int, str]:
    ids = {a.uploaded_by_id for a in attachments if a.uploaded_by_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
