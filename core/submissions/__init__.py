"""Submissions, a built-in plugin: a government sends its issued documents to the level above
(supplementary provision 8), and the national overview of the 30 June rule.

Files
- ``service.py``   send, acknowledge, who receives, what the 30 June rule asks for
- ``overview.py``  the national overview (on time, late, overdue, not sent), one computation
- ``pages.py``     blueprint ``submissions`` (``/envios``) and the cycle panel
- ``api.py``       ``/api/v1`` submission endpoints · ``admin.py`` the read-only admin list
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it
as the built-in plugin ``core.submissions``. This package root only re-exports the domain API (what
plugins import: ``from core.submissions import …``), so importing any domain module never loads the
pages, API or admin. The core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

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
