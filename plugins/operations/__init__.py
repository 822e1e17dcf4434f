"""Plugin «operations»: Etapa 3: convenios de gestión, incentivos, inversión y Presupuesto por Resultados.

Hook implementations only (see core/hookspecs.py); the manifest is manifest.toml. Each hook body is a
list (or dict) concatenation of the sub-packages' parts, so that the record types built side by side
(agreements, investment, budget, sessions, training) join by adding one line each. Where things are:

- pages.py                the root page /operaciones/ linking the sub-areas, and the blueprint
- agreements/             Convenios de Gestión and inter-institutional agreements (models, fields,
                          operations, service, documents, pages, api, admin, demo)
- workflows/ documents/ templates/ deadlines.yaml migrations/ translations/   by convention
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.hookspecs import hookimpl


@hookimpl
def case_types() -> list[Any]:
    from plugins.operations.agreements import hooks as agreement_hooks

    return [*agreement_hooks.case_types()]


@hookimpl
def workflow_guards() -> dict[str, Any]:
    from plugins.operations.agreements import hooks as agreement_hooks

    return {**agreement_hooks.workflow_guards()}


@hookimpl
def permission_actions() -> dict[str, Any]:
    from plugins.operations.agreements import hooks as agreement_hooks

    return {**agreement_hooks.permission_actions()}


@hookimpl
def register_operations() -> list[Any]:
    from plugins.operations.agreements import operations as agreement_operations

    return [*agreement_operations.OPERATIONS]


@hookimpl
def register_blueprints(app: Any) -> None:
    from plugins.operations import pages
    from plugins.operations.agreements import documents as agreement_documents

    app.register_blueprint(pages.bp)
    for blueprint in pages.BLUEPRINTS:
        app.register_blueprint(blueprint)
    agreement_documents.register()


@hookimpl
def register_api(api: Any) -> None:
    from plugins.operations.agreements import api as agreement_api

    agreement_api.register(api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    from plugins.operations.agreements import admin as agreement_admin

    agreement_admin.register(admin)


@hookimpl
def after_transition(case: Any, transition: Any, user: Any) -> None:
    from plugins.operations.agreements import service as agreement_service

    agreement_service.after_transition(case, transition, user)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    return [{"label": _l("Operational management"), "endpoint": "operations.index", "order": 30}]


@hookimpl
def demo_data(app: Any) -> None:
    from plugins.operations.agreements import demo as agreement_demo

    agreement_demo.load(app)
