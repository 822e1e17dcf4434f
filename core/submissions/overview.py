"""The national overview of the 30 June rule: one vocabulary, one computation, shared by the
Envíos and Plazos pages, their exports and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.deadlines.generation import ensure_deadlines
from core.deadlines.models import Deadline, DeadlineRule
from core.deadlines.settings import lima_today
from core.extensions import db
from core.models import Government
from core.models.submissions import Submission
from core.submissions.service import REGIONAL_RULE, missing_documents_of

# --- the national overview: one vocabulary, one computation (Envíos and Plazos) ---------------------

#: The statuses of a region for the 30 June rule, in the order pages and exports list them.
OVERVIEW_STATUSES = ("on_time", "late", "overdue", "not_sent")


def overview_status(due: date, met_on: date | None, today: date) -> str:
    """a tiempo / fuera de plazo / sin enviar (vencido) / sin enviar (before the date). The rule is
    met when everything required has been sent (``missing_documents``), on the date it was."""
    if met_on is not None:
        return "on_time" if met_on <= due else "late"
    return "overdue" if today > due else "not_sent"


@dataclass
class RegionStatus:
    government: Government
    status: str  # one of OVERVIEW_STATUSES
    submission: Submission | None  # the latest submission of the year under the rule
    due_date: date | None
    met_on: date | None = None
    missing: list[str] | None = None


def national_overview(year: int, rule_key: str = REGIONAL_RULE, region_id: int | None = None) -> list[RegionStatus]:
    """For a year, every regional government's status under the rule, from its deadline (the
    same record the Plazos page shows), with its latest submission and what is still missing."""

    query = select(Government).where(Government.kind == "regional").order_by(Government.name)
    if region_id:
        query = query.where(Government.id == region_id)
    regions = list(db.session.scalars(query))
    ids = [g.id for g in regions]
    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == rule_key))
    if rule is None or not ids:
        return []
    ensure_deadlines(year, ids)
    deadlines = {
        d.government_id: d
        for d in db.session.scalars(
            select(Deadline).where(
                Deadline.rule_id == rule.id,
                Deadline.year == year,
                Deadline.government_id.in_(ids),
                Deadline.case_id.is_(None),
            )
        )
    }
    latest: dict[int, Submission] = {}
    for submission in db.session.scalars(
        select(Submission)
        .where(Submission.year == year, Submission.rule_key == rule_key, Submission.government_id.in_(ids))
        .order_by(Submission.submitted_at, Submission.id)
    ):
        latest[submission.government_id] = submission
    today = lima_today()
    unmet = [r for r in regions if r.id in deadlines and deadlines[r.id].met_on is None]
    missing_of = missing_documents_of(unmet, year)
    rows = []
    for region in regions:
        deadline = deadlines.get(region.id)
        if deadline is None:
            continue
        status = overview_status(deadline.due_date, deadline.met_on, today)
        missing = missing_of.get(region.id, [])
        rows.append(RegionStatus(region, status, latest.get(region.id), deadline.due_date, deadline.met_on, missing))
    return rows


def overview_counts(rows: list[RegionStatus]) -> dict[str, int]:
    counts = dict.fromkeys(OVERVIEW_STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
