"""Tables of the Instancia's sessions: the session (a case), its attendance and its agreements.

A session belongs to one Instancia de Articulación (plugins/institutionalization) and to its
government; attendance rows point at the body's members, agreements at a responsible member and
at the core deadline their due date became (core/deadlines.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.deadlines.models import Deadline
from core.extensions import db
from core.models import Case
from plugins.institutionalization.models import ArticulationBody, BodyMember

#: Spanish names of the codes (documents, history and admin labels).
SESSION_KINDS = {"ordinary": "Ordinaria", "extraordinary": "Extraordinaria"}
ATTENDANCE = {"present": "Presente", "absent": "Ausente", "excused": "Justificó su inasistencia"}
#: The follow-up status a person records; "overdue" (vencido) is computed from the deadline.
AGREEMENT_STATUSES = {"pending": "Pendiente", "in_progress": "En proceso", "done": "Cumplido"}
EFFECTIVE_STATUSES = {**AGREEMENT_STATUSES, "overdue": "Vencido"}


class InstanciaSession(Case):
    """An ordinary or extraordinary session of an Instancia de Articulación; the title is its name."""

    __tablename__ = "operations_session"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("articulation_body.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="ordinary")
    number: Mapped[int] = mapped_column(Integer)
    session_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", 24-hour clock as minutes write it
    end_time: Mapped[str | None] = mapped_column(String(5))
    place: Mapped[str | None] = mapped_column(String(300))
    agenda: Mapped[str | None] = mapped_column(Text)  # one item per line

    body: Mapped[ArticulationBody] = relationship(foreign_keys=[body_id])
    attendance: Mapped[list[SessionAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionAttendance.id"
    )
    agreements: Mapped[list[SessionAgreement]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionAgreement.number"
    )

    __mapper_args__ = {"polymorphic_identity": "instancia_session"}

    @property
    def kind_name(self) -> str:
        return SESSION_KINDS.get(self.kind, self.kind)

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in (self.agenda or "").splitlines() if line.strip()]


class SessionAttendance(db.Model):
    """Whether a member of the body attended the session."""

    __tablename__ = "operations_session_attendance"
    __audit_parent__ = "session_id"  # its events belong to the parent's case and government
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("operations_session.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("body_member.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="present")

    session: Mapped[InstanciaSession] = relationship(back_populates="attendance")
    member: Mapped[BodyMember] = relationship()


class SessionAgreement(db.Model):
    """An agreement adopted in the session: what, who answers for it, by when, and how it goes."""

    __tablename__ = "operations_session_agreement"
    __audit_parent__ = "session_id"  # its events belong to the parent's case and government
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("operations_session.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("body_member.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id", ondelete="SET NULL"), index=True)

    session: Mapped[InstanciaSession] = relationship(back_populates="agreements")
    responsible: Mapped[BodyMember] = relationship()
    deadline: Mapped[Deadline | None] = relationship()

    def effective_status(self, today: date) -> str:
        """The follow-up status, "overdue" when not done and past its due date."""
        if self.status != "done" and self.due_date < today:
            return "overdue"
        return self.status
