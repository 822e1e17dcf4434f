"""API of the Ventanilla CRECER under /api/v1/ventanilla: the staff's registry, one entry and its actions (same
scoping as the pages), and the public submission and tracking as JSON (no token; the same operation and limits
as the public page)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, json_object, page_json, page_schema
from core.operations import api_refusal, api_run
from core.refusals import Refusal
from core.security import can, current_scope
from core.web.pagination import paginate
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.access import load_entry
from plugins.monitoring.ventanilla.fields import ENTRY, KIND_CHOICES, STATUS_CHOICES
from plugins.monitoring.ventanilla.models import VentanillaEntry
from plugins.monitoring.ventanilla.privacy import audit_personal_data_view, may_see_personal_data

PREFIX = "/ventanilla"
TAG = "ventanilla CRECER"
PERSONAL = ("name", "dni", "phone", "email")


def entry_json(entry: VentanillaEntry, *, personal: bool = False) -> dict[str, Any]:
    """An entry for the staff: personal data only when ``personal`` (the holding office's staff), else null."""
    return {
        "id": entry.id,
        "code": codes.display(entry.code),
        "office_id": entry.office_id,
        "origin_office_id": entry.origin_office_id,
        "channel": entry.channel,
        "kind": entry.kind,
        "request_kind": entry.request_kind,
        "program_id": entry.program_id,
        "institution_id": entry.institution_id,
        "place": entry.place.ubigeo,
        "description": entry.description,
        "emergency": entry.emergency,
        "recurrent": entry.recurrent,
        "escalated": entry.escalated,
        "status": entry.status,
        "due_date": entry.due_date.isoformat() if entry.due_date else None,
        "referred_to_id": entry.referred_to_id,
        "created_at": entry.created_at.isoformat(),
        "version": entry.version,
        **{k: (getattr(entry, k) if personal else None) for k in PERSONAL},
    }


def tracking_json(entry: VentanillaEntry) -> dict[str, Any]:
    """What anybody holding the code sees: status, dates and public events; never personal data or notes."""
    return {
        "code": codes.display(entry.code),
        "status": entry.status,
        "status_label": str(STATUS_CHOICES[entry.status]),
        "registered_on": entry.created_at.date().isoformat(),
        "due_date": entry.due_date.isoformat() if entry.due_date else None,
        "office": entry.office.name,
        "events": [{"kind": e.kind, "at": e.at.isoformat(), "text": e.text} for e in entry.events if e.public],
    }


ENTRY_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "code": {"type": "string"},
        "office_id": {"type": "integer"},
        "origin_office_id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(KIND_CHOICES)},
        "status": {"type": "string", "enum": list(STATUS_CHOICES)},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "emergency": {"type": "boolean"},
        "version": {"type": "integer"},
    },
}
TRACKING_SCHEMA = {
    "type": "object",
    "required": ["code", "status", "events"],
    "properties": {
        "code": {"type": "string"},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "registered_on": {"type": "string", "format": "date"},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "office": {"type": "string"},
        "events": {"type": "array", "items": {"type": "object"}},
    },
}
ACTIONS = ("classify", "refer", "program_answer", "answer", "resolve", "close", "reopen", "note")


def _entry(entry_id: int) -> VentanillaEntry:
    try:
        return load_entry(entry_id, current_scope())
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: ApiRegistry) -> None:
    entry_ref = {"$ref": "#/components/schemas/VentanillaEntry"}
    api.schemas["VentanillaEntry"] = ENTRY_SCHEMA
    api.schemas["VentanillaTracking"] = TRACKING_SCHEMA
    tracking_ref = {"$ref": "#/components/schemas/VentanillaTracking"}

    @api.route(
        f"{PREFIX}/entries",
        summary=_l("Entries of the Ventanilla CRECER within your reach"),
        tag=TAG,
        response=page_schema(entry_ref),
        parameters=[
            {"name": "office", "in": "query", "schema": {"type": "integer"}},
            {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KIND_CHOICES)}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUS_CHOICES)}},
            {"name": "program", "in": "query", "schema": {"type": "integer"}},
            {"name": "overdue", "in": "query", "schema": {"type": "string"}},
            {"name": "emergency", "in": "query", "schema": {"type": "string"}},
            {"name": "recurrent", "in": "query", "schema": {"type": "string"}},
            {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}},
            *PAGE_PARAMETERS,
        ],
    )
    def ventanilla_entries():
        from datetime import date

        from sqlalchemy.orm import joinedload

        # the registry page ignores a malformed date filter; the API says so
        for name in ("since", "until"):
            raw = request.args.get(name)
            try:
                if raw is not None:
                    date.fromisoformat(raw)
            except ValueError:
                bad_request(
                    _("«%(label)s» must be a date (YYYY-MM-DD or DD/MM/YYYY), not «%(value)s».", label=name, value=raw)
                )

        from plugins.monitoring.ventanilla.pages import registry_query

        query = (
            registry_query(current_scope(), request.args)
            .options(joinedload(VentanillaEntry.place))
            .order_by(VentanillaEntry.created_at.desc(), VentanillaEntry.id.desc())
        )
        return page_json(paginate(query, VentanillaEntry.id), entry_json)

    @api.route(
        f"{PREFIX}/entries/<int:entry_id>",
        summary=_l("One entry of the Ventanilla CRECER"),
        tag=TAG,
        response=entry_ref,
    )
    def ventanilla_entry(entry_id: int):
        from core.extensions import db

        entry = _entry(entry_id)
        personal = may_see_personal_data(current_scope(), entry, current_user)
        if personal and entry.has_personal_data:
            audit_personal_data_view(entry)
            db.session.commit()
        return jsonify(entry_json(entry, personal=personal))

    @api.route(
        f"{PREFIX}/entries/<int:entry_id>/<action>",
        ("POST",),
        summary=_l("Act on an entry: classify, refer, program_answer, answer, resolve, close, reopen or note"),
        tag=TAG,
        response=entry_ref,
        request_body={
            "type": "object",
            "properties": {
                "version": {"type": "integer"},
                "text": {"type": "string"},
                "institution_id": {"type": "integer"},
            },
        },
    )
    def ventanilla_entry_action(entry_id: int, action: str):
        if action not in ACTIONS:
            bad_request(_("Unknown action: %(name)s.", name=action))
        data = json_object() | {"entry_id": entry_id}
        entry = api_run(f"monitoring.ventanilla.entry.{action}", current_user, data)
        return jsonify(
            entry_json(
                entry, personal=can(current_scope(), "monitoring.ventanilla.personal_data", (entry, current_user))
            )
        )

    @api.route(
        f"{PREFIX}/public/entries",
        ("POST",),
        summary=_l("Send an entry to the Ventanilla CRECER (no login; limited per address)"),
        tag=TAG,
        public=True,
        status=201,
        response=tracking_ref,
        request_body={**ENTRY.json_schema(for_input=True), "required": ["kind", "place", "description"]},
        extra_errors=(429,),
    )
    def ventanilla_public_submit():
        from plugins.monitoring.ventanilla.public import ip_hash

        data = {k: v for k, v in json_object().items() if k in ENTRY.input_names}
        data["ip_hash"] = ip_hash()
        entry = api_run("monitoring.ventanilla.entry.submit", None, data)
        return jsonify(tracking_json(entry)), 201

    @api.route(
        f"{PREFIX}/public/entries/<code>",
        summary=_l("Follow an entry by its tracking code (no login)"),
        tag=TAG,
        public=True,
        response=tracking_ref,
        extra_errors=(429,),
    )
    def ventanilla_public_track(code: str):
        from plugins.monitoring.ventanilla.public import lookup

        entry, refused = lookup(code)
        if refused is not None:
            api_refusal(refused)
        if entry is None:
            api_refusal(
                Refusal(_("No entry has that code. Check it character by character (for example VC-7KQ3-M9TX)."), 404)
            )
        return jsonify(tracking_json(entry))
