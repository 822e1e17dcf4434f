"""What the portfolio gives the plugin's hooks (the root __init__.py calls each by its hook name)."""

from __future__ import annotations

from typing import Any

from core.security import EDIT, can


def register_operations() -> list[Any]:
    from plugins.operations.investment.operations import OPERATIONS

    return list(OPERATIONS)


def permission_actions() -> dict[str, Any]:
    # The target is the project's government (core.operations.check_scope).
    return {"operations.investment.edit": lambda scope, government: can(scope, EDIT, government)}


def register_blueprints(app: Any) -> None:
    from plugins.operations.investment import report
    from plugins.operations.investment.pages import bp

    app.register_blueprint(bp)
    report.register()


def register_api(api: Any) -> None:
    from plugins.operations.investment.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.investment.admin import register

    register(admin)


def demo_data(app: Any) -> None:
    from plugins.operations.investment.demo import load

    load(app)
