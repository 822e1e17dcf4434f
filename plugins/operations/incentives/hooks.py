"""Hook bodies of the incentives sub-package (contests), called by the plugin's root __init__.py.

Imports stay inside the functions: importing the plugin must not map its tables.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.operations.incentives.api import contest_json
    from plugins.operations.incentives.models import Contest

    return [
        CaseType(
            key="contest",
            model=Contest,
            label=_l("Best-practices contest"),
            workflow="contest",
            stage="operations",
            reference_pattern="CON-{seq:03d}-{year}-{acronym}",
            field_labels={"title": _l("Name of the contest")},
            serialize=contest_json,
        )
    ]


def workflow_guards() -> dict[str, Any]:
    from plugins.operations.incentives import service

    return {
        "contest_bases_complete": service.call_blockers,
        "contest_ready_for_evaluation": service.evaluation_blockers,
        "contest_scoring_complete": service.results_blockers,
        "contest_has_winners": service.award_blockers,
    }


def register_operations() -> list[Any]:
    from plugins.operations.incentives.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.operations.incentives import documents, pages

    app.register_blueprint(pages.bp)
    documents.register()


def register_api(api: Any) -> None:
    from plugins.operations.incentives.api import register

    register(api)


def register_admin_views(admin: Any) -> None:
    from plugins.operations.incentives.admin import register

    register(admin)


def after_transition(case: Any, transition: Any, user: Any) -> None:
    from plugins.operations.incentives.service import after_transition as contest_after_transition

    contest_after_transition(case, transition, user)


def deadline_rules() -> list[dict[str, Any]]:
    # Each contest's dates are its own (service.open_calendar_deadlines writes them on the deadline);
    # ``days`` is nominal, never used to recompute a date the Bases fixed.
    common = {"kind": "calendar_days_after", "days": 30, "event": "convocatoria del concurso", "level": "all"}
    source = "Norma Técnica N° 001-2008, Etapa 3: Sistema de Incentivos y Reconocimiento; fecha fijada en las Bases."
    rules = (
        ("operations.contest_reception", "Cierre de la recepción de postulaciones del concurso"),
        ("operations.contest_evaluation", "Fin de la evaluación del jurado del concurso"),
        ("operations.contest_results", "Publicación de los resultados del concurso"),
    )
    return [
        {**common, "key": key, "label": label, "description": source, "case_type": "contest"} for key, label in rules
    ]


def demo_data(app: Any) -> None:
    from plugins.operations.incentives.demo import load

    load(app)
