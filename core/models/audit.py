"""The audit trail's table: append-only events, each chained to the previous one by a SHA-256 hash.

No foreign keys on purpose: an event must outlive the user, case or government it names,
and no cascade may ever reach it. Rows are written by ``core.audit`` only (Core inserts at
commit time); the ORM refuses to update or delete them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.territory import Government
from core.models.user import utcnow


class AuditTamperError(RuntimeError):
    """An attempt to change or delete an audit event through the application."""


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)
    #: Never recorded by the flush listener (it would record its own rows).
    __audit__ = False

    # BIGINT on PostgreSQL (the log only grows); SQLite needs INTEGER for its rowid alias.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_label: Mapped[str] = mapped_column(String(254))  # e-mail, "cli", "sistema", "anónimo"
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    government_id: Mapped[int | None] = mapped_column(Integer, index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {field: [old, new]}
    detail: Mapped[str | None] = mapped_column(String(300))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    # For display only (admin lists, case panel): joined without a constraint.
    government: Mapped[Government | None] = relationship(
        primaryjoin="foreign(AuditEvent.government_id) == Government.id", viewonly=True, lazy="select"
    )

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.entity_type}:{self.entity_id}"


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AuditTamperError(_("The audit log cannot be modified: events are only added to it."))


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AuditTamperError(_("The audit log cannot be deleted: events are only added to it."))
