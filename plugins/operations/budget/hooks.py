"""What the results-based budget gives the plugin's hooks (the root __init__.py calls each by its hook name)."""

from __future__ import annotations

from typing import Any

from core.security import EDIT, can


def register_operations() -> list[Any]:
    from plugins.operations.budget.operations import OPERATIONS

    return list(OPERATIONS)


def permission_actions() -> dict[str, Any]:
    # Targets are governments (core.operations.check_scope): the plan's, or None for the national default.
    return {
        "operations.budget.edit": lambda scope, government: can(scope, EDIT, government),
        "operations.budget.configure": lambda scope, _government=None: scope.is_admin,
    }


def register_blueprints(app: Any) -> None:
    from plugins.operations.budget import report
    from plugins.operations.budget.pages import bp

    app.register_blueprint(bp)
    report.register()


def register_api(api: Any) -> None:
    from plugins.operations.budget.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.budget.admin import register

    register(admin)


def demo_data(app: Any) -> None:
    from plugins.operations.budget.demo import load

    load(app)
