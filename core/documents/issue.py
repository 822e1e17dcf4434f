"""Issuing: ``issuing(work)`` renders PDFs between a dry run and the real run of a unit of work,
``issue_document`` stores one immutably, the workflow effect ``issue_document``."""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, true
from sqlalchemy.exc import IntegrityError

from core.documents.context import IssueInfo, render_document, render_template_html
from core.documents.environment import year_name
from core.documents.models import IssuedDocument
from core.documents.pdf import content_hash, html_to_pdf, render_owner
from core.documents.registry import (
    DOCUMENTS,
    DocumentError,
    DocumentSpec,
    LargeDocument,
    MissingYearName,
    owner_enabled,
    spec_for,
)
from core.documents.verification import display_code, new_code, verify_url
from core.extensions import db
from core.models import Case, Government
from core.models.user import frozen_clock, utcnow
from core.plugins import plugin_registry
from core.security import Scope, can
from core.workflow import WorkflowError

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
    not rendered here; after rolling back, ``LargeDocument`` (registry) is raised and the caller
    hands the unit of work to a background job (``core.documents.jobs.enqueue``). ``timeout``: the render
    limit (default ``DOCUMENT_RENDER_TIMEOUT``).

    The caller commits (or rolls back on an exception) as for any unit of work. ``work`` must
    load what it needs itself (its objects are expired by the rollback) and have no effect
    outside the database, since its first run is undone.
    """
    if _issuing.get() is not None:  # nested: the outermost unit of work decides
        return work()
    # Before the rollback: reading the user afterwards would open a transaction during the render.
    owner = owner or render_owner()
    operation = _Issuing(now=utcnow())
    token = _issuing.set(operation)
    try:
        with frozen_clock(operation.now):
            result = work()
        if not operation.prepared:
            return result
        db.session.rollback()
        if allow_background:
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
    pdf = _pdf_for(operation, prepared, key, code, html)
    previous = db.session.scalar(
        select(IssuedDocument.id)
        .where(IssuedDocument.case_id == case.id, IssuedDocument.template_key == key)
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    if previous is None:
        # a new version of another case (a reformulated plan) supersedes that case's document
        previous = plugin_registry().hook.superseded_document(case=case, key=key)
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
    return _store(document)


def issue_government_document(
    government: Government,
    key: str,
    number: str,
    title: str,
    context: dict[str, Any],
    user: Any,
    *,
    by_number: bool = False,
) -> IssuedDocument:
    """Store a document of ``government`` as a whole (no case; registered with ``register_government_document``)
    from the ``context`` its template prints, as ``issue_document`` stores a case's: same numbering fields,
    hash, issuer, time and verification code, rendered between the two runs of ``issuing``; a newer one of
    the same government and key supersedes the older — or, with ``by_number``, only the older of the same
    number (a report per period or per form: the next period's report does not replace this one). Permission
    is the caller's business."""
    spec = DOCUMENTS.get(key)
    if spec is None or spec.case_types or not owner_enabled(spec.owner):
        raise DocumentError(_("The document «%(key)s» does not exist for this case type.", key=key), status=404)
    operation = _issuing.get()
    issued_at = operation.now if operation else utcnow()
    prepared = operation.prepared.get(key) if operation else None
    if operation and operation.second_run and prepared is None:
        raise DocumentError(CHANGED_WHILE_RENDERING, status=409)
    code = prepared.code if prepared else new_code()
    issuer = getattr(user, "name", None) or "Sistema"
    document_year = context["document_date"].year
    if not year_name(document_year):
        raise MissingYearName(document_year)
    issue = IssueInfo(number, code, issued_at, issuer)
    html = render_template_html(
        spec.template,
        {
            **context,
            "spec": spec,
            "number": number,
            "issue": issue,
            "issued": True,
            "verification_code": display_code(code),
            "verification_url": verify_url(code),
            "preview_toolbar": None,
        },
    )
    pdf = _pdf_for(operation, prepared, key, code, html)
    previous = db.session.scalar(
        select(IssuedDocument.id)
        .where(
            IssuedDocument.government_id == government.id,
            IssuedDocument.case_id.is_(None),
            IssuedDocument.template_key == key,
            IssuedDocument.number == number if by_number else true(),
        )
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    return _store(
        IssuedDocument(
            case_id=None,
            government_id=government.id,
            year=document_year,
            template_key=key,
            number=number,
            title=f"{spec.title}: {title}"[:300],
            sha256=hashlib.sha256(pdf).hexdigest(),
            content=pdf,
            size=len(pdf),
            issued_by_id=getattr(user, "id", None),
            issued_at=issued_at,
            code=code,
            supersedes_id=previous,
        )
    )


def _pdf_for(operation: _Issuing | None, prepared: _Prepared | None, key: str, code: str, html: str) -> bytes:
    """The PDF of ``html`` as the current run of ``issuing`` has it (see ``issue_document``)."""
    if operation is None:
        return html_to_pdf(html).pdf
    if operation.second_run:
        if prepared is None or content_hash(html) != prepared.html_sha:
            raise DocumentError(CHANGED_WHILE_RENDERING, status=409)
        operation.stored.add(key)
        return prepared.pdf or b""
    operation.prepared[key] = _Prepared(code, content_hash(html), html)
    return b""  # a placeholder: this run is rolled back before anything is committed


def _store(document: IssuedDocument) -> IssuedDocument:
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError as error:  # the caller rolls back
        raise DocumentError(
            _("Another identical document was issued at the same time for this case; reload and try again."),
            status=409,
        ) from error
    return document


def issue_effect(case: Case, transition: Any, user: Any, value: Any) -> None:
    """Workflow effect ``issue_document: key`` (or a list of keys); see ``issuing`` for when it renders."""
    keys = [value] if isinstance(value, str) else list(value or [])
    for key in keys:
        try:
            issue_document(case, str(key), user)
        except DocumentError as error:
            raise WorkflowError(
                _("The document «%(key)s» could not be issued: %(error)s", key=key, error=error), status=error.status
            ) from error


def can_issue(scope: Scope, case: Case, spec: DocumentSpec) -> bool:
    """May the user issue ``spec`` for ``case`` by hand (core.security's named action "document.issue")."""
    return can(scope, "document.issue", (case, spec))
