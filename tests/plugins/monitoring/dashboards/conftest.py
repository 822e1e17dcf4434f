"""Measurements, a baseline and a goal for the dashboards' tests, written straight to the tables (the
indicators sub-package tests its own forms and imports): indicator 2 (desnutrición crónica) in Huánuco."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest


def add_measurement(ubigeo: str, number: int, year: int, quarter: int, value: str, **extra: Any) -> None:
    """One total measurement of key indicator ``number`` for a territory and quarter (in an app context)."""
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Government, Territory
    from plugins.monitoring.indicators.models import Measurement, MonitoredIndicator

    territory = db.session.scalar(select(Territory).where(Territory.ubigeo == ubigeo))
    indicator = db.session.scalar(select(MonitoredIndicator).where(MonitoredIndicator.number == number))
    government = db.session.scalar(select(Government).where(Government.ubigeo == ubigeo).order_by(Government.id))
    db.session.add(
        Measurement(
            indicator_id=indicator.id,
            measure=extra.pop("measure", ""),
            territory_id=territory.id,
            ubigeo=ubigeo,
            level=extra.pop("level", "district"),
            department=ubigeo[:2],
            province=ubigeo[:4] if not ubigeo.endswith("0000") else "",
            government_id=government.id if government else None,
            year=year,
            period_kind="quarter",
            period_number=quarter,
            period_start=date(year, 3 * quarter - 2, 1),
            source=extra.pop("source", "SIEN"),
            value=Decimal(value),
            **{k: Decimal(v) for k, v in extra.items()},
        )
    )


@pytest.fixture
def huanuco_data(app: Any, govs: dict[str, int]) -> dict[str, Any]:
    """Indicator 2 in Huánuco: Amarilis 30 → 25, Huánuco district 15 (with numerators and denominators),
    the region's own reported 22.5 (ENDES) for 2009-T2; the region's baseline 30 (2007), its goal 20 (2011)."""
    from sqlalchemy import select

    from core.cases import case_types, create_case
    from core.extensions import db
    from core.models import Government, KeyIndicator
    from core.security import scope_for_cli
    from plugins.diagnosis.models import Baseline
    from plugins.monitoring.indicators.models import MonitoredIndicator, Target

    with app.app_context():
        add_measurement("100102", 2, 2008, 4, "30", numerator="30", denominator="100")
        add_measurement("100102", 2, 2009, 2, "25", numerator="25", denominator="100")
        add_measurement("100101", 2, 2009, 2, "15", numerator="15", denominator="100")
        add_measurement("100000", 2, 2009, 2, "22.5", level="department", source="ENDES")
        region = db.session.get(Government, govs["huanuco"])
        diagnosis = create_case(case_types()["diagnosis"], region, 2008, "Diagnóstico", None, scope_for_cli(None))
        indicator = db.session.scalar(select(MonitoredIndicator).where(MonitoredIndicator.number == 2))
        key = db.session.scalar(select(KeyIndicator.id).where(KeyIndicator.key == indicator.key))
        db.session.add(
            Baseline(
                diagnosis_id=diagnosis.id,
                territory_id=region.territory_id,
                indicator_id=key,
                value=Decimal(30),
                year=2007,
                source="ENDES",
            )
        )
        db.session.add(Target(origin="plan", government_id=region.id, year=2011, indicator_id=indicator.id, value=20))
        db.session.commit()
        return {"indicator_id": indicator.id}
