"""The agreement's Spanish PDFs: the Convenio (issued on signing) and the Informe de Evaluación."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import legal
from core.documents import dated_in_cycle, register_document, today_lima
from core.formatting import amount_in_words, long_date, money, number
from plugins.operations.agreements.fields import SUPPORT_LEGAL
from plugins.operations.agreements.models import Agreement

ORDINALS = ["PRIMERA", "SEGUNDA", "TERCERA", "CUARTA", "QUINTA", "SEXTA", "SÉTIMA", "OCTAVA", "NOVENA", "DÉCIMA"]


def _number(value: Any) -> str:
    return "" if value is None else number(value)


def _parties(agreement: Agreement, on: date) -> list[dict[str, str]]:
    """Each party, its head's title on the document's date (core.legal) for the signature block, and the
    clause's wording ("la Municipalidad Distrital de Amarilis, representada por su Alcalde"): the region first."""
    governments = [agreement.government, *agreement.counterparts]
    parties = []
    for government in governments:
        represented = "representada" if legal.gender(government.name) == "f" else "representado"
        parties.append(
            {
                "name": government.name,
                "title": legal.head_of(government.kind, government.name, on),
                "clause": f"{legal.el(government.name)}, {represented} por su {legal.head_title(government.kind, on)}",
            }
        )
    if agreement.external_name:
        ruc = f", con RUC N° {agreement.external_ruc}" if agreement.external_ruc else ""
        name = agreement.external_name
        represented = "representada" if legal.gender(name) == "f" else "representado"
        parties.append(
            {
                "name": name,
                "title": "Representante legal",
                "clause": f"{legal.el(name)}{ruc}, {represented} por su representante legal",
            }
        )
    return parties


def agreement_context(case: Agreement) -> dict[str, Any]:
    on = dated_in_cycle(case.year, case.signed_on)
    funds = sum((s.amount or 0 for s in case.supports if s.kind == "funds"), start=0)
    return {
        "document_date": on,  # dated on its signing: the year name and the heads' titles of that day
        "parties": _parties(case, on),
        "object": case.object or "",
        "start": long_date(case.start_date) if case.start_date else "",
        "end": long_date(case.end_date) if case.end_date else "",
        "signed_on": long_date(on),
        "goals": [
            {
                "description": g.description,
                "unit": g.unit or "",
                "baseline": _number(g.baseline),
                "target": _number(g.target),
                "tied_to": g.plan_result.name if g.plan_result else (g.key_indicator.name if g.key_indicator else ""),
            }
            for g in case.goals
        ],
        "commitments": [
            {"party": c.party_name, "what": c.what, "who": c.who, "due": long_date(c.due_date)}
            for c in case.commitments
        ],
        "supports": [
            {
                "kind": SUPPORT_LEGAL.get(s.kind, s.kind),
                "description": s.description,
                "amount": money(s.amount, on) if s.amount is not None else "",
            }
            for s in case.supports
        ],
        # The currency of the signing date: "S/." and NUEVOS SOLES before 15 December 2015 (core.formatting).
        "funds_words": amount_in_words(funds, on) if funds else "",
        "funds": money(funds, on) if funds else "",
        "ordinals": ORDINALS,
    }


def evaluation_context(case: Agreement) -> dict[str, Any]:
    """The convenio's terms (as signed), evaluated on the day the report is issued: its year-name line, the
    region's head's title and the currency of the funds are those of that day, not of the signing."""
    context = agreement_context(case)
    on = today_lima()
    funds = sum((s.amount or 0 for s in case.supports if s.kind == "funds"), start=0)
    context.update(
        {
            "document_date": on,
            "evaluated_on": long_date(on),
            "signatory": legal.head_of(case.government.kind, case.government.name, on),
            "supports": [
                {
                    "kind": SUPPORT_LEGAL.get(s.kind, s.kind),
                    "description": s.description,
                    "amount": money(s.amount, on) if s.amount is not None else "",
                }
                for s in case.supports
            ],
            "funds": money(funds, on) if funds else "",
            "funds_words": amount_in_words(funds, on) if funds else "",
        }
    )
    latest: dict[int, Any] = {}
    for report in case.reports:
        for value in report.values:
            latest[value.goal_id] = value.achieved
    context["evaluation"] = [
        {
            "description": g.description,
            "baseline": _number(g.baseline),
            "target": _number(g.target),
            "achieved": _number(latest.get(g.id)),
            "percent": f"{(latest[g.id] / g.target * 100):.1f} %" if g.id in latest and g.target else "—",
        }
        for g in case.goals
    ]
    context["reports"] = [{"period": r.period, "summary": r.summary or ""} for r in case.reports]
    context["commitments_status"] = [
        {
            "party": c.party_name,
            "what": c.what,
            "due": long_date(c.due_date),
            "status": f"Cumplido el {long_date(c.fulfilled_on)}" if c.fulfilled_on else "No cumplido",
        }
        for c in case.commitments
    ]
    return context


def register() -> None:
    register_document(
        "agreement", "operations/agreement.html", "Convenio de Gestión", ["agreement"], agreement_context, manual=False
    )
    register_document(
        "agreement_evaluation",
        "operations/agreement_evaluation.html",
        "Informe de Evaluación del Convenio",
        ["agreement"],
        evaluation_context,
        manual=False,
    )
