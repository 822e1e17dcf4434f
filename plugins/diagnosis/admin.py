"""Admin views of stage 2 (Flask-Admin through core.admin.ScopedModelView): auditors browse
everything in scope, with filters and CSV/XLSX export; only administrators change anything.

Child rows are scoped through their case's government. The nominal list of item (g) has NO
admin view: it is personal data of minors, seen only on its own audited page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ScopedModelView
from core.extensions import db
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.diagnosis.models import (
    Actor,
    Baseline,
    Cause,
    Coverage,
    Diagnosis,
    DistrictRecordValue,
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanResult,
    StandardResult,
)


class CaseTypeView(ScopedModelView):
    """Cases are created on the case pages (reference number, cycle, seeding), never here."""

    government_column = "government_id"

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False


class DiagnosisCaseView(CaseTypeView):
    column_list = ("reference", "title", "government", "year", "state", "keeps_nominal_list", "updated_at")
    column_searchable_list = ("reference", "title")
    column_filters = ("year", "state")
    column_select_related_list = (Diagnosis.government,)
    form_columns = ("title", "summary", "methodology")


class PlanCaseView(CaseTypeView):
    column_list = ("reference", "title", "government", "year", "state", "approval_number", "approval_date")
    column_searchable_list = ("reference", "title", "approval_number")
    column_filters = ("year", "state", "approval_instrument")
    column_select_related_list = (Plan.government,)
    form_columns = (
        "title",
        "background",
        "justification",
        "general_objective",
        "specific_objectives",
        "alignment_pdc",
        "alignment_participatory_budget",
        "alignment_institutional",
    )


class CaseChildView(ScopedModelView):
    """A child table reached through ``case_path`` (joins up to the case), scoped by the case's government."""

    joins: tuple[Any, ...] = ()
    # In a tuple: a bare column object as a class attribute would act as a descriptor on the view.
    case_column: tuple[Any, ...] = ()

    def _through_case(self, query: Any) -> Any:
        for target, on in self.joins:
            query = query.join(target, on)
        return query.join(Case, Case.id == self.case_column[0]).filter(
            readable_clause(current_scope(), Case.government_id)
        )

    def get_query(self) -> Any:
        return self._through_case(super().get_query())

    def get_count_query(self) -> Any:
        return self._through_case(super().get_count_query())


class ResultView(CaseChildView):
    case_column = (PlanResult.plan_id,)
    column_list = ("plan", "position", "name", "goal_value", "goal_unit")
    column_searchable_list = ("name",)
    column_select_related_list = (PlanResult.plan,)
    form_columns = ("name", "position", "goal_value", "goal_unit")


class IndicatorView(CaseChildView):
    joins = ((PlanResult, PlanResult.id == PlanIndicator.result_id),)
    case_column = (PlanResult.plan_id,)
    column_list = ("result", "name", "formula", "source", "baseline", "target")
    column_searchable_list = ("name", "formula", "source")
    column_select_related_list = (PlanIndicator.result,)
    form_columns = ("name", "formula", "source", "baseline", "target")


class ActivityView(CaseChildView):
    joins = ((PlanResult, PlanResult.id == PlanActivity.result_id),)
    case_column = (PlanResult.plan_id,)
    column_list = ("result", "name", "budget", "strategic_program", "funding_source", "official")
    column_searchable_list = ("name", "official")
    column_filters = ("funding_source",)
    column_select_related_list = (PlanActivity.result, PlanActivity.strategic_program)
    form_columns = ("name", "budget", "strategic_program", "funding_source", "institutions", "official")


class DiagnosisChildView(CaseChildView):
    def __init__(self, model: type, *args: Any, **kwargs: Any) -> None:
        self.case_column = (model.diagnosis_id,)
        super().__init__(model, *args, **kwargs)


class BaselineView(DiagnosisChildView):
    column_list = ("territory", "indicator", "value", "year", "source")
    column_filters = ("year", "source")
    column_select_related_list = (Baseline.territory, Baseline.indicator)


class CoverageView(DiagnosisChildView):
    column_list = ("program", "territory", "beneficiaries")
    column_select_related_list = (Coverage.program, Coverage.territory)


class ActorView(DiagnosisChildView):
    column_list = ("name", "kind", "level", "role")
    column_filters = ("kind", "level")
    column_searchable_list = ("name",)
    form_excluded_columns = ("programs",)


class CauseView(DiagnosisChildView):
    column_list = ("level", "description", "source")
    column_filters = ("level",)


class FichaValueView(CaseChildView):
    """Values of the Fichas: counts only (item g's count, never a name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from plugins.diagnosis.models import DistrictRecord

        self.joins = ((DistrictRecord, DistrictRecord.id == DistrictRecordValue.record_id),)
        self.case_column = (DistrictRecord.diagnosis_id,)
        super().__init__(*args, **kwargs)

    column_list = ("record.territory.name", "item", "value", "source", "as_of")
    column_labels = {"record.territory.name": _l("District")}
    column_select_related_list = (DistrictRecordValue.item,)
    can_view_details = False

    def get_query(self) -> Any:
        from sqlalchemy.orm import joinedload

        from plugins.diagnosis.models import DistrictRecord

        return super().get_query().options(joinedload(DistrictRecordValue.record).joinedload(DistrictRecord.territory))


class StandardResultView(ScopedModelView):
    column_list = ("key", "name", "position", "active")
    column_default_sort = "position"


def _register_labels() -> None:
    """Stored codes as the admin and the case history show them."""
    from core.labels import register_value_labels
    from plugins.diagnosis import labels as lb

    register_value_labels("kind", lb.ACTOR_KIND_LABELS, "diagnosis_actor")
    register_value_labels("level", lb.ACTOR_LEVEL_LABELS, "diagnosis_actor")
    register_value_labels("kind", lb.RELATION_KIND_LABELS, "diagnosis_actor_relation")
    register_value_labels("level", lb.CAUSE_LEVEL_LABELS, "diagnosis_cause")
    register_value_labels("category", lb.WEALTH_CATEGORY_LABELS, "diagnosis_wealth_item")
    register_value_labels("funding_source", lb.FUNDING_SOURCE_LABELS, "plan_activity")
    register_value_labels("approval_instrument", lb.APPROVAL_INSTRUMENT_LABELS, "articulated_plan")


def register(admin: Any) -> None:
    _register_labels()
    session = db.session
    category = _l("Diagnosis and plans")
    admin.add_view(
        DiagnosisCaseView(Diagnosis, session, name=_l("Diagnoses"), category=category, endpoint="dx_diagnosis")
    )
    admin.add_view(
        FichaValueView(
            DistrictRecordValue, session, name=_l("Fichas Distritales"), category=category, endpoint="dx_ficha_value"
        )
    )
    admin.add_view(BaselineView(Baseline, session, name=_l("Baselines"), category=category, endpoint="dx_baseline"))
    admin.add_view(
        CoverageView(Coverage, session, name=_l("Mapa de Coincidencias"), category=category, endpoint="dx_coverage")
    )
    admin.add_view(ActorView(Actor, session, name=_l("Actors"), category=category, endpoint="dx_actor"))
    admin.add_view(CauseView(Cause, session, name=_l("Causes"), category=category, endpoint="dx_cause"))
    admin.add_view(PlanCaseView(Plan, session, name=_l("Plans Articulados"), category=category, endpoint="dx_plan"))
    admin.add_view(ResultView(PlanResult, session, name=_l("Results"), category=category, endpoint="dx_result"))
    admin.add_view(
        IndicatorView(PlanIndicator, session, name=_l("Indicators"), category=category, endpoint="dx_indicator")
    )
    admin.add_view(
        ActivityView(PlanActivity, session, name=_l("Activities"), category=category, endpoint="dx_activity")
    )
    admin.add_view(
        StandardResultView(
            StandardResult,
            session,
            name=_l("Standard results (Appendix 5)"),
            category=_l("Catalogs"),
            endpoint="dx_standard_result",
        )
    )
