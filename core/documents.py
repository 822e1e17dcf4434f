"""Documents: Jinja templates → HTML preview → PDF (WeasyPrint), issued immutably and verifiable.

- **Registry**: a document is a Jinja template with a key, a Spanish title and the case types
  it applies to: ``register_document(key, template, title, case_types, context_fn=None)``.
  Templates live in ``core/documents/*.html`` (named ``core/<file>``) and in each plugin's
  ``documents/`` folder (named ``<plugin>/<file>``); all extend the shared layout
  ``documents/base.html`` (templates/documents/). Plugins add variables with ``context_fn``
  or the ``document_context(case, template)`` hook.
- **Rendering**: a Jinja environment of its own, autoescaping everything, so user text is
  text in every document; the PDF is made in a worker process (core/document_worker.py)
  whose URL fetcher serves only packaged static assets, under a time limit
  (``DOCUMENT_RENDER_TIMEOUT``, seconds).
- **Issuing**: ``issue_document(case, key, user)`` stores the bytes with number, sha256,
  issuer, time and a public verification code (``/verificar/<code>``); downloads serve the
  stored bytes. The workflow effect ``issue_document: <key>`` calls it from a transition.
  Callers wrap the unit of work in ``issuing(work)``: the PDF is rendered between a dry run
  and the real one, never while a transaction (on SQLite, the write lock) is held.
- **Limits**: a bounded pool of render workers with a bounded queue and a per-user limit
  (``DOCUMENT_RENDER_*``); large documents are issued by a background job (core/jobs.py);
  draft PDFs are cached by the hash of their HTML.

WeasyPrint is imported only in the worker, never when the app starts.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import secrets
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, has_request_context, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core import legal
from core.document_worker import (
    ASSET_PREFIX,
    RenderBusy,
    RenderCrashed,
    RenderError,
    RenderResult,
    RenderTimeout,
    get_pool,
)
from core.extensions import db
from core.formatting import amount_in_words, date_in_words, legal_money, long_date, money, number
from core.models import Case, CaseTransition, User
from core.models.documents import IssuedDocument, YearName
from core.models.user import frozen_clock, utcnow
from core.security import Scope, can

CORE_DOCUMENTS = Path(__file__).resolve().parent / "documents"
CORE_STATIC = Path(__file__).resolve().parent / "static"
LIMA = ZoneInfo("America/Lima")
#: Unambiguous characters for verification codes (no 0/O, 1/I/L): 31 symbols, 12 of them ≈ 59 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

#: The stages of the cycle as Spanish documents name them (Norma Técnica N° 001-2008, 4.1).
STAGE_NAMES = {
    "institutionalization": "Institucionalización de la Instancia de Articulación",
    "diagnosis": "Diagnóstico y Planificación",
    "operations": "Gestión Operativa",
    "monitoring": "Monitoreo y Evaluación",
}

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


def _owner_enabled(owner: str) -> bool:
    from core import plugin_registry

    return owner == "core" or plugin_registry().is_enabled(owner)


def documents_for(case: Case) -> list[DocumentSpec]:
    """The documents that apply to ``case`` (of enabled plugins only), by title."""
    found = [s for s in DOCUMENTS.values() if s.applies_to(case.type) and _owner_enabled(s.owner)]
    return sorted(found, key=lambda s: s.title)


def spec_for(case: Case, key: str) -> DocumentSpec:
    spec = DOCUMENTS.get(key)
    if spec is None or not spec.applies_to(case.type) or not _owner_enabled(spec.owner):
        raise DocumentError(_("The document «%(key)s» does not exist for this case type.", key=key), status=404)
    return spec


def can_issue(scope: Scope, case: Case, spec: DocumentSpec) -> bool:
    """May the user issue ``spec`` for ``case`` by hand (core.security's named action "document.issue")."""
    return can(scope, "document.issue", (case, spec))


# --- the Jinja environment of documents -----------------------------------------------------------


def asset_roots(app: Flask | None = None) -> dict[str, str]:
    """Static folders a document may load assets from: the core's and each enabled plugin's."""
    from core import plugin_registry

    app = app or current_app
    roots = {"core": str(CORE_STATIC)}
    for info in plugin_registry(app).enabled:
        folder = info.folder("static")
        if folder:
            roots[info.name] = str(folder)
    return roots


def document_environment(app: Flask | None = None):  # noqa: ANN201
    """The app's document environment (cached): autoescape always on, Spanish helpers as filters."""
    from jinja2 import Environment, FileSystemLoader, PrefixLoader

    from core import PROJECT_ROOT, plugin_registry

    app = app or current_app
    env = app.extensions.get("articula.documents.env")
    if env is not None:
        return env
    prefixes = {"core": FileSystemLoader(str(CORE_DOCUMENTS))}
    for info in plugin_registry(app).enabled:
        folder = info.folder("documents")
        if folder:
            prefixes[info.name] = FileSystemLoader(str(folder))
    prefixes["documents"] = FileSystemLoader(str(PROJECT_ROOT / "templates" / "documents"))
    # autoescape=True for every template whatever its name: user text never becomes markup.
    env = Environment(
        loader=PrefixLoader(prefixes), autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=app.debug
    )
    helpers = {
        "long_date": long_date,
        "date_in_words": date_in_words,
        "money": money,
        "amount_in_words": amount_in_words,
        "legal_money": legal_money,
        "number": number,
        "lima_datetime": lima_datetime,
        # grammatical agreement of inserted names: de("Municipalidad…") → "de la Municipalidad…"
        "de": legal.de,
        "a": legal.a,
        "el": legal.el,
        "head_title": legal.head_title,
        "law_in_force": legal.in_force,
        "cite_law": legal.cite,
    }
    env.filters.update(helpers)
    env.globals.update(helpers)
    app.extensions["articula.documents.env"] = env
    return env


def lima_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) timestamp in Peru time: "30 de junio de 2008, 14:05"."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(LIMA)
    return f"{long_date(local.date())}, {local:%H:%M}"


def today_lima() -> date:
    return utcnow().replace(tzinfo=UTC).astimezone(LIMA).date()  # utcnow: frozen while issuing


def dated_in_cycle(year: int | None, *candidates: date | None) -> date:
    """A cycle document's date: its own (first of ``candidates`` set), else today, but never past its
    cycle year: a draft of an earlier year is dated 31 December of that year, so that the titles,
    currency, laws and year-name line it prints are those of its year."""
    for candidate in candidates:
        if candidate is not None:
            return candidate
    today = today_lima()
    return date(year, 12, 31) if year and year < today.year else today


def year_name(year: int) -> str:
    """The year-name line for ``year``.

    Until a year's decree appears, entities keep using the previous year's line (glosario), so a
    missing year falls back to the latest earlier one, and the dashboard warns administrators
    (``missing_current_year_name``). Empty only when no earlier year is recorded at all, which
    ``issue_document`` refuses rather than print an empty line.
    """
    return (
        db.session.scalar(select(YearName.name).where(YearName.year <= year).order_by(YearName.year.desc()).limit(1))
        or ""
    )


def missing_current_year_name() -> int | None:
    """The current year (Lima) when it has no year-name line of its own, else None."""
    year = today_lima().year
    return None if db.session.scalar(select(YearName.id).where(YearName.year == year)) else year


def safe_filename(text: str, limit: int = 100) -> str:
    """ASCII letters, digits, dot, dash and underscore only: safe in any Content-Disposition."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-.")
    return cleaned[:limit] or "documento"


def document_filename(number: str, template_key: str) -> str:
    """A downloaded document's file name: its number and its Spanish title
    («ORD-001-2008-GRH-Acta-de-Instalacion.pdf»), never the template's internal key."""
    spec = DOCUMENTS.get(template_key)
    return safe_filename(f"{number}-{spec.title if spec else template_key}") + ".pdf"


def base_url() -> str:
    """The configured public address (``BASE_URL``), without a trailing slash.

    Issued documents are immutable: the address they print must never come from a request's Host
    header (a forged one would be printed forever), nor be relative (issued from the CLI). Outside
    production an unset ``BASE_URL`` falls back to the development server's address, said as such.
    """
    base = (current_app.config.get("BASE_URL") or "").strip().rstrip("/")
    if base:
        return base
    if current_app.config.get("PRODUCTION"):  # core/config.py refuses to start without it; belt and braces
        raise DocumentError(_("The public address (ARTICULA_BASE_URL) is missing: the document cannot be issued."), 500)
    return "http://127.0.0.1:5000"


def verify_url(code: str) -> str:
    """The public verification address printed on a document: ``BASE_URL`` + ``/verificar/<code>``."""
    return f"{base_url()}/verificar/{code}"


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


# --- context and HTML -----------------------------------------------------------------------------


@dataclass
class IssueInfo:
    """What an issued document prints about its own issue."""

    number: str
    code: str
    issued_at: datetime
    issuer: str


def case_context(case: Case) -> dict[str, Any]:
    """What every case document may print: the case, its government, fields and history."""
    from core.cases import case_type_of
    from core.custom_fields import display, fields_for
    from core.workflow import get_workflow

    workflow = get_workflow(case.workflow_id)
    custom = case.custom or {}
    rows, values = [], {}
    for field in fields_for(case.type, include_archived=True):
        value = custom.get(field.name)
        shown = display(field, value)
        values[field.name] = shown
        if field.archived_at is None or shown:
            rows.append({"name": field.name, "label": field.label, "value": shown})
    transitions = db.session.scalars(
        select(CaseTransition)
        .where(CaseTransition.case_id == case.id)
        .options(joinedload(CaseTransition.user))
        .order_by(CaseTransition.id)
    ).all()
    history = [
        {
            "at": lima_datetime(t.at),
            "user": t.user.name if t.user else "—",
            "action": workflow.transitions[t.name].label if t.name in workflow.transitions else t.name,
            "from": workflow.state_label(t.from_state),
            "to": workflow.state_label(t.to_state),
            "comment": t.comment or "",
        }
        for t in transitions
    ]
    info = case_type_of(case)
    return {
        "case": case,
        "government": case.government,
        "case_type_label": str(info.label) if info else case.type,
        "state_label": workflow.state_label(case.state),
        "stage_label": STAGE_NAMES.get(case.stage, case.stage),
        "custom_rows": rows,
        "fields": values,
        "history": history,
        "created_at": lima_datetime(case.created_at),
        "updated_at": lima_datetime(case.updated_at),
    }


def build_context(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> dict[str, Any]:
    from core import plugin_registry

    context = case_context(case)
    if spec.context_fn:
        context.update(spec.context_fn(case) or {})
    for extra in plugin_registry().call_in_order("document_context", case=case, template=spec.key):
        context.update(extra or {})
    # A template's context may date the document (e.g. an ordinance's approval date); else today.
    document_date = context.get("document_date") or today_lima()
    government = case.government
    territory = government.territory
    place = (
        context.get("place")
        or (territory.capital if territory and territory.capital else None)
        or (territory.name if territory else "")
    )
    pdf = preview_toolbar is None
    from core.emblems import emblem_uris

    context.update(
        {
            "spec": spec,
            "doc_title": context.get("doc_title") or spec.title,
            "document_date": document_date,
            "document_year": document_date.year,
            "year_name": year_name(document_date.year),
            "emblems": emblem_uris(government.id),
            "place": place,
            "place_date": long_date(document_date, place or None),
            "issuing_office": context.get("issuing_office") or current_app.config["DOCUMENT_ISSUING_OFFICE"],
            "number": issue.number if issue else spec.number_for(case),
            "issue": issue,
            "issued": issue is not None,
            "verification_code": _display_code(issue.code) if issue else "",
            "verification_url": verify_url(issue.code) if issue else "",
            "preview_toolbar": preview_toolbar,
            "asset_url": _asset_url_pdf if pdf else _asset_url_browser,
        }
    )
    return context


def _display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _asset_url_pdf(path: str, owner: str = "core") -> str:
    return f"{ASSET_PREFIX}{owner}/{path}"


def _asset_url_browser(path: str, owner: str = "core") -> str:
    return url_for("documents.asset", owner=owner, path=path)


def render_document(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> tuple[str, dict[str, Any]]:
    """The document's HTML and the context it was rendered with.

    For the PDF when ``preview_toolbar`` is None, else for the browser preview (the toolbar
    on top, assets from the app). Always Spanish, whatever the user's language: workflow
    and type labels follow.
    """
    from flask_babel import force_locale

    with force_locale("es"):
        context = build_context(case, spec, issue=issue, preview_toolbar=preview_toolbar)
        return document_environment().get_template(spec.template).render(context), context


def render_html(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> str:
    """The document's HTML (see ``render_document``)."""
    return render_document(case, spec, issue=issue, preview_toolbar=preview_toolbar)[0]


# --- PDF ------------------------------------------------------------------------------------------


class _UserSlots:
    """Renders in flight per user in this process: one user cannot take every render worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    @contextmanager
    def slot(self, owner: str, limit: int) -> Iterator[None]:
        with self._lock:
            if self._counts.get(owner, 0) >= limit:
                raise DocumentError(
                    _(
                        "You already have %(limit)s document(s) being generated; wait for them to finish and try "
                        "again.",
                        limit=limit,
                    ),
                    status=429,
                )
            self._counts[owner] = self._counts.get(owner, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._counts[owner] -= 1
                if not self._counts[owner]:
                    del self._counts[owner]


_user_slots = _UserSlots()


def _render_owner() -> str:
    """Whose render this is, for the per-user limit: the signed-in user, else the process (CLI, jobs)."""
    if has_request_context():
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            return f"user:{current_user.get_id()}"
    return "system"


def html_to_pdf(html: str, *, owner: str | None = None, timeout: float | None = None) -> RenderResult:
    """Render ``html`` to PDF in the bounded worker pool under the time limit (``timeout``, by
    default ``DOCUMENT_RENDER_TIMEOUT`` in a web request, ``DOCUMENT_JOB_RENDER_TIMEOUT`` outside).

    Never call this with a write transaction open (see ``issuing``). Raises DocumentError
    (Spanish): 429 when the user already has ``DOCUMENT_RENDER_PER_USER`` renders in flight,
    503 when the queue is full or the time limit (queue wait included) runs out, 500 when the
    worker failed or died; the worker of a failed render is killed and replaced.
    """
    config = current_app.config
    if timeout is None:  # a web request must end before the server's timeout; the CLI need not
        timeout = config["DOCUMENT_RENDER_TIMEOUT"] if has_request_context() else config["DOCUMENT_JOB_RENDER_TIMEOUT"]
    try:
        with _user_slots.slot(owner or _render_owner(), int(config["DOCUMENT_RENDER_PER_USER"])):
            result = get_pool(int(config["DOCUMENT_RENDER_WORKERS"])).render(
                html,
                asset_roots(),
                float(timeout),
                max_waiting=int(config["DOCUMENT_RENDER_QUEUE"]),
            )
    except RenderBusy as error:
        current_app.logger.error("documento: %s", error)
        raise DocumentError(
            str(_l("The server is busy generating other documents. Nothing was saved; try again in a moment.")),
            status=503,
        ) from error
    except RenderTimeout as error:
        current_app.logger.error("documento: %s", error)
        # In the reader's language (the worker's own text is for the log).
        raise DocumentError(
            str(
                _l(
                    "The document could not be generated in time: it took longer than the time limit of "
                    "%(seconds)s seconds and was cancelled. Nothing was saved; try again in a moment.",
                    seconds=f"{float(timeout):g}",
                )
            ),
            status=503,
        ) from error
    except RenderCrashed as error:
        current_app.logger.error("documento: %s", error)
        raise DocumentError(
            str(_l("The PDF generation process ended unexpectedly. Nothing was saved; try again.")), status=500
        ) from error
    except RenderError as error:
        current_app.logger.error("documento: %s", error)
        raise DocumentError(
            str(_l("The document could not be generated. Nothing was saved; the error has been logged.")), status=500
        ) from error
    for url in result.refused:
        current_app.logger.warning("documento: recurso externo rechazado: %s", url[:200])
    return result


class _PreviewCache:
    """Draft PDFs by the sha256 of their HTML: an unchanged preview is never rendered twice.

    Only drafts (no code, never stored) are cached; issued documents are rendered once and
    stored. Bounded in bytes, least recently used out first; one per process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._items.get(key)
            if pdf is not None:
                self._items.move_to_end(key)
            return pdf

    def put(self, key: str, pdf: bytes, limit: int) -> None:
        if len(pdf) > limit:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = pdf
            self._bytes += len(pdf)
            while self._bytes > limit:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


preview_cache = _PreviewCache()


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def draft_pdf(html: str) -> tuple[bytes, str]:
    """A draft PDF of ``html`` and its content hash, from the preview cache when unchanged.

    Ends the request's read transaction first: nothing is held open while a PDF renders.
    """
    key = content_hash(html)
    pdf = preview_cache.get(key)
    if pdf is None:
        owner = _render_owner()
        db.session.rollback()
        pdf = html_to_pdf(html, owner=owner).pdf
        preview_cache.put(key, pdf, int(current_app.config["DOCUMENT_PREVIEW_CACHE_MB"]) * 1024 * 1024)
    return pdf, key


def render_draft_pdf(case: Case, key: str) -> bytes:
    """A draft PDF of ``key`` for ``case``: marked as a preview, without a code, never stored."""
    spec = spec_for(case, key)
    return draft_pdf(render_html(case, spec, issue=None))[0]


# --- issuing --------------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed (any case, with dashes or spaces) → its stored form, or None if malformed."""
    code = re.sub(r"[\s-]+", "", text or "").upper()
    return code if CODE_RE.match(code) else None


CHANGED_WHILE_RENDERING = _l(
    "The case changed while the document was being generated; nothing was issued. Reload and try again."
)


@dataclass
class _Prepared:
    """A document seen by the first run of an ``issuing`` unit of work."""

    code: str
    html_sha: str
    html: str
    pdf: bytes | None = None


@dataclass
class _Issuing:
    now: datetime
    second_run: bool = False
    prepared: dict[str, _Prepared] = dataclass_field(default_factory=dict)
    stored: set[str] = dataclass_field(default_factory=set)  # keys the second run stored


_issuing: contextvars.ContextVar[_Issuing | None] = contextvars.ContextVar("articula_issuing", default=None)
T = TypeVar("T")


def issuing(
    work: Callable[[], T], *, owner: str | None = None, allow_background: bool = False, timeout: float | None = None
) -> T:
    """Run ``work`` — anything that may issue documents (``issue_document``, or a transition whose
    workflow has the ``issue_document`` effect) — without rendering a PDF inside a transaction.

    1. ``work()`` runs; each document it issues is rendered to HTML only (fast) and stands in
       as a placeholder row. If it issued none, that run is the real one and is returned.
    2. Otherwise the transaction is rolled back (on SQLite the write lock goes with it) and
       the PDFs are rendered in the worker pool, with no transaction open.
    3. ``work()`` runs again in a new short transaction, with the same clock and codes. Each
       document's HTML must be byte-identical to what was rendered — the case and everything
       the document prints are unchanged — else DocumentError 409 and nothing is stored.

    ``allow_background``: a document whose HTML is larger than ``DOCUMENT_BACKGROUND_KB`` is
    not rendered here; after rolling back, ``core.jobs.LargeDocument`` is raised and the caller
    hands the unit of work to a background job (``core.jobs.enqueue``). ``timeout``: the render
    limit (default ``DOCUMENT_RENDER_TIMEOUT``).

    The caller commits (or rolls back on an exception) as for any unit of work. ``work`` must
    load what it needs itself (its objects are expired by the rollback) and have no effect
    outside the database, since its first run is undone.
    """
    if _issuing.get() is not None:  # nested: the outermost unit of work decides
        return work()
    # Before the rollback: reading the user afterwards would open a transaction during the render.
    owner = owner or _render_owner()
    operation = _Issuing(now=utcnow())
    token = _issuing.set(operation)
    try:
        with frozen_clock(operation.now):
            result = work()
        if not operation.prepared:
            return result
        db.session.rollback()
        if allow_background:
            from core.jobs import LargeDocument

            limit = int(current_app.config["DOCUMENT_BACKGROUND_KB"]) * 1024
            large = [key for key, p in operation.prepared.items() if len(p.html.encode()) > limit]
            if large:
                raise LargeDocument(large)
        for key, prepared in operation.prepared.items():
            try:
                prepared.pdf = html_to_pdf(prepared.html, owner=owner, timeout=timeout).pdf
            except DocumentError as error:
                raise DocumentError(
                    _("The document «%(key)s» could not be issued: %(error)s", key=key, error=error),
                    status=error.status,
                ) from error
            prepared.html = ""  # the hash is what the second run compares with
        operation.second_run = True
        with frozen_clock(operation.now):
            result = work()
        if operation.stored != set(operation.prepared):  # the second run took another path
            raise DocumentError(CHANGED_WHILE_RENDERING, status=409)
        return result
    finally:
        _issuing.reset(token)


def issue_document(case: Case, key: str, user: Any) -> IssuedDocument:
    """Store ``key`` for ``case`` immutably, with number, hash, issuer, time and code; the caller commits.

    Inside ``issuing`` (every web, API and job path), the PDF is rendered between the two runs
    of the unit of work, outside any transaction. Outside it (demo data, scripts), the PDF is
    rendered here, inside the caller's transaction.

    Permission is the caller's business (the manual routes check ``can_issue``; a workflow
    transition was already authorised by its roles).
    """
    from sqlalchemy.exc import IntegrityError

    spec = spec_for(case, key)
    operation = _issuing.get()
    issued_at = operation.now if operation else utcnow()
    number = spec.number_for(case)
    issuer = getattr(user, "name", None) or "Sistema"
    prepared = operation.prepared.get(key) if operation else None
    if operation and operation.second_run and prepared is None:
        raise DocumentError(CHANGED_WHILE_RENDERING, status=409)  # a document the first run did not issue
    code = prepared.code if prepared else new_code()
    html, context = render_document(case, spec, issue=IssueInfo(number, code, issued_at, issuer))
    if not context["year_name"]:
        # The first line of an official document; never left empty silently in an immutable document.
        raise MissingYearName(context["document_year"])
    if operation is None:
        pdf = html_to_pdf(html).pdf
    elif operation.second_run:
        if content_hash(html) != prepared.html_sha:
            raise DocumentError(CHANGED_WHILE_RENDERING, status=409)
        pdf = prepared.pdf
        operation.stored.add(key)
    else:
        operation.prepared[key] = _Prepared(code, content_hash(html), html)
        pdf = b""  # a placeholder: this run is rolled back before anything is committed
    previous = db.session.scalar(
        select(IssuedDocument.id)
        .where(IssuedDocument.case_id == case.id, IssuedDocument.template_key == key)
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    document = IssuedDocument(
        case_id=case.id,
        government_id=case.government_id,
        year=context["document_year"],
        template_key=key,
        number=number,
        title=f"{spec.title}: {case.title}"[:300],
        sha256=hashlib.sha256(pdf).hexdigest(),
        content=pdf,
        size=len(pdf),
        issued_by_id=getattr(user, "id", None),
        issued_at=issued_at,
        code=code,
        supersedes_id=previous,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError as error:  # the caller rolls back
        raise DocumentError(
            _("Another identical document was issued at the same time for this case; reload and try again."),
            status=409,
        ) from error
    return document


def _issue_effect(case: Case, transition: Any, user: Any, value: Any) -> None:
    """Workflow effect ``issue_document: key`` (or a list of keys); see ``issuing`` for when it renders."""
    from core.workflow import WorkflowError

    keys = [value] if isinstance(value, str) else list(value or [])
    for key in keys:
        try:
            issue_document(case, str(key), user)
        except DocumentError as error:
            raise WorkflowError(
                _("The document «%(key)s» could not be issued: %(error)s", key=key, error=error), status=error.status
            ) from error


# --- the case panel -------------------------------------------------------------------------------


def _panel_context(case: Case, scope: Scope, **_: Any) -> dict[str, Any] | None:
    issued = db.session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.case_id == case.id)
        .options(joinedload(IssuedDocument.issued_by))
        .order_by(IssuedDocument.id.desc())
        .limit(100)
    ).all()
    superseded = {d.supersedes_id for d in issued if d.supersedes_id}
    specs = documents_for(case)
    if not issued and not specs:
        return None
    return {
        "case": case,
        "issued": issued,
        "superseded": superseded,
        "templates": [(spec, can_issue(scope, case, spec)) for spec in specs],
    }


# --- admin ----------------------------------------------------------------------------------------


def register_admin(admin: Any) -> None:
    from flask import flash
    from flask import url_for as _url_for
    from flask_admin import expose
    from flask_babel import gettext
    from wtforms.validators import ValidationError

    from core.admin import ReadOnlyModelView, ScopedModelView  # issued from a case, never typed in

    class IssuedDocumentView(ReadOnlyModelView):
        """Issued documents: read-only for everyone (they are immutable), scoped, never the bytes."""

        government_column = "government_id"
        large_table = True
        column_list = (
            "number",
            "title",
            "template_key",
            "government",
            "year",
            "issued_at",
            "issued_by",
            "code",
            "size",
        )
        column_details_list = (
            "number",
            "title",
            "template_key",
            "case",
            "government",
            "year",
            "issued_at",
            "issued_by",
            "code",
            "sha256",
            "size",
            "supersedes",
        )
        column_export_list = (
            "id",
            "number",
            "title",
            "template_key",
            "case_id",
            "government_id",
            "year",
            "issued_at",
            "issued_by_id",
            "code",
            "sha256",
            "size",
            "supersedes_id",
        )
        column_searchable_list = ("number", "title", "code", "sha256")
        column_filters = ("template_key", "year", "issued_at")
        column_select_related_list = (IssuedDocument.government, IssuedDocument.issued_by)
        column_default_sort = ("issued_at", True)
        column_formatters = {
            "number": lambda v, c, m, p: Markup('<a href="{}">{}</a>').format(
                _url_for("documents.download", document_id=m.id), m.number
            )
        }

    class YearNameView(ScopedModelView):
        """The year-name line of each year, readable by every member, edited by administrators."""

        column_list = ("year", "name")
        column_default_sort = ("year", True)
        column_searchable_list = ("name",)
        form_columns = ("year", "name")
        form_args = {"name": {"description": _l("Printed in capitals and quotes on every document of that year.")}}

        @expose("/")
        def index_view(self):  # noqa: ANN202
            # Where administrators maintain the names: say it when the current year still lacks its own.
            year = missing_current_year_name()
            if year is not None:
                flash(
                    gettext(
                        "The year %(year)s has no year-name line yet: documents print the previous year's line "
                        "until you record it.",
                        year=year,
                    ),
                    "error",
                )
            return super().index_view()

        def on_model_change(self, form: Any, model: YearName, is_created: bool) -> None:
            if model.year is None or not 1900 <= int(model.year) <= 2200:
                raise ValidationError(_("The year must be between 1900 and 2200."))
            model.name = (model.name or "").strip().strip('"“”')
            if not model.name:
                raise ValidationError(_("Write the name of the year."))
            if len(model.name) > 300:
                raise ValidationError(_("The name admits at most 300 characters."))
            query = select(YearName.id).where(YearName.year == model.year)
            with self.session.no_autoflush:  # the new row is already in the session: do not find itself
                taken = self.session.scalar(query if model.id is None else query.where(YearName.id != model.id))
            if taken:
                raise ValidationError(_("The name of the year %(year)s already exists.", year=model.year))

    category = _l("Documents")
    session = db.session
    admin.add_view(IssuedDocumentView(IssuedDocument, session, name=_l("Issued documents"), category=category))
    admin.add_view(YearNameView(YearName, session, name=_l("Year names"), category=category))


# --- dashboard ------------------------------------------------------------------------------------


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    """For administrators (who maintain the year names): a warning when this year has no name yet."""
    from core.security import scope_for

    year = missing_current_year_name() if scope_for(user).is_admin else None
    if year is None:
        return []
    return [
        {
            "title": _l("Year name missing"),
            "template": "documents/year_name_warning.html",
            "context": {"year": year, "fallback": year_name(year)},
            "order": 1,
        }
    ]


# --- API ------------------------------------------------------------------------------------------


def register_api(api: Any) -> None:
    from core.web.documents import register_api_endpoints

    register_api_endpoints(api)


# --- command line ---------------------------------------------------------------------------------


@click.group("documents", help="Documentos PDF de los expedientes.")
def documents_cli() -> None:
    """Documentos PDF de los expedientes."""


@documents_cli.command("render")
@click.option("--case", "case_ids", type=int, multiple=True, help="Id de expediente (repetible).")
@click.option("--type", "case_type", help="Tipo de expediente (p. ej. generic).")
@click.option("--year", type=int, help="Año del ciclo.")
@click.option("--government", "government_id", type=int, help="Id del gobierno.")
@click.option("--key", "keys", multiple=True, help="Clave del documento (repetible; por defecto, todos).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="documentos",
    show_default=True,
    help="Carpeta de salida.",
)
@click.option("--as", "as_email", help="Actuar como este usuario (por defecto: administrador del sistema).")
@click.option("--issue", is_flag=True, help="Emitir los documentos (se guardan y reciben código) en vez de borradores.")
@with_appcontext
def render_command(
    case_ids: tuple[int, ...],
    case_type: str | None,
    year: int | None,
    government_id: int | None,
    keys: tuple[str, ...],
    out_dir: str,
    as_email: str | None,
    issue: bool,
) -> None:
    """Genera muchos documentos a archivos PDF, con barra de progreso, dentro del alcance del usuario."""
    from core.database import writing
    from core.security import readable_clause, scope_for_cli

    user = None
    if as_email:
        user = db.session.scalar(select(User).where(User.email == as_email.strip().lower()))
        if user is None or not user.is_active:
            raise click.ClickException(_("There is no active user with the e-mail %(email)s.", email=as_email))
    scope = scope_for_cli(user)
    unknown = [k for k in keys if k not in DOCUMENTS]
    if unknown:
        raise click.ClickException(_("Unknown documents: %(keys)s.", keys=", ".join(unknown)))

    query = select(Case.id, Case.type).where(readable_clause(scope, Case.government_id)).order_by(Case.id)
    if case_ids:
        query = query.where(Case.id.in_(case_ids))
    if case_type:
        query = query.where(Case.type == case_type)
    if year:
        query = query.where(Case.year == year)
    if government_id:
        query = query.where(Case.government_id == government_id)
    rows = db.session.execute(query).all()
    missing = sorted(set(case_ids) - {row.id for row in rows})
    if missing:
        click.echo(
            _(
                "Cases that do not exist or are out of your scope: %(ids)s.",
                ids=", ".join(map(str, missing)),
            ),
            err=True,
        )
    jobs = [
        (row.id, spec.key)
        for row in rows
        for spec in sorted(DOCUMENTS.values(), key=lambda s: s.key)
        if spec.applies_to(row.type) and _owner_enabled(spec.owner) and (not keys or spec.key in keys)
    ]
    if not jobs:
        click.echo(_("There are no documents to generate with those filters."))
        if missing:
            raise SystemExit(1)
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    written = 0
    with click.progressbar(jobs, label=_("Generating documents"), show_pos=True) as bar:
        for count, (case_id, key) in enumerate(bar, start=1):
            db.session.rollback()  # end the last read, so a writer takes SQLite's lock up front
            with writing() if issue else nullcontext():
                case = db.session.get(Case, case_id)
                name = f"{safe_filename(case.reference)}__{key}"
                try:
                    if issue:
                        if not can_issue(scope, case, DOCUMENTS[key]):
                            raise DocumentError(_("you are not allowed to issue this document"), status=403)
                        document = issuing(lambda c=case_id, k=key: issue_document(db.session.get(Case, c), k, user))
                        db.session.commit()
                        pdf, name = document.content, f"{name}__{document.code}"
                    else:
                        pdf = render_draft_pdf(case, key)
                except DocumentError as error:
                    db.session.rollback()
                    failures.append(f"{case.reference} / {key}: {error}")
                    continue
            (out / f"{name}.pdf").write_bytes(pdf)
            written += 1
            if count % 50 == 0:
                db.session.expunge_all()  # keep memory flat over thousands of cases
    if issue:
        click.echo(_("%(count)s documents issued in %(path)s.", count=written, path=out))
    else:
        click.echo(_("%(count)s documents generated (drafts) in %(path)s.", count=written, path=out))
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures or missing:
        raise SystemExit(1)


# --- wiring ---------------------------------------------------------------------------------------

register_document(
    "case_summary",
    "core/case_summary.html",
    "Ficha del expediente",
    ("generic",),
)


def check_render_limits(app: Flask) -> None:
    """A request's render (queue wait included) must end before the server kills the worker."""
    render, server = float(app.config["DOCUMENT_RENDER_TIMEOUT"]), float(app.config["SERVER_TIMEOUT"])
    if render >= server - 5:
        raise RuntimeError(
            f"DOCUMENT_RENDER_TIMEOUT ({render:g} s) must be at least 5 s less than SERVER_TIMEOUT "
            f"({server:g} s, gunicorn's --timeout): otherwise the server would kill a render midway."
        )


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
    from core.panels import Panel, register_case_panel
    from core.web.documents import bp
    from core.workflow import register_effect

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    check_render_limits(app)
    app.register_blueprint(bp)
    from core import emblems

    app.register_blueprint(emblems.bp)
    app.jinja_env.globals["emblem_panel"] = emblems.panel_context
    app.cli.add_command(documents_cli)
    register_effect("issue_document", _issue_effect)
    register_case_panel(Panel("documents", "documents/panel.html", _panel_context, order=40))


__all__ = [
    "DOCUMENTS",
    "DocumentError",
    "DocumentSpec",
    "IssueInfo",
    "can_issue",
    "documents_for",
    "html_to_pdf",
    "issue_document",
    "issuing",
    "register_document",
    "render_html",
    "render_draft_pdf",
    "render_document",
    "spec_for",
]
