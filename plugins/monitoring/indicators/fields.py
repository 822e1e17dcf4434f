"""The fields of a measurement, its correction, a target adjustment and a plan-indicator link, declared
once (core.fields): forms, API parsing and schema, admin columns. The domain rules (valid level of the
source, percentage ≤ 100, period not in the future, duplicates) are in rules.py, shared with the import."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields

PERIOD_KIND_CHOICES = {"year": _l("Year"), "quarter": _l("Quarter"), "month": _l("Month")}
AREA_CHOICES = {"urbano": _l("Urban"), "rural": _l("Rural")}
SEX_CHOICES = {"hombres": _l("Boys and men"), "mujeres": _l("Girls and women")}
DIRECTION_CHOICES = {"lower": _l("Lower is better"), "higher": _l("Higher is better")}
PERIODICITY_CHOICES = {"annual": _l("Annual"), "quarterly": _l("Quarterly"), "monthly": _l("Monthly")}
LEVEL_CHOICES = {
    "national": _l("National"),
    "department": _l("Departmental"),
    "province": _l("Provincial"),
    "district": _l("District"),
}


def indicator_choices() -> list[tuple[Any, Any]]:
    from plugins.monitoring.indicators.queries import indicators

    return [("", "—")] + [(str(i.number), f"{i.number}. {i.short_name or i.name}") for i in indicators()]


def measure_choices() -> list[tuple[Any, Any]]:
    from sqlalchemy import select

    from core.extensions import db
    from plugins.diagnosis.models import IndicatorMeasure

    rows = db.session.scalars(
        select(IndicatorMeasure).where(IndicatorMeasure.active.is_(True)).order_by(IndicatorMeasure.position)
    )
    return [("", "—")] + [(row.key, row.name) for row in rows]


def source_choices() -> list[tuple[Any, Any]]:
    from sqlalchemy import select

    from core.extensions import db
    from plugins.diagnosis.models import DataSource

    rows = db.session.scalars(select(DataSource).where(DataSource.active.is_(True)).order_by(DataSource.position))
    return [("", "—")] + [(row.key, f"{row.key} — {row.name}") for row in rows]


MEASUREMENT = RecordFields(
    "measurement",
    [
        Field("indicator", "choice", _l("Indicator"), required=True, choices=indicator_choices, admin_column=False),
        Field(
            "measure",
            "choice",
            _l("Measure"),
            choices=measure_choices,
            help=_l("Indicator 1 only: poverty or extreme poverty."),
        ),
        Field(
            "ubigeo",
            "ubigeo",
            _l("Ubigeo"),
            required=True,
            help=_l("000000 for the national value."),
            admin_search=True,
        ),
        Field("year", "integer", _l("Year"), required=True, admin_filter=True),
        Field("period_kind", "choice", _l("Period"), choices=PERIOD_KIND_CHOICES, default="year", admin_filter=True),
        Field(
            "period_number",
            "integer",
            _l("Quarter or month"),
            default=0,
            help=_l("1–4 for a quarter, 1–12 for a month."),
        ),
        Field("source", "choice", _l("Source"), required=True, choices=source_choices, admin_filter=True),
        Field("area", "choice", _l("Area"), choices=AREA_CHOICES),
        Field("sex", "choice", _l("Sex"), choices=SEX_CHOICES),
        Field(
            "value",
            "decimal",
            _l("Value"),
            places=4,
            help=_l("Computed from numerator and denominator when left empty."),
        ),
        Field("numerator", "decimal", _l("Numerator"), places=4),
        Field("denominator", "decimal", _l("Denominator"), places=4),
        Field("notes", "long_text", _l("Notes"), max_length=2000),
    ],
)

CORRECTION = RecordFields(
    "measurement_correction",
    [
        Field("value", "decimal", _l("Value"), places=4),
        Field("numerator", "decimal", _l("Numerator"), places=4),
        Field("denominator", "decimal", _l("Denominator"), places=4),
        Field("notes", "long_text", _l("Notes"), max_length=2000),
        Field("reason", "long_text", _l("Reason for the correction"), required=True, max_length=2000),
    ],
)

ADJUSTMENT = RecordFields(
    "target_adjustment",
    [
        Field("government_id", "integer", _l("Government"), required=True),
        Field("year", "integer", _l("Year"), required=True),
        Field("indicator", "choice", _l("Indicator"), required=True, choices=indicator_choices),
        Field("measure", "choice", _l("Measure"), choices=measure_choices),
        Field("area", "choice", _l("Area"), choices=AREA_CHOICES),
        Field("value", "decimal", _l("Adjusted target"), required=True, places=4),
        Field("justification", "long_text", _l("Justification"), required=True, max_length=5000),
        Field("approved_by", "text", _l("Approved by (name and post)"), required=True, max_length=300),
        Field("approved_on", "date", _l("Approval date"), required=True),
    ],
)

LINK = RecordFields(
    "plan_indicator_link",
    [
        Field("indicator", "choice", _l("Key indicator"), choices=indicator_choices),
        Field("measure", "choice", _l("Measure"), choices=measure_choices),
    ],
)
