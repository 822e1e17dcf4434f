"""The case page's panels of stage 1 (the body's composition and ordinances, the ordinance's text)
and the dashboard widget (each government's body, missing categories and next deadline).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import deadlines as deadline_rules  # by module: tests set its «today»
from core.cycles import current_year
from core.deadlines.models import Deadline, DeadlineRule
from core.extensions import db
from core.models import Case, Government
from core.panels import Panel, register_case_panel
from core.security import can, scope_for
from core.workflow import get_workflow
from plugins.institutionalization.composition import by_category, composition
from plugins.institutionalization.models import BODY_CLOSED_STATES, ArticulationBody, Ordinance
from plugins.institutionalization.ordinance_text import minimum_content_gaps

# --- panels of the case page ---------------------------------------------------------------------------


def _body_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if not isinstance(case, ArticulationBody):
        return None
    check = composition(case)
    ordinances = db.session.scalars(
        select(Ordinance).where(Ordinance.body_id == case.id).order_by(Ordinance.id.desc())
    ).all()
    return {
        "body": case,
        "check": check,
        "groups": by_category(check.members),
        "ordinances": ordinances,
        "ordinance_workflow": get_workflow("ordinance"),
        "current_year": current_year(),
        "can_edit": can(scope, "institutionalization.body.edit", case),
    }


def _ordinance_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if not isinstance(case, Ordinance):
        return None
    return {
        "ordinance": case,
        "gaps": minimum_content_gaps(case) if not case.text_frozen else [],
        "can_edit_text": can(scope, "institutionalization.ordinance.edit_text", case),
    }


def register_panels() -> None:
    register_case_panel(Panel("institutionalization.body", "institutionalization/panel_body.html", _body_panel, 20))
    register_case_panel(
        Panel("institutionalization.ordinance", "institutionalization/panel_ordinance.html", _ordinance_panel, 20)
    )


# --- the dashboard widget ------------------------------------------------------------------------------

WIDGET_LIMIT = 10


def dashboard_widget(user: Any) -> dict[str, Any]:
    """Body status, missing categories and next deadline of the user's own governments; for
    national roles (who reach every government) the count of bodies per state."""
    scope = scope_for(user)
    workflow = get_workflow("articulation_body")
    context: dict[str, Any] = {"rows": [], "totals": [], "workflow": workflow}
    own = sorted(scope.direct)[:WIDGET_LIMIT]
    if own:
        governments = db.session.scalars(select(Government).where(Government.id.in_(own)).order_by(Government.name))
        bodies = db.session.scalars(
            select(ArticulationBody)
            .where(ArticulationBody.government_id.in_(own), ArticulationBody.state.not_in(BODY_CLOSED_STATES))
            .order_by(ArticulationBody.id.desc())
        ).all()
        latest: dict[int, ArticulationBody] = {}
        for body in bodies:
            latest.setdefault(body.government_id, body)
        deadlines = next_deadlines(own)
        for government in governments:
            body = latest.get(government.id)
            context["rows"].append(
                {
                    "government": government,
                    "body": body,
                    "check": composition(body) if body else None,
                    "deadline": deadlines.get(government.id),
                }
            )
    elif scope.everything:
        context["totals"] = db.session.execute(
            select(ArticulationBody.state, func.count())
            .group_by(ArticulationBody.state)
            .order_by(ArticulationBody.state)
        ).all()
    return {
        "title": _l("Coordination bodies"),
        "template": "institutionalization/widget.html",
        "context": context,
        "order": 10,
    }


def next_deadlines(government_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each government's next unmet deadline of the current year still ahead (generated if
    missing, as the deadlines pages do)."""
    # The current year's deadlines still ahead: a standing body created in 2008 must not put
    # 30 June 2008 next to the 2026 cycle (overdue ones are on the deadlines page).
    today = deadline_rules.lima_today()
    years = [today.year]
    deadline_rules.ensure_deadlines(today.year, government_ids)
    rows = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            Deadline.government_id.in_(government_ids),
            Deadline.year.in_(years),
            Deadline.due_date >= today,
            Deadline.met_at.is_(None),
            DeadlineRule.active.is_(True),
        )
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    found: dict[int, dict[str, Any]] = {}
    for deadline in rows:
        if deadline.government_id not in found:
            found[deadline.government_id] = {
                "label": deadline_rules.reader_label(deadline),
                "due": deadline.due_date,
                "status": deadline_rules.status_now(deadline),
            }
    return found
