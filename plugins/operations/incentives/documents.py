"""A contest's Spanish PDFs: the Bases del concurso (issued by the call), the Resolución de
reconocimiento and one Certificado de reconocimiento per winner (issued by the award).

Each is dated in the contest's cycle (core.documents.dated_in_cycle): the head's title, the currency
and the year-name line are those of that date; money in legal text goes in words (core.formatting).
Certificates are one document key per place (``contest_certificate_<n>``): the pipeline keeps one
issued document per case and key, and each winner's certificate is its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from core import legal
from core.documents import DocumentError, dated_in_cycle, register_document
from core.formatting import amount_in_words, long_date, money, number
from plugins.operations.incentives.models import APPLICANT_KINDS, MAX_PRIZES, SCALE, Contest


def _on(case: Contest) -> date:
    return dated_in_cycle(case.year)


def _authority(case: Contest, on: date) -> dict[str, str]:
    government = case.government
    regional = government.kind == "regional"
    return {
        "convener": _capitalized(legal.el(government.name)),  # "El Gobierno Regional de Huánuco" begins a sentence
        "head": legal.head_of(government.kind, government.name, on),
        "instrument": "Resolución Ejecutiva Regional" if regional else "Resolución de Alcaldía",
        "kind": "de buenas prácticas locales" if regional else "de comunidades con avances objetivos",
    }


def _prizes(case: Contest, on: date) -> list[dict[str, str]]:
    return [
        {
            "place": p.place_name,
            "description": p.description,
            "amount": money(p.amount, on) if p.amount is not None else "",
            "words": amount_in_words(p.amount, on) if p.amount else "",
        }
        for p in case.prizes
    ]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(names: list[str]) -> str:
    return " y ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def bases_context(case: Contest) -> dict[str, Any]:
    on = _on(case)
    return {
        "document_date": on,
        "authority": _authority(case, on),
        "purpose": case.purpose or "",
        "eligibility": case.eligibility or "",
        "criteria": [{"name": c.name, "description": c.description or "", "weight": c.weight} for c in case.criteria],
        "scale": SCALE,
        "prizes": _prizes(case, on),
        "calendar": [
            ("Cierre de la recepción de postulaciones", case.reception_deadline),
            ("Fin de la evaluación del jurado", case.evaluation_deadline),
            ("Publicación de los resultados", case.results_date),
        ],
        "long_date": long_date,
        "budget_cap": money(case.budget_cap, on) if case.budget_cap is not None else "",
        "budget_words": amount_in_words(case.budget_cap, on) if case.budget_cap else "",
    }


def _ranking(case: Contest) -> list[dict[str, str]]:
    return [
        {
            "rank": str(a.rank),
            "applicant": a.applicant,
            "kind": APPLICANT_KINDS.get(a.applicant_kind, a.applicant_kind),
            "practice": a.practice,
            "total": number(a.total, 2) if a.total is not None else "",
        }
        for a in case.ranked
    ]


def resolution_context(case: Contest) -> dict[str, Any]:
    on = _on(case)
    winners = [
        {
            "place": prize.place_name,
            "applicant": application.applicant,
            "practice": application.practice,
            "prize": prize.description,
            "amount": money(prize.amount, on) if prize.amount else "",
            "words": amount_in_words(prize.amount, on) if prize.amount else "",
        }
        for prize, application in case.winners()
    ]
    return {
        "document_date": on,
        "doc_title": f"{_authority(case, on)['instrument']} de reconocimiento",
        "authority": _authority(case, on),
        "winners": winners,
        "ranking": _ranking(case),
        "jurors": _and([j.user.name for j in case.jurors]),
    }


def certificate_context(place: int) -> Any:
    def context(case: Contest) -> dict[str, Any]:
        on = _on(case)
        found = next(((p, a) for p, a in case.winners() if p.place == place), None)
        if found is None:
            raise DocumentError(_("The contest has no winner in place %(place)s.", place=place), status=409)
        prize, application = found
        return {
            "document_date": on,
            "authority": _authority(case, on),
            "place_name": prize.place_name,
            "applicant": application.applicant,
            "to_applicant": legal.a(application.applicant),  # "a la Municipalidad…", "al Comité…"
            "practice": application.practice,
            "total": number(application.total, 2) if application.total is not None else "",
            "prize": prize.description,
            "government_name": case.government.name,
        }

    return context


def register() -> None:
    register_document(
        "contest_bases", "operations/contest_bases.html", "Bases del concurso", ["contest"], bases_context, manual=False
    )
    register_document(
        "contest_resolution",
        "operations/contest_resolution.html",
        "Resolución de reconocimiento",
        ["contest"],
        resolution_context,
        manual=False,
        states=("awarded",),
    )
    for place in range(1, MAX_PRIZES + 1):
        register_document(
            f"contest_certificate_{place}",
            "operations/contest_certificate.html",
            f"Certificado de reconocimiento ({place}° puesto)",
            ["contest"],
            certificate_context(place),
            manual=False,
            states=("awarded",),
            number=lambda case, place=place: f"{case.reference}-C{place}",
        )
