"""Plugin «institutionalization»: Etapa 1: Instancia de Articulación (IAR/IAL), sus miembros y la ordenanza que la crea.

Hook implementations only (see core/hookspecs.py); the manifest is manifest.toml. Where things are:

- models.py          the body (a case), its members, the member categories, the ordinance (a case), its clauses
- fields.py          their fields declared once: forms, API parser and schema, admin columns, history labels
- rules.py           what every write must satisfy, checked on flush whatever the path
- permissions.py     its named permission actions (core.security.can)
- operations.py      every write, as a named operation (institutionalization.<record>.<verb>)
- composition.py     the roster on a date and the composition check (Norma 5.1.1, 5.2.1)
- ordinance_text.py  the ordinance's legal basis, pre-filled articles and minimum-content guard (5.2.1)
- pages.py pages_ordinance.py panels.py   pages: bodies and members, the ordinance's clauses, case panels, widget
- api.py api_ordinance.py admin.py demo.py documents.py   API, admin, demo data, PDFs
- workflows/ deadlines.yaml data/ templates/ documents/ migrations/ translations/   by convention
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.hookspecs import hookimpl


@hookimpl
def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.institutionalization import api, api_ordinance, rules  # noqa: F401  (rules: the flush checks)
    from plugins.institutionalization.fields import BODY, CLAUSE, MEMBER, ORDINANCE, BodyForm, OrdinanceForm
    from plugins.institutionalization.models import ArticulationBody, Ordinance

    return [
        CaseType(
            key="articulation_body",
            model=ArticulationBody,
            label=_l("Coordination body (IAR/IAL)"),
            workflow="articulation_body",
            stage="institutionalization",
            reference_pattern="IA-{seq:03d}-{year}-{acronym}",
            form=BodyForm,
            # the history of a body's case also shows its members' changes
            field_labels={**MEMBER.labels(), **BODY.labels(), "title": _l("Name")},
            detail_template="institutionalization/body_detail.html",
            serialize=api.body_json,
            standing=True,  # created once; each year's ordinance and member changes are filed by year
        ),
        CaseType(
            key="ordinance",
            model=Ordinance,
            label=_l("Ordinance of the coordination body"),
            workflow="ordinance",
            stage="institutionalization",
            reference_pattern="ORD-{seq:03d}-{year}-{acronym}",
            form=OrdinanceForm,
            field_labels={**CLAUSE.labels(), **ORDINANCE.labels(), "title": _l("Summary")},
            detail_template="institutionalization/ordinance_detail.html",
            serialize=api_ordinance.ordinance_json,
        ),
    ]


@hookimpl
def workflow_guards() -> dict[str, Any]:
    from plugins.institutionalization.composition import constitution_blockers, installation_blockers
    from plugins.institutionalization.ordinance_text import minimum_content_gaps, publication_blockers

    return {
        "body_ordinance_published": constitution_blockers,
        "body_composition_complete": installation_blockers,
        "ordinance_minimum_content": minimum_content_gaps,
        "ordinance_was_approved": publication_blockers,
    }


@hookimpl
def register_blueprints(app: Any) -> None:
    from plugins.institutionalization import documents, pages, pages_ordinance, panels

    assert pages_ordinance.bp is pages.bp  # one blueprint: the ordinance's pages add their routes to it
    app.register_blueprint(pages.bp)
    panels.register_panels()
    documents.register()


@hookimpl
def register_api(api: Any) -> None:
    from plugins.institutionalization import api as bodies_api
    from plugins.institutionalization import api_ordinance

    bodies_api.register(api)
    api_ordinance.register(api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    from plugins.institutionalization.admin import register

    register(admin)


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    return [{"label": _l("Coordination bodies"), "endpoint": "institutionalization.index", "order": 10}]


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from plugins.institutionalization.panels import dashboard_widget

    return [dashboard_widget(user)]


@hookimpl
def demo_data(app: Any) -> None:
    from plugins.institutionalization.demo import load

    load(app)


@hookimpl
def permission_actions() -> dict[str, Any]:
    from plugins.institutionalization.permissions import ACTIONS

    return ACTIONS


@hookimpl
def register_operations() -> list[Any]:
    from plugins.institutionalization.operations import OPERATIONS

    return OPERATIONS
