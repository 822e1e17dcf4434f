"""Audit trail, a built-in plugin: an append-only, hash-chained record of every change, login and
permission change.

Files
- ``recorder.py``   session listeners that turn every flush into events, ``record()`` for explicit ones
- ``changes.py``    from ORM objects to events (scope, action names, masked changes)
- ``chain.py``      canonical content, the sha256 link, ``verify_chain``
- ``actors.py``     who is acting (request user, ``acting_as``)
- ``access.py``     who browses the trail and sees origins; action and entity labels
- ``display.py``    how events read (labels, shortened and masked values)
- ``service.py``    the domain names above in one import (what the core's modules use)
- ``pages.py``      the case page's history panel · ``admin.py`` the read-only admin list
- ``api.py``        ``GET /api/v1/cases/<id>/audit`` · ``cli.py`` ``articula audit verify``
- ``plugin.py``     the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it
as the built-in plugin ``core.audit``. This package root only re-exports the domain API (what
plugins import: ``from core.audit import …``), so importing any domain module never loads the
pages, API or admin. The core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

from core.audit.service import (  # the public domain API, for plugins
    ACTION_LABELS,
    CONTENT_COLUMNS,
    ENTITY_LABELS,
    EXCLUDED_TABLES,
    MASK,
    ORIGIN_ROLES,
    SECRET_COLUMNS,
    AuditTamperError,
    VerifyResult,
    acting_as,
    can_browse,
    canonical,
    compute_hash,
    content_of_row,
    current_actor,
    jsonable,
    record,
    sees_origin,
    verify_chain,
)

__all__ = [
    "ACTION_LABELS",
    "CONTENT_COLUMNS",
    "ENTITY_LABELS",
    "EXCLUDED_TABLES",
    "MASK",
    "ORIGIN_ROLES",
    "SECRET_COLUMNS",
    "AuditTamperError",
    "VerifyResult",
    "acting_as",
    "can_browse",
    "canonical",
    "compute_hash",
    "content_of_row",
    "current_actor",
    "jsonable",
    "record",
    "sees_origin",
    "verify_chain",
]
