"""Attachments, a built-in plugin: signed scans and evidence on a case, size-limited, type-sniffed,
content-addressed outside the database.

Files
- ``storage.py``   settings, names and sniffed types, content-addressed storage of the files
- ``service.py``   a case's attachments: add, freeze, soft delete, list, audited downloads
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
    "AttachmentCorrupt": "core.attachments.storage",
    "AttachmentError": "core.attachments.storage",
    "DEFAULT_ALLOWED_TYPES": "core.attachments.storage",
    "DEFAULT_MAX_BYTES": "core.attachments.storage",
    "KNOWN_TYPES": "core.attachments.storage",
    "StoredFile": "core.attachments.storage",
    "add_attachment": "core.attachments.service",
    "allowed_types": "core.attachments.storage",
    "case_attachments": "core.attachments.service",
    "check_type": "core.attachments.storage",
    "commit_upload": "core.attachments.service",
    "discard": "core.attachments.storage",
    "frozen_reason": "core.attachments.service",
    "human_size": "core.attachments.storage",
    "max_bytes": "core.attachments.storage",
    "open_verified": "core.attachments.storage",
    "record_download": "core.attachments.service",
    "sanitize_filename": "core.attachments.storage",
    "sniff": "core.attachments.storage",
    "soft_delete": "core.attachments.service",
    "storage_dir": "core.attachments.storage",
    "store": "core.attachments.storage",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
