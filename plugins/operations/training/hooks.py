"""Hook bodies of the training sub-package, called by the plugin's root (plugins/operations/__init__.py).

Imports stay inside the functions, as in every plugin's hooks (see sessions/hooks.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.operations.training import api
    from plugins.operations.training.models import CommunicationPlan, TrainingEvent

    return [
        CaseType(
            key="training_event",
            create_endpoint="operations_training.new_event",
            model=TrainingEvent,
            label=_l("Training or technical-assistance event"),
            workflow="training_event",
            stage="operations",
            reference_pattern="CAP-{seq:03d}-{year}-{acronym}",
            detail_template="operations/training/case_event.html",
            serialize=api.event_json,
        ),
        CaseType(
            key="communication_plan",
            create_endpoint="operations_training.new_plan",
            model=CommunicationPlan,
            label=_l("Educational-communication plan"),
            workflow="communication_plan",
            stage="operations",
            reference_pattern="PCE-{seq:03d}-{year}-{acronym}",
            detail_template="operations/training/case_plan.html",
            serialize=api.plan_json,
        ),
    ]


def permission_actions() -> dict[str, Any]:
    from plugins.operations.training.operations import may_edit

    return {"operations.training.edit": may_edit}


def register_operations() -> list[Any]:
    from plugins.operations.training.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.operations.training import pages

    app.register_blueprint(pages.bp)


def register_api(api: Any) -> None:
    from plugins.operations.training.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.training.admin import register

    register(admin)


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return []


def demo_data(app: Any) -> None:
    from plugins.operations.training.demo import load

    load(app)
