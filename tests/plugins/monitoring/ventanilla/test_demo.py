"""The demo: Huánuco's regional Ventanilla and Amarilis's, entries of every kind and status, one emergency, one
escalated when overdue, recurrent ones; loading it twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.extensions import db


@pytest.mark.demo
def test_the_demo_has_every_kind_and_status_an_emergency_an_escalation_and_a_recurrence(app: Any) -> None:
    from core.demo import load_demo
    from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice

    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        assert db.session.scalar(select(func.count(VentanillaOffice.id))) == 2
        entries = db.session.scalars(select(VentanillaEntry)).all()
        assert {e.kind for e in entries} == {"consulta", "opinion", "pedido", "sugerencia"}
        assert {"registered", "referred", "answered", "resolved", "closed"} <= {e.status for e in entries}
        assert sum(e.emergency for e in entries) == 1
        assert sum(e.recurrent for e in entries) == 3
        escalated = [e for e in entries if e.escalated]
        assert escalated and all(e.office_id != e.origin_office_id for e in escalated)
        from core.models.submissions import Submission

        (sent,) = db.session.scalars(
            select(Submission).where(Submission.rule_key == "monitoring.ventanilla_registry_local")
        ).all()
        assert sent.recipient_government.name == "Gobierno Regional de Huánuco"
