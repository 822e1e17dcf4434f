"""The registered name of the current year (seeded from core/data/year_names.yaml), for documents issued today."""

from __future__ import annotations

from typing import Any


def current_year_name(app: Any) -> str:
    from core.documents import today_lima, year_name

    with app.app_context():
        name = year_name(today_lima().year)
    assert name, "the current year has no registered name: documents issued today would refuse"
    return name
