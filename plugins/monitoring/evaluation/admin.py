"""Admin views of the yearly evaluations, their appraisals and goal adjustments: browsed, filtered and exported
in scope, read-only (their writes go through the pages and the API, where the operations check them)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin_base import ReadOnlyModelView
from core.extensions import db
from core.labels import register_field_labels
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.monitoring.evaluation.fields import ADJUSTMENT, APPRAISAL, EVALUATION
from plugins.monitoring.evaluation.models import GoalAdjustment, PlanEvaluation, ResultAppraisal


class EvaluationView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("reference", "government", "year", "plan", "state", "updated_at")
    column_details_list = (*column_list, "title", "lessons", "conclusions", "next_plan_id", "reformulated_plan_id")
    column_searchable_list = ("reference", "title")
    column_filters = ("year", "state")
    column_default_sort = ("year", True)
    column_select_related_list = (PlanEvaluation.government, PlanEvaluation.plan)


class _ThroughEvaluation(ReadOnlyModelView):
    """A child of the evaluation, scoped by the evaluation's government."""

    def _through_evaluation(self, query: Any) -> Any:
        model = self.model
        return query.join(Case, Case.id == model.evaluation_id).filter(
            readable_clause(current_scope(), Case.government_id)
        )

    def get_query(self) -> Any:
        return self._through_evaluation(super().get_query())

    def get_count_query(self) -> Any:
        return self._through_evaluation(super().get_count_query())


class AppraisalView(_ThroughEvaluation):
    column_list = ("evaluation", "result", "efficacy", "efficiency", "effectiveness")
    column_select_related_list = (ResultAppraisal.evaluation, ResultAppraisal.result)


class AdjustmentView(_ThroughEvaluation):
    column_list = ("evaluation", "indicator", "target", "justification")
    column_select_related_list = (GoalAdjustment.evaluation, GoalAdjustment.indicator)


def register(admin: Any) -> None:
    case_labels = {
        "reference": _l("Reference"),
        "government": _l("Government"),
        "year": _l("Year"),
        "state": _l("State"),
        "title": _l("Title"),
        "updated_at": _l("Updated"),
    }
    register_field_labels(
        {
            **EVALUATION.labels(),
            **case_labels,
            "plan": _l("Evaluated plan"),
            "next_plan_id": _l("Next year's plan"),
            "reformulated_plan_id": _l("Reformulated plan"),
        },
        "monitoring_plan_evaluation",
    )
    register_field_labels(
        {**APPRAISAL.labels(), "evaluation": _l("Yearly evaluation"), "result": _l("Result")},
        "monitoring_result_appraisal",
    )
    register_field_labels(
        {**ADJUSTMENT.labels(), "evaluation": _l("Yearly evaluation"), "indicator": _l("Plan indicator")},
        "monitoring_goal_adjustment",
    )
    category = _l("Monitoring and evaluation")
    session = db.session
    views = [
        EvaluationView(PlanEvaluation, session, name=_l("Yearly evaluations"), endpoint="mon_plan_evaluation"),
        AppraisalView(ResultAppraisal, session, name=_l("Appraisals of results"), endpoint="mon_result_appraisal"),
        AdjustmentView(GoalAdjustment, session, name=_l("Goal adjustments"), endpoint="mon_goal_adjustment"),
    ]
    for view in views:
        view.category = category
        admin.add_view(view)
