"""What the agreement draws from elsewhere: baselines from the diagnosis, commitments as core deadlines,
the workflow's guards.

Commitments are deadlines of the rule «operations.agreement_commitment» (deadlines.yaml), one per
commitment (``period`` = the commitment's id, as the diagnosis's timetable does), created once the
agreement is in execution: so an overdue commitment shows as late on the dashboard, in lists and in
the calendar feed, and a fulfilled one is met on its date.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.deadlines import calendar_for, lima_date, rule_by_key
from core.deadlines.models import Deadline
from core.extensions import db
from plugins.diagnosis.models import Baseline, Diagnosis, PlanIndicator
from plugins.operations.agreements.models import Agreement

#: States in which commitments bind (deadlines exist).
BINDING_STATES = ("execution", "evaluated")


def diagnosis_baseline(
    agreement: Agreement, plan_result_id: int | None, key_indicator_id: int | None
) -> Decimal | None:
    """The baseline the diagnosis gives: the first indicator's of the plan result, else the region's latest
    diagnosis baseline of the key indicator for its own territory."""
    if plan_result_id:
        value = db.session.scalar(
            select(PlanIndicator.baseline)
            .where(PlanIndicator.result_id == plan_result_id, PlanIndicator.baseline.is_not(None))
            .order_by(PlanIndicator.position, PlanIndicator.id)
            .limit(1)
        )
        if value is not None:
            return Decimal(value).quantize(Decimal("0.01"))
    if key_indicator_id:
        value = db.session.scalar(
            select(Baseline.value)
            .join(Diagnosis, Diagnosis.id == Baseline.diagnosis_id)
            .where(
                Diagnosis.government_id == agreement.government_id,
                Baseline.indicator_id == key_indicator_id,
                Baseline.territory_id == agreement.government.territory_id,
                Baseline.measure == "",
            )
            .order_by(Baseline.year.desc(), Baseline.id.desc())
            .limit(1)
        )
        if value is not None:
            return Decimal(value).quantize(Decimal("0.01"))
    return None


def sync_commitment_deadlines(agreement: Agreement, user: Any = None) -> int:
    """Create the missing deadlines of the agreement's commitments (in execution), move unmet ones to
    their commitment's date, and meet those fulfilled. Returns how many were created."""
    if agreement.state not in BINDING_STATES:
        return 0
    rule = rule_by_key("operations.agreement_commitment")
    if rule is None or not rule.active:
        return 0
    have = {
        d.period: d
        for d in db.session.scalars(
            select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == agreement.id)
        )
    }
    working = calendar_for(agreement.government)
    created = 0
    for commitment in agreement.commitments:
        deadline = have.get(commitment.id)
        if deadline is None:
            deadline = Deadline(
                rule_id=rule.id,
                government_id=agreement.government_id,
                year=agreement.year,
                case_id=agreement.id,
                period=commitment.id,
                label=f"{agreement.reference}: {commitment.what}"[:300],
                due_date=working.roll_forward(commitment.due_date),
            )
            db.session.add(deadline)
            created += 1
        if deadline.met_at is None:
            deadline.due_date = working.roll_forward(commitment.due_date)
            if commitment.fulfilled_on is not None:
                at = datetime.combine(commitment.fulfilled_on, time(12))
                deadline.met_at, deadline.met_on = at, lima_date(at)
                deadline.met_by_id = getattr(user, "id", None)
                deadline.met_case_id = agreement.id
    db.session.flush()
    return created


# --- guards (workflow agreement.yaml) -------------------------------------------------------------------


def complete_blockers(agreement: Agreement) -> list[str]:
    """Before negotiation: object, term, at least one goal and one commitment."""
    reasons = []
    if not agreement.object:
        reasons.append(_("«Objeto del convenio» must be filled in."))
    if not agreement.start_date or not agreement.end_date:
        reasons.append(_("The term of the agreement (start and end) must be filled in."))
    if not agreement.goals:
        reasons.append(_("The agreement must have at least one goal."))
    if not agreement.commitments:
        reasons.append(_("The agreement must have at least one commitment."))
    return reasons


def counterpart_blockers(agreement: Agreement) -> list[str]:
    """Every municipality accepts on its side (operation ``operations.agreement.accept``) before it is agreed."""
    if not agreement.counterparts:
        return [_("The agreement has no participating municipalities: record the entity's agreement.")]
    return [
        _("The acceptance of %(government)s is missing.", government=g.name) for g in agreement.pending_counterparts
    ]


def external_blockers(agreement: Agreement) -> list[str]:
    if not agreement.external_name:
        return [_("This agreement has no external entity: the municipality accepts it.")]
    return []


def reports_blockers(agreement: Agreement) -> list[str]:
    if not agreement.reports:
        return [_("Record at least one progress report before evaluating the agreement.")]
    return []


def after_transition(case: Any, transition: Any, user: Any) -> None:
    """Starting execution turns the commitments into deadlines."""
    if isinstance(case, Agreement) and case.state in BINDING_STATES:
        sync_commitment_deadlines(case, user)
