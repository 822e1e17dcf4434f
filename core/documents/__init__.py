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
- ``access.py``  ``pages.py``  ``panels.py``  ``api.py``  ``admin.py``  ``cli.py``   the adapters;
  ``plugin.py`` the hooks
- ``case_summary.html`` the core's own document template

``plugin.py`` holds the hook implementations of this built-in plugin (``core.plugins.BUILTIN_PLUGINS``:
``init_app``, ``register_blueprints``, ``cli_commands``, ``register_api``, ``register_admin_views``,
``dashboard_widgets``). This root only re-exports the domain API, lazily, by name on first use
(PEP 562), so ``from core.documents import …`` keeps working for plugins and importing a domain module
never loads the pages, API or admin. Inside ``core/``, import the submodule instead.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the module that defines it.
_EXPORTS = {
    "asset_roots": "core.documents.environment",
    "base_url": "core.documents.environment",
    "build_context": "core.documents.context",
    "can_issue": "core.documents.issue",
    "case_context": "core.documents.context",
    "CHANGED_WHILE_RENDERING": "core.documents.issue",
    "CODE_ALPHABET": "core.documents.verification",
    "CODE_LENGTH": "core.documents.verification",
    "CODE_RE": "core.documents.verification",
    "configure_huey": "core.documents.jobs",
    "content_hash": "core.documents.pdf",
    "CORE_DOCUMENTS": "core.documents.registry",
    "CORE_STATIC": "core.documents.registry",
    "dated_in_cycle": "core.documents.environment",
    "document_environment": "core.documents.environment",
    "document_filename": "core.documents.registry",
    "DocumentError": "core.documents.registry",
    "DOCUMENTS": "core.documents.registry",
    "document_label": "core.documents.registry",
    "documents_for": "core.documents.registry",
    "DocumentSpec": "core.documents.registry",
    "draft_pdf": "core.documents.pdf",
    "enqueue": "core.documents.jobs",
    "get_huey": "core.documents.jobs",
    "html_to_pdf": "core.documents.pdf",
    "issue_document": "core.documents.issue",
    "issue_government_document": "core.documents.issue",
    "IssueInfo": "core.documents.context",
    "issuing": "core.documents.issue",
    "job_json": "core.documents.jobs",
    "LargeDocument": "core.documents.registry",
    "lima_datetime": "core.documents.environment",
    "missing_current_year_name": "core.documents.environment",
    "MissingYearName": "core.documents.registry",
    "new_code": "core.documents.verification",
    "normalize_code": "core.documents.verification",
    "preview_cache": "core.documents.pdf",
    "register_document": "core.documents.registry",
    "register_government_document": "core.documents.registry",
    "render_document": "core.documents.context",
    "render_draft_pdf": "core.documents.pdf",
    "render_html": "core.documents.context",
    "run_job": "core.documents.jobs",
    "safe_filename": "core.formatting",
    "spec_for": "core.documents.registry",
    "STAGE_NAMES": "core.documents.context",
    "today_lima": "core.documents.environment",
    "verify_url": "core.documents.verification",
    "year_name": "core.documents.environment",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
