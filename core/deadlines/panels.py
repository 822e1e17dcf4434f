"""Deadlines on other pages: the case and cycle panels and the dashboard widget."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.deadlines.generation import ensure_deadlines
from core.deadlines.models import Deadline, DeadlineRule, Notification
from core.deadlines.settings import lima_today
from core.deadlines.status import _rows, case_deadlines_query
from core.extensions import db
from core.models import Case, Government
from core.panels import Panel, register_case_panel, register_cycle_panel
from core.security import current_scope


def case_panel_context(case: Case, **_: Any) -> dict[str, Any] | None:
    deadlines = db.session.scalars(case_deadlines_query(case)).unique().all()
    if not deadlines:
        return None
    return {"rows": _rows(list(deadlines))}


def cycle_panel_context(government: Government, year: int, **_: Any) -> dict[str, Any]:
    ensure_deadlines(year, [government.id])
    deadlines = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(Deadline.government_id == government.id, Deadline.year == year, DeadlineRule.active.is_(True))
        .options(joinedload(Deadline.case), joinedload(Deadline.met_by), joinedload(Deadline.met_case))
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    return {"rows": _rows(list(deadlines)), "government_id": government.id, "year": year}


def register_panels() -> None:
    register_case_panel(Panel("deadlines", "deadlines/_case_panel.html", case_panel_context, order=30))
    register_cycle_panel(Panel("deadlines", "deadlines/_cycle_panel.html", cycle_panel_context, order=10))


def dashboard_widget(user: Any) -> dict[str, Any]:
    """Unread notifications and the next (or overdue) deadlines of the user's governments."""
    scope = current_scope()
    today = lima_today()
    unread_query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    unread = db.session.scalars(unread_query.order_by(Notification.created_at.desc()).limit(5)).all()
    unread_total = db.session.scalar(select(func.count()).select_from(unread_query.subquery())) or 0
    upcoming: list[tuple[Deadline, str]] = []
    if scope.direct:
        ensure_deadlines(today.year, sorted(scope.direct))
        upcoming = _rows(
            list(
                db.session.scalars(
                    select(Deadline)
                    .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
                    .where(
                        Deadline.government_id.in_(scope.direct),
                        DeadlineRule.active.is_(True),
                        Deadline.met_at.is_(None),
                        Deadline.due_date >= date(today.year - 1, 1, 1),
                    )
                    .options(joinedload(Deadline.government))
                    .order_by(Deadline.due_date, Deadline.id)
                    .limit(8)
                )
            ),
            today,
        )
    return {
        "title": _("Deadlines"),
        "template": "deadlines/_widget.html",
        "context": {"unread": unread, "unread_total": unread_total, "upcoming": upcoming},
        "order": 10,
    }
