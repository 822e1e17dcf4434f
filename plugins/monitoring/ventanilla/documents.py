"""The Ventanilla's PDFs, through the core document pipeline (its Jinja environment, shared layout, letterhead
and bounded render workers), in Spanish: the citizen's «Constancia de registro» and the «Oficio de derivación»
to a program or sector. Neither is a case's document, so they are rendered on request and not stored."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale

from core.documents import document_environment, draft_pdf, today_lima, year_name
from core.documents.emblems import emblem_uris
from core.documents.worker import ASSET_PREFIX
from core.formatting import long_date
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.models import CHANNELS, KINDS, REQUEST_KINDS, STATUSES, VentanillaEntry


def _asset_url(path: str, owner: str = "core") -> str:
    return f"{ASSET_PREFIX}{owner}/{path}"


def _base(entry: VentanillaEntry, doc_title: str, number: str, *, code_footer: bool) -> dict[str, Any]:
    government = entry.office.government
    territory = government.territory
    place = (territory.capital if territory and territory.capital else None) or (territory.name if territory else "")
    dated = today_lima()
    return {
        "government": government,
        "doc_title": doc_title,
        "number": number,
        "document_date": dated,
        "year_name": year_name(dated.year),
        "emblems": emblem_uris(government.id),
        "place_date": long_date(dated, place or None),
        "issuing_office": entry.office.unit or f"Ventanilla CRECER {government.name}",
        "issue": None,
        # the receipt is the citizen's proof, not a draft: its footer prints the tracking code
        "issued": code_footer,
        "verification_code": codes.display(entry.code) if code_footer else "",
        "verification_url": "",
        "preview_toolbar": None,
        "asset_url": _asset_url,
        "entry": entry,
        "code": codes.display(entry.code),
        "kind": KINDS.get(entry.kind, entry.kind),
        "article": "el" if entry.kind == "pedido" else "la",  # el pedido; la consulta, opinión, sugerencia
        "request_kind": REQUEST_KINDS.get(entry.request_kind or "", ""),
        "channel": CHANNELS.get(entry.channel, entry.channel),
        "status": STATUSES.get(entry.status, entry.status),
        "registered_on": long_date(entry.created_at.date()),
        "due_on": long_date(entry.due_date) if entry.due_date else "",
        "place_name": f"{entry.place.name} ({entry.place.ubigeo})",
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    with force_locale("es"):
        html = document_environment().get_template(template).render(context)
    return draft_pdf(html)[0]


def receipt_pdf(entry: VentanillaEntry) -> bytes:
    """The «Constancia de registro»: code, date, office, kind, place and due date — no personal data."""
    context = _base(entry, "Constancia de registro", codes.display(entry.code), code_footer=True)
    context["tracking_url"] = f"{current_app.config.get('BASE_URL') or ''}/ventanilla/seguimiento"
    return _render("monitoring/ventanilla_receipt.html", context)


def referral_pdf(entry: VentanillaEntry, national_to: Any = None) -> bytes:
    """The «Oficio de derivación» to the institution the entry was referred to (its personal data is the
    holding office's to give: the oficio names the citizen only when they consented); with ``national_to``,
    the regional office's communication to that national office of an entry not attended and recurrent
    (§5.2.4 c)."""
    number = f"{entry.id:06d}-{today_lima().year}-VC" + ("-N" if national_to is not None else "")
    title = "Oficio de comunicación" if national_to is not None else "Oficio de derivación"
    context = _base(entry, title, number, code_footer=False)
    context["national"] = national_to is not None
    context["issued"] = True  # an oficio is signed by the office, not a preview
    context["verification_code"] = codes.display(entry.code)
    context["institution"] = national_to if national_to is not None else entry.referred_to
    context["citizen"] = entry.name if entry.consent and entry.name else ""
    return _render("monitoring/ventanilla_referral.html", context)
