"""Submissions, a built-in plugin: a government sends its issued documents to the level above
(supplementary provision 8), and the national overview of the 30 June rule.

Files
- ``service.py``   send, acknowledge, who receives, what the 30 June rule asks for
- ``overview.py``  the national overview (on time, late, overdue, not sent), one computation
- ``pages.py``     blueprint ``submissions`` (``/envios``) and the cycle panel
- ``api.py``       ``/api/v1`` submission endpoints · ``admin.py`` the read-only admin list
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it as
the built-in plugin ``core.submissions``. This package root re-exports the domain API (what plugins
import: ``from core.submissions import …``) lazily, by name on first use (PEP 562): importing one of
its modules from a lower layer (``core.cases.types`` from ``core.custom_fields``) never runs the
higher ones, and importing a domain module never loads the pages, API or admin. The core's own
modules import the domain submodules, not this root.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the domain module that defines it.
_EXPORTS = {
    "OVERVIEW_STATUSES": "core.submissions.overview",
    "RegionStatus": "core.submissions.overview",
    "national_overview": "core.submissions.overview",
    "overview_counts": "core.submissions.overview",
    "overview_status": "core.submissions.overview",
    "DuplicateSubmission": "core.submissions.service",
    "REGIONAL_RULE": "core.submissions.service",
    "RequiredDocument": "core.submissions.service",
    "SubmissionError": "core.submissions.service",
    "acknowledge": "core.submissions.service",
    "identical_submission": "core.submissions.service",
    "load_submission": "core.submissions.service",
    "may_receive": "core.submissions.service",
    "missing_documents": "core.submissions.service",
    "missing_documents_of": "core.submissions.service",
    "policy_documents": "core.submissions.service",
    "recipient_of": "core.submissions.service",
    "sent_in": "core.submissions.service",
    "submit": "core.submissions.service",
    "submittable_documents": "core.submissions.service",
    "visible_clause": "core.submissions.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
