"""Hook bodies of the Ventanilla CRECER sub-package, called by the plugin's root (plugins/monitoring/__init__.py).

Imports stay inside the functions: importing the plugin must not map its tables."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def area() -> tuple[Any, str, Any]:
    return (
        _l("Ventanilla CRECER"),
        "ventanilla.index",
        _l("Entries of citizens, referrals, due dates and registries."),
    )


def permission_actions() -> dict[str, Any]:
    from plugins.monitoring.ventanilla.access import ACTIONS

    return ACTIONS


def register_operations() -> list[Any]:
    from plugins.monitoring.ventanilla import operations, sweeps

    return [*operations.OPERATIONS, *sweeps.OPERATIONS]


def register_blueprints(app: Any) -> None:
    from plugins.monitoring.ventanilla import pages, public, reports  # noqa: F401 — reports adds its routes to pages.bp

    app.register_blueprint(public.bp)
    app.register_blueprint(pages.bp)


def register_api(api: Any) -> None:
    from plugins.monitoring.ventanilla.api import register

    register(api)


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from plugins.monitoring.ventanilla.pages import dashboard_widget

    return [dashboard_widget(user)]


def demo_data(app: Any) -> None:
    from plugins.monitoring.ventanilla.demo import load

    load(app)


def cli_commands() -> list[Any]:
    from plugins.monitoring.ventanilla.cli import ventanilla_cli

    return [ventanilla_cli]


def deadline_rules() -> list[dict[str, Any]]:
    from plugins.monitoring.ventanilla.registry import deadline_rules as rules
    from plugins.monitoring.ventanilla.terms import term_rule

    return [*rules(), term_rule()]


def register_admin_views(admin: Any) -> None:
    from plugins.monitoring.ventanilla.admin import register

    register(admin)
