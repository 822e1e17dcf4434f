"""Tables of the results-based budget (PpR): budget lines of a plan's activities (PIA, PIM and devengado
per funding source, quarter and place) and the alignment threshold (national default, or a government's).

Lines reach their government through the plan (``__audit_parent__ = "plan_id"``); money is Numeric(14, 2).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Government, Territory

QUARTERS = (1, 2, 3, 4)
#: Below this share of the planned budget allocated (PIM / plan), a result is flagged (§5.2.3).
DEFAULT_MIN_SHARE = Decimal("0.80")


class BudgetLine(db.Model):
    """PIA, PIM and devengado of one plan activity, from one source, in one quarter and place."""

    __tablename__ = "operations_budget_line"
    __audit_parent__ = "plan_id"
    __table_args__ = (UniqueConstraint("activity_id", "source", "quarter", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("articulated_plan.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activity.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    quarter: Mapped[int] = mapped_column(Integer)
    # Where it is spent (a district of the government's territory; its own territory when not broken down).
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    pia: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    pim: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    accrued: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))  # devengado

    activity = relationship("PlanActivity")
    territory: Mapped[Territory] = relationship()

    @property
    def ubigeo(self) -> str:
        return self.territory.ubigeo


class AlignmentThreshold(db.Model):
    """The share of the planned budget a result must have allocated; ``government_id`` None: the
    national default, set by an administrator (a government's own row overrides it)."""

    __tablename__ = "operations_budget_threshold"

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), unique=True)
    share: Mapped[Decimal] = mapped_column(Numeric(4, 3))

    government: Mapped[Government | None] = relationship()
