"""The office's and the entry's fields, declared once (core.fields): forms, parsing, API schema, admin columns.

The entry's fields are parsed by :func:`parse_labelled`, which names each field by its Spanish label in the
message ("«Descripción» es obligatorio"): a citizen reads these, not a developer."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import core.values as values
from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Institution, SocialProgram
from core.refusals import Refusal

KIND_CHOICES = {
    "consulta": _l("Question"),
    "opinion": _l("Opinion"),
    "pedido": _l("Request"),
    "sugerencia": _l("Suggestion"),
}
REQUEST_CHOICES = {"no_attention": _l("Not attended"), "inadequate": _l("Attended inadequately")}
CHANNEL_CHOICES = {"in_person": _l("In person"), "phone": _l("By phone"), "online": _l("Online")}
OFFICE_CHANNEL_CHOICES = {"in_person": _l("In person"), "virtual_and_in_person": _l("Online and in person")}
STATUS_CHOICES = {
    "registered": _l("Registered"),
    "classified": _l("Classified"),
    "referred": _l("Referred"),
    "program_answered": _l("Answered by the program"),
    "answered": _l("Answered to the citizen"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
}


def program_choices() -> list[tuple[Any, Any]]:
    query = select(SocialProgram.id, SocialProgram.name, SocialProgram.acronym).where(SocialProgram.active.is_(True))
    rows = db.session.execute(query.order_by(SocialProgram.position, SocialProgram.name)).all()
    return [("", "—")] + [(str(r.id), f"{r.acronym} · {r.name}" if r.acronym else r.name) for r in rows]


def institution_choices() -> list[tuple[Any, Any]]:
    query = select(Institution.id, Institution.name, Institution.acronym).where(Institution.active.is_(True))
    rows = db.session.execute(query.order_by(Institution.position, Institution.name)).all()
    return [("", "—")] + [(str(r.id), f"{r.acronym} · {r.name}" if r.acronym else r.name) for r in rows]


def _pedido_and_consent(data: dict[str, Any]) -> list[tuple[str, Any]]:
    problems = []
    if data.get("kind") == "pedido" and not data.get("request_kind"):
        problems.append(
            ("request_kind", _l("For a request, say whether you were not attended or attended inadequately."))
        )
    if data.get("kind") != "pedido" and data.get("request_kind"):
        data["request_kind"] = None  # only a pedido has one
    personal = any(data.get(k) for k in ("name", "dni", "phone", "email"))
    if personal and not data.get("consent"):
        problems.append(
            ("consent", _l("To leave your personal data, accept its use (Ley N° 29733); or leave them empty."))
        )
    return problems


ENTRY = RecordFields(
    "ventanilla_entry",
    [
        Field("kind", "choice", _l("Kind"), required=True, choices=KIND_CHOICES, admin_filter=True),
        Field("request_kind", "choice", _l("Kind of request"), choices=REQUEST_CHOICES),
        Field("program_id", "choice", _l("Social program concerned"), choices=program_choices, admin_column=False),
        Field(
            "institution_id",
            "choice",
            _l("Sector or institution concerned"),
            choices=institution_choices,
            admin_column=False,
        ),
        Field("place", "ubigeo", _l("District"), required=True, help=_l("Where it happened.")),
        Field("description", "long_text", _l("Description"), required=True, max_length=5000, admin_search=True),
        Field("name", "text", _l("Name"), max_length=200),
        Field("dni", "dni", _l("DNI")),
        Field("phone", "text", _l("Phone"), max_length=20),
        Field("email", "email", _l("E-mail")),
        Field("consent", "boolean", _l("I accept the use of my personal data to attend this entry (Ley N° 29733).")),
    ],
    checks=[_pedido_and_consent],
)

OFFICE = RecordFields(
    "ventanilla_office",
    [
        Field("channel", "choice", _l("Channels"), required=True, choices=OFFICE_CHANNEL_CHOICES, default="in_person"),
        Field(
            "instrument",
            "text",
            _l("Instrument that created it"),
            max_length=200,
            help=_l("Number of the ordinance or resolution."),
        ),
        Field("instrument_date", "date", _l("Date of the instrument")),
        Field("unit", "text", _l("Responsible unit"), max_length=200),
        Field("address", "text", _l("Address"), max_length=300),
        Field("hours", "text", _l("Opening hours"), max_length=200),
        Field("juntos_support", "boolean", _l("Supported by JUNTOS")),
        Field("active", "boolean", _l("Open"), default=True),
    ],
)


def parse_labelled(record_fields: RecordFields, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Parse ``data`` against the declared fields, naming each problem by the field's label; every problem
    at once, as one Refusal with per-field errors. Unknown keys are ignored (the adapters send only fields)."""
    errors: dict[str, list[str]] = {}
    result: dict[str, Any] = {}
    for f in record_fields.inputs:
        if f.name not in data:
            if partial:
                continue
            if f.required:
                errors.setdefault(f.name, []).append(str(_l("«%(label)s» is required.", label=f.label)))
            elif f.default is not None:
                result[f.name] = f.default
            continue
        try:
            result[f.name] = f.parse(data[f.name])
        except values.ValueProblem as problem:
            errors.setdefault(f.name, []).append(str(problem))
    if not errors:
        for check in record_fields.checks:
            for name, problem in check(result):
                errors.setdefault(name, []).append(str(problem))
    if errors:
        first = next(iter(errors.values()))[0]
        raise Refusal(first if len(errors) == 1 else str(_l("Please correct the marked fields.")), 400, errors)
    return result
