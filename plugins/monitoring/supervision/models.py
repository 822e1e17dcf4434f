"""Tables of quality supervision and community monitoring.

- ``SupervisionChecklist`` / ``ChecklistItem``: a «ficha de supervisión» per kind of service, its weighted
  items (a national catalog, seeded from data/ and edited by administrators in the admin);
- ``SupervisionVisit`` (a case of the supervising government): date, place (ubigeo, facility), supervisor,
  its answers (``VisitAnswer``), score, and findings with commitments (``VisitFinding``) whose due dates
  are core deadlines;
- ``CommunityOrganization`` registered by a municipality and its ``CommunityReport`` s (what it observed,
  on which program and place), which the municipality consolidates and may turn into an action.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.deadlines.models import Deadline
from core.extensions import db
from core.models import Case, Government
from core.models.user import utcnow

#: Kinds of service a ficha supervises (§5.1.4: establecimientos de salud, instituciones educativas,
#: puntos de entrega de los programas); the Spanish names are the documents'.
SERVICE_KINDS = {
    "health_facility": "Establecimiento de salud",
    "school": "Institución educativa",
    "program_point": "Punto de entrega de programa social",
}
#: "na": no aplica — excluded from the score's denominator.
NOT_APPLICABLE = "na"
COMMITMENT_STATUSES = {"pending": "Pendiente", "done": "Cumplido"}
REPORT_STATUSES = {"received": "Recibido", "consolidated": "Consolidado", "acted": "Derivado"}


class SupervisionChecklist(db.Model):
    """A «ficha de supervisión»: the items a supervisor checks in one kind of service."""

    __tablename__ = "monitoring_checklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    service_kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="checklist", cascade="all, delete-orphan", order_by="ChecklistItem.position"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def kind_name(self) -> str:
        return SERVICE_KINDS.get(self.service_kind, self.service_kind)


class ChecklistItem(db.Model):
    """One item of a ficha: what is checked, in which section, its weight and its highest points
    (1: cumple / no cumple; more for a graded item, e.g. 0–2)."""

    __tablename__ = "monitoring_checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("monitoring_checklist.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    section: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(500))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("1"))
    max_points: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    checklist: Mapped[SupervisionChecklist] = relationship(back_populates="items")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class SupervisionVisit(Case):
    """A supervision visit of a government to a service: the case's title names the place and date."""

    __tablename__ = "monitoring_supervision_visit"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("monitoring_checklist.id"), index=True)
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    ubigeo: Mapped[str] = mapped_column(String(6), index=True)
    facility: Mapped[str] = mapped_column(String(300))
    supervisor: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # Percent 0–100, recomputed from the answers (scoring.py); None until an item is answered.
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))

    checklist: Mapped[SupervisionChecklist] = relationship()
    answers: Mapped[list[VisitAnswer]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitAnswer.item_id"
    )
    findings: Mapped[list[VisitFinding]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitFinding.number"
    )

    __mapper_args__ = {"polymorphic_identity": "supervision_visit"}


class VisitAnswer(db.Model):
    """The answer to one item: points 0..max_points, or not applicable (``points`` None)."""

    __tablename__ = "monitoring_visit_answer"
    __audit_parent__ = "visit_id"
    __table_args__ = (UniqueConstraint("visit_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("monitoring_supervision_visit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("monitoring_checklist_item.id"), index=True)
    points: Mapped[int | None] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(String(500))

    visit: Mapped[SupervisionVisit] = relationship(back_populates="answers")
    item: Mapped[ChecklistItem] = relationship()

    @property
    def not_applicable(self) -> bool:
        return self.points is None


class VisitFinding(db.Model):
    """A finding of the visit and the commitment it drew: who answers for it and by when (a deadline)."""

    __tablename__ = "monitoring_visit_finding"
    __audit_parent__ = "visit_id"
    __table_args__ = (UniqueConstraint("visit_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("monitoring_supervision_visit.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    finding: Mapped[str] = mapped_column(Text)
    commitment: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id", ondelete="SET NULL"), index=True)

    visit: Mapped[SupervisionVisit] = relationship(back_populates="findings")
    deadline: Mapped[Deadline | None] = relationship()


class CommunityOrganization(db.Model):
    """A community organization registered by a municipality for community monitoring (vigilancia)."""

    __tablename__ = "monitoring_community_organization"
    __table_args__ = (UniqueConstraint("government_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    ubigeo: Mapped[str] = mapped_column(String(6))
    representative: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    registered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    government: Mapped[Government] = relationship()
    reports: Mapped[list[CommunityReport]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="CommunityReport.report_date"
    )

    def __str__(self) -> str:
        return self.name


class CommunityReport(db.Model):
    """What a community organization observed, on which program and place; the municipality consolidates
    it and may turn it into an action (``action_key`` and what it made: ``action_label``, ``action_url``)."""

    __tablename__ = "monitoring_community_report"
    __government_path__ = "organization.government"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_community_organization.id", ondelete="CASCADE"), index=True
    )
    # Denormalized from the organization: the lists filter and scope on it without a join.
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    report_date: Mapped[date] = mapped_column(Date, index=True)
    program: Mapped[str] = mapped_column(String(200))
    ubigeo: Mapped[str] = mapped_column(String(6))
    place: Mapped[str] = mapped_column(String(300))
    observation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    consolidation_note: Mapped[str | None] = mapped_column(Text)
    action_key: Mapped[str | None] = mapped_column(String(60))
    action_label: Mapped[str | None] = mapped_column(String(300))
    action_url: Mapped[str | None] = mapped_column(String(300))
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_supervision_visit.id", ondelete="SET NULL"), index=True
    )

    organization: Mapped[CommunityOrganization] = relationship(back_populates="reports")
    visit: Mapped[SupervisionVisit | None] = relationship()
