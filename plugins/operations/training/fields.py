"""Fields of the training event, the communication plan and its actions, declared once (core.fields)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields
from plugins.operations.training.models import ACTION_KINDS, EVENT_KINDS, PROVIDERS

PROVIDER_CHOICES = {
    "st_cias": _l("ST-CIAS"),
    "mef": _l("MEF"),
    "inei": _l("INEI"),
    "cenan": _l("CENAN"),
    "juntos": _l("JUNTOS"),
    "region": _l("Regional government"),
    "other": _l("Other"),
}
KIND_CHOICES = {"training": _l("Training"), "technical_assistance": _l("Technical assistance")}
ACTION_CHOICES = {
    "campaign": _l("Campaign"),
    "contest": _l("Contest"),
    "dissemination": _l("Dissemination of successful experiences"),
    "online_consultation": _l("Online consultations"),
    "virtual_manual": _l("Virtual manual"),
}


def _dates(data: dict[str, Any]) -> list[tuple[str, Any]]:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        return [("end_date", _l("«End date» cannot precede the start date."))]
    return []


def _participants(data: dict[str, Any]) -> list[tuple[str, Any]]:
    women, men, total = data.get("participants_women"), data.get("participants_men"), data.get("participants_total")
    if total is not None and women is not None and men is not None and women + men > total:
        return [("participants_total", _l("«Total participants» cannot be less than women plus men."))]
    return []


def _provider(data: dict[str, Any]) -> list[tuple[str, Any]]:
    if data.get("provider") == "other" and not data.get("provider_other"):
        return [("provider_other", _l("Name the provider when it is «Other»."))]
    return []


EVENT = RecordFields(
    "training_event",
    [
        Field(
            "topic",
            "text",
            _l("Topic"),
            required=True,
            max_length=300,
            output=None,
            admin_search=True,
            required_message=_l("Enter the topic of the event."),
        ),
        Field(
            "provider",
            "choice",
            _l("Provider"),
            choices=PROVIDER_CHOICES,
            required=True,
            legal=PROVIDERS,
            nullable_output=False,
            admin_filter=True,
        ),
        Field("provider_other", "text", _l("Other provider"), max_length=200, admin_column=False),
        Field(
            "kind",
            "choice",
            _l("Kind of event"),
            choices=KIND_CHOICES,
            default="training",
            legal=EVENT_KINDS,
            nullable_output=False,
            admin_filter=True,
        ),
        Field("audience", "text", _l("Audience"), max_length=300),
        Field(
            "start_date",
            "date",
            _l("Start date"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            required_message=_l("Enter the start date."),
        ),
        Field("end_date", "date", _l("End date")),
        Field("place", "text", _l("Place"), max_length=300, admin_column=False),
        Field("participants_women", "integer", _l("Women participants")),
        Field("participants_men", "integer", _l("Men participants")),
        Field(
            "participants_total",
            "integer",
            _l("Total participants"),
            help=_l("When the count by sex is not known, the total alone."),
        ),
    ],
    checks=[_dates, _participants, _provider],
)

PLAN = RecordFields(
    "communication_plan",
    [
        Field(
            "name",
            "text",
            _l("Name"),
            required=True,
            max_length=300,
            admin_search=True,
            required_message=_l("Enter the name of the plan."),
        ),
        Field("year", "integer", _l("Year"), required=True, nullable_output=False),
        Field("objective", "long_text", _l("Objective"), admin_column=False),
    ],
)

ACTION = RecordFields(
    "communication_action",
    [
        Field(
            "plan_id",
            "reference",
            _l("Plan"),
            output=lambda a: a.plan_id,
            nullable_output=False,
            admin_column=False,
            document=False,
        ),
        Field(
            "kind",
            "choice",
            _l("Component"),
            choices=ACTION_CHOICES,
            required=True,
            legal=ACTION_KINDS,
            nullable_output=False,
            admin_filter=True,
        ),
        Field(
            "title",
            "text",
            _l("Action"),
            required=True,
            max_length=300,
            nullable_output=False,
            admin_search=True,
            required_message=_l("Describe the action."),
        ),
        Field("audience", "text", _l("Audience"), max_length=300),
        Field("reach", "integer", _l("Reach (people)")),
        Field(
            "start_date",
            "date",
            _l("Start date"),
            required=True,
            nullable_output=False,
            required_message=_l("Enter the start date."),
        ),
        Field("end_date", "date", _l("End date")),
        Field("medium", "text", _l("Medium"), max_length=200, admin_column=False),
    ],
    checks=[_dates],
)
