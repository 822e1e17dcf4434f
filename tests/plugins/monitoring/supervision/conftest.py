"""The seeded fichas (data/supervision_checklists.yaml) by key, with their items, and a visit helper."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.extensions import db

API = "/api/v1/monitoring/supervision"
COMMUNITY_API = "/api/v1/monitoring/community"


@pytest.fixture
def fichas(app: Any) -> dict[str, dict[str, Any]]:
    """key → {"id", "items": [(item id, weight, max points)]} of the seeded fichas."""
    from plugins.monitoring.supervision.models import SupervisionChecklist

    with app.app_context():
        return {
            c.key: {"id": c.id, "items": [(i.id, i.weight, i.max_points) for i in c.items]}
            for c in db.session.scalars(select(SupervisionChecklist))
        }


def days_ago(n: int) -> str:
    from core.deadlines import lima_today

    return (lima_today() - timedelta(days=n)).isoformat()


def days_ahead(n: int) -> str:
    from core.deadlines import lima_today

    return (lima_today() + timedelta(days=n)).isoformat()


def visit_body(govs: dict[str, int], fichas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "government_id": govs["huanuco"],
        "checklist_id": fichas["health_facility"]["id"],
        "visit_date": days_ago(10),
        "ubigeo": "100102",
        "facility": "Puesto de Salud Llicua",
        "supervisor": "Rosa Elvira Ponce Ticse",
        **extra,
    }
