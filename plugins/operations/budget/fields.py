"""The budget's record types declared once (core.fields): a budget line of a plan activity and the
alignment threshold; and the rules every line obeys, whether typed, sent to the API or imported."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields
from plugins.operations.budget.sources import source_choices

QUARTER_CHOICES = {"1": _l("1st quarter"), "2": _l("2nd quarter"), "3": _l("3rd quarter"), "4": _l("4th quarter")}


def _pim_covers_accrued(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The modified budget (PIM) can never be below what was already accrued (devengado)."""
    pim, accrued = data.get("pim"), data.get("accrued")
    if pim is not None and accrued is not None and pim < accrued:
        return [("pim", _("The PIM cannot be lower than the amount accrued (devengado)."))]
    return []


BUDGET_LINE = RecordFields(
    "budget_line",
    [
        Field("activity_id", "reference", _l("Plan activity"), required=True, nullable_output=False),
        Field("activity_name", "text", _l("Activity"), output=lambda line: line.activity.name, nullable_output=False),
        Field("source", "choice", _l("Funding source"), required=True, choices=source_choices(), admin_filter=True),
        Field("quarter", "choice", _l("Quarter"), required=True, choices=QUARTER_CHOICES, admin_filter=True),
        Field(
            "ubigeo",
            "ubigeo",
            _l("Place (ubigeo)"),
            help=_l("The district where it is spent; empty: the government's own territory."),
            admin_column=False,
        ),
        Field("pia", "money", _l("PIA (S/)"), required=True),
        Field("pim", "money", _l("PIM (S/)"), required=True),
        Field("accrued", "money", _l("Accrued / devengado (S/)"), required=True),
    ],
    checks=[_pim_covers_accrued],
)

THRESHOLD = RecordFields(
    "budget_threshold",
    [
        Field(
            "government_id",
            "reference",
            _l("Government (empty: national default)"),
            help=_l("A government's own share overrides the national default."),
        ),
        Field(
            "share",
            "decimal",
            _l("Minimum share of the planned budget"),
            required=True,
            places=3,
            maximum=1,
            help=_l(
                "Between 0 and 1: a result with PIM below this share of its planned budget is flagged (0.8 = 80 %)."
            ),
        ),
    ],
)


def quarter_value(line: Any) -> str:
    return str(line.quarter)
