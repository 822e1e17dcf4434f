"""What the API returns of a plan and a diagnosis: also the case types' ``serialize`` (the extra
fields of GET /api/v1/cases/<id>). The nominal list of item (g) is never part of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Case
from plugins.diagnosis import instruments, matrix
from plugins.diagnosis.fields import PLAN_SECTIONS
from plugins.diagnosis.models import Baseline, Diagnosis, PlanActivity, month_list


def _dec(value: Any) -> str | None:
    return None if value is None else str(value)


# --- serializers (also the case types' ``serialize``: extra fields of GET /cases/<id>) -------------------


def activity_json(act: PlanActivity) -> dict[str, Any]:
    return {
        "id": act.id,
        "name": act.name,
        "budget": _dec(act.budget),
        "strategic_program": act.strategic_program.key if act.strategic_program else None,
        "funding_source": act.funding_source,
        "institutions": [i.key for i in act.institutions],
        "months": month_list(act.months),
        "official": act.official,
        "physical_goal": _dec(act.physical_goal),
        "physical_unit": act.physical_unit,
        "communities": act.communities,
    }


def plan_json(case: Case) -> dict[str, Any]:
    plan = matrix.load_plan(case.id)
    figures = matrix.totals(plan)
    return {
        "plan": {
            "acronym": plan.acronym,
            "sections": {f.name: getattr(plan, f.name) for f in PLAN_SECTIONS},
            "approval": {
                "instrument": plan.approval_instrument,
                "number": plan.approval_number,
                "date": plan.approval_date.isoformat() if plan.approval_date else None,
            },
            "previous_plan_id": plan.previous_plan_id,
            "results": [
                {
                    "id": res.id,
                    "name": res.name,
                    "goal_value": res.goal_value,
                    "goal_unit": res.goal_unit,
                    "indicators": [
                        {
                            "id": ind.id,
                            "name": ind.name,
                            "formula": ind.formula,
                            "source": ind.source,
                            "baseline": _dec(ind.baseline),
                            "target": _dec(ind.target),
                        }
                        for ind in res.indicators
                    ],
                    "activities": [activity_json(a) for a in res.activities],
                }
                for res in plan.results
            ],
            "totals": {
                "total": str(figures.total),
                "by_result": [{"result_id": r.id, "total": str(t)} for r, t in figures.by_result],
                "by_strategic_program": [{"program": n, "total": str(t)} for n, t in figures.by_program],
            },
            "gaps": matrix.gaps(plan),
        }
    }


def diagnosis_json(case: Case) -> dict[str, Any]:
    diagnosis: Diagnosis = case  # type: ignore[assignment]
    items = instruments.social_items()
    records = instruments.records_with_values(diagnosis.id)
    grid = instruments.coincidence_matrix(diagnosis)
    baselines = db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == diagnosis.id)).all()
    territory_ubigeo = {t.id: t.ubigeo for t in instruments.territories_in_scope(diagnosis.government)}
    indicator_position = {i.id: i.position for i in instruments.key_indicators()}
    letters = {i.id: i.letter for i in items}
    return {
        "diagnosis": {
            "summary": diagnosis.summary,
            "methodology": diagnosis.methodology,
            "keeps_nominal_list": diagnosis.keeps_nominal_list,
            # Item (g) is the count only: the nominal list is never part of the API.
            "fichas": [
                {
                    "ubigeo": r.territory.ubigeo,
                    "district": r.territory.name,
                    "items": {
                        letters[v.item_id]: {
                            "value": v.value,
                            "source": v.source,
                            "date": v.as_of.isoformat() if v.as_of else None,
                            "notes": v.notes,
                        }
                        for v in r.values
                        if v.item_id in letters
                    },
                }
                for r in records
            ],
            "baselines": [
                {
                    "ubigeo": territory_ubigeo.get(b.territory_id),
                    "indicator": indicator_position.get(b.indicator_id),
                    "measure": b.measure or None,
                    "value": str(b.value),
                    "year": b.year,
                    "source": b.source,
                }
                for b in baselines
            ],
            "coverage": [
                {"program": p.key, "ubigeo": d.ubigeo, "beneficiaries": c.beneficiaries}
                for (p_id, d_id), c in grid.cells.items()
                for p in grid.programs
                if p.id == p_id
                for d in grid.districts
                if d.id == d_id
            ],
            "uncovered_districts": [d.ubigeo for d in grid.uncovered_districts],
            "gaps": instruments.gaps(diagnosis),
        }
    }
