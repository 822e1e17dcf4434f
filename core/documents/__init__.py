"""Documents, a built-in subsystem shaped like a plugin: Jinja templates → HTML → PDF, issued immutably, verifiable.

- **Registry**: a document is a Jinja template with a key, a Spanish title and the case types
  it applies to: ``register_document(key, template, title, case_types, context_fn=None)``.
  The core's templates live in this folder (``case_summary.html``, named ``core/<file>``) and
  each plugin's in its ``documents/`` folder (named ``<plugin>/<file>``); all extend the shared
  layout ``documents/base.html`` (templates/documents/). Plugins add variables with
  ``context_fn`` or the ``document_context(case, template)`` hook.
- **Rendering**: a Jinja environment of its own, autoescaping everything, so user text is
  text in every document; the PDF is made in a worker process (``worker.py``) whose URL
  fetcher serves only packaged static assets, under a time limit (``DOCUMENT_RENDER_TIMEOUT``).
- **Issuing**: ``issue_document(case, key, user)`` stores the bytes with number, sha256,
  issuer, time and a public verification code (``/verificar/<code>``); downloads serve the
  stored bytes. The workflow effect ``issue_document: <key>`` calls it from a transition.
  Callers wrap the unit of work in ``issuing(work)``: the PDF is rendered between a dry run
  and the real one, never while a transaction (on SQLite, the write lock) is held.
- **Limits**: a bounded pool of render workers with a bounded queue and a per-user limit
  (``DOCUMENT_RENDER_*``); large documents are issued by a background job (``jobs.py``);
  draft PDFs are cached by the hash of their HTML.

WeasyPrint is imported only in the worker, never when the app starts.

Files (domain first; a domain module never imports the pages, API or admin):

- ``models.py``        issued documents (immutable), year names, letterhead images, jobs
- ``registry.py``      the document registry, settings, ``DocumentError``, file names
- ``environment.py``   the documents' Jinja environment, assets, Lima dates, year names, BASE_URL
- ``verification.py``  verification codes and the address they print
- ``context.py``       what a document prints, and its HTML
- ``worker.py``        the render worker processes (runs as a script; no Flask, no app)
- ``pdf.py``           the render pipeline: pool, limits, draft cache
- ``issue.py``         ``issuing`` and ``issue_document`` (numbering, hashing, storing)
- ``jobs.py``          background jobs (Huey) for large documents
- ``emblems.py``       a government's letterhead images: validation and data: URIs
- ``access.py``  ``pages.py``  ``panels.py``  ``api.py``  ``admin.py``  ``cli.py``   the adapters
- ``case_summary.html`` the core's own document template

This module is the subsystem's built-in plugin (``core.plugins.BUILTIN_PLUGINS``): its hook
implementations (``init_app``, ``register_blueprints``, ``cli_commands``, ``register_api``,
``register_admin_views``, ``dashboard_widgets``) wire it into each app. It also re-exports the
domain API, so ``from core.documents import …`` keeps working for plugins; inside ``core/``, import
the submodule instead (this root imports the pages, API and admin).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.documents import admin as _admin
from core.documents import api as _api
from core.documents import jobs as _jobs
from core.documents import pages as _pages
from core.documents import panels as _panels
from core.documents.cli import documents_cli
from core.documents.context import STAGE_NAMES, IssueInfo, build_context, case_context, render_document, render_html
from core.documents.environment import (
    asset_roots,
    base_url,
    dated_in_cycle,
    document_environment,
    lima_datetime,
    missing_current_year_name,
    today_lima,
    year_name,
)
from core.documents.issue import CHANGED_WHILE_RENDERING, can_issue, issue_document, issue_effect, issuing
from core.documents.jobs import configure_huey, enqueue, get_huey, job_json, run_job
from core.documents.pdf import content_hash, draft_pdf, html_to_pdf, preview_cache, render_draft_pdf
from core.documents.registry import (
    CORE_DOCUMENTS,
    CORE_STATIC,
    DEFAULTS,
    DOCUMENTS,
    DocumentError,
    DocumentSpec,
    LargeDocument,
    MissingYearName,
    document_filename,
    documents_for,
    register_document,
    safe_filename,
    spec_for,
)
from core.documents.verification import CODE_ALPHABET, CODE_LENGTH, CODE_RE, new_code, normalize_code, verify_url
from core.hookspecs import hookimpl
from core.panels import Panel, register_case_panel
from core.workflow import register_effect

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
            f"DOCUMENT_RENDER_TIMEOUT ({render:g} s) debe ser al menos 5 s menor que SERVER_TIMEOUT ({server:g} s, "
            "el --timeout de gunicorn): si no, el servidor mataría la generación a medias."
        )


@hookimpl
def init_app(app: Flask) -> None:
    """Per-app wiring: settings (checked against the server's timeout), the background queue, the
    workflow effect ``issue_document``, the case panel and the letterhead panel of a government."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    check_render_limits(app)
    _jobs.init_app(app)
    app.jinja_env.globals["emblem_panel"] = _pages.emblem_panel_context
    register_effect("issue_document", issue_effect)
    register_case_panel(Panel("documents", "documents/panel.html", _panels.panel_context, order=40))


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)
    app.register_blueprint(_pages.emblems_bp)


@hookimpl
def cli_commands() -> list[Any]:
    return [documents_cli, _jobs.jobs_cli]


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def register_admin_views(admin: Any, app: Flask) -> None:
    _admin.register_admin(admin)


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return _panels.dashboard_widgets(user)


__all__ = [
    "CHANGED_WHILE_RENDERING",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_RE",
    "CORE_DOCUMENTS",
    "CORE_STATIC",
    "DOCUMENTS",
    "DocumentError",
    "DocumentSpec",
    "IssueInfo",
    "LargeDocument",
    "MissingYearName",
    "STAGE_NAMES",
    "asset_roots",
    "base_url",
    "build_context",
    "can_issue",
    "case_context",
    "configure_huey",
    "content_hash",
    "dated_in_cycle",
    "document_environment",
    "document_filename",
    "documents_for",
    "draft_pdf",
    "enqueue",
    "get_huey",
    "html_to_pdf",
    "issue_document",
    "issuing",
    "job_json",
    "lima_datetime",
    "missing_current_year_name",
    "new_code",
    "normalize_code",
    "preview_cache",
    "register_document",
    "render_document",
    "render_draft_pdf",
    "render_html",
    "run_job",
    "safe_filename",
    "spec_for",
    "today_lima",
    "verify_url",
    "year_name",
]
