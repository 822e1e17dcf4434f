"""The attachments built-in plugin: its hook implementations, which wire its pages, API, admin and CLI
(registered on the app's pluggy manager before the third-party plugins; see core.plugins)."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from core.attachments import admin as _admin
from core.attachments import api as _api
from core.attachments import cli as _cli
from core.attachments import pages as _pages
from core.attachments.storage import configure
from core.hookspecs import hookimpl


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
