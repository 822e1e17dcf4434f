"""Admin views of the key indicators: the catalog, its sources and the national goals (seed data an
administrator edits), and the measurements, their corrections and the targets, browsed and exported
in scope, read-only (writes go through the pages and the API, where every rule is checked)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ScopedModelView
from core.extensions import db
from core.labels import register_field_labels
from plugins.institutionalization.admin import ReadOnlyView
from plugins.monitoring.indicators.fields import MEASUREMENT
from plugins.monitoring.indicators.models import (
    IndicatorSource,
    Measurement,
    MeasurementRevision,
    MonitoredIndicator,
    NationalGoal,
    Target,
)


class IndicatorView(ScopedModelView):
    column_list = ("number", "name", "unit", "factor", "direction", "disaggregations", "periodicity", "active")
    column_searchable_list = ("key", "name")
    column_default_sort = "number"
    form_excluded_columns = ("sources",)


class IndicatorSourceView(ScopedModelView):
    column_list = ("indicator", "source", "position", "notes")
    column_filters = ("source",)
    column_select_related_list = (IndicatorSource.indicator,)


class NationalGoalView(ScopedModelView):
    column_list = ("indicator", "measure", "area", "year", "value", "source_note")
    column_select_related_list = (NationalGoal.indicator,)


class MeasurementView(ReadOnlyView):
    government_column = "government_id"
    large_table = True  # ≈340,000 rows for every district: no total count
    column_list = (
        "indicator",
        "measure",
        "ubigeo",
        "level",
        "year",
        "period_kind",
        "period_number",
        "source",
        "area",
        "sex",
        "value",
        "numerator",
        "denominator",
        "demo",
    )
    column_searchable_list = ("ubigeo",)
    column_filters = ("year", "level", "source", "period_kind", "demo")
    column_select_related_list = (Measurement.indicator,)
    column_default_sort = ("period_start", True)


class RevisionView(ReadOnlyView):
    column_list = ("measurement", "changed_at", "changed_by", "old_value", "old_numerator", "old_denominator", "reason")
    column_default_sort = ("changed_at", True)

    def get_query(self) -> Any:
        return self._scoped(super().get_query())

    def get_count_query(self) -> Any:
        return self._scoped(super().get_count_query())

    def _scoped(self, query: Any) -> Any:
        from core.security import current_scope
        from plugins.monitoring.indicators.queries import readable_measurements

        return query.join(Measurement, MeasurementRevision.measurement).filter(readable_measurements(current_scope()))


class TargetView(ReadOnlyView):
    government_column = "government_id"
    column_list = (
        "government",
        "year",
        "origin",
        "indicator",
        "measure",
        "area",
        "label",
        "value",
        "unit",
        "approved_by",
        "approved_on",
    )
    column_filters = ("year", "origin")
    column_select_related_list = (Target.government, Target.indicator)


def register(admin: Any) -> None:
    register_field_labels(
        {
            **MEASUREMENT.labels(),
            "level": _l("Level"),
            "demo": _l("Demo data"),
            "period_number": _l("Quarter or month"),
            "department": _l("Department"),
            "province": _l("Province"),
            "period_start": _l("Start of the period"),
        },
        "monitoring_measurement",
    )
    register_field_labels(
        {
            "numerator": _l("Numerator"),
            "denominator": _l("Denominator"),
            "factor": _l("Factor"),
            "direction": _l("Direction"),
            "disaggregations": _l("Disaggregations"),
            "periodicity": _l("Periodicity"),
        },
        "monitoring_indicator",
    )
    register_field_labels(
        {
            "measurement": _l("Measurement"),
            "changed_at": _l("Changed on"),
            "changed_by": _l("Changed by"),
            "old_value": _l("Previous value"),
            "old_numerator": _l("Previous numerator"),
            "old_denominator": _l("Previous denominator"),
            "old_notes": _l("Previous notes"),
            "reason": _l("Reason"),
        },
        "monitoring_measurement_revision",
    )
    register_field_labels({"area": _l("Area"), "source_note": _l("Source")}, "monitoring_national_goal")
    register_field_labels(
        {
            "area": _l("Area"),
            "approved_by": _l("Approved by"),
            "approved_on": _l("Approved on"),
            "demo": _l("Demo data"),
        },
        "monitoring_target",
    )
    session = db.session
    category = _l("Monitoring")
    admin.add_view(
        IndicatorView(
            MonitoredIndicator,
            session,
            name=_l("Key indicators (measured)"),
            category=_l("Catalogs"),
            endpoint="mon_indicator",
        )
    )
    admin.add_view(
        IndicatorSourceView(
            IndicatorSource,
            session,
            name=_l("Sources of the key indicators"),
            category=_l("Catalogs"),
            endpoint="mon_indicator_source",
        )
    )
    admin.add_view(
        NationalGoalView(
            NationalGoal,
            session,
            name=_l("National goals to 2011"),
            category=_l("Catalogs"),
            endpoint="mon_national_goal",
        )
    )
    admin.add_view(
        MeasurementView(Measurement, session, name=_l("Measurements"), category=category, endpoint="mon_measurement")
    )
    admin.add_view(
        RevisionView(
            MeasurementRevision,
            session,
            name=_l("Corrections of measurements"),
            category=category,
            endpoint="mon_measurement_revision",
        )
    )
    admin.add_view(TargetView(Target, session, name=_l("Targets"), category=category, endpoint="mon_target"))
