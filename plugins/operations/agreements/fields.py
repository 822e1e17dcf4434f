"""The agreement's fields and its children's, declared once (core.fields): forms, API, admin, documents."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Government, KeyIndicator
from core.security import current_scope, writable_government_ids
from plugins.diagnosis.models import Plan, PlanResult

KIND_CHOICES = {"management": _l("Management agreement"), "inter_institutional": _l("Inter-institutional agreement")}
EXTERNAL_KIND_CHOICES = {
    "university": _l("University"),
    "ngo": _l("NGO"),
    "cooperation": _l("International cooperation"),
    "private": _l("Private company"),
    "other": _l("Other entity"),
}
SUPPORT_CHOICES = {
    "training": _l("Training"),
    "technical_assistance": _l("Technical assistance"),
    "funds": _l("Funds"),
}
#: Spanish names printed by the documents (legal text).
SUPPORT_LEGAL = {"training": "Capacitación", "technical_assistance": "Asistencia técnica", "funds": "Fondos"}


def _plan_results() -> list[tuple[Any, Any]]:
    """The results of the Plans Articulados Regionales of the regions where the user writes (a goal
    ties to its own region's plan: operations.py checks it)."""
    ids = writable_government_ids(current_scope())
    rows = db.session.execute(
        select(PlanResult.id, PlanResult.name, Plan.year)
        .join(Plan, Plan.id == PlanResult.plan_id)
        .join(Government, Government.id == Plan.government_id)
        .where(Plan.government_id.in_(ids), Government.kind == "regional")
        .order_by(Plan.year.desc(), PlanResult.position, PlanResult.id)
    )
    return [(row.id, f"{row.year} · {row.name}") for row in rows]


def _key_indicators() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(select(KeyIndicator).where(KeyIndicator.active.is_(True)).order_by(KeyIndicator.position))
    return [(i.id, str(i)) for i in rows]


def _term_in_order(data: dict[str, Any]) -> list[tuple[str, Any]]:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        return [("end_date", _("The end date («End of the term») cannot precede the start date."))]
    return []


AGREEMENT = RecordFields(
    "agreement",
    [
        Field("title", "text", _l("Title"), required=True, max_length=300, admin_search=True),
        Field("kind", "choice", _l("Kind of agreement"), choices=KIND_CHOICES, default="management", admin_filter=True),
        Field("object", "long_text", _l("Object of the agreement"), max_length=4000, admin_column=False),
        Field("start_date", "date", _l("Start of the term")),
        Field("end_date", "date", _l("End of the term")),
        Field("signed_on", "date", _l("Signing date"), admin_column=False),
        Field("external_name", "text", _l("External party"), max_length=300, admin_search=True),
        Field("external_kind", "choice", _l("Kind of entity"), choices=EXTERNAL_KIND_CHOICES, admin_column=False),
        Field("external_ruc", "text", _l("RUC"), max_length=11, admin_column=False),
    ],
    checks=[_term_in_order],
)

GOAL = RecordFields(
    "agreement_goal",
    [
        Field("description", "text", _l("Goal"), required=True, max_length=500),
        Field(
            "plan_result_id",
            "reference",
            _l("Result of the Plan Articulado"),
            reference=PlanResult,
            choices=_plan_results,
            admin_column=False,
        ),
        Field(
            "key_indicator_id",
            "reference",
            _l("Key indicator"),
            reference=KeyIndicator,
            choices=_key_indicators,
            admin_column=False,
        ),
        Field("unit", "text", _l("Unit"), max_length=100),
        Field("baseline", "decimal", _l("Baseline")),
        Field("target", "decimal", _l("Target"), required=True),
    ],
)

COMMITMENT = RecordFields(
    "agreement_commitment",
    [
        Field("what", "text", _l("Commitment"), required=True, max_length=500),
        Field("who", "text", _l("Responsible"), required=True, max_length=200),
        Field("due_date", "date", _l("Due date"), required=True),
        Field("fulfilled_on", "date", _l("Fulfilled on"), admin_column=False),
    ],
)

SUPPORT = RecordFields(
    "agreement_support",
    [
        Field("kind", "choice", _l("Support measure"), choices=SUPPORT_CHOICES, required=True, legal=SUPPORT_LEGAL),
        Field("description", "text", _l("Description"), required=True, max_length=500),
        Field("amount", "money", _l("Amount (S/)")),
    ],
)

REPORT = RecordFields(
    "agreement_report",
    [
        Field("period", "text", _l("Period"), required=True, max_length=40, help=_l("For example: 2009-S1.")),
        Field("summary", "long_text", _l("Summary"), max_length=4000),
    ],
)
