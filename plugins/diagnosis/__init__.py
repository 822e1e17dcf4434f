"""Plugin «diagnosis»: stage 2 of the CRECER cycle — the regional or local Diagnosis and the Plan
Articulado (PAR/PAL) with its results–indicators–goals–activities–budget–responsible matrix.

Hook implementations only (core/hookspecs.py). Reading order for a newcomer:
models.py (tables) → fields.py (every record type's fields, declared once) → matrix/ (the plan's
rules: values, rows, checks) → instruments/ (the diagnosis's, one module per instrument) →
privacy.py (item g) → tabular.py / workbook.py (CSV and XLSX) → operations/ (every write) →
pages/ → api.py + serializers.py →
admin.py → reports.py + documents/ (PDFs) + charts.py → transitions.py + timetable.py (submission,
deadlines) → demo/ (through the operations).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.hookspecs import hookimpl
from plugins.diagnosis import lifecycle  # noqa: F401  (seeds new diagnoses and plans)


@hookimpl
def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.diagnosis import forms
    from plugins.diagnosis.models import Diagnosis, Plan
    from plugins.diagnosis.serializers import diagnosis_json, plan_json

    return [
        CaseType(
            key="diagnosis",
            model=Diagnosis,
            label=_l("Diagnosis"),
            workflow="diagnosis",
            stage="diagnosis",
            reference_pattern="DIAG-{seq:03d}-{year}-{acronym}",
            form=forms.DiagnosisForm,
            detail_template="diagnosis/detail_diagnosis.html",
            serialize=diagnosis_json,
        ),
        CaseType(
            key="articulated_plan",
            model=Plan,
            label=_l("Plan Articulado"),
            workflow="articulated_plan",
            stage="diagnosis",
            reference_pattern="PA-{seq:03d}-{year}-{acronym}",
            form=forms.PlanForm,
            field_labels={
                "approval_instrument": _l("Approved by"),
                "approval_number": _l("Number of the ordinance or resolution"),
                "approval_date": _l("Date of approval"),
            },
            detail_template="diagnosis/detail_plan.html",
            serialize=plan_json,
        ),
    ]


@hookimpl
def workflow_guards() -> dict[str, Any]:
    from plugins.diagnosis import instruments
    from plugins.diagnosis.transitions import approval_gaps

    return {"plan_complete": approval_gaps, "diagnosis_complete": instruments.gaps}


@hookimpl
def register_blueprints(app: Any) -> None:
    from plugins.diagnosis import pages, reports

    app.register_blueprint(pages.bp)
    reports.register_documents()
    from core.panels import Panel, register_case_panel
    from plugins.diagnosis.ordinance_annex import panel_context

    # on the ordinance's page (stage 1): the plan whose objectives and goals it annexes
    register_case_panel(Panel("diagnosis.ordinance_annex", "diagnosis/ordinance_annex.html", panel_context, 30))


@hookimpl
def register_api(api: Any) -> None:
    from plugins.diagnosis.api import register

    register(api)


@hookimpl
def register_admin_views(admin: Any, app: Any) -> None:
    from plugins.diagnosis.admin import register

    register(admin)


@hookimpl
def register_operations() -> list[Any]:
    from plugins.diagnosis.operations import OPERATIONS

    return OPERATIONS


@hookimpl
def navigation(user: Any) -> list[dict[str, Any]]:
    return [{"label": _l("Plans"), "endpoint": "diagnosis.plans", "order": 20}]


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from plugins.diagnosis.pages import dashboard_widget

    widget = dashboard_widget(user)
    return [widget] if widget else []


@hookimpl
def after_transition(case: Any, transition: Any, user: Any) -> None:
    from plugins.diagnosis.transitions import after_transition as follow_up

    follow_up(case, transition, user)


@hookimpl
def demo_data(app: Any) -> None:
    from plugins.diagnosis.demo import load

    load(app)


@hookimpl
def policy_documents(governments: list[Any], year: int) -> list[dict[str, Any]]:
    from plugins.diagnosis.transitions import required_plan_documents

    return required_plan_documents(governments, year)


@hookimpl
def document_context(case: Any, template: str) -> dict[str, Any] | None:
    from plugins.diagnosis.ordinance_annex import document_context as annex_context

    return annex_context(case, template)


@hookimpl
def permission_actions() -> dict[str, Any]:
    from plugins.diagnosis.privacy import nominal_list_read

    return {"diagnosis.nominal_list.read": nominal_list_read}
