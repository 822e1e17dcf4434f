"""Plugin «monitoring»: Etapa 4: seguimiento y evaluación, y la Ventanilla CRECER.

Hook implementations only (see core/hookspecs.py); the manifest is manifest.toml. The plugin is made of
sub-packages, each with a ``hooks.py`` holding its hook bodies; each hook here concatenates theirs, in
the order of :data:`SUB_PACKAGES` (a sub-package not present yet is skipped, so they are built side by
side). Sub-package modules are imported inside the hooks: importing the plugin must not map its tables
(an app that does not enable it keeps them out of its metadata). Where things are:

- pages.py      the root page /seguimiento/areas linking the sub-areas, and its blueprint
- indicators/   the nine key indicators (catalog, sources and their valid territorial level),
                measurements by territory and period, their import, aggregation, and targets
- dashboards/   dashboards per government, region and country; the quarterly follow-up report
- supervision/  quality supervision (fichas, visits, findings) and community monitoring
- evaluation/   the yearly evaluation of the Plan Articulado and its goal adjustments
- ventanilla/   the Ventanilla CRECER: offices, public intake and tracking, referrals, registries
- models.py     imports every sub-package's models, so that the app maps the plugin's tables
- documents/ templates/monitoring/<sub>/ workflows/ migrations/ translations/   by convention
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from flask_babel import lazy_gettext as _l

from core.hookspecs import hookimpl

#: The sub-packages, in menu order.
SUB_PACKAGES = ("indicators", "dashboards", "supervision", "evaluation", "ventanilla")


def present(module: str) -> list[ModuleType]:
    """``plugins.monitoring.<sub>.<module>`` of each sub-package that has it, in menu order."""
    found = []
    for sub in SUB_PACKAGES:
        try:
            found.append(importlib.import_module(f"{__name__}.{sub}.{module}"))
        except ModuleNotFoundError as error:
            # only "this sub-package (or its module) does not exist" is skipped; a broken import is raised
            if error.name not in (f"{__name__}.{sub}", f"{__name__}.{sub}.{module}"):
                raise
    return found


def _each(name: str, *args: Any) -> list[Any]:
    return [getattr(module, name)(*args) for module in present("hooks") if hasattr(module, name)]


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
    from plugins.monitoring import pages

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
def superseded_document(case: Any, key: str) -> int | None:
    return next((found for found in _each("superseded_document", case, key) if found is not None), None)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    # One menu entry; the sub-areas are listed on the root page.
    return [{"label": _l("Monitoring and evaluation"), "endpoint": "monitoring_dashboards.home", "order": 40}]


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return [widget for part in _each("dashboard_widgets", user) for widget in part if widget]


@hookimpl
def deadline_rules() -> list[dict[str, Any]]:
    return [rule for part in _each("deadline_rules") for rule in part]


@hookimpl
def cli_commands() -> list[Any]:
    return [command for part in _each("cli_commands") for command in part]


@hookimpl
def stage_status(governments: list[Any], year: int) -> list[dict[str, Any]]:
    return [cell for part in _each("stage_status", governments, year) for cell in part]


@hookimpl
def demo_data(app: Any) -> None:
    _each("demo_data", app)
