"""Admin views of the budget: the lines (scoped through their plan's government, read only: they are written
by the pages, the API and the import) and the alignment thresholds (administrators set them here through the
operation ``operations.budget.threshold.set``, as on the budget page)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import OperationModelView, ReadOnlyModelView
from core.extensions import db
from core.labels import register_value_labels
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.operations.budget.fields import BUDGET_LINE, THRESHOLD
from plugins.operations.budget.models import AlignmentThreshold, BudgetLine
from plugins.operations.budget.sources import source_choices


class BudgetLineView(ReadOnlyModelView):
    column_list = ("activity", "source", "quarter", "territory", "pia", "pim", "accrued")
    column_filters = ("source", "quarter")
    column_labels = {**BUDGET_LINE.labels(), "activity": _l("Activity"), "territory": _l("Place (ubigeo)")}
    column_select_related_list = (BudgetLine.activity, BudgetLine.territory)

    def _through_plan(self, query: Any) -> Any:
        return query.join(Case, Case.id == BudgetLine.plan_id).filter(
            readable_clause(current_scope(), Case.government_id)
        )

    def get_query(self) -> Any:
        return self._through_plan(super().get_query())

    def get_count_query(self) -> Any:
        return self._through_plan(super().get_count_query())


class ThresholdView(OperationModelView):
    """National default (no government) or a government's own share; only administrators set them, through
    the operation (its check of the share, its audit). Editing changes the share of the row's government."""

    column_list = ("government", "share")
    column_labels = {**THRESHOLD.labels(), "government": _l("Government (empty: national default)")}
    form_columns = ("government", "share")
    create_operation = edit_operation = "operations.budget.threshold.set"

    def edit_form(self, obj: Any = None) -> Any:
        form = super().edit_form(obj)
        del form.government  # the operation keys the row by its government: an edit changes the share
        return form

    def operation_data(self, form: Any, model: AlignmentThreshold | None) -> dict[str, Any]:
        government = model.government if model is not None else form.government.data
        return {"government_id": government.id if government else None, "share": (form.share.raw_data or [""])[0]}


def register(admin: Any) -> None:

    register_value_labels("source", source_choices(), "operations_budget_line")
    category = _l("Operational management")
    admin.add_view(
        BudgetLineView(BudgetLine, db.session, name=_l("Budget lines"), category=category, endpoint="op_budget_line")
    )
    admin.add_view(
        ThresholdView(
            AlignmentThreshold,
            db.session,
            name=_l("Alignment thresholds"),
            category=category,
            endpoint="op_budget_threshold",
        )
    )
