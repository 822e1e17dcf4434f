"""Plugin «operations»: Etapa 3: convenios de gestión, incentivos, inversión y Presupuesto por Resultados.

Hook implementations live here (see core/hookspecs.py); each only delegates to its record types'
``hooks`` modules (investment portfolio, results-based budget), so that every hook is a list
concatenation. The manifest is manifest.toml.
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl
from plugins.operations.budget import hooks as budget_hooks
from plugins.operations.investment import hooks as investment_hooks


@hookimpl
def register_operations() -> list[Any]:
    return [*investment_hooks.operations(), *budget_hooks.operations()]


@hookimpl
def permission_actions() -> dict[str, Any]:
    return {**investment_hooks.actions(), **budget_hooks.actions()}


@hookimpl
def register_blueprints(app: Any) -> None:
    for blueprint in [*investment_hooks.blueprints(), *budget_hooks.blueprints()]:
        app.register_blueprint(blueprint)


@hookimpl
def register_api(api: Any) -> None:
    for register in [investment_hooks.register_api, budget_hooks.register_api]:
        register(api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    for register in [investment_hooks.register_admin, budget_hooks.register_admin]:
        register(admin)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    return [*investment_hooks.navigation(user), *budget_hooks.navigation(user)]


@hookimpl
def demo_data(app: Any) -> None:
    for load in [investment_hooks.demo, budget_hooks.demo]:
        load(app)
