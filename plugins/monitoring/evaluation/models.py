"""Tables of the yearly evaluation of a Plan Articulado (§5.1.4, §5.2.4: "evaluación y ajuste … que permitirá
afinar las intervenciones y metas"): the evaluation (a case of the plan's government and year), the appraisal
of each result's interventions (eficacia, eficiencia, efectividad) and the goal adjustments for next year."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Case
from plugins.diagnosis.models import Plan, PlanIndicator, PlanResult


class PlanEvaluation(Case):
    """Evaluación anual of a plan; approving it feeds the adjusted goals into next year's plan, or into a reformulated
    version of the plan."""

    __tablename__ = "monitoring_plan_evaluation"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("articulated_plan.id"), index=True)
    lessons: Mapped[str | None] = mapped_column(Text)  # lecciones aprendidas
    conclusions: Mapped[str | None] = mapped_column(Text)
    # next year's plan the adjusted goals went into (set on approval); no foreign key, as Plan.body_id
    next_plan_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # or, approved "to reformulate", the new version of the same plan that replaces it once re-approved (its
    # PDF supersedes the earlier plan's); no foreign key either
    reformulated_plan_id: Mapped[int | None] = mapped_column(Integer, index=True)

    plan: Mapped[Plan] = relationship(foreign_keys=[plan_id])
    appraisals: Mapped[list[ResultAppraisal]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="ResultAppraisal.id"
    )
    adjustments: Mapped[list[GoalAdjustment]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="GoalAdjustment.id"
    )

    __mapper_args__ = {"polymorphic_identity": "plan_evaluation", "inherit_condition": id == Case.id}


class ResultAppraisal(db.Model):
    """How a result's interventions did: eficacia (goals reached), eficiencia (resources used), efectividad
    (effect on the population)."""

    __tablename__ = "monitoring_result_appraisal"
    __audit_parent__ = "evaluation_id"
    __table_args__ = (UniqueConstraint("evaluation_id", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_plan_evaluation.id", ondelete="CASCADE"), index=True
    )
    result_id: Mapped[int] = mapped_column(ForeignKey("plan_result.id", ondelete="CASCADE"), index=True)
    efficacy: Mapped[str | None] = mapped_column(Text)
    efficiency: Mapped[str | None] = mapped_column(Text)
    effectiveness: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[PlanEvaluation] = relationship(back_populates="appraisals")
    result: Mapped[PlanResult] = relationship()


class GoalAdjustment(db.Model):
    """A plan indicator's goal for next year, adjusted by the evaluation, with its justification."""

    __tablename__ = "monitoring_goal_adjustment"
    __audit_parent__ = "evaluation_id"
    __table_args__ = (UniqueConstraint("evaluation_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_plan_evaluation.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("plan_indicator.id", ondelete="CASCADE"), index=True)
    target: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    justification: Mapped[str] = mapped_column(Text)

    evaluation: Mapped[PlanEvaluation] = relationship(back_populates="adjustments")
    indicator: Mapped[PlanIndicator] = relationship()
