"""Admin views of contests: browsed, filtered and exported in scope, read-only (writes go through the
contest pages and the API, where the state, the jury and the version are checked)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.labels import register_field_labels, register_value_labels
from plugins.institutionalization.admin import ReadOnlyView, ThroughCaseView
from plugins.operations.incentives.fields import APPLICANT_CHOICES, APPLICATION, CONTEST
from plugins.operations.incentives.models import Contest, ContestApplication, ContestJuror, ContestScore


class ContestView(ReadOnlyView):
    government_column = "government_id"
    column_list = ("reference", "title", "government", "year", "budget_cap", "reception_deadline", "state")
    column_searchable_list = ("reference", "title")
    column_filters = ("state", "year", "reception_deadline")
    column_select_related_list = (Contest.government,)
    column_default_sort = ("id", True)


class ApplicationView(ThroughCaseView):
    case_join = (Contest,)
    column_list = (
        "contest",
        "applicant_kind",
        "government",
        "organization_name",
        "practice",
        "submitted_on",
        "total",
        "rank",
    )
    column_searchable_list = ("practice", "organization_name")
    column_filters = ("applicant_kind", "submitted_on")
    column_select_related_list = (ContestApplication.contest, ContestApplication.government)
    column_default_sort = ("id", False)


class JurorView(ThroughCaseView):
    case_join = (Contest,)
    column_list = ("contest", "user", "charge", "declared_at")
    column_select_related_list = (ContestJuror.contest, ContestJuror.user)


class ScoreView(ThroughCaseView):
    case_join = (ContestApplication, Contest)
    column_list = ("application", "criterion", "juror", "score")
    column_select_related_list = (ContestScore.application, ContestScore.criterion)


def _labels() -> None:
    register_field_labels(
        {**CONTEST.labels(), "government": _l("Government"), "state": _l("State"), "year": _l("Year")},
        "operations_contest",
    )
    register_field_labels(
        {**APPLICATION.labels(), "contest": _l("Contest"), "government": _l("Municipality")},
        "operations_contest_application",
    )
    register_field_labels(
        {"contest": _l("Contest"), "user": _l("Juror"), "charge": _l("Charge or institution"),
         "declared_at": _l("Declared no conflict of interest")},
        "operations_contest_juror",
    )  # fmt: skip
    register_field_labels(
        {"application": _l("Application"), "criterion": _l("Criterion"), "juror": _l("Juror"), "score": _l("Score")},
        "operations_contest_score",
    )
    register_value_labels("applicant_kind", APPLICANT_CHOICES, "operations_contest_application")


def register(admin: Any) -> None:
    _labels()
    category = _l("Operations")
    session = db.session
    admin.add_view(ContestView(Contest, session, name=_l("Contests"), category=category, endpoint="ops_contest"))
    admin.add_view(
        ApplicationView(
            ContestApplication, session, name=_l("Applications"), category=category, endpoint="ops_contest_application"
        )
    )
    admin.add_view(JurorView(ContestJuror, session, name=_l("Jurors"), category=category, endpoint="ops_contest_juror"))
    admin.add_view(ScoreView(ContestScore, session, name=_l("Scores"), category=category, endpoint="ops_contest_score"))
