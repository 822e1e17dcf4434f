"""Fields of the quarterly follow-up report, declared once (core.fields)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields

QUARTER_CHOICES = {
    "1": _l("First quarter"),
    "2": _l("Second quarter"),
    "3": _l("Third quarter"),
    "4": _l("Fourth quarter"),
}


def _period(data: dict[str, Any]) -> list[tuple[str, Any]]:
    problems: list[tuple[str, Any]] = []
    if data.get("quarter") is not None and not 1 <= data["quarter"] <= 4:
        problems.append(("quarter", _l("«Quarter» must be 1, 2, 3 or 4.")))
    if data.get("year") is not None and not 2000 <= data["year"] <= 2100:
        problems.append(("year", _l("«Year» must be between 2000 and 2100.")))
    return problems


REPORT = RecordFields(
    "quarterly_report",
    [
        Field("year", "integer", _l("Year"), required=True, admin_filter=True),
        Field("quarter", "integer", _l("Quarter"), required=True, admin_filter=True),
        Field("comments", "long_text", _l("Comments of the team"), max_length=20000, admin_column=False),
        Field("difficulties", "long_text", _l("Difficulties found"), max_length=20000, admin_column=False),
        Field("next_steps", "long_text", _l("Next steps"), max_length=20000, admin_column=False),
    ],
    checks=[_period],
)
#: What an edit may change (the year and quarter are the report's identity).
EDITABLE = ("comments", "difficulties", "next_steps")
