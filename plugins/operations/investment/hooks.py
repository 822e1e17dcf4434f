"""What the portfolio gives the plugin's hooks (plugins/operations/__init__.py calls one function per hook)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.security import EDIT, can


def operations() -> list[Any]:
    from plugins.operations.investment.operations import OPERATIONS

    return list(OPERATIONS)


def actions() -> dict[str, Any]:
    # The target is the project's government (core.operations.check_scope).
    return {"operations.investment.edit": lambda scope, government: can(scope, EDIT, government)}


def blueprints() -> list[Any]:
    from plugins.operations.investment.pages import bp

    return [bp]


def register_api(api: Any) -> None:
    from plugins.operations.investment.api import register

    register(api)


def register_admin(admin: Any) -> None:
    from plugins.operations.investment.admin import register

    register(admin)


def navigation(user: Any) -> list[dict[str, Any]]:
    return [{"label": _l("Social investment"), "endpoint": "investment.index", "order": 31}]


def demo(app: Any) -> None:
    from plugins.operations.investment.demo import load

    load(app)
