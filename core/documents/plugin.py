"""The documents built-in plugin: its hook implementations wire the subsystem into each app (settings
checked against the server's timeout, the background queue, the workflow effect ``issue_document``,
panels, labels, blueprints, CLI, API, admin, dashboard widget) and register the core's own document;
registered on the app's pluggy manager before the third-party plugins (see core.plugins)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.documents import admin as _admin
from core.documents import api as _api
from core.documents import jobs as _jobs
from core.documents import pages as _pages
from core.documents import panels as _panels
from core.documents.cli import documents_cli
from core.documents.issue import issue_effect
from core.documents.registry import (
    DEFAULTS,
    document_label,
    register_document,
)
from core.hookspecs import hookimpl
from core.labels import register_value_labels
from core.panels import Panel, register_case_panel
from core.workflow import register_effect

register_document(
    "case_summary",
    "core/case_summary.html",
    "Ficha del expediente",
    ("generic",),
)


def check_render_limits(app: Flask) -> None:
    """A request's render (queue wait included) must end before the server kills the worker."""
    render, server = float(app.config["DOCUMENT_RENDER_TIMEOUT"]), float(app.config["SERVER_TIMEOUT"])
    if render >= server - 5:
        raise RuntimeError(
            f"DOCUMENT_RENDER_TIMEOUT ({render:g} s) must be at least 5 s less than SERVER_TIMEOUT "
            f"({server:g} s, gunicorn's --timeout): otherwise the server would kill a render midway."
        )


@hookimpl
def init_app(app: Flask) -> None:
    """Per-app wiring: settings (checked against the server's timeout), the background queue, the
    workflow effect ``issue_document``, the case panel and the letterhead panel of a government."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    check_render_limits(app)
    _jobs.init_app(app)
    app.jinja_env.globals["emblem_panel"] = _pages.emblem_panel_context
    register_effect("issue_document", issue_effect)
    register_case_panel(Panel("documents", "documents/panel.html", _panels.panel_context, order=40))
    register_value_labels("template_key", document_label)


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)
    app.register_blueprint(_pages.emblems_bp)


@hookimpl
def cli_commands() -> list[Any]:
    return [documents_cli, _jobs.jobs_cli]


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api_endpoints(api)


@hookimpl
def register_admin_views(admin: Any, app: Flask) -> None:
    _admin.register_admin(admin)


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return _panels.dashboard_widgets(user)
