"""Hook bodies of the indicators sub-package, called by the plugin's root (plugins/monitoring/__init__.py).

Imports stay inside the functions: importing the plugin must not map its tables.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def area() -> tuple[Any, str, Any]:
    """The entry on the monitoring root page: (label, endpoint, description)."""
    return (
        _l("Key indicators"),
        "monitoring_indicators.index",
        _l("The nine key indicators: measurements by territory and period, import, aggregation and targets."),
    )


def permission_actions() -> dict[str, Any]:
    from plugins.monitoring.indicators.operations import PERMISSION_ACTIONS

    return PERMISSION_ACTIONS


def register_operations() -> list[Any]:
    from plugins.monitoring.indicators.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.monitoring.indicators import pages, plan_pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(plan_pages.bp)


def register_api(api: Any) -> None:
    from plugins.monitoring.indicators.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.monitoring.indicators.admin import register

    register(admin)


def demo_data(app: Any) -> None:
    from plugins.monitoring.indicators.demo import load

    load(app)
