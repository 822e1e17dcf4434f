"""Tables of stage 1: the Instancia de Articulación (a case), its members, the member categories
(seed data), the ordinance that constitutes it (a case) and the ordinance's clauses.

The codes keep their Spanish legal names here (documents print them); the fields as people edit
them are declared in fields.py, and every write is checked on flush by rules.py.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core.extensions import db
from core.models import Case, Institution
from core.models.user import utcnow

# --- codes and their Spanish names (documents and messages are Spanish) ----------------------------

#: How the body came to be: new, or an existing body whose functions are broadened (Norma 5.1.1, 5.2.1).
ORIGINS = {
    "new": "Nueva instancia",
    "codeco": "Consejo de Desarrollo Comunal (CODECO)",
    "poverty_committee": "Comité de Lucha contra la Pobreza",
    "comanagement_committee": "Comité de Cogestión",
    "other": "Otra instancia existente",
}
#: Who directs the body's work (Norma 5.2.1: "Dirección (Oficina Técnica)").
DIRECTION_KINDS = {"technical_secretariat": "Secretaría Técnica", "technical_office": "Oficina Técnica"}
#: The member's sex as documents need it for agreement ("identificada", "Secretaria Técnica"); None: not
#: recorded, and documents use wording that needs no agreement ("con DNI N°").
SEXES = {"f": "Femenino", "m": "Masculino"}
#: A member's role in the body, once: its label on screen (translated) and its legal names by the
#: member's sex (f, m; None: not recorded, so documents name the office instead, "Secretaría Técnica",
#: which needs no agreement, and never print it alone under a person's name: documents._member_row).
#: The form's choices (fields.ROLE_CHOICES) and the legal tables below derive from it.
MEMBER_ROLE_TABLE = {
    "member": (_l("Member"), {"f": "Miembro", "m": "Miembro", None: "Miembro"}),
    "president": (_l("President"), {"f": "Presidenta", "m": "Presidente", None: "Presidencia"}),
    "technical_secretary": (
        _l("Technical secretary"),
        {"f": "Secretaria Técnica", "m": "Secretario Técnico", None: "Secretaría Técnica"},
    ),
}
#: The legal name of each role (masculine: the form of the law's text).
MEMBER_ROLES = {code: names["m"] for code, (_label, names) in MEMBER_ROLE_TABLE.items()}
#: Legal role names by sex.
MEMBER_ROLES_BY_SEX = {
    sex: {code: names[sex] for code, (_label, names) in MEMBER_ROLE_TABLE.items()} for sex in ("f", "m", None)
}
#: The instrument that constitutes the body; its printed name depends on the government's level.
INSTRUMENT_NAMES = {
    ("ordinance", "regional"): "Ordenanza Regional",
    ("ordinance", "local"): "Ordenanza Municipal",
    ("resolution", "regional"): "Resolución Ejecutiva Regional",
    ("resolution", "local"): "Resolución de Alcaldía",
}
#: Default numbering per instrument and level; a plain number typed by the user ("8") is formatted
#: with it; a full number typed by the user is kept as typed (a government with its own format).
NUMBER_PATTERNS = {
    ("ordinance", "regional"): "ORDENANZA REGIONAL N° {seq:03d}-{year}-{acronym}/CR",
    ("ordinance", "local"): "ORDENANZA MUNICIPAL N° {seq:03d}-{year}-{acronym}",
    ("resolution", "regional"): "RESOLUCIÓN EJECUTIVA REGIONAL N° {seq:03d}-{year}-{acronym}/PR",
    ("resolution", "local"): "RESOLUCIÓN DE ALCALDÍA N° {seq:03d}-{year}-{acronym}",
}
SESSION_KINDS = {"ordinary": "Ordinaria", "extraordinary": "Extraordinaria"}
VOTES = {"unanimous": "por unanimidad", "majority": "por mayoría"}
#: What an article is about: the minimum content of the ordinance (Norma 5.2.1), in its order.
ARTICLE_SUBJECTS = {
    "participants": "Participantes",
    "organization": "Organización",
    "direction": "Dirección (Secretaría u Oficina Técnica)",
    "plan": "Aprobación de los objetivos y metas del Plan Articulado",
    "other": "Otros aspectos",
}
#: Ordinance states in which its text, number and approval are frozen (the council approved them).
#: Only the promulgation and publication data may still be completed while it is "approved".
TEXT_FROZEN_STATES = ("approved", "published", "derogated")
PUBLICATION_FIELDS = ("promulgation_date", "publication_date", "publication_medium", "signatory_name")
#: Body states that no longer count as "the" body of a government (a new one may be created).
BODY_CLOSED_STATES = ("dissolved",)

# --- the member categories (seed data, data/member_categories.yaml) --------------------------------


class MemberCategory(db.Model):
    """A category of participant the Norma lists for a level (local 5.1.1, regional 5.2.1); editable."""

    __tablename__ = "member_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[str] = mapped_column(String(10), index=True)  # regional | local
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    presides: Mapped[bool] = mapped_column(Boolean, default=False)
    provincial_only: Mapped[bool] = mapped_column(Boolean, default=False)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def applies_to(self, government_kind: str) -> bool:
        level = "regional" if government_kind == "regional" else "local"
        return self.level == level and (not self.provincial_only or government_kind == "provincial")

    def __str__(self) -> str:
        return self.short_name or self.name


# --- the Instancia de Articulación (a case) ---------------------------------------------------------


class ArticulationBody(Case):
    """The Instancia de Articulación Regional (IAR) or Local (IAL); its name is the case's title."""

    __tablename__ = "articulation_body"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    origin: Mapped[str] = mapped_column(String(30), default="new")
    origin_name: Mapped[str | None] = mapped_column(String(300))  # the existing body that is broadened
    direction_kind: Mapped[str] = mapped_column(String(30), default="technical_secretariat")
    direction_unit: Mapped[str | None] = mapped_column(String(300))  # e.g. Gerencia Regional de Desarrollo Social
    has_technical_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    monitoring_officer_name: Mapped[str | None] = mapped_column(String(200))
    monitoring_officer_position: Mapped[str | None] = mapped_column(String(200))
    installation_date: Mapped[date | None] = mapped_column(Date)
    installation_place: Mapped[str | None] = mapped_column(String(300))
    installation_agreements: Mapped[str | None] = mapped_column(Text)
    installation_other_attendees: Mapped[str | None] = mapped_column(Text)
    # The minutes record when the installation session began and ended.
    installation_start_time: Mapped[time | None] = mapped_column(Time)
    installation_end_time: Mapped[time | None] = mapped_column(Time)

    members: Mapped[list[BodyMember]] = relationship(
        back_populates="body", cascade="all, delete-orphan", order_by="BodyMember.id"
    )

    __mapper_args__ = {"polymorphic_identity": "articulation_body"}

    @property
    def level(self) -> str:
        return self.government.level

    @property
    def acronym(self) -> str:
        """IAR for a regional government, IAL for a municipality."""
        return "IAR" if self.government.kind == "regional" else "IAL"

    @property
    def level_name(self) -> str:
        return "Instancia de Articulación Regional" if self.acronym == "IAR" else "Instancia de Articulación Local"


class BodyMember(db.Model):
    """A person in the body during a period; the roster on any date is rebuilt from the periods."""

    __tablename__ = "body_member"
    __audit_parent__ = "body_id"  # its events belong to the parent's case and government
    __table_args__ = (
        CheckConstraint("active_to IS NULL OR active_to >= active_from", name="period"),
        Index("ix_body_member_body_period", "body_id", "active_from", "active_to"),
        Index("ix_body_member_active_from", "active_from", "id"),  # the admin list's sort
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("articulation_body.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    dni: Mapped[str | None] = mapped_column(String(8))
    sex: Mapped[str | None] = mapped_column(String(1))  # SEXES
    position: Mapped[str | None] = mapped_column(String(200))  # cargo
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    institution_name: Mapped[str | None] = mapped_column(String(300))  # free text, when not in the catalog
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    category_id: Mapped[int] = mapped_column(ForeignKey("member_category.id"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="member")
    technical_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    accreditation_date: Mapped[date | None] = mapped_column(Date)
    accreditation_document: Mapped[str | None] = mapped_column(String(200))
    active_from: Mapped[date] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)  # inclusive; None: still a member
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    body: Mapped[ArticulationBody] = relationship(back_populates="members")
    category: Mapped[MemberCategory] = relationship()
    institution: Mapped[Institution | None] = relationship()

    @property
    def institution_label(self) -> str:
        if self.institution is not None:
            return self.institution.name
        return self.institution_name or ""

    @property
    def role_name(self) -> str:
        return MEMBER_ROLES.get(self.role, self.role)

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)


# --- the ordinance (a case) and its clauses ---------------------------------------------------------


class Ordinance(Case):
    """The ordinance (or resolution) that constitutes the body; its summary is the case's title."""

    __tablename__ = "ordinance"
    # The number is unique per government and year. The case table holds government and year;
    # the ordinance table keeps a copy of both, mapped to the same attributes (SQLAlchemy writes
    # both columns), so that the database itself can enforce the uniqueness.
    __table_args__ = (UniqueConstraint("government_id", "year", "number"),)

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    government_id = column_property(
        Column("government_id", Integer, ForeignKey("government.id"), index=True, nullable=False),
        Case.__table__.c.government_id,
    )
    year = column_property(Column("year", Integer, nullable=False), Case.__table__.c.year)
    body_id: Mapped[int] = mapped_column(ForeignKey("articulation_body.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(20), default="ordinance")
    number: Mapped[str | None] = mapped_column(String(160))
    session_kind: Mapped[str] = mapped_column(String(20), default="ordinary")
    session_date: Mapped[date | None] = mapped_column(Date)
    visto: Mapped[str | None] = mapped_column(Text)
    approval_date: Mapped[date | None] = mapped_column(Date)
    approval_vote: Mapped[str | None] = mapped_column(String(20))
    approval_vote_detail: Mapped[str | None] = mapped_column(String(200))
    promulgation_date: Mapped[date | None] = mapped_column(Date)
    publication_date: Mapped[date | None] = mapped_column(Date)
    publication_medium: Mapped[str | None] = mapped_column(String(200))
    signatory_name: Mapped[str | None] = mapped_column(String(200))

    body: Mapped[ArticulationBody] = relationship(foreign_keys=[body_id])
    clauses: Mapped[list[OrdinanceClause]] = relationship(
        back_populates="ordinance",
        cascade="all, delete-orphan",
        order_by="(OrdinanceClause.kind.desc(), OrdinanceClause.position, OrdinanceClause.id)",
    )

    __mapper_args__ = {"polymorphic_identity": "ordinance"}

    @property
    def level(self) -> str:
        return self.government.level

    @property
    def instrument_name(self) -> str:
        """ "Ordenanza Regional", "Ordenanza Municipal", "Resolución Ejecutiva Regional"…"""
        return INSTRUMENT_NAMES.get((self.instrument, self.level), self.instrument)

    @property
    def text_frozen(self) -> bool:
        return self.state in TEXT_FROZEN_STATES

    @property
    def considerings(self) -> list[OrdinanceClause]:
        return sorted((c for c in self.clauses if c.kind == "considering"), key=lambda c: (c.position, c.id or 0))

    @property
    def articles(self) -> list[OrdinanceClause]:
        return sorted((c for c in self.clauses if c.kind == "article"), key=lambda c: (c.position, c.id or 0))

    def format_number(self, raw: str | None) -> str | None:
        """A plain sequence number ("8", "008") → the full number by the pattern; other text as typed."""
        text = " ".join((raw or "").split())
        if not text:
            return None
        if text.isdigit():
            pattern = NUMBER_PATTERNS.get((self.instrument, self.level), NUMBER_PATTERNS[("ordinance", "local")])
            return pattern.format(seq=int(text), year=self.year, acronym=self.government.acronym or "")
        return text


class OrdinanceClause(db.Model):
    """One CONSIDERANDO clause or one article of the ordinance, in order; pre-filled, then edited."""

    __tablename__ = "ordinance_clause"
    __audit_parent__ = "ordinance_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    ordinance_id: Mapped[int] = mapped_column(ForeignKey("ordinance.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # considering | article
    position: Mapped[int] = mapped_column(default=0)
    subject: Mapped[str | None] = mapped_column(String(20))  # articles: one of ARTICLE_SUBJECTS
    text: Mapped[str] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)  # pre-filled and not edited since

    ordinance: Mapped[Ordinance] = relationship(back_populates="clauses")
