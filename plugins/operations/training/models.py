"""Tables of training, technical assistance and educational communication: the event (a case)
and the educational-communication plan (a case) with its actions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Case

#: Who gives the training (seed list of the Norma's actors; "other" names it in ``provider_other``).
PROVIDERS = {
    "st_cias": "ST-CIAS",
    "mef": "MEF",
    "inei": "INEI",
    "cenan": "CENAN",
    "juntos": "JUNTOS",
    "region": "Gobierno Regional",
    "other": "Otro",
}
EVENT_KINDS = {"training": "Capacitación", "technical_assistance": "Asistencia técnica"}
#: The components of the educational-communication plan.
ACTION_KINDS = {
    "campaign": "Campaña",
    "contest": "Concurso",
    "dissemination": "Difusión de experiencias exitosas",
    "online_consultation": "Consultas en línea",
    "virtual_manual": "Manual virtual",
}


class TrainingEvent(Case):
    """A training or technical-assistance event; the title is its topic."""

    __tablename__ = "operations_training_event"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_other: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="training")
    audience: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    participants_women: Mapped[int | None] = mapped_column(Integer)
    participants_men: Mapped[int | None] = mapped_column(Integer)
    participants_total: Mapped[int | None] = mapped_column(Integer)

    __mapper_args__ = {"polymorphic_identity": "training_event"}

    @property
    def topic(self) -> str:
        return self.title

    @property
    def provider_name(self) -> str:
        if self.provider == "other" and self.provider_other:
            return self.provider_other
        return PROVIDERS.get(self.provider, self.provider)


class CommunicationPlan(Case):
    """The government's educational-communication plan of a year; the title is its name."""

    __tablename__ = "operations_communication_plan"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    objective: Mapped[str | None] = mapped_column(Text)

    actions: Mapped[list[CommunicationAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CommunicationAction.start_date"
    )

    __mapper_args__ = {"polymorphic_identity": "communication_plan"}

    @property
    def name(self) -> str:
        return self.title


class CommunicationAction(db.Model):
    """One action of the plan: a campaign, a contest, the dissemination of a successful experience…"""

    __tablename__ = "operations_communication_action"
    __audit_parent__ = "plan_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("operations_communication_plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str | None] = mapped_column(String(300))
    reach: Mapped[int | None] = mapped_column(Integer)  # people reached (or planned)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    medium: Mapped[str | None] = mapped_column(String(200))

    plan: Mapped[CommunicationPlan] = relationship(back_populates="actions")
