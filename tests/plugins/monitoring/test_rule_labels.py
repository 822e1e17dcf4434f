"""The monitoring deadline rules (quarterly report, supervision commitments; the Ventanilla's are its own) carry
an English name: loaded into the rules table, they read in English for an English reader."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select


def test_monitoring_rules_have_an_english_label(app: Any) -> None:
    from core.deadlines.due_dates import deadline_label, deadline_label_en
    from core.deadlines.models import DeadlineRule
    from core.extensions import db
    from plugins.monitoring.dashboards.hooks import deadline_rules as dashboards_rules
    from plugins.monitoring.supervision.hooks import deadline_rules as supervision_rules

    declared = {rule["key"]: rule for rule in [*dashboards_rules(), *supervision_rules()]}
    assert set(declared) == {"monitoring.quarterly_report", "monitoring.supervision_commitment"}
    with app.app_context():
        rows = {
            r.key: r for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.key.in_(list(declared))))
        }
        assert set(rows) == set(declared)
        assert {key: row.label_en for key, row in rows.items()} == {
            "monitoring.quarterly_report": "Quarterly follow-up report",
            "monitoring.supervision_commitment": "Fulfilment of a supervision visit commitment",
        }
        quarterly = rows["monitoring.quarterly_report"]
        assert deadline_label_en(quarterly, 2026, 2) == "Quarterly follow-up report (second quarter 2026)"
        assert deadline_label(quarterly, 2026, 2).startswith("Informe Trimestral de Seguimiento (")
