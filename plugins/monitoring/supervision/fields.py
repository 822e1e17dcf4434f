"""The record types of supervision and community monitoring, declared once (core.fields): forms, API
parsing and schema, admin columns and document rows. Labels are English msgids; documents print the
Spanish names of models.py."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.fields import Field, RecordFields
from plugins.monitoring.supervision.models import SupervisionChecklist

SERVICE_KIND_LABELS = {
    "health_facility": _l("Health facility"),
    "school": _l("School"),
    "program_point": _l("Program delivery point"),
}
COMMITMENT_STATUS_LABELS = {"pending": _l("Pending"), "done": _l("Done")}
ORGANIZATION_KIND_LABELS = {
    "surveillance_committee": _l("Community surveillance committee"),
    "neighbourhood_board": _l("Neighbourhood board"),
    "women": _l("Women's organization (soup kitchen, Vaso de Leche, mothers' club)"),
    "parents": _l("Parents' association"),
    "other": _l("Other community organization"),
}
ORGANIZATION_KIND_SPANISH = {
    "surveillance_committee": "Comité de vigilancia comunal",
    "neighbourhood_board": "Junta vecinal",
    "women": "Organización de mujeres (comedor popular, Vaso de Leche, club de madres)",
    "parents": "Asociación de padres de familia",
    "other": "Otra organización comunal",
}
REPORT_STATUS_LABELS = {"received": _l("Received"), "consolidated": _l("Consolidated"), "acted": _l("Acted upon")}


def checklist_choices() -> list[tuple[Any, Any]]:
    rows = db.session.execute(
        select(SupervisionChecklist.id, SupervisionChecklist.name)
        .where(SupervisionChecklist.active.is_(True))
        .order_by(SupervisionChecklist.service_kind, SupervisionChecklist.name)
    )
    return [(row.id, row.name) for row in rows]


VISIT = RecordFields(
    "supervision_visit",
    [
        Field(
            "government_id",
            "integer",
            _l("Supervising government"),
            required=True,
            admin_column=False,
            document=False,
            required_message=_l("Choose the government that supervises."),
        ),
        Field(
            "checklist_id",
            "integer",
            _l("Supervision factsheet"),
            required=True,
            admin_column=False,
            document=False,
            required_message=_l("Choose the supervision factsheet."),
        ),
        Field(
            "visit_date",
            "date",
            _l("Date of the visit"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            required_message=_l("Enter the date of the visit."),
        ),
        Field(
            "ubigeo",
            "ubigeo",
            _l("Ubigeo of the place"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            help=_l("The district's six-digit INEI code, within the government's territory."),
        ),
        Field(
            "facility",
            "text",
            _l("Facility or delivery point"),
            required=True,
            max_length=300,
            nullable_output=False,
            admin_search=True,
        ),
        Field("supervisor", "text", _l("Supervisor"), required=True, max_length=200, nullable_output=False),
        Field("notes", "long_text", _l("General observations"), max_length=5000, admin_column=False),
        Field("score", "decimal", _l("Score (percent)"), output=lambda v: v.score),
    ],
)

#: What may be corrected on a visit while it is editable: its date, place and supervisor (the ficha and the
#: government are the visit's identity).
VISIT_EDIT = RecordFields(
    "supervision_visit_edit", [f for f in VISIT if f.name in ("visit_date", "ubigeo", "facility", "supervisor")]
)

FINDING = RecordFields(
    "supervision_finding",
    [
        Field("number", "integer", _l("N°"), output=lambda f: f.number, nullable_output=False),
        Field(
            "visit_id",
            "integer",
            _l("Supervision visit"),
            output=lambda f: f.visit_id,
            nullable_output=False,
            admin_column=False,
            document=False,
        ),
        Field(
            "finding",
            "long_text",
            _l("Finding"),
            required=True,
            max_length=3000,
            nullable_output=False,
            admin_search=True,
            required_message=_l("Write the finding."),
        ),
        Field("commitment", "long_text", _l("Commitment"), max_length=3000),
        Field("responsible", "text", _l("Responsible for the commitment"), max_length=200),
        Field("due_date", "date", _l("Commitment due date"), admin_filter=True),
        Field(
            "status",
            "choice",
            _l("Commitment status"),
            choices=COMMITMENT_STATUS_LABELS,
            output=lambda f: f.status,
            nullable_output=False,
        ),
        Field("done_on", "date", _l("Done on"), output=lambda f: f.done_on),
    ],
)

ORGANIZATION = RecordFields(
    "community_organization",
    [
        Field(
            "government_id",
            "integer",
            _l("Municipality"),
            required=True,
            admin_column=False,
            document=False,
            required_message=_l("Choose the municipality that registers the organization."),
        ),
        Field("name", "text", _l("Name of the organization"), required=True, max_length=300, admin_search=True),
        Field(
            "kind",
            "choice",
            _l("Kind of organization"),
            required=True,
            choices=ORGANIZATION_KIND_LABELS,
            legal=ORGANIZATION_KIND_SPANISH,
            admin_filter=True,
        ),
        Field("ubigeo", "ubigeo", _l("Ubigeo"), required=True, help=_l("The district where it works (6 digits).")),
        Field("representative", "text", _l("Representative"), max_length=200),
        Field("contact", "text", _l("Contact (telephone or e-mail)"), max_length=200, admin_column=False),
        Field("registered_on", "date", _l("Registered on"), required=True, admin_filter=True),
    ],
)

REPORT = RecordFields(
    "community_report",
    [
        Field(
            "organization_id",
            "integer",
            _l("Community organization"),
            required=True,
            admin_column=False,
            document=False,
            required_message=_l("Choose the community organization."),
        ),
        Field("report_date", "date", _l("Date of the report"), required=True, admin_filter=True),
        Field(
            "program",
            "text",
            _l("Program or service observed"),
            required=True,
            max_length=200,
            admin_search=True,
            help=_l("E.g. JUNTOS, Vaso de Leche, PRONAA, the health post's growth checks."),
        ),
        Field("ubigeo", "ubigeo", _l("Ubigeo of the place"), required=True),
        Field("place", "text", _l("Place"), required=True, max_length=300),
        Field("observation", "long_text", _l("What was observed"), required=True, max_length=5000),
        Field(
            "status",
            "choice",
            _l("Status"),
            choices=REPORT_STATUS_LABELS,
            output=lambda r: r.status,
            nullable_output=False,
            admin_filter=True,
        ),
        Field("consolidation_note", "long_text", _l("Note of the municipality"), output=lambda r: r.consolidation_note),
        Field("action_key", "text", _l("Action"), output=lambda r: r.action_key, admin_column=False),
        Field("action_label", "text", _l("Turned into"), output=lambda r: r.action_label),
        Field("visit_id", "integer", _l("Supervision visit"), output=lambda r: r.visit_id, admin_column=False),
    ],
)
