"""Tables of the Ventanilla CRECER: offices (one per government), their staff, entries, and each entry's
timeline of events and attachments. An entry is held by one office (``office_id``) and remembers the office
that received it (``origin_office_id``): an escalation moves the first, never the second."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Government, Institution, SocialProgram, Territory, User
from core.models.user import utcnow

#: Spanish names of the codes (documents, registries, public pages).
KINDS = {"consulta": "Consulta", "opinion": "Opinión", "pedido": "Pedido", "sugerencia": "Sugerencia"}
REQUEST_KINDS = {"no_attention": "No atención", "inadequate": "Atención inadecuada"}
CHANNELS = {"online": "Virtual", "in_person": "Presencial", "phone": "Teléfono"}
STATUSES = {
    "registered": "Registrada",
    "classified": "Clasificada",
    "referred": "Derivada",
    "program_answered": "Respondida por el programa",
    "answered": "Respondida al ciudadano",
    "resolved": "Resuelta",
    "closed": "Cerrada",
}
#: Statuses in which nobody owes the citizen anything more (not overdue).
DONE_STATUSES = ("answered", "resolved", "closed")
OFFICE_CHANNELS = {"in_person": "Presencial", "virtual_and_in_person": "Virtual y presencial"}


class VentanillaOffice(db.Model):
    """The Ventanilla CRECER of one government, with the instrument that created it."""

    __tablename__ = "ventanilla_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(24), default="in_person")
    instrument: Mapped[str | None] = mapped_column(String(200))  # "Ordenanza Regional N° 012-2008-GRH"
    instrument_date: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str | None] = mapped_column(String(200))  # the responsible unit
    address: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(200))
    juntos_support: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    government: Mapped[Government] = relationship()
    staff: Mapped[list[VentanillaStaff]] = relationship(back_populates="office", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def name(self) -> str:
        return f"Ventanilla CRECER {self.government.name}"


class VentanillaStaff(db.Model):
    """A user designated to attend the office (a member of the office's government)."""

    __tablename__ = "ventanilla_staff"
    __table_args__ = (UniqueConstraint("office_id", "user_id"),)
    __government_path__ = "office.government"
    __audit_parent__ = "office_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("ventanilla_office.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)

    office: Mapped[VentanillaOffice] = relationship(back_populates="staff")
    user: Mapped[User] = relationship()


class VentanillaEntry(db.Model):
    """A consulta, opinión, pedido or sugerencia. Personal data (name, DNI, phone, e-mail) is optional."""

    __tablename__ = "ventanilla_entry"
    # personal data never enters the audit trail in clear (a change to it is still recorded, masked)
    __audit_mask__ = ("name", "dni", "phone", "email", "ip_hash")
    __table_args__ = (
        # the registry's filters, each with the default order (newest first) after it
        Index("ix_ventanilla_entry_government_created", "government_id", "created_at"),
        Index("ix_ventanilla_entry_origin_created", "origin_government_id", "created_at"),
        Index("ix_ventanilla_entry_office_created", "office_id", "created_at"),
        Index("ix_ventanilla_entry_office_status", "office_id", "status", "created_at"),
        Index("ix_ventanilla_entry_office_due", "office_id", "due_date"),
        Index("ix_ventanilla_entry_ip_created", "ip_hash", "created_at"),
        # the national registry's filters (every office): the filter, then the order, so a page reads its rows
        # in order from the index instead of sorting every match (0003_monitoring_ventanilla_scale)
        Index("ix_ventanilla_entry_kind_created", "kind", "created_at"),
        Index("ix_ventanilla_entry_status_created", "status", "created_at"),
        Index("ix_ventanilla_entry_program_created", "program_id", "created_at"),
        Index("ix_ventanilla_entry_emergency_created", "emergency", "created_at"),
        Index("ix_ventanilla_entry_recurrent_created", "recurrent", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # the tracking code, "VC7KQ3M9TX" (shown grouped)
    office_id: Mapped[int] = mapped_column(ForeignKey("ventanilla_office.id"))
    origin_office_id: Mapped[int] = mapped_column(ForeignKey("ventanilla_office.id"))
    # the offices' governments, copied so that scoping is one indexed condition (never a join per row)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    origin_government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    channel: Mapped[str] = mapped_column(String(12), default="online")
    kind: Mapped[str] = mapped_column(String(12))
    request_kind: Mapped[str | None] = mapped_column(String(16))  # pedido: no atención / atención inadecuada
    program_id: Mapped[int | None] = mapped_column(ForeignKey("social_program.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    referred_to_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    recurrent: Mapped[bool] = mapped_column(Boolean, default=False)
    # personal data (Ley N° 29733): optional, given with consent, erased by the retention setting
    name: Mapped[str | None] = mapped_column(String(200))
    dni: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    ip_hash: Mapped[str | None] = mapped_column(String(64))  # keyed hash of the sender's address (rate limit)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminded_on: Mapped[date | None] = mapped_column(Date)  # the overdue reminder, sent once
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    office: Mapped[VentanillaOffice] = relationship(foreign_keys=[office_id])
    government: Mapped[Government] = relationship(foreign_keys=[government_id])
    origin_office: Mapped[VentanillaOffice] = relationship(foreign_keys=[origin_office_id])
    program: Mapped[SocialProgram | None] = relationship()
    institution: Mapped[Institution | None] = relationship(foreign_keys=[institution_id])
    referred_to: Mapped[Institution | None] = relationship(foreign_keys=[referred_to_id])
    place: Mapped[Territory] = relationship()
    events: Mapped[list[VentanillaEvent]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="VentanillaEvent.id"
    )
    attachments: Mapped[list[VentanillaAttachment]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="VentanillaAttachment.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def has_personal_data(self) -> bool:
        return any((self.name, self.dni, self.phone, self.email))

    def overdue(self, today: date) -> bool:
        return self.due_date is not None and self.status not in DONE_STATUSES and self.due_date < today

    @property
    def concerns(self) -> str:
        """The program or sector concerned, as the registry prints it."""
        if self.program is not None:
            return self.program.acronym or self.program.name
        if self.institution is not None:
            return self.institution.acronym or self.institution.name
        return ""


class VentanillaEvent(db.Model):
    """One step of an entry's timeline; ``public`` events (answers, status changes) show on the tracking page,
    internal notes never do."""

    __tablename__ = "ventanilla_event"
    __audit_parent__ = "entry_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ventanilla_entry.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    entry: Mapped[VentanillaEntry] = relationship(back_populates="events")
    institution: Mapped[Institution | None] = relationship()
    user: Mapped[User | None] = relationship()


class VentanillaAttachment(db.Model):
    """A file sent with an entry, kept in the core's checked, content-addressed store."""

    __tablename__ = "ventanilla_attachment"
    __audit_parent__ = "entry_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ventanilla_entry.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    entry: Mapped[VentanillaEntry] = relationship(back_populates="attachments")


class VentanillaLookupMiss(db.Model):
    """A tracking lookup with a code that matched no entry, by the keyed hash of the sender's address: counted to
    refuse a flood of guessed codes (429). Rows older than the window are deleted as new ones come."""

    __tablename__ = "ventanilla_lookup_miss"
    __table_args__ = (Index("ix_ventanilla_lookup_miss_ip_at", "ip_hash", "at"),)
    __audit__ = False  # a counter of anonymous misses, not a record anybody changes

    id: Mapped[int] = mapped_column(primary_key=True)
    ip_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
