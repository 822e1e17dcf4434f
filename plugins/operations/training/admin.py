"""Admin views of training and educational communication: scoped, read-only (writes go through the
pages and the API, where the state and the version are checked)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.labels import register_field_labels, register_value_labels
from plugins.institutionalization.admin import ReadOnlyView, ThroughCaseView
from plugins.operations.training.fields import ACTION, EVENT, PLAN
from plugins.operations.training.models import (
    ACTION_KINDS,
    EVENT_KINDS,
    PROVIDERS,
    CommunicationAction,
    CommunicationPlan,
    TrainingEvent,
)

COMMON = {"reference": _l("Reference"), "government": _l("Government"), "state": _l("State"), "title": _l("Name")}


class EventView(ReadOnlyView):
    government_column = "government_id"
    column_list = (
        "reference",
        "title",
        "government",
        "provider",
        "kind",
        "start_date",
        "end_date",
        "participants_women",
        "participants_men",
        "participants_total",
        "state",
    )
    column_searchable_list = ("reference", "title", "audience")
    column_filters = ("state", "provider", "kind", "start_date")
    column_select_related_list = (TrainingEvent.government,)
    column_default_sort = ("start_date", True)


class PlanView(ReadOnlyView):
    government_column = "government_id"
    column_list = ("reference", "title", "government", "year", "state")
    column_searchable_list = ("reference", "title")
    column_filters = ("state",)
    column_select_related_list = (CommunicationPlan.government,)


class ActionView(ThroughCaseView):
    case_join = (CommunicationPlan,)
    locals().update(ACTION.admin_options(prefix=("plan",)))


def _labels() -> None:
    register_field_labels({**EVENT.labels(), **COMMON, "title": _l("Topic")}, "operations_training_event")
    register_field_labels({**PLAN.labels(), **COMMON}, "operations_communication_plan")
    register_field_labels({**ACTION.labels(), "plan": _l("Plan")}, "operations_communication_action")
    register_value_labels("provider", PROVIDERS, "operations_training_event")
    register_value_labels("kind", EVENT_KINDS, "operations_training_event")
    register_value_labels("kind", ACTION_KINDS, "operations_communication_action")


def register(admin: Any) -> None:
    _labels()
    category = _l("Operations")
    session = db.session
    admin.add_view(
        EventView(TrainingEvent, session, name=_l("Training events"), category=category, endpoint="ops_training_event")
    )
    admin.add_view(
        PlanView(
            CommunicationPlan, session, name=_l("Communication plans"), category=category, endpoint="ops_comm_plan"
        )
    )
    admin.add_view(
        ActionView(
            CommunicationAction,
            session,
            name=_l("Communication actions"),
            category=category,
            endpoint="ops_comm_action",
        )
    )
