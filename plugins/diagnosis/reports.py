"""The plugin's documents: the Plan Articulado and the diagnosis report, their contexts, their
registration with core.documents, and the plan's deadlines per timetable activity.

Templates are in documents/ (Spanish, extending documents/base.html). Item (g) appears in the
diagnosis report as a count only: the nominal list never reaches a document.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.documents import dated_in_cycle
from core.extensions import db
from core.formatting import money
from core.legal import LAWS, head_of, in_force
from core.models import Case
from plugins.diagnosis import charts, instruments
from plugins.diagnosis.labels import MONTHS_SHORT, SPANISH
from plugins.diagnosis.matrix import load_plan, totals
from plugins.diagnosis.models import (
    SURVEY_SECTIONS,
    WEALTH_CATEGORIES,
    Actor,
    ActorRelation,
    Cause,
    Diagnosis,
    SurveyAnswer,
    WealthItem,
    month_list,
)


def soles(amount: Decimal | int | str | None, on: date | None = None) -> str:
    """Working-table money on the document's date: "S/ 1,234,567.00", "S/. 850,000.00" before the Sol
    (Ley N° 30381; core.formatting.money, table style)."""
    return money(amount if amount is not None else Decimal("0"), on)


def plan_date(plan: Any) -> date:
    """The plan document's date: its approval, else today within its cycle year (core.documents)."""
    return dated_in_cycle(plan.year, plan.approval_date)


# --- Plan Articulado ---------------------------------------------------------------------------------


def plan_context(case: Case) -> dict[str, Any]:
    plan = load_plan(case.id)
    dated = plan_date(plan)
    figures = totals(plan)
    activities = [(n, res, act) for n, res in enumerate(plan.results, start=1) for act in res.activities]
    officials: dict[str, list[str]] = defaultdict(list)
    for _n, _res, act in activities:
        if act.official:
            officials[act.official].append(act.name)
    approval = None
    if plan.approval_instrument and plan.approval_number:
        approval = f"{SPANISH['instrument'].get(plan.approval_instrument, '')} N° {plan.approval_number}"
    return {
        "plan": plan,
        "doc_title": "Plan Articulado Regional" if plan.is_regional else "Plan Articulado Local",
        "plan_acronym": plan.acronym,
        "results": list(enumerate(plan.results, start=1)),
        "totals": figures,
        "soles": lambda amount: soles(amount, dated),
        "funding_label": lambda code: SPANISH["funding"].get(code or "", code or "—"),
        "months_short": MONTHS_SHORT,
        "timetable": [(n, res, act, set(month_list(act.months))) for n, res, act in activities],
        "officials": sorted(officials.items()),
        "approval": approval,
        "document_date": dated,
        "signatory_title": head_of(plan.government.kind, plan.government.name, dated),
    }


# --- Diagnosis report --------------------------------------------------------------------------------


def diagnosis_context(case: Case) -> dict[str, Any]:
    diagnosis: Diagnosis = db.session.get(Diagnosis, case.id)
    items = instruments.social_items()
    records = instruments.records_with_values(diagnosis.id)
    fichas = []
    for record in records:
        by_item = {v.item_id: v for v in record.values}
        fichas.append((record, [(item, by_item.get(item.id)) for item in items]))
    baselines = instruments.baselines_by_indicator(diagnosis)
    own_territory = diagnosis.government.territory_id
    indicator_sections = []
    sections = []  # one per indicator, or per measure of an indicator measured several ways
    for indicator in instruments.key_indicators():
        measures = instruments.measures_of(indicator)
        for key, measure in measures.items() if measures else [("", None)]:
            rows = [b for b in baselines.get(indicator.id, []) if b.measure == key]
            sections.append((indicator, measure, rows))
    for indicator, measure, rows in sections:
        if not rows:
            continue
        reference = next((b for b in rows if b.territory_id == own_territory), None)
        districts = [b for b in rows if b.territory_id != own_territory]
        title = f"{indicator.position}. {indicator.name}" + (f" — {measure.name}" if measure else "")
        chart = None
        if districts:
            chart = charts.indicator_by_district(
                title,
                indicator.unit or "",
                [(b.territory.name, b.value) for b in districts],
                (_reference_label(reference.territory), reference.value) if reference else None,
            )
        indicator_sections.append(
            {
                "indicator": indicator,
                "measure": measure.name if measure else None,
                "reference": reference,
                "rows": districts,
                "chart": chart,
            }
        )
    matrix = instruments.coincidence_matrix(diagnosis)
    coverage_chart = charts.programs_per_district([(d.name, matrix.district_count(d)) for d in matrix.districts])
    actors = db.session.scalars(
        select(Actor)
        .where(Actor.diagnosis_id == diagnosis.id)
        .options(selectinload(Actor.programs), selectinload(Actor.institution))
        .order_by(Actor.kind, Actor.name)
    ).all()
    relations = db.session.scalars(
        select(ActorRelation)
        .where(ActorRelation.diagnosis_id == diagnosis.id)
        .options(selectinload(ActorRelation.source), selectinload(ActorRelation.target))
        .order_by(ActorRelation.id)
    ).all()
    causes = db.session.scalars(select(Cause).where(Cause.diagnosis_id == diagnosis.id).order_by(Cause.id)).all()
    wealth = db.session.scalars(
        select(WealthItem)
        .where(WealthItem.diagnosis_id == diagnosis.id)
        .options(selectinload(WealthItem.territory))
        .order_by(WealthItem.category, WealthItem.name)
    ).all()
    survey = db.session.scalars(
        select(SurveyAnswer)
        .where(SurveyAnswer.diagnosis_id == diagnosis.id)
        .options(selectinload(SurveyAnswer.territory))
        .order_by(SurveyAnswer.territory_id, SurveyAnswer.section)
    ).all()
    dated = dated_in_cycle(diagnosis.year)
    return {
        "diagnosis": diagnosis,
        "document_date": dated,
        # Item (g) cites the personal-data law only if the report is dated after it came into force.
        "personal_data_law": LAWS["29733"].number if in_force("29733", dated) else "",
        "signatory_title": head_of(diagnosis.government.kind, diagnosis.government.name, dated),
        "doc_title": "Diagnóstico Regional" if diagnosis.government.kind == "regional" else "Diagnóstico Local",
        "items": items,
        "fichas": fichas,
        "indicator_sections": indicator_sections,
        "matrix": matrix,
        "coverage_chart": coverage_chart,
        "actors": actors,
        "relations": relations,
        "causes": [
            (level, label, [c for c in causes if c.level == level]) for level, label in SPANISH["cause"].items()
        ],
        "wealth": [
            (SPANISH["wealth"][cat], [w for w in wealth if w.category == cat])
            for cat in WEALTH_CATEGORIES
            if any(w.category == cat for w in wealth)
        ],
        "survey": [(SPANISH["survey"][key], [s for s in survey if s.section == key]) for key in SURVEY_SECTIONS],
        "labels": SPANISH,
    }


def _reference_label(territory: Any) -> str:
    """The line the districts are compared with: the region's (or province's) own value."""
    prefix = {"department": "Región", "province": "Provincia"}.get(territory.level, "")
    return f"{prefix} {territory.name}".strip()


# --- registration ------------------------------------------------------------------------------------


def register_documents() -> None:
    """Register the two documents with core.documents (called once per app, at start-up)."""
    from core.documents import register_document

    register_document(
        "plan_articulado", "diagnosis/plan_articulado.html", "Plan Articulado", ["articulated_plan"], plan_context
    )
    register_document("diagnostico", "diagnosis/diagnostico.html", "Diagnóstico", ["diagnosis"], diagnosis_context)
