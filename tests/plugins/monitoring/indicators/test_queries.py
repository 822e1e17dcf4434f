"""The catalog as seeded (Figure 05, Figure 03, the national goals to 2011) and the query module the
dashboards read: weighted aggregation from district numerators and denominators, series, targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Territory
from plugins.monitoring.indicators import queries
from plugins.monitoring.indicators.models import Measurement, MonitoredIndicator, Target
from plugins.monitoring.indicators.periods import period_start


def add(indicator: MonitoredIndicator, ubigeo: str, value: str, source: str = "SIEN", **extra: Any) -> Measurement:
    territory = db.session.scalar(select(Territory).where(Territory.ubigeo == ubigeo))
    year, kind, number = extra.pop("period", (2024, "year", 0))
    row = Measurement(
        indicator_id=indicator.id,
        territory_id=territory.id,
        ubigeo=ubigeo,
        level=territory.level,
        department=ubigeo[:2],
        province=ubigeo[:4] if territory.level in ("province", "district") else "",
        government_id=getattr(queries.government_for_territory(territory), "id", None),
        year=year,
        period_kind=kind,
        period_number=number,
        period_start=period_start(year, kind, number),
        source=source,
        value=Decimal(value),
        **extra,
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_the_catalog_holds_the_nine_key_indicators_with_their_sources(ctx: Any) -> None:
    catalog = queries.indicators()
    assert [i.number for i in catalog] == list(range(1, 10))
    assert [i.number for i in catalog if not i.lower_is_better] == [6, 9]
    neonatal = queries.indicator_by_code("3")
    assert (neonatal.factor, neonatal.unit) == (1000, "por mil nacidos vivos")
    assert queries.indicator_by_code("IRA").number == 7
    poverty = queries.indicator_by_code(1)
    assert [key for key, _name in queries.measures_of(poverty)] == ["pobreza", "pobreza_extrema"]
    levels = queries.source_levels()
    anemia = queries.indicator_by_code(4)
    assert {s.source: levels[s.source] for s in anemia.sources} == {
        "ENDES": "department",
        "MONIN": "department",
        "SIEN": "district",
    }


def test_aggregation_weights_district_numerators_never_averages_percentages(ctx: Any) -> None:
    anemia = queries.indicator_by_code(4)
    # Amarilis 10 of 100 (10 %), Huánuco district 90 of 300 (30 %): the province is 100/400 = 25 %,
    # not the average 20 %; Pillco Marca has a percentage only and is left out of the computation.
    add(anemia, "100102", "10", numerator=Decimal(10), denominator=Decimal(100))
    add(anemia, "100101", "30", numerator=Decimal(90), denominator=Decimal(300))
    add(anemia, "100111", "50")
    add(anemia, "100100", "27.5", source="HIS")  # reported by the province itself
    (province,) = queries.aggregate(anemia, "province", 2024, within="1001")
    assert (province.ubigeo, province.value, province.districts, province.districts_left_out) == (
        "100100",
        Decimal("25.00"),
        2,
        1,
    )
    shown = queries.values_at(anemia, "100100", 2024)
    assert [(v.source, v.value, v.computed) for v in shown] == [
        ("HIS", Decimal("27.5000"), False),
        ("SIEN", Decimal("25.00"), True),
    ]
    (national,) = queries.aggregate(anemia, "national", 2024)
    assert national.ubigeo == "000000" and national.value == Decimal("25.00")
    assert queries.aggregate(anemia, "department", 2023) == []  # another year: nothing


def test_latest_value_and_series(ctx: Any) -> None:
    eda = queries.indicator_by_code(8)
    for quarter, value in ((1, "12"), (2, "9"), (3, "11")):
        add(eda, "100102", value, source="HIS", period=(2024, "quarter", quarter))
    add(eda, "100102", "10", source="HIS")
    assert [m.value for m in queries.series(eda.id, "100102", period_kind="quarter")] == [12, 9, 11]
    latest = queries.latest_value(eda.id, "100102")
    assert (latest.period_kind, latest.period_number) == ("quarter", 3)


def test_targets_adjustment_over_plan_over_national_goal(ctx: Any, govs: dict[str, int]) -> None:
    malnutrition = queries.indicator_by_code(2)
    (goal,) = [t for t in queries.targets_for(govs["amarilis"], 2011) if t.indicator_id == malnutrition.id]
    assert (goal.origin, goal.value) == ("national", Decimal("16.0000"))
    db.session.add(
        Target(
            origin="plan", government_id=govs["amarilis"], year=2011, indicator_id=malnutrition.id, value=Decimal(20)
        )
    )
    db.session.flush()
    assert queries.target_for(govs["amarilis"], 2011, malnutrition.id).value == 20
    db.session.add(
        Target(
            origin="adjustment",
            government_id=govs["amarilis"],
            year=2011,
            indicator_id=malnutrition.id,
            value=Decimal(22),
            justification="La sequía de 2010",
            approved_by="Alcalde",
            approved_on=date(2011, 3, 1),
        )
    )
    db.session.flush()
    assert queries.target_for(govs["amarilis"], 2011, malnutrition.id).value == 22
    assert queries.target_for(govs["cusco"], 2011, malnutrition.id).origin == "national"
    poverty = queries.indicator_by_code(1)
    assert queries.target_for(govs["cusco"], 2011, poverty.id, "pobreza", "rural").value == 45
    db.session.rollback()
