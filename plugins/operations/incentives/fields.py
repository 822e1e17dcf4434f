"""A contest's fields and its children's, declared once (core.fields): forms, API, admin, documents."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields
from plugins.operations.incentives.models import APPLICANT_KINDS, MAX_PRIZES

APPLICANT_CHOICES = {"municipality": _l("Municipality"), "community_organization": _l("Community organization")}


def _calendar_in_order(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The calendar's dates follow each other: reception, then evaluation, then results."""
    reception, evaluation, results = (
        data.get("reception_deadline"),
        data.get("evaluation_deadline"),
        data.get("results_date"),
    )
    problems = []
    if reception and evaluation and evaluation < reception:
        problems.append(("evaluation_deadline", _l("«End of the evaluation» cannot precede the reception deadline.")))
    if evaluation and results and results < evaluation:
        problems.append(("results_date", _l("«Results date» cannot precede the end of the evaluation.")))
    return problems


CONTEST = RecordFields(
    "contest",
    [
        Field("title", "text", _l("Name of the contest"), required=True, max_length=300, admin_search=True),
        Field("purpose", "long_text", _l("Purpose"), max_length=4000, admin_column=False),
        Field("eligibility", "long_text", _l("Who may apply"), max_length=4000, admin_column=False),
        Field("budget_cap", "money", _l("Budget cap (S/)")),
        Field("reception_deadline", "date", _l("Reception deadline"), admin_filter=True),
        Field("evaluation_deadline", "date", _l("End of the evaluation")),
        Field("results_date", "date", _l("Results date")),
    ],
    checks=[_calendar_in_order],
)

CRITERION = RecordFields(
    "contest_criterion",
    [
        Field("name", "text", _l("Criterion"), required=True, max_length=200),
        Field("description", "long_text", _l("Description"), max_length=2000, admin_column=False),
        Field("weight", "integer", _l("Weight"), required=True, minimum=1, maximum=100),
    ],
)

PRIZE = RecordFields(
    "contest_prize",
    [
        Field("place", "integer", _l("Place"), required=True, minimum=1, maximum=MAX_PRIZES),
        Field("description", "text", _l("Prize"), required=True, max_length=300),
        Field("amount", "money", _l("Amount (S/)")),
    ],
)

JUROR = RecordFields(
    "contest_juror",
    [
        Field("email", "email", _l("Juror's e-mail"), required=True, max_length=200, admin_column=False),
        Field("charge", "text", _l("Charge or institution"), max_length=200),
        Field("name", "text", _l("Juror"), output=lambda j: j.user.name, nullable_output=False),
        Field(
            "declared",
            "boolean",
            _l("Declared no conflict of interest"),
            output=lambda j: j.declared_at is not None,
            nullable_output=False,
        ),
    ],
)

APPLICATION = RecordFields(
    "contest_application",
    [
        Field(
            "applicant_kind",
            "choice",
            _l("Applicant"),
            required=True,
            choices=APPLICANT_CHOICES,
            legal=APPLICANT_KINDS,
            admin_filter=True,
        ),
        Field(
            "government_id",
            "integer",
            _l("Municipality"),
            help=_l("The applicant municipality, or where the organization is."),
        ),
        Field("organization_name", "text", _l("Community organization"), max_length=300, admin_search=True),
        Field("practice", "text", _l("Practice"), required=True, max_length=300, admin_search=True),
        Field("description", "long_text", _l("Description of the practice"), max_length=4000, admin_column=False),
        Field(
            "evidence",
            "long_text",
            _l("Evidence"),
            required=True,
            max_length=4000,
            help=_l("What shows the progress: records, reports, photographs (files may be attached)."),
            admin_column=False,
        ),
        Field("submitted_on", "date", _l("Submission date")),
        Field("applicant", "text", _l("Applicant's name"), output=lambda a: a.applicant, nullable_output=False),
        Field("total", "decimal", _l("Score"), output=lambda a: a.total),
        Field("rank", "integer", _l("Place in the ranking"), output=lambda a: a.rank),
    ],
)
