"""Attachments, a built-in plugin: signed scans and evidence on a case, size-limited, type-sniffed,
content-addressed outside the database.

Files
- ``service.py``   settings, names and sniffed types, content-addressed storage, a case's attachments
- ``download.py``  the scoped loader and the verified download response (pages and API share it)
- ``pages.py``     upload to a case, download, soft delete, the case panel, the 413 page
- ``api.py``       ``/api/v1`` attachment endpoints · ``admin.py`` the read-only admin list
- ``cli.py``       ``articula attachments verify``

The hook implementations below wire the adapters. The package root re-exports the domain API for
plugins; the core's own modules import ``core.attachments.service``.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from core.attachments import admin as _admin
from core.attachments import api as _api
from core.attachments import cli as _cli
from core.attachments import pages as _pages
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
    configure,
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
from core.hookspecs import hookimpl

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


@hookimpl
def init_app(app: Flask) -> None:
    configure(app)
    _pages.register_panels()


@hookimpl
def register_blueprints(app: Flask) -> None:
    _pages.register(app)


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def register_admin_views(admin: Any) -> None:
    _admin.register_admin_views(admin)


@hookimpl
def cli_commands() -> list[click.Command]:
    return [_cli.attachments_group]
