"""The Convenio de Gestión (a case owned by the region) and its goals, commitments, support and progress.

The participant municipalities are the core's case participants (``core.models.CaseParticipant``,
party role ``counterpart``); an inter-institutional agreement (supplementary provision 4) names an
external party (university, NGO…) instead.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Case, Government, KeyIndicator
from core.models.attachments import Attachment
from core.models.user import utcnow
from plugins.diagnosis.models import PlanResult

#: The party role of a convenio's municipalities (the workflow's ``party: counterpart``).
COUNTERPART = "counterpart"
KINDS = ("management", "inter_institutional")
EXTERNAL_KINDS = ("university", "ngo", "cooperation", "private", "other")
SUPPORT_KINDS = ("training", "technical_assistance", "funds")


class Agreement(Case):
    """Convenio de Gestión (region ↔ municipalities) or inter-institutional agreement (region ↔ entity)."""

    __tablename__ = "operations_agreement"
    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="management")
    object: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    external_name: Mapped[str | None] = mapped_column(String(300))
    external_kind: Mapped[str | None] = mapped_column(String(30))
    external_ruc: Mapped[str | None] = mapped_column(String(11))

    goals: Mapped[list[AgreementGoal]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementGoal.id"
    )
    commitments: Mapped[list[AgreementCommitment]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementCommitment.id"
    )
    supports: Mapped[list[AgreementSupport]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementSupport.id"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="ProgressReport.id"
    )
    acceptances: Mapped[list[Acceptance]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Acceptance.id"
    )

    __mapper_args__ = {"polymorphic_identity": "agreement"}

    @property
    def counterparts(self) -> list[Government]:
        return [p.government for p in self.participants if p.party_role == COUNTERPART]

    @property
    def pending_counterparts(self) -> list[Government]:
        """The municipalities that have not accepted yet (each accepts on its side)."""
        accepted = {a.government_id for a in self.acceptances}
        return [g for g in self.counterparts if g.id not in accepted]


class AgreementGoal(db.Model):
    """Meta: tied to a result of the Plan Articulado or to a key indicator, with baseline and target."""

    __tablename__ = "operations_agreement_goal"
    __audit_parent__ = "agreement_id"
    __case_path__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    plan_result_id: Mapped[int | None] = mapped_column(ForeignKey("plan_result.id", ondelete="SET NULL"))
    key_indicator_id: Mapped[int | None] = mapped_column(ForeignKey("key_indicator.id"))
    unit: Mapped[str | None] = mapped_column(String(100))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    agreement: Mapped[Agreement] = relationship(back_populates="goals")
    plan_result: Mapped[PlanResult | None] = relationship()
    key_indicator: Mapped[KeyIndicator | None] = relationship()


class AgreementCommitment(db.Model):
    """Compromiso of one party: what, who, by when (not after the convenio's end); evidence attached."""

    __tablename__ = "operations_agreement_commitment"
    __audit_parent__ = "agreement_id"
    __case_path__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement.id", ondelete="CASCADE"), index=True)
    # The party: the owner (None), a participant government, or the external party ("external").
    party_government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"))
    party_external: Mapped[bool] = mapped_column(default=False)
    what: Mapped[str] = mapped_column(String(500))
    who: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    fulfilled_on: Mapped[date | None] = mapped_column(Date)

    agreement: Mapped[Agreement] = relationship(back_populates="commitments")
    party_government: Mapped[Government | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Evidence.id"
    )

    @property
    def party_name(self) -> str:
        if self.party_external:
            return self.agreement.external_name or ""
        return (self.party_government or self.agreement.government).name


class Evidence(db.Model):
    """A file (a core attachment of the agreement) filed as evidence of a commitment by its party."""

    __tablename__ = "operations_agreement_evidence"
    __audit_parent__ = "commitment_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("operations_agreement_commitment.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="CASCADE"), index=True)

    commitment: Mapped[AgreementCommitment] = relationship(back_populates="evidence")
    attachment: Mapped[Attachment] = relationship()


class AgreementSupport(db.Model):
    """Medida de apoyo of the region: training, technical assistance or funds (amount in soles)."""

    __tablename__ = "operations_agreement_support"
    __audit_parent__ = "agreement_id"
    __case_path__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(500))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    agreement: Mapped[Agreement] = relationship(back_populates="supports")


class ProgressReport(db.Model):
    """Informe de avance of a period ("2009-S1"): the value achieved for each goal."""

    __tablename__ = "operations_agreement_report"
    __audit_parent__ = "agreement_id"
    __case_path__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="reports")
    values: Mapped[list[ProgressValue]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ProgressValue.id"
    )


class ProgressValue(db.Model):
    """The value achieved for one goal in one progress report."""

    __tablename__ = "operations_agreement_progress"
    __audit_parent__ = "report_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement_report.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement_goal.id", ondelete="CASCADE"), index=True)
    achieved: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    report: Mapped[ProgressReport] = relationship(back_populates="values")
    goal: Mapped[AgreementGoal] = relationship()


class Acceptance(db.Model):
    """A municipality's acceptance of the convenio, by its coordinator (the last one moves it to "agreed")."""

    __tablename__ = "operations_agreement_acceptance"
    __audit_parent__ = "agreement_id"
    __case_path__ = "agreement"
    __table_args__ = (UniqueConstraint("agreement_id", "government_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("operations_agreement.id", ondelete="CASCADE"), index=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="acceptances")
    government: Mapped[Government] = relationship()
