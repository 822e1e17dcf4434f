"""The submissions built-in plugin: its hook implementations, which wire its pages, API and admin
(registered on the app's pluggy manager before the third-party plugins; see core.plugins)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.hookspecs import hookimpl
from core.submissions import admin as _admin
from core.submissions import api as _api
from core.submissions import pages as _pages


@hookimpl
def init_app(app: Flask) -> None:
    _pages.register_panels()


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def register_admin_views(admin: Any) -> None:
    _admin.register_admin_views(admin)
