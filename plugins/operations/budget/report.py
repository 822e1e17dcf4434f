"""The «Informe de Alineamiento Presupuestal» of a plan: planned against allocated (PIM) and executed
(devengado) per result and strategic program, by quarter and source, with the results flagged and the
execution charts; as PDF (document pipeline, Spanish) and XLSX (safe cells)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from core.documents import register_document
from core.formatting import money
from core.spreadsheet import safe_row
from plugins.operations.budget import charts
from plugins.operations.budget.alignment import Alignment
from plugins.operations.reporting import report_context, report_pdf

TITLE = "Informe de Alineamiento Presupuestal"
#: The issued document's key (core.documents.register_document).
KEY = "budget_alignment"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLAG_SPANISH = {"missing": "Sin presupuesto asignado", "under": "Asignación insuficiente", "": "Alineado"}


def alignment_context(data: Alignment) -> dict[str, Any]:
    plan = data.plan
    context = report_context(plan.government, TITLE, plan.reference or str(plan.id))
    dated = context["document_date"]
    context.update(
        {
            "plan": plan,
            "data": data,
            "share_percent": (data.share * 100).quantize(Decimal("0.1")),
            "flag_name": FLAG_SPANISH,
            "soles": lambda amount: money(amount or Decimal("0"), dated),
            "results_chart": charts.planned_vs_allocated(
                [(f"{r.number}. {r.name}", r.planned, r.pim, r.accrued) for r in data.results]
            ),
            "quarters_chart": charts.execution_by_quarter(
                [(f"T{q}", f.pim, f.accrued) for q, f in sorted(data.quarters.items())]
            ),
        }
    )
    return context


def plan_alignment_context(plan: Any) -> dict[str, Any]:
    """The issued report's context, from its plan (a case of the diagnosis plugin)."""
    from plugins.operations.budget.alignment import alignment

    return alignment_context(alignment(plan.id))


def register() -> None:
    """The report is a document of the plan: previewed and issued on the plan's page like any case document
    (stored, numbered with the plan's reference, verifiable), by those who edit the plan's government."""
    register_document(KEY, "operations/budget_alignment.html", TITLE, ["articulated_plan"], plan_alignment_context)


def alignment_pdf(data: Alignment) -> bytes:
    return report_pdf("operations/budget_alignment.html", alignment_context(data))


def alignment_xlsx(data: Alignment) -> bytes:
    book = Workbook()
    header = [
        "N°",
        "Nombre",
        "Presupuesto del plan (S/)",
        "PIA (S/)",
        "PIM (S/)",
        "Devengado (S/)",
        "PIM / plan (%)",
        "Ejecución (%)",
        "Observación",
    ]

    def rows(sheet: Any, items: list[Any]) -> None:
        sheet.append(safe_row(header))
        for f in items:
            sheet.append(
                safe_row(
                    [
                        f.number,
                        f.name,
                        f.planned,
                        f.pia,
                        f.pim,
                        f.accrued,
                        f.allocated_share,
                        f.execution,
                        FLAG_SPANISH[f.flag],
                    ]
                )
            )

    results = book.active
    results.title = "Resultados"
    rows(results, [*data.results, data.total])
    rows(book.create_sheet("Programas estratégicos"), data.programs)
    rows(book.create_sheet("Trimestres"), list(data.quarters.values()))
    rows(book.create_sheet("Fuentes"), list(data.sources.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
