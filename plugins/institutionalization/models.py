"""Tables of stage 1: the Instancia de Articulación (a case), its members, the member categories
(seed data), the ordinance that constitutes it (a case) and the ordinance's clauses.

Every write is checked here, whatever path it comes by (web page, API, admin, demo loader):
a ``before_flush`` listener asks each new or changed record for its ``problems()`` and refuses
the whole flush with the Spanish reasons, so nothing is saved half-way.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

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
    and_,
    event,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, column_property, mapped_column, relationship

from core.cases import CaseError
from core.extensions import db
from core.models import Case, Institution
from core.models.user import utcnow
from core.references import find_reference, reference_message

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
#: A member's role in the body.
MEMBER_ROLES = {"president": "Presidente", "technical_secretary": "Secretario Técnico", "member": "Miembro"}
#: The member's sex as documents need it for agreement ("identificada", "Secretaria Técnica"); None: not
#: recorded, and documents use wording that needs no agreement ("con DNI N°").
SEXES = {"f": "Femenino", "m": "Masculino"}
#: Role names by sex; without a recorded sex, documents name the office instead ("Secretaría Técnica"),
#: which needs no agreement, and never print it alone under a person's name (see documents._member_row).
MEMBER_ROLES_BY_SEX = {
    "f": {"president": "Presidenta", "technical_secretary": "Secretaria Técnica", "member": "Miembro"},
    "m": MEMBER_ROLES,
    None: {"president": "Presidencia", "technical_secretary": "Secretaría Técnica", "member": "Miembro"},
}
#: The instrument that constitutes the body; its printed name depends on the government's level.
INSTRUMENTS = ("ordinance", "resolution")
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
CLAUSE_KINDS = ("considering", "article")
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

DNI_RE = re.compile(r"^\d{8}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _too_long(value: str | None, limit: int, label: str) -> list[str]:
    return [f"«{label}» admite como máximo {limit} caracteres."] if value and len(value) > limit else []


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

    def problems(self) -> list[str]:
        problems = _too_long(self.title, 300, "Nombre")
        if self.origin not in ORIGINS:
            problems.append(f"Origen desconocido «{self.origin}».")
        elif self.origin != "new" and not (self.origin_name or "").strip():
            problems.append(
                "Indique el nombre de la instancia existente cuyas funciones se amplían "
                f"(origen: {ORIGINS[self.origin]})."
            )
        if self.direction_kind not in DIRECTION_KINDS:
            problems.append(f"Tipo de dirección desconocido «{self.direction_kind}».")
        for value, limit, label in (
            (self.origin_name, 300, "Instancia existente"),
            (self.direction_unit, 300, "Órgano que ejerce la dirección"),
            (self.monitoring_officer_name, 200, "Responsable del sistema de seguimiento"),
            (self.monitoring_officer_position, 200, "Cargo del responsable del sistema de seguimiento"),
            (self.installation_place, 300, "Lugar de instalación"),
        ):
            problems += _too_long(value, limit, label)
        start, end = self.installation_start_time, self.installation_end_time
        if start is not None and end is not None and end <= start:
            problems.append("La hora de término de la sesión de instalación debe ser posterior a la de inicio.")
        if inspect(self).pending:
            government_id = self.government_id or (self.government.id if self.government else None)
            other = db.session.scalar(
                select(ArticulationBody.reference).where(
                    ArticulationBody.government_id == government_id,
                    ArticulationBody.state.not_in(BODY_CLOSED_STATES),
                )
            )
            if other:
                # The Instancia is a standing body: created once, it carries over from year to year.
                problems.append(
                    f"Este gobierno ya tiene una Instancia de Articulación vigente ({other}), que continúa "
                    "de un año a otro (la Norma pide no duplicar instancias): actualice allí sus miembros y "
                    "redacte desde ella la ordenanza del año, que se archiva en el ciclo del año en que se "
                    "dicta; o disuélvala primero."
                )
        return problems


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

    def problems(self) -> list[str]:
        problems = []
        self.full_name = (self.full_name or "").strip()
        if not self.full_name:
            problems.append("Los nombres y apellidos del miembro son obligatorios.")
        problems += _too_long(self.full_name, 200, "Nombres y apellidos")
        if self.dni is not None:
            self.dni = self.dni.strip() or None
        if self.dni is not None and not DNI_RE.match(self.dni):
            problems.append(
                f"El DNI debe tener exactamente 8 dígitos, sin letras ni espacios (recibido: «{self.dni}»)."
            )
        if self.email and not EMAIL_RE.match(self.email.strip()):
            problems.append(f"El correo electrónico «{self.email}» no es válido.")
        for value, limit, label in (
            (self.position, 200, "Cargo"),
            (self.institution_name, 300, "Institución"),
            (self.email, 200, "Correo electrónico"),
            (self.phone, 40, "Teléfono"),
            (self.accreditation_document, 200, "Documento de acreditación"),
        ):
            problems += _too_long(value, limit, label)
        if self.role not in MEMBER_ROLES:
            problems.append(f"Rol desconocido «{self.role}»: use presidente, secretario técnico o miembro.")
        if self.sex is not None and self.sex not in SEXES:
            problems.append(f"Sexo desconocido «{self.sex}»: use «f» (femenino) o «m» (masculino), o déjelo vacío.")
        if self.active_from is None:
            problems.append("Indique desde qué fecha es miembro («desde»).")
        elif self.active_to is not None and self.active_to < self.active_from:
            problems.append(
                f"La fecha «hasta» ({_date(self.active_to)}) no puede ser anterior a la fecha «desde» "
                f"({_date(self.active_from)})."
            )
        body = self.body or (db.session.get(ArticulationBody, self.body_id) if self.body_id else None)
        category = self.category or (db.session.get(MemberCategory, self.category_id) if self.category_id else None)
        if body is None:
            problems.append("El miembro debe pertenecer a una Instancia de Articulación.")
        if category is None:
            problems.append("Indique la categoría del miembro.")
        elif body is not None and not category.applies_to(body.government.kind):
            problems.append(
                f"La categoría «{category.name}» no corresponde a una {body.level_name}"
                + (" distrital." if category.provincial_only else ".")
            )
        elif self.role == "president" and not category.presides:
            # Norma 5.1.1 / 5.2.1: the body is presided by the Mayor or the Regional President
            # (Governor); the presidency is tied to that category, not to whoever is given the role.
            problems.append(presidency_reason(body.government.kind if body is not None else "local", category))
        if body is not None and self.active_from is not None and not problems:
            problems += self._overlaps(body)
        return problems

    def _overlaps(self, body: ArticulationBody) -> list[str]:
        """Only one president at a time; a person (by DNI) holds one seat at a time."""
        end = self.active_to or date.max
        overlapping = and_(
            BodyMember.body_id == body.id,
            BodyMember.active_from <= end,
            or_(BodyMember.active_to.is_(None), BodyMember.active_to >= self.active_from),
        )
        if self.id is not None:
            overlapping = and_(overlapping, BodyMember.id != self.id)
        problems = []
        if self.role == "president":
            other = db.session.scalar(select(BodyMember).where(overlapping, BodyMember.role == "president"))
            if other is not None:
                problems.append(
                    f"{other.full_name} ya ejerce la presidencia en ese periodo (desde {_date(other.active_from)}"
                    + (f" hasta {_date(other.active_to)}" if other.active_to else "")
                    + "): cierre primero su periodo."
                )
        if self.dni:
            other = db.session.scalar(select(BodyMember).where(overlapping, BodyMember.dni == self.dni))
            if other is not None:
                problems.append(f"La persona con DNI {self.dni} ya es miembro de la Instancia en ese periodo.")
        return problems


def presidency_reason(government_kind: str, category: MemberCategory) -> str:
    """Why a member of ``category`` cannot hold the presidency (Norma 5.1.1, 5.2.1)."""
    who = (
        "el Presidente del Gobierno Regional (Gobernador Regional), numeral 5.2.1"
        if government_kind == "regional"
        else "el Alcalde, numeral 5.1.1"
    )
    return (
        f"Solo preside la Instancia {who} de la Norma Técnica: un miembro de la categoría "
        f"«{category.name}» no puede tener el rol «Presidente»."
    )


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

    def problems(self) -> list[str]:
        problems = []
        self.number = self.format_number(self.number)
        if self.instrument not in INSTRUMENTS:
            problems.append(f"Instrumento desconocido «{self.instrument}»: use ordenanza o resolución.")
        if self.session_kind not in SESSION_KINDS:
            problems.append(f"Tipo de sesión desconocido «{self.session_kind}».")
        if self.approval_vote is not None and self.approval_vote not in VOTES:
            problems.append(f"Votación desconocida «{self.approval_vote}»: use unanimidad o mayoría.")
        for value, limit, label in (
            (self.number, 160, "Número"),
            (self.approval_vote_detail, 200, "Detalle de la votación"),
            (self.publication_medium, 200, "Medio de publicación"),
            (self.signatory_name, 200, "Firmante"),
            (self.visto, 20000, "VISTO"),
        ):
            problems += _too_long(value, limit, label)
        government_id = self.government.id if self.government is not None else self.government_id
        if self.body is None and self.body_id is None:
            problems.append("Indique la Instancia de Articulación que la ordenanza constituye.")
        elif self.body is not None and self.body.id is None:  # created together, not yet flushed
            if self.body.government_id != government_id:
                problems.append(reference_message("body_id"))
        else:
            # Another government's body and a missing id read the same (no existence leak).
            body_id = self.body.id if self.body is not None else self.body_id
            if find_reference(ArticulationBody, body_id, government_id=government_id) is None:
                problems.append(reference_message("body_id"))
        problems += self._date_order()
        problems += self._frozen_changes()
        if self.number:
            problems += self._duplicate_number(government_id)
        return problems

    def _date_order(self) -> list[str]:
        pairs = (
            (self.session_date, self.approval_date, "la aprobación", "la sesión del consejo"),
            (self.approval_date, self.promulgation_date, "la promulgación", "la aprobación"),
            (self.promulgation_date or self.approval_date, self.publication_date, "la publicación", "la promulgación"),
        )
        return [
            f"La fecha de {later_name} ({_date(later)}) no puede ser anterior "
            f"a la de {earlier_name} ({_date(earlier)})."
            for earlier, later, later_name, earlier_name in pairs
            if earlier and later and later < earlier
        ]

    def _frozen_changes(self) -> list[str]:
        """Once approved, the text, number and approval are the council's: they no longer change."""
        state_history = inspect(self).attrs.state.history
        previous = state_history.deleted[0] if state_history.deleted else self.state
        if inspect(self).pending or previous not in TEXT_FROZEN_STATES:
            return []
        frozen = [
            attr.key
            for attr in inspect(self).attrs
            if attr.key in FROZEN_FIELDS and attr.history.has_changes() and attr.history.deleted
        ]
        if previous == "approved":
            frozen = [name for name in frozen if name not in PUBLICATION_FIELDS]
        if frozen:
            return [
                "La ordenanza ya fue aprobada por el consejo: no se pueden modificar "
                + ", ".join(f"«{FIELD_NAMES[name]}»" for name in frozen)
                + "."
            ]
        return []

    def _duplicate_number(self, government_id: int | None) -> list[str]:
        query = select(Ordinance.reference).where(
            Ordinance.government_id == government_id, Ordinance.year == self.year, Ordinance.number == self.number
        )
        if self.id is not None:
            query = query.where(Ordinance.id != self.id)
        other = db.session.scalar(query)
        if other:
            return [f"Ya existe la {self.number} en este gobierno para {self.year} (expediente {other})."]
        return []


#: Spanish names of the ordinance's fields, for messages.
FIELD_NAMES = {
    "body_id": "Instancia de Articulación",
    "instrument": "Instrumento",
    "number": "Número",
    "session_kind": "Tipo de sesión",
    "session_date": "Fecha de la sesión",
    "visto": "VISTO",
    "approval_date": "Fecha de aprobación",
    "approval_vote": "Votación",
    "approval_vote_detail": "Detalle de la votación",
    "promulgation_date": "Fecha de promulgación",
    "publication_date": "Fecha de publicación",
    "publication_medium": "Medio de publicación",
    "signatory_name": "Firmante",
    "title": "Sumilla",
}
FROZEN_FIELDS = set(FIELD_NAMES)


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

    def problems(self) -> list[str]:
        problems = []
        self.text = (self.text or "").strip()
        if self.kind not in CLAUSE_KINDS:
            problems.append(f"Tipo de cláusula desconocido «{self.kind}».")
        if not self.text:
            problems.append("El texto de la cláusula no puede quedar vacío.")
        problems += _too_long(self.text, 20000, "Texto")
        if self.kind == "article" and self.subject not in ARTICLE_SUBJECTS:
            problems.append("Indique de qué trata el artículo (participantes, organización, dirección, plan u otros).")
        ordinance = self.ordinance or db.session.get(Ordinance, self.ordinance_id)
        if ordinance is not None and _was_frozen(ordinance):
            problems.append(FROZEN_TEXT)
        return problems


FROZEN_TEXT = "La ordenanza ya fue aprobada por el consejo: su texto no se puede modificar."


def _was_frozen(ordinance: Ordinance) -> bool:
    history = inspect(ordinance).attrs.state.history
    previous = history.deleted[0] if history.deleted else ordinance.state
    return previous in TEXT_FROZEN_STATES


# --- the one place every write is checked -----------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_invalid_records(session: Session, flush_context: Any, instances: Any) -> None:
    problems: list[str] = []
    with session.no_autoflush:
        for record in list(session.new):
            if isinstance(record, ArticulationBody | BodyMember | Ordinance | OrdinanceClause):
                _fill_defaults(record)
            if isinstance(record, Ordinance):
                _start_ordinance(record)
        for record in list(session.new) + list(session.dirty):
            if isinstance(record, ArticulationBody | BodyMember | Ordinance | OrdinanceClause):
                if record not in session.new and not session.is_modified(record):
                    continue
                problems += record.problems()
        for record in session.deleted:
            if isinstance(record, OrdinanceClause) and record.ordinance is not None and _was_frozen(record.ordinance):
                if not inspect(record.ordinance).deleted:
                    problems.append(FROZEN_TEXT)
    if problems:
        # dict.fromkeys: the same reason once, in order
        raise CaseError(" ".join(dict.fromkeys(problems)))


def _fill_defaults(record: Any) -> None:
    """Column defaults apply at INSERT; the checks run before it, so give new records them now
    (this plugin's own columns only: the case table's bookkeeping stays the engine's)."""
    for prop in inspect(type(record)).column_attrs:
        column = prop.columns[0]
        default = column.default
        if (
            column.table.name != "case"
            and default is not None
            and default.is_scalar
            and getattr(record, prop.key) is None
        ):
            setattr(record, prop.key, default.arg)


def _start_ordinance(ordinance: Ordinance) -> None:
    """A new ordinance starts pre-filled from its body (VISTO, CONSIDERANDO, articles), by any path."""
    from plugins.institutionalization.ordinance_text import prefill

    if ordinance.body is None and ordinance.body_id is not None:
        ordinance.body = db.session.get(ArticulationBody, ordinance.body_id)
    if ordinance.body is not None and not ordinance.clauses:
        prefill(ordinance)
