"""The render pipeline: HTML to PDF in the bounded worker pool (per-user limit, time limit) and the
cache of draft PDFs by content hash."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.documents.context import render_html
from core.documents.environment import asset_roots
from core.documents.registry import DocumentError, spec_for
from core.documents.worker import RenderBusy, RenderCrashed, RenderError, RenderResult, RenderTimeout, get_pool
from core.extensions import db
from core.models import Case

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


def render_owner() -> str:
    """Whose render this is, for the per-user limit: the signed-in user, else the process (CLI, jobs)."""
    if has_request_context():
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
        with _user_slots.slot(owner or render_owner(), int(config["DOCUMENT_RENDER_PER_USER"])):
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
        owner = render_owner()
        db.session.rollback()
        pdf = html_to_pdf(html, owner=owner).pdf
        preview_cache.put(key, pdf, int(current_app.config["DOCUMENT_PREVIEW_CACHE_MB"]) * 1024 * 1024)
    return pdf, key


def render_draft_pdf(case: Case, key: str) -> bytes:
    """A draft PDF of ``key`` for ``case``: marked as a preview, without a code, never stored."""
    spec = spec_for(case, key)
    return draft_pdf(render_html(case, spec, issue=None))[0]
