"""Attachments, a built-in plugin: signed scans and evidence on a case, size-limited, type-sniffed,
content-addressed outside the database.

Files
- ``service.py``   settings, names and sniffed types, content-addressed storage, a case's attachments
- ``download.py``  the scoped loader and the verified download response (pages and API share it)
- ``pages.py``     upload to a case, download, soft delete, the case panel, the 413 page
- ``api.py``       ``/api/v1`` attachment endpoints · ``admin.py`` the read-only admin list
- ``cli.py``       ``articula attachments verify``
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it
as the built-in plugin ``core.attachments``. This package root only re-exports the domain API (what
plugins import: ``from core.attachments import …``), so importing any domain module never loads the
pages, API or admin. The core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

from core.attachments.service import (
    DEFAULT_ALLOWED_TYPES,
    DEFAULT_MAX_BYTES,
    KNOWN_TYPES,
    AttachmentCorrupt,
    AttachmentError,
    StoredFile,
    add_attachment,
    allowed_types,
    case_attachments,
    check_type,
    commit_upload,
    discard,
    frozen_reason,
    human_size,
    max_bytes,
    open_verified,
    record_download,
    sanitize_filename,
    sniff,
    soft_delete,
    storage_dir,
    store,
)

__all__ = [
    "DEFAULT_ALLOWED_TYPES",
    "DEFAULT_MAX_BYTES",
    "KNOWN_TYPES",
    "AttachmentCorrupt",
    "AttachmentError",
    "StoredFile",
    "add_attachment",
    "allowed_types",
    "case_attachments",
    "check_type",
    "commit_upload",
    "discard",
    "frozen_reason",
    "human_size",
    "max_bytes",
    "open_verified",
    "record_download",
    "sanitize_filename",
    "sniff",
    "soft_delete",
    "storage_dir",
    "store",
]
