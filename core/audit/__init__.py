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

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it as
the built-in plugin ``core.audit``. This package root re-exports the domain API (what plugins
import: ``from core.audit import …``) lazily, by name on first use (PEP 562): importing one of its
modules from a lower layer (``core.cases.types`` from ``core.custom_fields``) never runs the higher
ones, and importing a domain module never loads the pages, API or admin. The core's own modules
import the domain submodules, not this root.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the domain module that defines it.
_EXPORTS = {
    "ACTION_LABELS": "core.audit.service",
    "AuditTamperError": "core.audit.service",
    "CONTENT_COLUMNS": "core.audit.service",
    "ENTITY_LABELS": "core.audit.service",
    "EXCLUDED_TABLES": "core.audit.service",
    "MASK": "core.audit.service",
    "ORIGIN_ROLES": "core.audit.service",
    "SECRET_COLUMNS": "core.audit.service",
    "VerifyResult": "core.audit.service",
    "acting_as": "core.audit.service",
    "can_browse": "core.audit.service",
    "canonical": "core.audit.service",
    "compute_hash": "core.audit.service",
    "content_of_row": "core.audit.service",
    "current_actor": "core.audit.service",
    "jsonable": "core.audit.service",
    "record": "core.audit.service",
    "sees_origin": "core.audit.service",
    "verify_chain": "core.audit.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
