"""The dashboard widget of quality supervision (hook ``dashboard_widgets``): the open commitments of the visits
of the user's own governments (the national roles: of every government) — how many, how many overdue, and the
overdue ones, earliest first. Two statements whatever the number of visits."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from core.deadlines import lima_today
from core.extensions import db
from core.security import scope_for
from plugins.monitoring.supervision.models import SupervisionVisit, VisitFinding

#: How many overdue commitments the widget lists.
WIDGET_LIMIT = 5


def dashboard_widget(user: Any) -> dict[str, Any] | None:
    scope = scope_for(user)
    if not scope.everything and not scope.direct:
        return None
    today = lima_today()
    open_commitment = (VisitFinding.commitment.is_not(None), VisitFinding.status != "done")
    overdue = VisitFinding.due_date < today
    query = select(func.count(VisitFinding.id), func.count(case((overdue, VisitFinding.id)))).join(
        SupervisionVisit, SupervisionVisit.id == VisitFinding.visit_id
    )
    listed = (
        select(VisitFinding)
        .join(SupervisionVisit, SupervisionVisit.id == VisitFinding.visit_id)
        .where(*open_commitment, overdue)
        .options(joinedload(VisitFinding.visit))
        .order_by(VisitFinding.due_date, VisitFinding.id)
        .limit(WIDGET_LIMIT)
    )
    if not scope.everything:
        own = sorted(scope.direct)
        query = query.where(SupervisionVisit.government_id.in_(own))
        listed = listed.where(SupervisionVisit.government_id.in_(own))
    total, late = db.session.execute(query.where(*open_commitment)).one()
    return {
        "title": _("Supervision commitments"),
        "template": "monitoring/supervision/widget.html",
        "context": {"open": total, "overdue": late, "findings": list(db.session.scalars(listed)), "today": today},
        "order": 45,
    }
