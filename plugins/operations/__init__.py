"""Plugin «operations»: Etapa 3: convenios de gestión, incentivos, inversión y Presupuesto por Resultados.

Hook implementations only, each delegating to a sub-package (one line per sub-package, so the
sub-packages built side by side join by list concatenation):

- sessions/   sessions of the Instancia, attendance and quorum, agreements, the Acta de Sesión
- training/   training and technical-assistance events, the educational-communication plan
- workflows/ documents/ templates/operations/<sub>/ migrations/ translations/   by convention
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl
from plugins.operations.sessions import hooks as sessions_hooks
from plugins.operations.training import hooks as training_hooks


@hookimpl
def case_types() -> list[Any]:
    return [*sessions_hooks.case_types(), *training_hooks.case_types()]


@hookimpl
def workflow_guards() -> dict[str, Any]:
    return {**sessions_hooks.workflow_guards()}


@hookimpl
def permission_actions() -> dict[str, Any]:
    return {**sessions_hooks.permission_actions(), **training_hooks.permission_actions()}


@hookimpl
def register_operations() -> list[Any]:
    return [*sessions_hooks.register_operations(), *training_hooks.register_operations()]


@hookimpl
def register_blueprints(app: Any) -> None:
    sessions_hooks.register_blueprints(app)
    training_hooks.register_blueprints(app)


@hookimpl
def register_api(api: Any) -> None:
    sessions_hooks.register_api(api)
    training_hooks.register_api(api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    sessions_hooks.register_admin_views(admin)
    training_hooks.register_admin_views(admin)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    return [*sessions_hooks.navigation(user), *training_hooks.navigation(user)]


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return [*sessions_hooks.dashboard_widgets(user), *training_hooks.dashboard_widgets(user)]


@hookimpl
def deadline_rules() -> list[dict[str, Any]]:
    return [*sessions_hooks.deadline_rules()]


@hookimpl
def demo_data(app: Any) -> None:
    sessions_hooks.demo_data(app)
    training_hooks.demo_data(app)
