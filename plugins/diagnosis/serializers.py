"""What the API returns of a plan and a diagnosis: also the case types' ``serialize`` (the extra
fields of GET /api/v1/cases/<id>). The nominal list of item (g) is never part of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.fields import RecordFields
from core.models import Case
from plugins.diagnosis import instruments, matrix
from plugins.diagnosis.fields import ACTIVITY, BASELINE, INDICATOR, PLAN_SECTIONS, RESULT
from plugins.diagnosis.models import Baseline, Diagnosis, month_list

#: Stored values read otherwise than as the attribute (JSON may hold anything a hand-edit put there).
READERS = {"months": lambda row: month_list(row.months), "measure": lambda row: row.measure or None}


def _plain(value: Any) -> Any:
    """A catalog entry (strategic program, institution) by its key; a list of them by their keys."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return getattr(value, "key", value)


def serialize_row(fields: RecordFields, row: Any) -> dict[str, Any]:
    """A row (of the matrix, a baseline) as the API returns it: its declared fields, catalog entries by key."""
    out: dict[str, Any] = {"id": row.id}
    for f in fields.inputs:
        value = READERS[f.name](row) if f.name in READERS else getattr(row, f.name)
        out[f.name] = f.to_json(_plain(value))
    return out


# --- serializers (also the case types' ``serialize``: extra fields of GET /cases/<id>) -------------------


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
                    **serialize_row(RESULT, res),
                    "indicators": [serialize_row(INDICATOR, ind) for ind in res.indicators],
                    "activities": [serialize_row(ACTIVITY, act) for act in res.activities],
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
                    **serialize_row(BASELINE, b),
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
