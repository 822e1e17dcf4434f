"""The session's and the agreement's fields, declared once (core.fields): forms, API parsing and
schema, admin columns and document rows come from here."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

KIND_CHOICES = {"ordinary": _l("Ordinary"), "extraordinary": _l("Extraordinary")}
ATTENDANCE_CHOICES = {"present": _l("Present"), "absent": _l("Absent"), "excused": _l("Excused")}
STATUS_CHOICES = {"pending": _l("Pending"), "in_progress": _l("In progress"), "done": _l("Done")}
EFFECTIVE_CHOICES = {**STATUS_CHOICES, "overdue": _l("Overdue")}


def _times(data: dict[str, Any]) -> list[tuple[str, Any]]:
    problems = []
    for name, label in (("start_time", _l("Start time")), ("end_time", _l("End time"))):
        value = data.get(name)
        if value and not TIME_RE.match(value):
            problems.append((name, _l("«%(label)s» must be a time HH:MM (24 hours).", label=label)))
    start, end = data.get("start_time"), data.get("end_time")
    if not problems and start and end and end <= start:
        problems.append(("end_time", _l("The end time must come after the start time.")))
    return problems


SESSION = RecordFields(
    "session",
    [
        Field(
            "body_id",
            "integer",
            _l("Coordination body"),
            required=True,
            admin_column=False,
            document=False,
            required_message=_l("Choose the coordination body."),
        ),
        Field(
            "kind",
            "choice",
            _l("Kind of session"),
            choices=KIND_CHOICES,
            default="ordinary",
            legal={"ordinary": "Ordinaria", "extraordinary": "Extraordinaria"},
            nullable_output=False,
            admin_filter=True,
        ),
        Field("number", "integer", _l("Session number"), required=True, nullable_output=False),
        Field(
            "session_date",
            "date",
            _l("Session date"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            required_message=_l("Enter the date of the session."),
        ),
        Field("start_time", "text", _l("Start time"), max_length=5, help=_l("HH:MM, 24 hours.")),
        Field("end_time", "text", _l("End time"), max_length=5, help=_l("HH:MM, 24 hours.")),
        Field("place", "text", _l("Place"), max_length=300, admin_search=True),
        Field("agenda", "long_text", _l("Agenda"), admin_column=False, help=_l("One item per line.")),
    ],
    checks=[_times],
)

AGREEMENT = RecordFields(
    "agreement",
    [
        Field(
            "session_id",
            "reference",
            _l("Session"),
            output=lambda a: a.session_id,
            nullable_output=False,
            admin_column=False,
            document=False,
        ),
        Field("number", "integer", _l("N°"), output=lambda a: a.number, nullable_output=False),
        Field(
            "text",
            "long_text",
            _l("Agreement"),
            required=True,
            nullable_output=False,
            admin_search=True,
            required_message=_l("Write the agreement."),
        ),
        Field(
            "responsible_id",
            "integer",
            _l("Responsible member"),
            required=True,
            nullable_output=False,
            admin_column=False,
            required_message=_l("Choose the member responsible for the agreement."),
        ),
        Field(
            "responsible_name",
            "text",
            _l("Responsible"),
            output=lambda a: a.responsible.full_name,
            nullable_output=False,
        ),
        Field(
            "due_date",
            "date",
            _l("Due date"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            required_message=_l("Enter the agreement's due date."),
        ),
        Field(
            "status",
            "choice",
            _l("Follow-up status"),
            choices=STATUS_CHOICES,
            default="pending",
            nullable_output=False,
            admin_filter=True,
        ),
        Field("notes", "long_text", _l("Follow-up notes"), admin_column=False),
        Field("done_on", "date", _l("Done on"), help=_l("When the agreement was fulfilled (default: today).")),
    ],
)
