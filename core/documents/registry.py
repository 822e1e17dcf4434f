"""The registry of documents: a Jinja template with a key, a Spanish title and the case types it applies
to; the settings of the subsystem, its error types and the file name of a document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from core.formatting import safe_filename
from core.models.case import Case
from core.plugins import plugin_registry

CORE_DOCUMENTS = Path(__file__).resolve().parent  # the core's document templates (case_summary.html)
CORE_STATIC = Path(__file__).resolve().parent.parent / "static"


DEFAULTS = {
    # Seconds one PDF may take, waiting for a free worker included: keep it well below the
    # server's worker timeout (gunicorn --timeout, 30 s by default; README recommends 60).
    "DOCUMENT_RENDER_TIMEOUT": 30,
    "DOCUMENT_RENDER_WORKERS": 2,  # render processes per app process (the pool's size)
    "DOCUMENT_RENDER_QUEUE": 8,  # renders that may wait for a free worker; more are refused (503)
    "DOCUMENT_RENDER_PER_USER": 2,  # renders one user may have in flight per app process (429 beyond)
    "DOCUMENT_PREVIEW_CACHE_MB": 64,  # draft PDFs kept by content hash, per app process
    # The web server's worker timeout (gunicorn --timeout; gunicorn.conf.py sets it): the app
    # refuses to start when a render could outlast it, so the server never kills a render midway.
    "SERVER_TIMEOUT": 60,
    # Printed under the government's name; the glosario's term, a setting so a team can correct it.
    "DOCUMENT_ISSUING_OFFICE": "Gerencia de Desarrollo Social",
    "DOCUMENT_VERIFY_MAX_BYTES": 20 * 1024 * 1024,  # largest PDF the verification page accepts
    # BASE_URL (env ARTICULA_BASE_URL, e.g. https://articula.example.gob.pe) is the one public address
    # printed in verification links; core/config.py requires it in production. Never the Host header.
    "BASE_URL": None,
}


class DocumentError(RuntimeError):
    """A document that cannot be previewed, rendered or issued; Spanish message, HTTP-ish status."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSpec:
    """A registered document template."""

    key: str
    template: str  # "<owner>/<file>.html": owner is "core" or the plugin's name
    title: str  # Spanish, printed as the document's heading
    case_types: tuple[str, ...]  # "*" applies to every type
    context_fn: Callable[[Case], dict[str, Any]] | None = None
    manual: bool = True  # may be issued by hand from the case page / API (not only by a workflow)
    states: tuple[str, ...] | None = None  # states in which it may be issued by hand (None: any)
    number_fn: Callable[[Case], str] | None = None  # the document's number (default: the case reference)

    @property
    def owner(self) -> str:
        return self.template.split("/", 1)[0]

    def applies_to(self, case_type: str) -> bool:
        return "*" in self.case_types or case_type in self.case_types

    def number_for(self, case: Case) -> str:
        return self.number_fn(case) if self.number_fn else case.reference


DOCUMENTS: dict[str, DocumentSpec] = {}


def register_document(
    key: str,
    template: str,
    title: str,
    case_types: Iterable[str],
    context_fn: Callable[[Case], dict[str, Any]] | None = None,
    *,
    manual: bool = True,
    states: Iterable[str] | None = None,
    number: Callable[[Case], str] | None = None,
) -> DocumentSpec:
    """Register (or replace) the document ``key``; ``template`` is ``"<owner>/<file>.html"``."""
    if not re.match(r"^[a-z][a-z0-9_]{0,79}$", key):
        raise ValueError(f"invalid document key: {key!r}")
    if "/" not in template:
        raise ValueError(f"the template must be named «<plugin>/<file>.html»: {template!r}")
    case_types = tuple(case_types)
    if not case_types:
        raise ValueError(f"the document {key!r} does not say which case types it applies to")
    spec = DocumentSpec(key, template, title, case_types, context_fn, manual, tuple(states) if states else None, number)
    DOCUMENTS[key] = spec
    return spec


def register_government_document(key: str, template: str, title: str) -> DocumentSpec:
    """Register a document of a government as a whole, not of a case (a plugin's report: the investment
    portfolio); it applies to no case type and is issued by ``issue_government_document``."""
    if not re.match(r"^[a-z][a-z0-9_]{0,79}$", key) or "/" not in template:
        raise ValueError(f"invalid government document: {key!r}, {template!r}")
    spec = DocumentSpec(key, template, title, (), None, manual=False)
    DOCUMENTS[key] = spec
    return spec


def owner_enabled(owner: str) -> bool:
    return owner == "core" or plugin_registry().is_enabled(owner)


def documents_for(case: Case) -> list[DocumentSpec]:
    """The documents that apply to ``case`` (of enabled plugins only), by title."""
    found = [s for s in DOCUMENTS.values() if s.applies_to(case.type) and owner_enabled(s.owner)]
    return sorted(found, key=lambda s: s.title)


def spec_for(case: Case, key: str) -> DocumentSpec:
    spec = DOCUMENTS.get(key)
    if spec is None or not spec.applies_to(case.type) or not owner_enabled(spec.owner):
        raise DocumentError(_("The document «%(key)s» does not exist for this case type.", key=key), status=404)
    return spec


def document_filename(number: str, template_key: str) -> str:
    """A downloaded document's file name: its number and its Spanish title
    («ORD-001-2008-GRH-Acta-de-Instalacion.pdf»), never the template's internal key."""
    spec = DOCUMENTS.get(template_key)
    return safe_filename(f"{number}-{spec.title if spec else template_key}") + ".pdf"


class MissingYearName(DocumentError):
    """No year-name line for the document's year: an issued document would leave it empty."""

    def __init__(self, year: int) -> None:
        super().__init__(
            _(
                "The name of the year %(year)s is not registered: an administrator must register it in "
                "Administration › Documents › Year names before issuing documents of that year.",
                year=year,
            ),
            status=409,
        )


class LargeDocument(Exception):  # noqa: N818 — a signal, not an error
    """Raised by ``issuing(..., allow_background=True)``: the document goes to a background job."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        super().__init__(", ".join(keys))


def document_label(key: str) -> Any:
    """An issued document's template key as its title («Acta de Instalación», not ``acta_instalacion``)."""
    spec = DOCUMENTS.get(key)
    return spec.title if spec else key
