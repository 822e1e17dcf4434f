"""The «Informe Trimestral de Seguimiento» (Spanish, documents/quarterly_report.html): the government's
dashboard up to the end of the quarter — each indicator's baseline, goal, latest value, gap and status,
its trend chart and the values by period — with the team's comments. Issued by the "approve" transition;
the figures are read when it is issued, so the stored PDF keeps them as they were."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import legal
from core.formatting import long_date, number
from plugins.monitoring.dashboards.board import government_board
from plugins.monitoring.dashboards.charts import trend_uri
from plugins.monitoring.dashboards.models import QuarterlyReport
from plugins.monitoring.dashboards.status import STATUS_ES, TOLERANCE

QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
CHART_WORDS = ("Valor", "Línea de base", "Meta")


def _figure(value: Any) -> str:
    return "—" if value is None else number(value)


def report_lines(report: QuarterlyReport) -> list[dict[str, Any]]:
    """One entry per indicator line: the figures up to the end of the report's quarter."""
    board = government_board(report.government, report.year)
    cutoff = date(report.year, 3 * report.quarter, 1)
    result = []
    for line in board.lines:
        cell = board.cell(report.government_id, line)
        cell.points = {p: v for p, v in cell.points.items() if p.end <= cutoff}
        cell.rate()
        series = cell.series()
        latest = cell.latest
        result.append(
            {
                "label": line.label,
                "unit": line.unit,
                "baseline": _figure(cell.baseline),
                "baseline_year": cell.baseline_year or "",
                "target": _figure(cell.target),
                "target_year": cell.target_year or "",
                "value": _figure(cell.value),
                "period": latest[0].label if latest else "—",
                "source": (latest[2] or "calculado de los distritos") if latest else "",
                "gap": _figure(cell.gap),
                "status": cell.status,
                "status_name": STATUS_ES[cell.status],
                "series": [(period.label, _figure(value)) for period, value in series],
                "chart": trend_uri(
                    tuple((p.label, v) for p, v in series[-12:]), cell.baseline, cell.target, CHART_WORDS
                ),
            }
        )
    return result


def report_context(case: QuarterlyReport) -> dict[str, Any]:
    month, day = QUARTER_END[case.quarter]
    closing = date(case.year, month, day)
    lines = report_lines(case)
    counts = {key: sum(1 for line in lines if line["status"] == key) for key in STATUS_ES}
    return {
        "doc_title": "Informe Trimestral de Seguimiento",
        "issuing_office": "Gerencia de Desarrollo Social",
        "report": case,
        "quarter_name": case.quarter_name,
        "closing_text": long_date(closing),
        "lines": lines,
        "counts": counts,
        "status_names": STATUS_ES,
        "tolerance_points": number(TOLERANCE * 100),
        "recipient": "a la ST-CIAS" if case.government.kind == "regional" else legal.a(case.government.region.name),
    }


def register() -> None:
    from core import documents as core_documents

    core_documents.register_document(
        "quarterly_report",
        "monitoring/quarterly_report.html",
        "Informe Trimestral de Seguimiento",
        ["quarterly_report"],
        report_context,
        manual=False,
    )
