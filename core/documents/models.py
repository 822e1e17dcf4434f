"""Models of the documents subsystem (see core/documents/__init__.py): issued documents (immutable) and year names.

An ``IssuedDocument`` keeps the PDF bytes in the database, so every app server behind a
load balancer serves the same file without shared storage. Once written it never
changes: the ORM refuses any UPDATE or DELETE of one (unit of work and bulk statements
alike); re-issuing creates a new row that points back to the one it ``supersedes``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import DateTime, ForeignKey, Index, LargeBinary, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.extensions import db
from core.models.case import Case
from core.models.territory import Government
from core.models.user import User, utcnow


class ImmutableDocumentError(RuntimeError):
    """Something tried to change or delete an issued document."""

    def __init__(self) -> None:
        super().__init__(_("An issued document cannot be modified or deleted; to correct it, issue a new one."))


class IssuedDocument(db.Model):
    """A PDF issued for a case: its bytes, number, hash, issuer, time and public verification code."""

    __tablename__ = "issued_document"
    # The composite indexes also serve lookups by case_id and by government_id alone.
    __table_args__ = (
        Index("ix_issued_document_case_template", "case_id", "template_key"),
        Index("ix_issued_document_government_issued", "government_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Nullable so that documents of a government as a whole (not of one case) stay possible;
    # RESTRICT: a case with issued documents cannot be deleted behind their back.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"))
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    year: Mapped[int] = mapped_column(index=True)  # the year of the document's date (year-name line)
    template_key: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[str] = mapped_column(String(160))
    title: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Deferred: lists and metadata never load the bytes; only a download reads them.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The newer document points at the older one, so issuing never has to touch the old row;
    # unique: two documents issued at once cannot both claim to replace the same one.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"), unique=True)

    case: Mapped[Case | None] = relationship()
    government: Mapped[Government] = relationship()
    issued_by: Mapped[User | None] = relationship()
    supersedes: Mapped[IssuedDocument | None] = relationship(remote_side=[id], foreign_keys=[supersedes_id])
    superseded_by: Mapped[IssuedDocument | None] = relationship(
        primaryjoin="IssuedDocument.id == foreign(IssuedDocument.supersedes_id)",
        viewonly=True,
        uselist=False,
    )

    #: Read by the audit trail (core/audit/): issuing a document is an event of its own kind.
    __audit_actions__ = {"create": "document_issue"}

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: ``ABCD-EFGH-JKMN``."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


def _changed_columns(target: IssuedDocument) -> list[str]:
    state = inspect(target)
    return [attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()]


@event.listens_for(IssuedDocument, "before_update")
def _refuse_update(mapper, connection, target: IssuedDocument) -> None:  # noqa: ANN001
    # before_update also fires for rows merely marked dirty; only real column changes are refused.
    if _changed_columns(target):
        raise ImmutableDocumentError()


@event.listens_for(IssuedDocument, "before_delete")
def _refuse_delete(mapper, connection, target: IssuedDocument) -> None:  # noqa: ANN001
    raise ImmutableDocumentError()


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state) -> None:  # noqa: ANN001
    # ORM-enabled UPDATE/DELETE statements (session.execute(update(IssuedDocument)...)) skip the
    # mapper events above; refuse them here too.
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is IssuedDocument:
            raise ImmutableDocumentError()


class YearName(db.Model):
    """The official name of a year ("Año de las Cumbres Mundiales en el Perú"), set yearly by decree."""

    __tablename__ = "year_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(300))

    def __str__(self) -> str:
        return f"{self.year}: {self.name}"


#: The images a government's letterhead may carry: its own crest and, where its documents
#: use it, the national coat of arms (Escudo Nacional).
EMBLEM_KINDS = ("crest", "national")


class GovernmentEmblem(db.Model):
    """An image a government uploaded for its letterhead, kept in the database (like issued PDFs)
    so every app server prints the same one and the PDF renderer never fetches anything."""

    __tablename__ = "government_emblem"
    __table_args__ = (UniqueConstraint("government_id", "kind", name="uq_government_emblem_government_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # EMBLEM_KINDS
    mime: Mapped[str] = mapped_column(String(40))  # from the content, never from the upload's header
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    government: Mapped[Government] = relationship()

    def __str__(self) -> str:
        return f"{self.government_id}: {self.kind}"


class DocumentJob(db.Model):
    """A large document issued in the background (core/documents/jobs.py): queued → running → done | failed.

    The requester follows it on ``/documentos/trabajos/<id>`` (or ``GET /api/v1/document-jobs/<id>``);
    a job that issues through a transition carries the transition's name and comment. The row
    is marked done in the same transaction that stores the document.
    """

    __tablename__ = "document_job"
    __table_args__ = (Index("ix_document_job_case_status", "case_id", "status"),)
    __audit__ = False  # bookkeeping: the issued document and the transition are audited themselves

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    template_key: Mapped[str | None] = mapped_column(String(80))  # a manual issue
    transition: Mapped[str | None] = mapped_column(String(60))  # or a transition that issues
    comment: Mapped[str | None] = mapped_column(String(4000))
    case_version: Mapped[int | None]  # the version the transition was asked on (None: not checked)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    message: Mapped[str | None] = mapped_column(String(2000))  # Spanish, when it failed
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[Case] = relationship()
    government: Mapped[Government] = relationship()
    user: Mapped[User] = relationship()
    document: Mapped[IssuedDocument | None] = relationship()

    @property
    def pending(self) -> bool:
        return self.status in ("queued", "running")
