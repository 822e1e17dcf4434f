"""Submissions, a built-in plugin: a government sends its issued documents to the level above
(supplementary provision 8), and the national overview of the 30 June rule.

Files
- ``service.py``   send, acknowledge, who receives, what the 30 June rule asks for
- ``overview.py``  the national overview (on time, late, overdue, not sent), one computation
- ``pages.py``     blueprint ``submissions`` (``/envios``) and the cycle panel
- ``api.py``       ``/api/v1`` submission endpoints · ``admin.py`` the read-only admin list

The hook implementations below wire the adapters. The package root re-exports the domain API for
plugins; the core's own modules import ``core.submissions.service`` / ``.overview``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.hookspecs import hookimpl
from core.submissions import admin as _admin
from core.submissions import api as _api
from core.submissions import pages as _pages
from core.submissions.overview import (
    OVERVIEW_STATUSES,
    RegionStatus,
    national_overview,
    overview_counts,
    overview_status,
)
from core.submissions.service import (
    REGIONAL_RULE,
    DuplicateSubmission,
    RequiredDocument,
    SubmissionError,
    acknowledge,
    identical_submission,
    load_submission,
    may_receive,
    missing_documents,
    missing_documents_of,
    policy_documents,
    recipient_of,
    sent_in,
    submit,
    submittable_documents,
    visible_clause,
)

__all__ = [
    "DuplicateSubmission",
    "OVERVIEW_STATUSES",
    "REGIONAL_RULE",
    "RegionStatus",
    "RequiredDocument",
    "SubmissionError",
    "acknowledge",
    "identical_submission",
    "load_submission",
    "may_receive",
    "missing_documents",
    "missing_documents_of",
    "national_overview",
    "overview_counts",
    "overview_status",
    "policy_documents",
    "recipient_of",
    "sent_in",
    "submit",
    "submittable_documents",
    "visible_clause",
]


@hookimpl
def init_app(app: Flask) -> None:
    _pages.register_panels()


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def register_admin_views(admin: Any) -> None:
    _admin.register_admin_views(admin)
