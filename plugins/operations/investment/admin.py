"""Admin views of the portfolio (core.admin.ScopedModelView): scoped by the project's government, auditors
read only; writes belong to the pages and the API (the operations), so the views never create or edit."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ReadOnlyModelView
from core.extensions import db
from core.labels import register_value_labels
from plugins.operations.investment.fields import CATEGORY_LABELS, CODE_KIND_LABELS, PHASE_LABELS, PROJECT
from plugins.operations.investment.models import InvestmentProject


class ProjectView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("government", "code_kind", "code", "name", "category", "phase", "cost")
    column_searchable_list = ("code", "name")
    column_filters = ("code_kind", "category", "phase")
    column_select_related_list = (InvestmentProject.government,)
    column_labels = {
        **PROJECT.labels(),
        "government": _l("Government"),
        "activity": _l("Plan activity it serves"),
        "intervention_line": _l("Line of intervention"),
        "strategic_program": _l("Strategic program"),
    }


def register(admin: Any) -> None:

    register_value_labels("phase", PHASE_LABELS, "operations_investment_project")
    register_value_labels("category", CATEGORY_LABELS, "operations_investment_project")
    register_value_labels("code_kind", CODE_KIND_LABELS, "operations_investment_project")
    admin.add_view(
        ProjectView(
            InvestmentProject,
            db.session,
            name=_l("Investment projects"),
            category=_l("Operational management"),
            endpoint="op_investment_project",
        )
    )
