"""``articula demo load``: the Huánuco region's quarterly report of the fourth quarter of 2008, approved and
sent to the ST-CIAS; the evaluation of the plan in force (Amarilis's, the one the diagnosis demo approves),
appraised and adjusted, as a draft; loading twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select


@pytest.mark.demo
def test_demo_quarterly_report_is_sent_and_idempotent(app: Any, govs: Any) -> None:
    from core.demo import load_demo
    from core.extensions import db
    from core.models.submissions import Submission
    from plugins.monitoring.dashboards.models import QuarterlyReport
    from plugins.monitoring.evaluation.models import PlanEvaluation

    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        reports = db.session.scalars(select(QuarterlyReport)).all()
        assert [(r.government_id, r.year, r.quarter, r.state) for r in reports] == [(govs["huanuco"], 2008, 4, "sent")]
        sent = db.session.scalars(select(Submission).where(Submission.rule_key == "monitoring.quarterly_report")).all()
        assert [(s.government_id, s.recipient_government_id) for s in sent] == [(govs["huanuco"], None)]
        evaluations = db.session.scalars(select(PlanEvaluation)).all()
        assert [(e.government_id, e.state) for e in evaluations] == [(govs["amarilis"], "draft")]
        evaluation = evaluations[0]
        assert len(evaluation.appraisals) == len(evaluation.plan.results) and evaluation.lessons
