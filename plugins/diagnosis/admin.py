"""Admin views of stage 2 (Flask-Admin through core.admin.ScopedModelView): auditors browse
everything in scope, with filters and CSV/XLSX export. Diagnoses, plans and their rows are written by
the plugin's operations (permission, version check, validation, audit in one unit of work), so their
views are read-only, for administrators too; only the catalog of standard results is edited here.

Child rows are scoped through their case's government. The nominal list of item (g) has NO
admin view: it is personal data of minors, seen only on its own audited page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ReadOnlyModelView, ScopedModelView
from core.extensions import db
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.diagnosis.fields import (
    ACTIVITY,
    ACTOR,
    BASELINE,
    CAUSE,
    DIAGNOSIS,
    INDICATOR,
    PLAN,
    RELATION,
    RESULT,
    WEALTH,
)
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


class CaseTypeView(ReadOnlyModelView):
    """Cases are created and edited on the case pages and the API, through the operations; never here."""

    government_column = "government_id"


#: The case's own columns, before the declared fields'.
CASE_COLUMNS = ("reference", "title", "government", "year", "state")


def declared(fields: Any, *, prefix: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A view's columns, filters, search, export and labels from the declared fields (fields.py)."""
    return fields.admin_options(prefix=prefix, exclude=exclude)


class DiagnosisCaseView(CaseTypeView):
    locals().update(declared(DIAGNOSIS, prefix=CASE_COLUMNS))
    column_list = (*column_list, "keeps_nominal_list", "updated_at")  # noqa: F821  (set just above)
    column_searchable_list = ("reference", "title")
    column_filters = ("year", "state")
    column_select_related_list = (Diagnosis.government,)


class PlanCaseView(CaseTypeView):
    locals().update(declared(PLAN, prefix=CASE_COLUMNS, exclude=("approval_instrument",)))
    column_searchable_list = ("reference", "title", "approval_number")
    column_filters = ("year", "state", "approval_instrument")
    column_select_related_list = (Plan.government,)


class CaseChildView(ReadOnlyModelView):
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
    locals().update(declared(RESULT, prefix=("plan", "position")))
    column_select_related_list = (PlanResult.plan,)


class IndicatorView(CaseChildView):
    joins = ((PlanResult, PlanResult.id == PlanIndicator.result_id),)
    case_column = (PlanResult.plan_id,)
    locals().update(declared(INDICATOR, prefix=("result",)))
    column_select_related_list = (PlanIndicator.result,)


class ActivityView(CaseChildView):
    joins = ((PlanResult, PlanResult.id == PlanActivity.result_id),)
    case_column = (PlanResult.plan_id,)
    locals().update(
        declared(ACTIVITY, prefix=("result",), exclude=("months", "physical_goal", "physical_unit", "communities"))
    )
    column_select_related_list = (PlanActivity.result, PlanActivity.strategic_program)


class DiagnosisChildView(CaseChildView):
    def __init__(self, model: type, *args: Any, **kwargs: Any) -> None:
        self.case_column = (model.diagnosis_id,)
        super().__init__(model, *args, **kwargs)


class BaselineView(DiagnosisChildView):
    locals().update(BASELINE.admin_options(prefix=("territory", "indicator")))
    column_select_related_list = (Baseline.territory, Baseline.indicator)


class CoverageView(DiagnosisChildView):
    column_list = ("program", "territory", "beneficiaries")
    column_select_related_list = (Coverage.program, Coverage.territory)


class ActorView(DiagnosisChildView):
    locals().update(ACTOR.admin_options())


class CauseView(DiagnosisChildView):
    locals().update(CAUSE.admin_options())


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
    """Stored codes as the admin and the case history show them: the declared fields' choices."""
    from core.labels import register_value_labels
    from plugins.diagnosis.labels import APPROVAL_INSTRUMENT_LABELS

    tables = (
        (ACTOR, "diagnosis_actor"),
        (RELATION, "diagnosis_actor_relation"),
        (CAUSE, "diagnosis_cause"),
        (WEALTH, "diagnosis_wealth_item"),
        (ACTIVITY, "plan_activity"),
    )
    for fields, table in tables:
        for f in fields:
            if f.type == "choice" and isinstance(f.choices, dict):
                register_value_labels(f.name, f.choices, table)
    register_value_labels("approval_instrument", APPROVAL_INSTRUMENT_LABELS, "articulated_plan")


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
