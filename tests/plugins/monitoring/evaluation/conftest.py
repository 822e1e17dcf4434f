"""An approved plan of Huánuco for the evaluation's tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def approved_plan(app: Any, govs: Any) -> dict[str, int]:
    """Huánuco's 2008 plan with an indicator on its first result, approved by its norm (the diagnosis plugin
    tests that path; here the state is written directly)."""
    from sqlalchemy import select, update

    from core.cases import case_types, create_case
    from core.extensions import db
    from core.models import Case, Government
    from core.security import scope_for_cli
    from plugins.diagnosis.models import PlanIndicator
    from plugins.monitoring.indicators.models import MonitoredIndicator, PlanIndicatorLink

    with app.app_context():
        region = db.session.get(Government, govs["huanuco"])
        plan = create_case(
            case_types()["articulated_plan"],
            region,
            2008,
            "Plan Articulado Regional de Huánuco",
            None,
            scope_for_cli(None),
        )
        db.session.flush()
        result = plan.results[0]
        result.indicators.append(
            PlanIndicator(
                name="Prevalencia de desnutrición crónica", position=1, baseline=Decimal(30), target=Decimal(25)
            )
        )
        db.session.flush()
        # the plan indicator measures key indicator 2 (desnutrición crónica)
        key = db.session.scalar(select(MonitoredIndicator.id).where(MonitoredIndicator.number == 2))
        db.session.add(PlanIndicatorLink(plan_indicator_id=result.indicators[0].id, indicator_id=key))
        ids = {"plan": plan.id, "result": result.id, "indicator": result.indicators[0].id, "key_indicator": key}
        db.session.execute(update(Case).where(Case.id == plan.id).values(state="approved_norm"))
        db.session.commit()
        return ids
