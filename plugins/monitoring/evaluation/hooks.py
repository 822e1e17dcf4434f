"""Hook bodies of the evaluation sub-package, called by the plugin's root (plugins/monitoring/__init__.py).

Imports stay inside the functions: importing the plugin must not map its tables."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def area() -> tuple[Any, str, Any]:
    return (
        _l("Yearly evaluation"),
        "monitoring_evaluation.index",
        _l("Each plan's yearly evaluation: indicators against goals, appraisal of results, lessons, goal adjustments."),
    )


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.monitoring.evaluation import api
    from plugins.monitoring.evaluation.models import PlanEvaluation

    return [
        CaseType(
            key="plan_evaluation",
            model=PlanEvaluation,
            label=_l("Yearly evaluation of the Plan Articulado"),
            workflow="plan_evaluation",
            stage="monitoring",
            reference_pattern="EVA-{seq:03d}-{year}-{acronym}",
            detail_template="monitoring/evaluation/case_evaluation.html",
            serialize=api.evaluation_json,
        )
    ]


def permission_actions() -> dict[str, Any]:
    from plugins.monitoring.evaluation.operations import may_edit

    return {"monitoring.evaluation.edit": may_edit}


def register_operations() -> list[Any]:
    from plugins.monitoring.evaluation.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.monitoring.evaluation import documents, pages

    app.register_blueprint(pages.bp)
    documents.register()


def register_api(api: Any) -> None:
    from plugins.monitoring.evaluation.api import register

    register(api)


def after_transition(case: Any, transition: Any, user: Any) -> None:
    from plugins.monitoring.evaluation.operations import apply_adjustments, reformulate

    if case.type == "plan_evaluation" and transition.target == "approved":
        if transition.key == "approve_reformulate":
            reformulate(case, user)
        else:
            apply_adjustments(case, user)


def superseded_document(case: Any, key: str) -> int | None:
    if case.type != "articulated_plan":
        return None
    from plugins.monitoring.evaluation.operations import superseded_plan_document

    return superseded_plan_document(case, key)


def demo_data(app: Any) -> None:
    from plugins.monitoring.evaluation.demo import load

    load(app)


def register_admin_views(admin: Any) -> None:
    from plugins.monitoring.evaluation.admin import register

    register(admin)
