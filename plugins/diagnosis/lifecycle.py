"""What happens when a case of this plugin is created, whichever way (web, API, admin, demo):
a diagnosis gets a Ficha Distrital per district in scope; a plan gets the CRECER objective and
the four results of Appendix 5 (unless it is next year's copy of another plan)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from plugins.diagnosis.models import Diagnosis, DistrictRecord, Plan


@event.listens_for(Session, "before_flush")
def _seed_new_cases(session: Session, flush_context: Any, instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, (Diagnosis, Plan))]
    if not new:
        return
    from plugins.diagnosis.instruments import districts_in_scope
    from plugins.diagnosis.matrix import seed_new_plan

    with session.no_autoflush:
        for case in new:
            if getattr(case, "_seeded", False) or case.government is None:
                continue
            case._seeded = True
            if isinstance(case, Diagnosis):
                if not case.records:
                    for district in districts_in_scope(case.government):
                        case.records.append(DistrictRecord(territory_id=district.id))
            else:
                if case.previous_plan_id is None and not case.results:
                    seed_new_plan(case)
                if case.diagnosis_id is None and case.diagnosis is None:
                    case.diagnosis = diagnosis_for(case)


def diagnosis_for(plan: Plan) -> Diagnosis | None:
    """The diagnosis a plan is based on: the government's diagnosis of the plan's year, else its
    latest earlier one (a plan is made from the diagnosis, §5.1.2, §5.2.2)."""
    from sqlalchemy import select

    from core.extensions import db

    government_id = plan.government.id if plan.government is not None else plan.government_id
    return db.session.scalar(
        select(Diagnosis)
        .where(Diagnosis.government_id == government_id, Diagnosis.year <= plan.year)
        .order_by(Diagnosis.year.desc(), Diagnosis.id.desc())
        .limit(1)
    )
