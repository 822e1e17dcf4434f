"""A case's attachments (signed scans, evidence): metadata here, bytes in content-addressed files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.case import Case
from core.models.territory import Government
from core.models.user import User, utcnow


class Attachment(db.Model):
    """One uploaded file of a case. The bytes live under ATTACHMENTS_DIR at ``storage_key`` (derived
    from the sha256, so identical files are stored once); deleting only marks ``deleted_at``."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_case_deleted", "case_id", "deleted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by ix_attachment_case_deleted (case_id first): "this case's live attachments".
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # sanitized original name, shown and downloaded
    content_type: Mapped[str] = mapped_column(String(120))  # sniffed from the bytes, never the browser's
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(String(500))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship()
    government: Mapped[Government] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])

    def audit_action(self, kind: str, changes: dict[str, Any]) -> str | None:
        """The audit trail names an upload and a (soft) deletion as such."""
        if kind == "create":
            return "attachment_upload"
        if kind == "update" and "deleted_at" in changes and changes["deleted_at"][1] is not None:
            return "attachment_delete"
        return None

    def __str__(self) -> str:
        return self.filename
