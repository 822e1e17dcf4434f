"""Tables of the social-investment portfolio: projects (SNIP/CUI), their funding by source, the dated
changes of phase and the physical and financial progress per period. Money is ``Numeric(14, 2)``.

A project belongs to one government (``government_id``: the scoping layer filters on it); its child
rows reach it through ``project_id`` (``__audit_parent__``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Government, InterventionLine, StrategicProgram
from core.models.user import utcnow

#: The investment cycle of a public project (SNIP, then Invierte.pe), in order.
PHASES = ("idea", "profile", "viable", "technical_file", "execution", "finished")
#: Progress is reported once the project is being executed.
PROGRESS_PHASES = ("execution", "finished")
CODE_KINDS = ("snip", "cui")
CATEGORIES = ("nutrition", "health", "sanitation", "education", "identity", "productive", "other")


class InvestmentProject(db.Model):
    """A public investment project (PIP) of a government's social-investment portfolio."""

    __tablename__ = "operations_investment_project"
    __table_args__ = (UniqueConstraint("government_id", "code_kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    code_kind: Mapped[str] = mapped_column(String(4))  # snip | cui
    code: Mapped[str] = mapped_column(String(7))
    name: Mapped[str] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(20))
    intervention_line_id: Mapped[int | None] = mapped_column(ForeignKey("intervention_line.id"))
    strategic_program_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_program.id"))
    # The plan activity it serves (diagnosis plugin's matrix); kept if the activity goes.
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("plan_activity.id", ondelete="SET NULL"), index=True)
    target_population: Mapped[str | None] = mapped_column(String(500))
    beneficiaries: Mapped[int | None] = mapped_column(Integer)
    places: Mapped[str | None] = mapped_column(String(2000))  # ubigeos, comma-separated
    cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    phase: Mapped[str] = mapped_column(String(20), default="idea")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    government: Mapped[Government] = relationship()
    intervention_line: Mapped[InterventionLine | None] = relationship()
    strategic_program: Mapped[StrategicProgram | None] = relationship()
    activity = relationship("PlanActivity")
    funding: Mapped[list[ProjectFunding]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectFunding.source"
    )
    phase_changes: Mapped[list[ProjectPhaseChange]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectPhaseChange.id"
    )
    progress: Mapped[list[ProjectProgress]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by=lambda: (ProjectProgress.year, ProjectProgress.quarter),
    )

    def __str__(self) -> str:
        return f"{self.code_kind.upper()} {self.code} — {self.name}"

    @property
    def place_codes(self) -> list[str]:
        return [p for p in (self.places or "").split(",") if p]

    @property
    def funded(self) -> Decimal:
        return sum((f.amount for f in self.funding), Decimal("0"))

    @property
    def latest_progress(self) -> ProjectProgress | None:
        return self.progress[-1] if self.progress else None


class ProjectFunding(db.Model):
    """How much of the project's cost a funding source pays."""

    __tablename__ = "operations_investment_funding"
    __audit_parent__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("operations_investment_project.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    project: Mapped[InvestmentProject] = relationship(back_populates="funding")


class ProjectPhaseChange(db.Model):
    """The project entered ``phase`` on ``on`` (the first row: the phase it was registered in)."""

    __tablename__ = "operations_investment_phase_change"
    __audit_parent__ = "project_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("operations_investment_project.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(1000))

    project: Mapped[InvestmentProject] = relationship(back_populates="phase_changes")


class ProjectProgress(db.Model):
    """Physical (percent) and financial (soles accrued to date) progress at the end of a quarter."""

    __tablename__ = "operations_investment_progress"
    __audit_parent__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("operations_investment_project.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    physical: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    financial: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    project: Mapped[InvestmentProject] = relationship(back_populates="progress")

    @property
    def period(self) -> str:
        return f"{self.year}-T{self.quarter}"

    @property
    def financial_percent(self) -> Decimal:
        cost = self.project.cost or Decimal("0")
        return (self.financial * 100 / cost).quantize(Decimal("0.1")) if cost else Decimal("0")
