"""Hook bodies of the supervision sub-package, called by the plugin's root (plugins/monitoring/__init__.py).

Imports stay inside the functions: importing the plugin must not map its tables.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def area() -> tuple[Any, str, Any]:
    return (
        _l("Quality supervision and community monitoring"),
        "monitoring_supervision.index",
        _l("Supervision factsheets per kind of service, visits with findings and commitments, community reports."),
    )


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.monitoring.supervision.api import visit_json
    from plugins.monitoring.supervision.models import SupervisionVisit

    return [
        CaseType(
            key="supervision_visit",
            model=SupervisionVisit,
            label=_l("Supervision visit"),
            workflow="supervision_visit",
            stage="monitoring",
            reference_pattern="SUP-{seq:03d}-{year}-{acronym}",
            detail_template="monitoring/supervision/case_detail.html",
            serialize=visit_json,
        )
    ]


def permission_actions() -> dict[str, Any]:
    from plugins.monitoring.supervision.community import WRITE_ACTION, may_write
    from plugins.monitoring.supervision.operations import EDIT_ACTION, FOLLOW_UP_ACTION, may_edit, may_follow_up

    return {EDIT_ACTION: may_edit, FOLLOW_UP_ACTION: may_follow_up, WRITE_ACTION: may_write}


def register_operations() -> list[Any]:
    from plugins.monitoring.supervision import community, issuing, operations

    return [*operations.OPERATIONS, *community.OPERATIONS, *issuing.OPERATIONS]


def register_blueprints(app: Any) -> None:
    from plugins.monitoring.supervision import community_pages, documents, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(community_pages.bp)
    documents.register()


def register_api(api: Any) -> None:
    from plugins.monitoring.supervision import issuing
    from plugins.monitoring.supervision.api import SUPERVISION, TAG, register

    register(api)
    issuing.register_api(api, SUPERVISION, TAG)


def register_admin_views(admin: Any) -> None:
    from plugins.monitoring.supervision.admin import register

    register(admin)


def deadline_rules() -> list[dict[str, Any]]:
    # The due date of each commitment is set at the visit (operations.py writes it on the deadline);
    # ``days`` is the rule's nominal term, shown in the admin, never used to recompute an agreed date.
    return [
        {
            "key": "monitoring.supervision_commitment",
            "label": "Cumplimiento de compromiso de visita de supervisión",
            "label_en": "Fulfilment of a supervision visit commitment",
            "description": "Norma Técnica N° 001-2008, 5.1.4 y 5.2.4: supervisión de la calidad de los servicios; "
            "cada compromiso vence en la fecha que fijó la visita.",
            "kind": "calendar_days_after",
            "days": 30,
            "event": "visita de supervisión",
            "level": "all",
            "case_type": "supervision_visit",
        }
    ]


def community_finding_actions() -> list[Any]:
    """This sub-package's contribution to the finding-action seam (actions.py)."""
    from plugins.monitoring.supervision.actions import FindingAction
    from plugins.monitoring.supervision.community import VISIT_FROM_REPORT, visit_from_report

    return [FindingAction("supervision_visit", _l("Supervision visit"), VISIT_FROM_REPORT, visit_from_report)]


def demo_data(app: Any) -> None:
    from plugins.monitoring.supervision.demo import load

    load(app)


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from plugins.monitoring.supervision.widget import dashboard_widget

    return [dashboard_widget(user)]
