"""Demo budget (``articula setup --demo``): PIA, PIM and devengado per quarter for every activity of the
Huánuco region's 2008 Plan Articulado, with one result (the last) allocated well under its planned budget,
so the alignment check flags it. Written through ``operations.budget.line.set``; idempotent (a plan that
already has lines is left as it is). Figures are illustrative."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Government
from core.operations import run
from plugins.diagnosis.matrix import load_plan
from plugins.diagnosis.models import Plan
from plugins.operations.budget.models import BudgetLine

#: Share of each result's planned budget allocated (PIM) in the demo: the fourth is under-funded.
ALLOCATED = [Decimal("1.05"), Decimal("0.95"), Decimal("0.90"), Decimal("0.45")]
EXECUTED = [Decimal("0.30"), Decimal("0.25"), Decimal("0.22"), Decimal("0.15")]  # devengado per quarter / PIM


def load(app: Any) -> None:
    region = db.session.scalar(select(Government).where(Government.kind == "regional", Government.ubigeo == "100000"))
    if region is None:
        return
    plan_id = db.session.scalar(
        select(Plan.id).where(Plan.government_id == region.id, Plan.year == 2008).order_by(Plan.id).limit(1)
    )
    if plan_id is None or db.session.scalar(select(BudgetLine.id).where(BudgetLine.plan_id == plan_id).limit(1)):
        return
    plan = load_plan(plan_id)
    cent = Decimal("0.01")
    for n, result in enumerate(plan.results):
        share = ALLOCATED[min(n, len(ALLOCATED) - 1)]
        for activity in result.activities:
            planned = activity.budget or Decimal("0")
            source = "RO" if activity.funding_source in (None, "RO", "OTHER") else activity.funding_source
            if source not in ("RO", "RDR", "ROOC", "DyT", "RD"):
                source = "RO"
            per_quarter = (planned * share / 4).quantize(cent)
            for quarter in (1, 2, 3, 4):
                accrued = (per_quarter * EXECUTED[quarter - 1] * 4).quantize(cent)
                run(
                    "operations.budget.line.set",
                    None,
                    {
                        "plan_id": plan.id,
                        "activity_id": activity.id,
                        "source": source,
                        "quarter": str(quarter),
                        "pia": str((planned / 4).quantize(cent)),
                        "pim": str(per_quarter),
                        "accrued": str(min(accrued, per_quarter)),
                    },
                )
