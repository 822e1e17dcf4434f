"""Attachments, a built-in plugin: signed scans and evidence on a case, size-limited, type-sniffed,
content-addressed outside the database.

Files
- ``service.py``   settings, names and sniffed types, content-addressed storage, a case's attachments
- ``download.py``  the scoped loader and the verified download response (pages and API share it)
- ``pages.py``     upload to a case, download, soft delete, the case panel, the 413 page
- ``api.py``       ``/api/v1`` attachment endpoints · ``admin.py`` the read-only admin list
- ``cli.py``       ``articula attachments verify``
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it as
the built-in plugin ``core.attachments``. This package root re-exports the domain API (what plugins
import: ``from core.attachments import …``) lazily, by name on first use (PEP 562): importing one of
its modules from a lower layer (``core.cases.types`` from ``core.custom_fields``) never runs the
higher ones, and importing a domain module never loads the pages, API or admin. The core's own
modules import the domain submodules, not this root.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the domain module that defines it.
_EXPORTS = {
    "AttachmentCorrupt": "core.attachments.service",
    "AttachmentError": "core.attachments.service",
    "DEFAULT_ALLOWED_TYPES": "core.attachments.service",
    "DEFAULT_MAX_BYTES": "core.attachments.service",
    "KNOWN_TYPES": "core.attachments.service",
    "StoredFile": "core.attachments.service",
    "add_attachment": "core.attachments.service",
    "allowed_types": "core.attachments.service",
    "case_attachments": "core.attachments.service",
    "check_type": "core.attachments.service",
    "commit_upload": "core.attachments.service",
    "discard": "core.attachments.service",
    "frozen_reason": "core.attachments.service",
    "human_size": "core.attachments.service",
    "max_bytes": "core.attachments.service",
    "open_verified": "core.attachments.service",
    "record_download": "core.attachments.service",
    "sanitize_filename": "core.attachments.service",
    "sniff": "core.attachments.service",
    "soft_delete": "core.attachments.service",
    "storage_dir": "core.attachments.service",
    "store": "core.attachments.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
