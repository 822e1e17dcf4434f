"""The report «Cartera de Proyectos de Inversión Social» of a government: its projects with phase, cost,
funding by source and latest progress, as PDF (document pipeline, Spanish) and XLSX (safe cells)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.documents import register_government_document
from core.extensions import db
from core.formatting import money
from core.models import Government
from core.spreadsheet import safe_row
from plugins.operations.budget.sources import source_keys, source_name
from plugins.operations.investment.fields import CATEGORY_SPANISH, PHASE_SPANISH
from plugins.operations.investment.models import PHASES, InvestmentProject
from plugins.operations.reporting import report_context, report_pdf

TITLE = "Cartera de Proyectos de Inversión Social"
#: The issued document's key (core.documents.register_government_document).
KEY = "investment_portfolio"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def projects_of(government: Government) -> list[InvestmentProject]:
    """The government's projects with everything the report prints, in a fixed number of statements."""
    return list(
        db.session.scalars(
            select(InvestmentProject)
            .where(InvestmentProject.government_id == government.id)
            .options(
                selectinload(InvestmentProject.funding),
                selectinload(InvestmentProject.phase_changes),
                selectinload(InvestmentProject.progress),
                selectinload(InvestmentProject.strategic_program),
                selectinload(InvestmentProject.intervention_line),
                selectinload(InvestmentProject.activity),
            )
            .order_by(InvestmentProject.code_kind, InvestmentProject.code)
        )
    )


def portfolio_number(government: Government, dated: date) -> str:
    """Whose portfolio and of which year (CARTERA-GRH-2026); a newer one of the year supersedes the older."""
    return f"CARTERA-{government.acronym or government.ubigeo}-{dated.year}"


def portfolio_context(government: Government) -> dict[str, Any]:
    projects = projects_of(government)
    context = report_context(government, TITLE, "")
    dated = context["document_date"]
    context["number"] = portfolio_number(government, dated)
    total = sum((p.cost for p in projects), Decimal("0"))
    by_phase = [
        (PHASE_SPANISH[phase], len(group), sum((p.cost for p in group), Decimal("0")))
        for phase in PHASES
        for group in [[p for p in projects if p.phase == phase]]
        if group
    ]
    context.update(
        {
            "projects": projects,
            "total_cost": total,
            "by_phase": by_phase,
            "phase_name": PHASE_SPANISH,
            "category_name": CATEGORY_SPANISH,
            "source_name": source_name,
            "soles": lambda amount: money(amount or Decimal("0"), dated),
        }
    )
    return context


def register() -> None:
    register_government_document(KEY, "operations/investment_portfolio.html", TITLE)


def portfolio_pdf(government: Government) -> bytes:
    return report_pdf("operations/investment_portfolio.html", portfolio_context(government))


HEADERS = [
    "Código",
    "Tipo de código",
    "Proyecto",
    "Categoría",
    "Línea de intervención",
    "Programa estratégico",
    "Actividad del plan",
    "Población objetivo",
    "Beneficiarios",
    "Ubigeos",
    "Fase",
    "Fecha de la fase",
    "Costo de inversión (S/)",
]


def portfolio_xlsx(government: Government) -> bytes:
    """One row per project, a column per funding source, and the latest progress."""
    projects = projects_of(government)
    book = Workbook()
    sheet = book.active
    sheet.title = "Cartera"
    sheet.append(safe_row([f"{TITLE} — {government.name}"]))
    keys = source_keys()
    sheet.append(
        safe_row(
            [
                *HEADERS,
                *(f"{source_name(k)} (S/)" for k in keys),
                "Periodo del último avance",
                "Avance físico (%)",
                "Avance financiero (S/)",
                "Avance financiero (%)",
            ]
        )
    )
    for p in projects:
        funding = {f.source: f.amount for f in p.funding}
        latest = p.latest_progress
        sheet.append(
            safe_row(
                [
                    p.code,
                    p.code_kind.upper(),
                    p.name,
                    CATEGORY_SPANISH.get(p.category, p.category),
                    p.intervention_line.name if p.intervention_line else None,
                    p.strategic_program.name if p.strategic_program else None,
                    p.activity.name if p.activity else None,
                    p.target_population,
                    p.beneficiaries,
                    p.places,
                    PHASE_SPANISH.get(p.phase, p.phase),
                    p.phase_changes[-1].on if p.phase_changes else None,
                    p.cost,
                    *(funding.get(k) for k in keys),
                    latest.period if latest else None,
                    latest.physical if latest else None,
                    latest.financial if latest else None,
                    latest.financial_percent if latest else None,
                ]
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
