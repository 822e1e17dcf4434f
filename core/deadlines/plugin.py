"""The deadlines built-in plugin: its hook implementations wire the subsystem into each app (settings,
workflow effects, panels, the inbox filter, the Plazos blueprint, CLI, API, admin, dashboard widget);
registered on the app's pluggy manager before the third-party plugins (see core.plugins)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.deadlines import admin as _admin
from core.deadlines import api as _api
from core.deadlines import pages as _pages
from core.deadlines import panels as _panels
from core.deadlines.cli import deadlines_cli
from core.deadlines.events import effect_meets as _effect_meets
from core.deadlines.events import effect_starts as _effect_starts
from core.deadlines.settings import (
    SETTINGS,
)
from core.deadlines.status import (
    inbox_overdue_filter,
)
from core.hookspecs import hookimpl
from core.panels import register_inbox_filter
from core.workflow import register_effect


@hookimpl
def init_app(app: Flask) -> None:
    """Per-app wiring: settings, workflow effects, the case and cycle panels, the inbox's overdue filter."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    _panels.register_panels()
    register_effect("starts_deadline", _effect_starts)
    register_effect("meets_deadline", _effect_meets)
    register_inbox_filter("overdue", inbox_overdue_filter)


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)


@hookimpl
def cli_commands() -> list[Any]:
    return [deadlines_cli]


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api(api)


@hookimpl
def register_admin_views(admin: Any, app: Flask) -> None:
    _admin.register_admin(admin)


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return [_panels.dashboard_widget(user)]
