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

The hook implementations below wire those adapters; the package root also re-exports the domain
API for plugins (``from core.audit import record``). The core's own modules import
``core.audit.service`` (or a submodule), never this root, which imports the adapters.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from core.audit import admin as _admin
from core.audit import api as _api
from core.audit import cli as _cli
from core.audit import pages as _pages
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
from core.hookspecs import hookimpl

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


@hookimpl
def init_app(app: Flask) -> None:
    _pages.register_panels()


@hookimpl
def register_admin_views(admin: Any) -> None:
    _admin.register_admin_views(admin)


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def cli_commands() -> list[click.Command]:
    return [_cli.audit_group]
