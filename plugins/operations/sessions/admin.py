"""Admin views of the sessions: browsed, filtered and exported in scope, read-only (writes go through
the session pages and the API, where the state and the version are checked)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.labels import register_field_labels, register_value_labels
from plugins.institutionalization.admin import ReadOnlyView, ThroughCaseView
from plugins.operations.sessions.fields import AGREEMENT, SESSION
from plugins.operations.sessions.models import (
    AGREEMENT_STATUSES,
    ATTENDANCE,
    SESSION_KINDS,
    InstanciaSession,
    SessionAgreement,
    SessionAttendance,
)


class SessionView(ReadOnlyView):
    government_column = "government_id"
    column_list = ("reference", "title", "government", "kind", "number", "session_date", "place", "state")
    column_searchable_list = ("reference", "title", "place")
    column_filters = ("state", "kind", "session_date")
    column_select_related_list = (InstanciaSession.government,)
    column_default_sort = ("session_date", True)


class AgreementView(ThroughCaseView):
    case_join = (InstanciaSession,)
    locals().update(AGREEMENT.admin_options(prefix=("session",)))
    column_select_related_list = (SessionAgreement.responsible,)
    column_default_sort = ("due_date", False)


class AttendanceView(ThroughCaseView):
    case_join = (InstanciaSession,)
    column_list = ("session", "member", "status")
    column_filters = ("status",)


def _labels() -> None:
    register_field_labels(
        {**SESSION.labels(), "government": _l("Government"), "state": _l("State"), "title": _l("Name")},
        "operations_session",
    )
    register_field_labels(
        {**AGREEMENT.labels(), "session": _l("Session"), "responsible": _l("Responsible")},
        "operations_session_agreement",
    )
    register_field_labels(
        {"session": _l("Session"), "member": _l("Member"), "status": _l("Attendance")}, "operations_session_attendance"
    )
    register_value_labels("kind", SESSION_KINDS, "operations_session")
    register_value_labels("status", AGREEMENT_STATUSES, "operations_session_agreement")
    register_value_labels("status", ATTENDANCE, "operations_session_attendance")


def register(admin: Any) -> None:
    _labels()
    category = _l("Operations")
    session = db.session
    admin.add_view(
        SessionView(InstanciaSession, session, name=_l("Sessions"), category=category, endpoint="ops_session")
    )
    admin.add_view(
        AgreementView(
            SessionAgreement, session, name=_l("Agreements"), category=category, endpoint="ops_session_agreement"
        )
    )
    admin.add_view(
        AttendanceView(SessionAttendance, session, name=_l("Attendance"), category=category, endpoint="ops_attendance")
    )
