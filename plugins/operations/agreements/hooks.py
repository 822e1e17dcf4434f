"""The agreements' parts of the plugin's hooks (the root __init__.py concatenates them)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.cases import CaseType
from core.security import EDIT, Scope, can, can_read_case
from plugins.operations.agreements import service
from plugins.operations.agreements.api import agreement_json
from plugins.operations.agreements.models import COUNTERPART, Agreement


def case_types() -> list[CaseType]:
    return [
        CaseType(
            key="agreement",
            create_endpoint="operations_agreements.new",
            model=Agreement,
            label=_l("Management agreement"),
            workflow="agreement",
            stage="operations",
            levels=("regional",),
            reference_pattern="CG-{seq:03d}-{year}-{acronym}",
            field_labels={"title": _l("Title"), "signed_on": _l("Signing date")},
            serialize=agreement_json,
        )
    ]


def workflow_guards() -> dict[str, Any]:
    return {
        "agreement_complete": service.complete_blockers,
        "agreement_with_counterpart": service.counterpart_blockers,
        "agreement_with_external_party": service.external_blockers,
        "agreement_has_reports": service.reports_blockers,
    }


def _report(scope: Scope, agreement: Any) -> bool:
    """File progress: the region's writers, or a municipality's through the participant capability."""
    return can(scope, EDIT, agreement.government) or can(scope, "case.party_write", (agreement, COUNTERPART))


def permission_actions() -> dict[str, Any]:
    return {
        "operations.agreements.read": can_read_case,  # the region, and its participant municipalities
        "operations.agreements.edit": lambda scope, agreement: can(scope, "case.edit", agreement),
        "operations.agreements.report": _report,
        "operations.agreements.create": lambda scope, government: (
            can(scope, EDIT, government) and government.kind == "regional"
        ),
    }


def register_operations() -> list[Any]:
    from plugins.operations.agreements.operations import OPERATIONS

    return [*OPERATIONS]


def register_blueprints(app: Any) -> None:
    from plugins.operations.agreements import documents, pages

    app.register_blueprint(pages.bp)
    documents.register()


def register_api(api: Any) -> None:
    from plugins.operations.agreements import api as agreement_api

    agreement_api.register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.agreements import admin as agreement_admin

    agreement_admin.register(admin)


def after_transition(case: Any, transition: Any, user: Any) -> None:
    service.after_transition(case, transition, user)


def demo_data(app: Any) -> None:
    from plugins.operations.agreements import demo

    demo.load(app)
