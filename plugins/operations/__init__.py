"""Plugin «operations»: Etapa 3: convenios de gestión, incentivos, inversión y Presupuesto por Resultados.

Hook implementations only (see core/hookspecs.py); the manifest is manifest.toml. Each hook body is a
list (or dict) concatenation of the sub-packages' parts, so that a sub-package joins by adding one
line per hook. Sub-package modules are imported inside the hooks: importing the plugin must not map
its tables (an app that does not enable it keeps them out of its metadata). Where things are:

- pages.py      the root page /operaciones/ linking the sub-areas, and the blueprints
- agreements/   Convenios de Gestión and inter-institutional agreements (models, fields,
                operations, service, documents, pages, api, admin, demo)
- investment/   the social-investment portfolio (SNIP/CUI projects, phases, progress) and its report
- budget/       the results-based budget (PIA, PIM, devengado), its import and the alignment check and report
- models.py     imports every sub-package's models, so that the app maps the plugin's tables
- places.py reporting.py   ubigeo checks and the report pipeline shared by investment and budget
- sessions/     sessions of the Instancia, attendance and quorum, agreements, the Acta de Sesión
- training/     training and technical-assistance events, the educational-communication plan
- incentives/   contests of the Sistema de Incentivos y Reconocimiento: Bases, applications, jury, ranking, award
- support/      the region's overview of its municipalities (stages, convenio goals and commitments, support)
- workflows/ documents/ templates/operations/<sub>/ deadlines.yaml migrations/ translations/   by convention
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask_babel import lazy_gettext as _l

from core.hookspecs import hookimpl


def _hooks() -> tuple[ModuleType, ...]:
    """Each sub-package's hook bodies (``<sub>/hooks.py``), in menu order (incentives after agreements: its
    demo contest, awarded and so closed, is not the newest case the contract test attaches a file to)."""
    from plugins.operations.agreements import hooks as agreements
    from plugins.operations.budget import hooks as budget
    from plugins.operations.incentives import hooks as incentives
    from plugins.operations.investment import hooks as investment
    from plugins.operations.sessions import hooks as sessions
    from plugins.operations.support import hooks as support
    from plugins.operations.training import hooks as training

    return (agreements, incentives, investment, budget, sessions, training, support)


def _each(name: str, *args: Any) -> list[Any]:
    return [getattr(module, name)(*args) for module in _hooks() if hasattr(module, name)]


@hookimpl
def case_types() -> list[Any]:
    return [case_type for part in _each("case_types") for case_type in part]


@hookimpl
def workflow_guards() -> dict[str, Any]:
    return {key: guard for part in _each("workflow_guards") for key, guard in part.items()}


@hookimpl
def permission_actions() -> dict[str, Any]:
    return {key: check for part in _each("permission_actions") for key, check in part.items()}


@hookimpl
def register_operations() -> list[Any]:
    return [operation for part in _each("register_operations") for operation in part]


@hookimpl
def register_blueprints(app: Any) -> None:
    from plugins.operations import pages

    app.register_blueprint(pages.bp)
    _each("register_blueprints", app)


@hookimpl
def register_api(api: Any) -> None:
    _each("register_api", api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    _each("register_admin_views", admin)


@hookimpl
def after_transition(case: Any, transition: Any, user: Any) -> None:
    _each("after_transition", case, transition, user)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    # One menu entry; the sub-areas are listed on /operaciones/.
    return [{"label": _l("Operational management"), "endpoint": "operations.index", "order": 30}]


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return [widget for part in _each("dashboard_widgets", user) for widget in part if widget]


@hookimpl
def deadline_rules() -> list[dict[str, Any]]:
    return [rule for part in _each("deadline_rules") for rule in part]


@hookimpl
def demo_data(app: Any) -> None:
    _each("demo_data", app)
