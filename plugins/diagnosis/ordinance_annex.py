"""The ordinance and its plan (Norma 5.2.1): the ordinance "approves the objectives and goals of the
Plan Articulado, which as an annex form part of it". The plan records the ordinance that approves
its objectives and goals (``Plan.ordinance_id``); the ordinance's PDF carries them as its annex
(through the ``document_context`` hook, so stage 1 needs no knowledge of plans).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.cases import CaseError, editable_by
from core.extensions import db
from core.security import Scope
from plugins.diagnosis.models import Plan


def plan_of(ordinance: Any) -> Plan | None:
    """The plan whose objectives and goals the ordinance approves (the latest linked one)."""
    return db.session.scalar(select(Plan).where(Plan.ordinance_id == ordinance.id).order_by(Plan.id.desc()).limit(1))


def candidate_plans(ordinance: Any) -> list[Plan]:
    """Plans of the ordinance's government, newest first: the ones it may annex."""
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.government_id == ordinance.government_id)
            .order_by(Plan.year.desc(), Plan.id.desc())
            .limit(50)
        )
    )


def link(ordinance: Any, plan: Plan | None, scope: Scope, user: Any) -> None:
    """Link (or, with None, unlink) the plan; only while the ordinance's text may change: once the
    council approved it, its annex is part of what it approved. The caller commits."""
    if not editable_by(ordinance, scope) or ordinance.text_frozen:
        raise CaseError(
            _("The council already approved the ordinance (or you cannot modify it): its annex cannot be changed."),
            status=403 if not editable_by(ordinance, scope) else 409,
        )
    if plan is not None and plan.government_id != ordinance.government_id:
        raise CaseError(_("The Plan Articulado belongs to another government."), status=404)
    for previous in db.session.scalars(select(Plan).where(Plan.ordinance_id == ordinance.id)):
        previous.ordinance_id = None
    if plan is not None:
        plan.ordinance_id = ordinance.id
    ordinance.updated_by_id = getattr(user, "id", None)
    from core.models.user import utcnow

    ordinance.updated_at = utcnow()  # the case's version moves on: its annex changed


def _goal(result: Any) -> str:
    if result.goal_value is None:
        return "—"
    return f"{result.goal_value:,} {result.goal_unit or ''}".strip()


def annex(plan: Plan) -> dict[str, Any]:
    """The objectives and goals of the plan, as the annex prints them."""
    return {
        "title": plan.title,
        "reference": plan.reference,
        "acronym": plan.acronym,
        "year": plan.year,
        "name": "Plan Articulado Regional" if plan.is_regional else "Plan Articulado Local",
        "general_objective": plan.general_objective or "",
        "specific_objectives": plan.specific_objectives or "",
        "results": [
            {
                "number": number,
                "name": result.name,
                "goal": _goal(result),
                "indicators": [i.name for i in result.indicators],
            }
            for number, result in enumerate(plan.results, start=1)
        ],
    }


def document_context(case: Any, template: str) -> dict[str, Any] | None:
    """The ordinance's PDF: its annex, when a plan is linked."""
    from plugins.institutionalization.models import Ordinance

    if template != "ordinance" or not isinstance(case, Ordinance):
        return None
    plan = plan_of(case)
    return {"annex": annex(plan)} if plan is not None else None


def panel_context(case: Any, scope: Scope, **_: Any) -> dict[str, Any] | None:
    """The ordinance page's "Anexo: Plan Articulado" panel."""
    from plugins.institutionalization.models import Ordinance

    if not isinstance(case, Ordinance):
        return None
    return {
        "ordinance": case,
        "plan": plan_of(case),
        "plans": candidate_plans(case),
        "can_link": editable_by(case, scope) and not case.text_frozen,
    }
