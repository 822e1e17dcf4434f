"""Hook bodies of the sessions sub-package, called by the plugin's root (plugins/operations/__init__.py).

Imports stay inside the functions, as in every plugin's hooks: importing the plugin must not map
its tables (an app that does not enable it keeps them out of its metadata).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.operations.sessions import api
    from plugins.operations.sessions.models import InstanciaSession

    return [
        CaseType(
            key="instancia_session",
            create_endpoint="operations_sessions.new",
            model=InstanciaSession,
            label=_l("Session of the coordination body"),
            workflow="instancia_session",
            stage="operations",
            reference_pattern="SES-{seq:03d}-{year}-{acronym}",
            detail_template="operations/sessions/case_detail.html",
            serialize=api.session_json,
        )
    ]


def workflow_guards() -> dict[str, Any]:
    from plugins.operations.sessions.quorum import attendance_blockers

    return {"session_attendance_taken": attendance_blockers}


def permission_actions() -> dict[str, Any]:
    from plugins.operations.sessions.operations import may_edit, may_follow_up

    return {"operations.sessions.edit": may_edit, "operations.sessions.follow_up": may_follow_up}


def register_operations() -> list[Any]:
    from plugins.operations.sessions.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.operations.sessions import documents, pages

    app.register_blueprint(pages.bp)
    pages.register_panels()
    documents.register()


def register_api(api: Any) -> None:
    from plugins.operations.sessions.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.sessions.admin import register

    register(admin)


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from plugins.operations.sessions.pages import dashboard_widget

    return [dashboard_widget(user)]


def deadline_rules() -> list[dict[str, Any]]:
    # The due date of each agreement is set in the session (operations.py writes it on the deadline);
    # ``days`` is the rule's nominal term, shown in the admin, never used to recompute an agreed date.
    return [
        {
            "key": "operations.session_agreement",
            "label": "Cumplimiento de acuerdo de sesión de la Instancia de Articulación",
            "label_en": "Fulfilment of a session agreement of the Instancia de Articulación",
            "description": "Norma Técnica N° 001-2008, 4.1.1: el Comité Técnico es responsable del cumplimiento "
            "de los acuerdos; cada acuerdo vence en la fecha que fijó la sesión.",
            "kind": "calendar_days_after",
            "days": 30,
            "event": "adopción del acuerdo en sesión",
            "level": "all",
            "case_type": "instancia_session",
        }
    ]


def demo_data(app: Any) -> None:
    from plugins.operations.sessions.demo import load

    load(app)
