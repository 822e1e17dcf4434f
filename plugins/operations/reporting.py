"""Reports of a government that are not a case's document (the investment portfolio, the budget alignment):
rendered by the core document pipeline (its Jinja environment, layout, letterhead and PDF workers) as drafts
that are never stored — a report is a picture of the data when asked for, not an issued document."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import force_locale

from core.documents import document_environment, draft_pdf, today_lima, year_name
from core.documents.emblems import emblem_uris
from core.documents.worker import ASSET_PREFIX
from core.formatting import long_date
from core.legal import head_of
from core.models import Government


def asset_url(path: str, owner: str = "core") -> str:
    """A packaged asset as the PDF workers fetch it (the only URLs they serve)."""
    return f"{ASSET_PREFIX}{owner}/{path}"


def report_context(government: Government, doc_title: str, number: str, dated: date | None = None) -> dict[str, Any]:
    """What documents/base.html and its letterhead print, for a report of ``government`` dated ``dated``."""
    dated = dated or today_lima()
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
        "asset_url": asset_url,
        "signatory_title": head_of(government.kind, government.name, dated),
    }


def render_report(template: str, context: dict[str, Any]) -> str:
    """The report's HTML (always Spanish, whatever the reader's language)."""
    with force_locale("es"):
        return document_environment().get_template(template).render(context)


def report_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The report as PDF through the bounded render workers (cached by the hash of its HTML)."""
    return draft_pdf(render_report(template, context))[0]
