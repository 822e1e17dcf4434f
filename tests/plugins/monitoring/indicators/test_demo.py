"""The demo measurements and targets (``articula demo load``): Huánuco's region, province and Amarilis for three
years and the four quarters of 2008, each value from a source valid at its level, labelled as demo, the
province's value also computed from its districts, targets from the approved demo plans; loading twice
changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import Territory
from plugins.monitoring.indicators import queries
from plugins.monitoring.indicators.models import Measurement, Target
from plugins.monitoring.indicators.rules import LEVEL_NAMES


@pytest.mark.demo
def test_the_demo_covers_three_years_and_four_quarters_and_loads_once(app: Any) -> None:
    from core.demo import load_demo

    with app.app_context():  # the demo as loaded once (the session's template): counted, then loaded again
        count = db.session.scalar(select(func.count(Measurement.id)))
        for ubigeo in ("100000", "100100", "100102"):
            years = set(
                db.session.scalars(
                    select(Measurement.year).where(Measurement.ubigeo == ubigeo, Measurement.period_kind == "year")
                )
            )
            quarters = set(
                db.session.scalars(
                    select(Measurement.period_number).where(
                        Measurement.ubigeo == ubigeo, Measurement.period_kind == "quarter"
                    )
                )
            )
            assert years == {2006, 2007, 2008} and quarters == {1, 2, 3, 4}, ubigeo
        assert db.session.scalar(select(func.count(Measurement.id)).where(Measurement.demo.is_(False))) == 0
        levels = queries.source_levels()
        order = list(LEVEL_NAMES)
        for level, source in db.session.execute(select(Measurement.level, Measurement.source).distinct()):
            assert order.index(level) <= order.index(levels[source]), (level, source)  # Figure 03
        anemia = queries.indicator_by_code(4)
        shown = queries.values_at(anemia, "100100", 2008)
        assert {(v.source, v.computed) for v in shown} == {("SIEN", False), ("SIEN", True)}
        computed = next(v for v in shown if v.computed)
        province = db.session.scalar(select(Territory.id).where(Territory.ubigeo == "100100"))
        districts = db.session.scalar(select(func.count(Territory.id)).where(Territory.parent_id == province))
        assert computed.districts == districts and computed.value == (
            computed.numerator / computed.denominator * 100
        ).quantize(computed.value)
        targets = db.session.scalar(select(func.count(Target.id)).where(Target.origin == "plan"))
        assert targets > 0
        assert db.session.scalar(select(func.count(Target.id)).where(Target.origin == "adjustment")) == 1

        load_demo(app)
        db.session.commit()
        assert db.session.scalar(select(func.count(Measurement.id))) == count
        assert db.session.scalar(select(func.count(Target.id)).where(Target.origin == "plan")) == targets
