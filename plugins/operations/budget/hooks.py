"""What the results-based budget gives the plugin's hooks (plugins/operations/__init__.py calls one per hook)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.security import EDIT, can


def operations() -> list[Any]:
    from plugins.operations.budget.operations import OPERATIONS

    return list(OPERATIONS)


def actions() -> dict[str, Any]:
    # Targets are governments (core.operations.check_scope): the plan's, or None for the national default.
    return {
        "operations.budget.edit": lambda scope, government: can(scope, EDIT, government),
        "operations.budget.configure": lambda scope, _government=None: scope.is_admin,
    }


def blueprints() -> list[Any]:
    from plugins.operations.budget.pages import bp

    return [bp]


def register_api(api: Any) -> None:
    from plugins.operations.budget.api import register

    register(api)


def register_admin(admin: Any) -> None:
    from plugins.operations.budget.admin import register

    register(admin)


def navigation(user: Any) -> list[dict[str, Any]]:
    return [{"label": _l("Results-based budget"), "endpoint": "budget.index", "order": 32}]


def demo(app: Any) -> None:
    from plugins.operations.budget.demo import load

    load(app)
