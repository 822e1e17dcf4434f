"""Cases (one base table, a joined table per type), cycles, transitions, custom fields, workflows.

Every process object of the CRECER cycle is a case (DESIGN §4). A plugin's case type
subclasses ``Case`` with its own table::

    class Ordinance(Case):
        __tablename__ = "ordinance"
        id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
        __mapper_args__ = {"polymorphic_identity": "ordinance"}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NO_VALUE

from core.extensions import db
from core.models.territory import Government
from core.models.user import User, utcnow

#: The four stages of the yearly cycle, in order (Norma Técnica §4.1 / §5).
STAGES = ("institutionalization", "diagnosis", "operations", "monitoring")


class Cycle(db.Model):
    """A government's yearly implementation cycle (government × year)."""

    __tablename__ = "cycle"
    __table_args__ = (UniqueConstraint("government_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    government: Mapped[Government] = relationship()

    def __str__(self) -> str:
        return f"{self.government.name} — {self.year}"


class StateChangeError(RuntimeError):
    """A case's state was assigned outside a workflow transition."""


class Case(db.Model):
    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("government_id", "reference"),
        Index("ix_case_government_year", "government_id", "year"),
        Index("ix_case_type_state", "type", "state"),
        # Lists sort by last change (inbox, admin): the index serves ORDER BY … LIMIT without a sort.
        Index("ix_case_updated_at", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    year: Mapped[int]
    stage: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(40), index=True)
    workflow_id: Mapped[str] = mapped_column(String(60))
    custom: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The government marks it as one of its social-policy documents: its issued document must be
    # sent to meet the 30 June rule (supplementary provision 8, core/submissions.py).
    policy_document: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    government: Mapped[Government] = relationship()
    cycle: Mapped[Cycle] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    transitions: Mapped[list[CaseTransition]] = relationship(
        back_populates="case", order_by="CaseTransition.id", cascade="all, delete-orphan"
    )
    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", order_by="CaseParticipant.id", cascade="all, delete-orphan"
    )

    # version_id_col: every UPDATE says "WHERE version = <read version>", so a concurrent
    # writer that slipped in between read and write makes this one fail (no lost update).
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "case", "version_id_col": version}

    #: Set only by core.workflow while it applies a transition.
    _transition_in_progress = False

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


@event.listens_for(Case.state, "set", propagate=True)
def _state_changes_only_by_transition(target: Case, value: str, oldvalue: Any, initiator: Any) -> None:
    # A new case gets its initial state freely; afterwards only a transition may move it.
    if target.id is None or oldvalue is None or value == oldvalue:
        return

    if oldvalue is NO_VALUE:
        return
    if not target._transition_in_progress:
        raise StateChangeError(_("A case's state only changes through a transition of its workflow."))


class GenericCase(Case):
    """ "Expediente": the core's own case type, with no table of its own; custom fields and its
    workflow shape it, so the engine is usable (and testable) with no plugin enabled."""

    __mapper_args__ = {"polymorphic_identity": "generic"}


class CaseSearchTerm(db.Model):
    """One word of a case's reference or title, lower case and without accents (``core.cases.search``
    keeps them on every write): the case search looks words up here by index instead of scanning."""

    __tablename__ = "case_search_term"
    __table_args__ = (Index("ix_case_search_term_term", "term", "case_id"),)
    __audit__ = False  # derived from the case's own audited fields

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(40), primary_key=True)


class CaseTransition(db.Model):
    """One applied transition: who moved the case from which state to which, when, and why."""

    __tablename__ = "case_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)  # the admin list's sort

    case: Mapped[Case] = relationship(back_populates="transitions")
    user: Mapped[User | None] = relationship()


class CaseParticipant(db.Model):
    """A participant government of a case (DESIGN §11, cross-government work): a convenio's
    municipality, say. Its users read the case and act on their part — the transitions whose
    ``party`` is this ``party_role`` — through core.security, never through a bypass."""

    __tablename__ = "case_participant"
    __table_args__ = (UniqueConstraint("case_id", "government_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    party_role: Mapped[str] = mapped_column(String(40), default="participant")

    case: Mapped[Case] = relationship(back_populates="participants")
    government: Mapped[Government] = relationship()


class ReferenceCounter(db.Model):
    """The last sequence number used per government, case type and year."""

    __tablename__ = "reference_counter"
    __table_args__ = (UniqueConstraint("government_id", "case_type", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    case_type: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


class ReferencePattern(db.Model):
    """A government's own numbering pattern for a case type (no row: the type's default).

    Tokens: ``{seq}`` (``{seq:03d}`` zero-padded), ``{year}``, ``{acronym}`` (the
    government's), ``{type}``. E.g. ``ORDENANZA REGIONAL N° {seq:03d}-{year}-{acronym}/CR``.
    """

    __tablename__ = "reference_pattern"
    __table_args__ = (UniqueConstraint("government_id", "case_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)
    case_type: Mapped[str] = mapped_column(String(40))
    pattern: Mapped[str] = mapped_column(String(160))

    government: Mapped[Government | None] = relationship()


CUSTOM_FIELD_TYPES = (
    "text",
    "long_text",
    "integer",
    "decimal",
    "money",
    "date",
    "choice",
    "multi_choice",
    "boolean",
    "district",
)


class CustomField(db.Model):
    """A field an administrator added to a case type, without code. Archiving hides it; values stay."""

    __tablename__ = "custom_field"
    __table_args__ = (UniqueConstraint("case_type", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_type: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(160))
    field_type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    choices: Mapped[str | None] = mapped_column(Text)  # one choice per line
    help_text: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in (self.choices or "").splitlines() if c.strip()]

    def __str__(self) -> str:
        return f"{self.case_type}.{self.name}"


class WorkflowDefinition(db.Model):
    """A workflow as data: the YAML a plugin ships, editable by an administrator, validated on save."""

    __tablename__ = "workflow_definition"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80))  # plugin (or "core") that ships it
    source: Mapped[str] = mapped_column(Text)  # the YAML text as last saved
    shipped_checksum: Mapped[str] = mapped_column(String(64))  # of the YAML the plugin shipped
    edited: Mapped[bool] = mapped_column(Boolean, default=False)  # an administrator changed it
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def __str__(self) -> str:
        return self.id
