"""The audit trail's domain API in one import for the core's own modules: ``import core.audit.service as audit``.

Importing it installs the session listeners (core.audit.recorder), so every write of the app is
recorded. Adapters and plugins may use the package root ``core.audit`` instead, which re-exports
these names.
"""

from __future__ import annotations

from core.audit.access import ACTION_LABELS, ENTITY_LABELS, ORIGIN_ROLES, can_browse, sees_origin
from core.audit.actors import acting_as, current_actor
from core.audit.chain import (
    CONTENT_COLUMNS,
    EXCLUDED_TABLES,
    MASK,
    SECRET_COLUMNS,
    VerifyResult,
    canonical,
    compute_hash,
    content_of_row,
    jsonable,
    verify_chain,
)
from core.audit.recorder import record
from core.models.audit import AuditTamperError

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
