"""Deadline statuses (pending, due soon, met, met late, late), computed in Python and in SQL side by side,
and the queries built on them: a case's deadlines, counts per status, the inbox's overdue filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from core.deadlines.models import STATUSES, Deadline, DeadlineRule
from core.deadlines.settings import due_soon_days, lima_today
from core.extensions import db
from core.models import Case

# --- statuses ---------------------------------------------------------------------------------------

STATUS_LABELS = {
    "pending": "Pendiente",
    "due_soon": "Por vencer",
    "met": "Cumplido",
    "met_late": "Cumplido con retraso",
    "late": "Vencido",
}


def status_of(due: date, met_on: date | None, today: date, soon_days: int) -> str:
    """The status of a deadline — the same rules as ``status_expression``."""
    if met_on is not None:
        return "met" if met_on <= due else "met_late"
    if due < today:
        return "late"
    if due <= today + timedelta(days=soon_days):
        return "due_soon"
    return "pending"


def status_expression(today: date, soon_days: int) -> ColumnElement[str]:
    """The status as a SQL expression — the same rules as ``status_of``."""
    return case(
        (and_(Deadline.met_on.is_not(None), Deadline.met_on <= Deadline.due_date), "met"),
        (Deadline.met_on.is_not(None), "met_late"),
        (Deadline.due_date < today, "late"),
        (Deadline.due_date <= today + timedelta(days=soon_days), "due_soon"),
        else_="pending",
    )


def status_now(deadline: Deadline) -> str:
    return status_of(deadline.due_date, deadline.met_on, lima_today(), due_soon_days())


def status_css(status: str) -> str:
    """CSS classes of a status; met-late shows as late, and can be styled on its own."""
    return "status-late status-met_late" if status == "met_late" else f"status-{status}"


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Deadlines not met and past due."""
    return and_(Deadline.met_at.is_(None), Deadline.due_date < today)


STATUS_UI = {
    "pending": _l("Pending"),
    "due_soon": _l("Due soon"),
    "met": _l("Met"),
    "met_late": _l("Met late"),
    "late": _l("Late"),
}


def _rows(deadlines: list[Deadline], today: date | None = None) -> list[tuple[Deadline, str]]:
    today = today or lima_today()
    soon = due_soon_days()
    return [(d, status_of(d.due_date, d.met_on, today, soon)) for d in deadlines]


def status_counts(query: Any, today: date, soon: int) -> dict[str, int]:
    """Deadlines of ``query`` per status (grouped over a subquery: PostgreSQL will not group by a
    CASE whose parameters are bound twice)."""
    sub = query.with_only_columns(status_expression(today, soon).label("status")).order_by(None).subquery()
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)):
        counts[status] = count
    return counts


def case_deadlines_query(case: Case) -> Any:
    """A case's deadlines: its own (event rules), those it met, and its government's deadline of the
    case's year when the rule is bound to the case's type."""
    return (
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            DeadlineRule.active.is_(True),
            or_(
                Deadline.case_id == case.id,
                Deadline.met_case_id == case.id,
                and_(
                    Deadline.case_id.is_(None),
                    Deadline.government_id == case.government_id,
                    Deadline.year == case.year,
                    DeadlineRule.case_type == case.type,
                ),
            ),
        )
        .options(joinedload(Deadline.met_by), joinedload(Deadline.met_case))
        .order_by(Deadline.due_date, Deadline.id)
    )


def inbox_overdue_filter(query: Any, value: str) -> Any:
    """Inbox ``?overdue=1``: cases with a late, unmet deadline — their own, or their government's
    deadline of the case's year when the rule is bound to the case's type."""
    if value in ("", "0"):
        return query
    today = lima_today()
    own = select(Deadline.id).where(Deadline.case_id == Case.id, overdue_clause(today)).correlate(Case)
    bound = (
        select(Deadline.id)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            Deadline.case_id.is_(None),
            Deadline.government_id == Case.government_id,
            Deadline.year == Case.year,
            DeadlineRule.case_type == Case.type,
            DeadlineRule.active.is_(True),
            overdue_clause(today),
        )
        .correlate(Case)
    )
    return query.where(or_(own.exists(), bound.exists()))
