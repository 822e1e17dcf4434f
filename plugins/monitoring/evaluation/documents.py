"""The «Informe de Evaluación Anual del Plan Articulado» (Spanish, documents/annual_evaluation.html): the key
indicators against their goals (the government's dashboard for the plan's year), each result with its
indicators (baseline, goal, adjusted goal) and the appraisal of its interventions (eficacia, eficiencia,
efectividad), the lessons learned and the goal adjustments with their justification. Issued on approval."""

from __future__ import annotations

from typing import Any

from core.formatting import number
from plugins.monitoring.dashboards.board import government_board
from plugins.monitoring.dashboards.charts import trend_uri
from plugins.monitoring.dashboards.documents import CHART_WORDS
from plugins.monitoring.dashboards.status import STATUS_ES
from plugins.monitoring.evaluation.models import PlanEvaluation


def _figure(value: Any) -> str:
    return "—" if value is None else number(value)


def evaluation_context(case: PlanEvaluation) -> dict[str, Any]:
    plan = case.plan
    board = government_board(case.government, case.year)
    indicators = []
    for line in board.lines:
        cell = board.cell(case.government_id, line)
        series = cell.series()
        indicators.append(
            {
                "label": line.label,
                "unit": line.unit,
                "baseline": _figure(cell.baseline),
                "target": _figure(cell.target),
                "value": _figure(cell.value),
                "period": cell.period.label if cell.period else "—",
                "gap": _figure(cell.gap),
                "status_name": STATUS_ES[cell.status],
                "chart": trend_uri(tuple((p.label, v) for p, v in series[-8:]), cell.baseline, cell.target, CHART_WORDS)
                if series
                else None,
            }
        )
    appraisals = {a.result_id: a for a in case.appraisals}
    adjusted = {a.indicator_id: a for a in case.adjustments}
    results = [
        {
            "number": n,
            "name": result.name,
            "goal": f"{number(result.goal_value)} {result.goal_unit or ''}".strip() if result.goal_value else "—",
            "indicators": [
                {
                    "name": ind.name,
                    "baseline": _figure(ind.baseline),
                    "target": _figure(ind.target),
                    "adjusted": _figure(adjusted[ind.id].target) if ind.id in adjusted else "Sin ajuste",
                }
                for ind in result.indicators
            ],
            "appraisal": appraisals.get(result.id),
        }
        for n, result in enumerate(plan.results, start=1)
    ]
    return {
        "doc_title": "Informe de Evaluación Anual del Plan Articulado",
        "issuing_office": "Gerencia de Desarrollo Social",
        "evaluation": case,
        "plan": plan,
        "indicators": indicators,
        "results": results,
        "adjustments": [
            {"indicator": a.indicator.name, "target": _figure(a.target), "justification": a.justification}
            for a in case.adjustments
        ],
    }


def register() -> None:
    from core import documents as core_documents

    core_documents.register_document(
        "annual_evaluation",
        "monitoring/annual_evaluation.html",
        "Informe de Evaluación Anual del Plan Articulado",
        ["plan_evaluation"],
        evaluation_context,
        manual=False,
    )
