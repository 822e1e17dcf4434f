"""Models of the submissions subsystem (see core/submissions/): a sent bundle and its documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.territory import Government
from core.models.user import User, utcnow

if TYPE_CHECKING:  # resolved by name when mappers configure: the documents package registers it (create_app)
    from core.documents.models import IssuedDocument


class Submission(db.Model):
    """Issued documents a government sends to the level above (supplementary provision 8).

    ``recipient_government_id`` is the regional government for a local sender and NULL for
    the ST-CIAS (the national level has no government row). A submission is a record of what
    was sent and when: it is never edited afterwards.
    """

    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_recipient_year", "recipient_government_id", "year"),
        Index("ix_submission_government_year", "government_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    recipient_government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"))
    year: Mapped[int]
    rule_key: Mapped[str | None] = mapped_column(String(120), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    submitted_on: Mapped[date] = mapped_column(Date)  # in Lima: what the rule compares
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    received_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    government: Mapped[Government] = relationship(foreign_keys=[government_id])
    recipient_government: Mapped[Government | None] = relationship(foreign_keys=[recipient_government_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    items: Mapped[list[SubmissionItem]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionItem.id"
    )

    @property
    def recipient_label(self) -> str:
        return self.recipient_government.name if self.recipient_government else "ST-CIAS"

    def __str__(self) -> str:
        return self.receipt_number or _("submission %(id)s", id=self.id)


class SubmissionItem(db.Model):
    """One issued document inside a submission."""

    __tablename__ = "submission_item"
    __audit_parent__ = "submission_id"  # its events belong to the parent's case and government
    __table_args__ = (UniqueConstraint("submission_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_document.id"), index=True)

    submission: Mapped[Submission] = relationship(back_populates="items")
    document: Mapped[IssuedDocument] = relationship()
