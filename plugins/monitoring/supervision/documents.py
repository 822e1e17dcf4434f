"""The supervision documents (Spanish; the shared layout: year-name line, the government's letterhead):

- «Ficha de Supervisión» filled (documents/supervision_factsheet.html): issued with its verification code
  when the visit is closed (workflow effect), through the core documents pipeline;
- «Ficha de Supervisión» blank (supervision_blank.html): for a field visit, printed before it; previewed as
  a draft, or issued (stored, numbered FICHA-<ficha>, with its verification code) as a document of the
  government (``core.documents.issue_government_document``; supervision/issuing.py);
- «Informe consolidado de supervisión» of a government and a period (supervision_report.html): previewed
  as a draft, or issued the same way (numbered SUP-<government>-<period>; a re-issue of the same period
  supersedes the earlier one, another period's does not).

Long tables repeat their header on every page (``thead { display: table-header-group }``).
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.documents import document_environment, draft_pdf, today_lima, year_name
from core.documents.emblems import emblem_uris
from core.documents.worker import ASSET_PREFIX
from core.extensions import db
from core.formatting import long_date
from core.legal import head_of
from core.models import Government, Territory
from plugins.monitoring.supervision.models import (
    COMMITMENT_STATUSES,
    SERVICE_KINDS,
    SupervisionChecklist,
    SupervisionVisit,
    VisitFinding,
)

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
QUARTER_NAMES = {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto"}


def _place_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(db.session.execute(select(Territory.ubigeo, Territory.name).where(Territory.ubigeo.in_(codes))).all())


def _sections(checklist: SupervisionChecklist) -> list[tuple[str, list[Any]]]:
    sections: dict[str, list[Any]] = {}
    for item in checklist.items:
        if item.active:
            sections.setdefault(item.section or "Ítems", []).append(item)
    return list(sections.items())


def factsheet_context(case: SupervisionVisit) -> dict[str, Any]:
    """The filled ficha of a visit (context of a case document)."""
    answers = {a.item_id: a for a in case.answers}
    return {
        "doc_title": "Ficha de Supervisión de la Calidad de los Servicios",
        "document_date": case.visit_date,
        "visit": case,
        "checklist": case.checklist,
        "kind_name": SERVICE_KINDS.get(case.checklist.service_kind, case.checklist.service_kind),
        "sections": _sections(case.checklist),
        "answers": answers,
        "place_name": _place_names({case.ubigeo}).get(case.ubigeo, ""),
        "visit_date_text": long_date(case.visit_date),
        "findings": case.findings,
        "status_name": COMMITMENT_STATUSES,
    }


#: The keys of the government documents (core.documents.register_government_document).
BLANK_KEY = "supervision_blank"
REPORT_KEY = "supervision_report"
BLANK_TITLE = "Ficha de Supervisión de la Calidad de los Servicios"
REPORT_TITLE = "Informe Consolidado de Supervisión de la Calidad de los Servicios"


def register() -> None:
    from core import documents as core_documents

    core_documents.register_government_document(BLANK_KEY, "monitoring/supervision_blank.html", BLANK_TITLE)
    core_documents.register_government_document(REPORT_KEY, "monitoring/supervision_report.html", REPORT_TITLE)

    core_documents.register_document(
        "supervision_factsheet",
        "monitoring/supervision_factsheet.html",
        "Ficha de Supervisión",
        ["supervision_visit"],
        factsheet_context,
        manual=False,
    )


# --- reports: rendered by the pipeline as drafts, never stored -------------------------------------------


def _report_context(government: Government, doc_title: str, number: str) -> dict[str, Any]:
    """What documents/base.html and its letterhead print for a document of ``government`` dated today."""
    dated = today_lima()
    territory = government.territory
    place = (territory.capital if territory and territory.capital else None) or (territory.name if territory else "")
    return {
        "government": government,
        "doc_title": doc_title,
        "number": number,
        "document_date": dated,
        "document_year": dated.year,
        "year_name": year_name(dated.year),
        "emblems": emblem_uris(government.id),
        "place": place,
        "place_date": long_date(dated, place or None),
        "issuing_office": current_app.config["DOCUMENT_ISSUING_OFFICE"],
        "issue": None,
        "issued": False,
        "verification_code": "",
        "verification_url": "",
        "preview_toolbar": None,
        "asset_url": lambda path, owner="core": f"{ASSET_PREFIX}{owner}/{path}",
        "signatory_title": head_of(government.kind, government.name, dated),
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    with force_locale("es"):  # documents are Spanish whatever the reader's language
        html = document_environment().get_template(template).render(context)
    return draft_pdf(html)[0]


def blank_number(checklist: SupervisionChecklist) -> str:
    return f"FICHA-{checklist.key}"


def blank_context(checklist: SupervisionChecklist, government: Government) -> dict[str, Any]:
    context = _report_context(government, BLANK_TITLE, blank_number(checklist))
    context.update(
        {"checklist": checklist, "kind_name": checklist.kind_name, "sections": _sections(checklist), "blank": True}
    )
    return context


def blank_factsheet_pdf(checklist: SupervisionChecklist, government: Government) -> bytes:
    return _render("monitoring/supervision_blank.html", blank_context(checklist, government))


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None  # None: the whole year

    @property
    def start(self) -> date:
        return date(self.year, QUARTER_MONTHS[self.quarter][0] if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        month = QUARTER_MONTHS[self.quarter][1] if self.quarter else 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def text(self) -> str:
        if self.quarter:
            return f"{QUARTER_NAMES[self.quarter]} trimestre de {self.year}"
        return f"año {self.year}"

    @property
    def code(self) -> str:
        return f"{self.year}-T{self.quarter}" if self.quarter else str(self.year)


def visits_in(government: Government, period: Period) -> list[SupervisionVisit]:
    """The government's visits of the period with what the report prints (a fixed number of statements)."""
    return list(
        db.session.scalars(
            select(SupervisionVisit)
            .where(
                SupervisionVisit.government_id == government.id,
                SupervisionVisit.visit_date >= period.start,
                SupervisionVisit.visit_date <= period.end,
            )
            .options(selectinload(SupervisionVisit.checklist), selectinload(SupervisionVisit.findings))
            .order_by(SupervisionVisit.visit_date, SupervisionVisit.id)
        )
    )


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def consolidated_summary(visits: list[SupervisionVisit], today: date) -> dict[str, Any]:
    """By kind of service: visits, average score; commitments: total, done, pending, overdue."""
    by_kind = []
    for kind, name in SERVICE_KINDS.items():
        group = [v for v in visits if v.checklist.service_kind == kind]
        if group:
            scores = [v.score for v in group if v.score is not None]
            by_kind.append({"name": name, "visits": len(group), "average": _average(scores)})
    findings: list[VisitFinding] = [f for v in visits for f in v.findings]
    committed = [f for f in findings if f.commitment]
    counts = Counter(
        "done" if f.status == "done" else ("overdue" if f.due_date and f.due_date < today else "pending")
        for f in committed
    )
    scores = [v.score for v in visits if v.score is not None]
    return {
        "by_kind": by_kind,
        "average": _average(scores),
        "findings": len(findings),
        "commitments": len(committed),
        "done": counts["done"],
        "pending": counts["pending"],
        "overdue": counts["overdue"],
    }


def report_number(government: Government, period: Period) -> str:
    return f"SUP-{government.acronym or government.ubigeo}-{period.code}"


def report_context(government: Government, period: Period) -> dict[str, Any]:
    visits = visits_in(government, period)
    context = _report_context(government, REPORT_TITLE, report_number(government, period))
    today = context["document_date"]
    context.update(
        {
            "period": period,
            "period_start": long_date(period.start),
            "period_end": long_date(period.end),
            "visits": visits,
            "summary": consolidated_summary(visits, today),
            "place_names": _place_names({v.ubigeo for v in visits}),
            "kind_names": SERVICE_KINDS,
            "status_name": {**COMMITMENT_STATUSES, "overdue": "Vencido"},
            "today": today,
        }
    )
    return context


def consolidated_report_pdf(government: Government, period: Period) -> bytes:
    return _render("monitoring/supervision_report.html", report_context(government, period))
