"""API of the Instancia's sessions under /api/v1/operations/sessions: sessions (list, convene, one
with attendance, quorum and agreements), attendance, agreements and their follow-up. Transitions
(held, acta approved) and the issued acta are the engine's (/api/v1/cases/<id>/…)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import ApiRegistry, bad_request, filter_parameters, json_object, page_schema, scoped_page
from core.operations import api_load, api_run
from core.security import EDIT, current_scope
from core.workflow import get_workflow
from plugins.operations.sessions.fields import AGREEMENT, SESSION
from plugins.operations.sessions.models import InstanciaSession, SessionAgreement
from plugins.operations.sessions.quorum import eligible, pending_agreements, quorum_of, today

PREFIX = "/operations/sessions"
TAG = "gestión operativa: sesiones"


def agreement_json(agreement: SessionAgreement) -> dict[str, Any]:
    return {**AGREEMENT.serialize(agreement), "effective_status": agreement.effective_status(today())}


def session_json(case: InstanciaSession) -> dict[str, Any]:
    """The session's own fields, attendance, quorum and agreements (added to the engine's case JSON)."""
    members = eligible(case)
    status = {row.member_id: row.status for row in case.attendance}
    quorum = quorum_of(case, members)
    return {
        **{k: v for k, v in SESSION.serialize(case).items() if k != "id"},
        "body": case.body.title,
        "attendance": [
            {"member_id": m.id, "full_name": m.full_name, "role": m.role, "status": status.get(m.id)} for m in members
        ],
        "quorum": {
            "members": quorum.members,
            "required": quorum.required,
            "present": quorum.present,
            "recorded": quorum.recorded,
            "reached": quorum.reached,
        },
        "agreements": [agreement_json(a) for a in case.agreements],
    }


def _summary(case: InstanciaSession) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "title": case.title,
        "government_id": case.government_id,
        "body_id": case.body_id,
        "kind": case.kind,
        "number": case.number,
        "session_date": case.session_date.isoformat(),
        "state": case.state,
        "state_label": get_workflow("instancia_session").state_label(case.state),
        "version": case.version,
    }


SUMMARY = {
    "type": "object",
    "required": ["id", "reference", "title", "government_id", "body_id", "kind", "number", "session_date", "state"],
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "title": {"type": "string"},
        "government_id": {"type": "integer"},
        "body_id": {"type": "integer"},
        "kind": {"type": "string"},
        "number": {"type": "integer"},
        "session_date": {"type": "string", "format": "date"},
        "state": {"type": "string"},
        "state_label": {"type": "string"},
        "version": {"type": "integer"},
    },
}


def register(api: ApiRegistry) -> None:
    from core.cases.api import case_json

    api.schemas["OperationsSessionAgreement"] = {
        **AGREEMENT.json_schema(),
        "required": [*AGREEMENT.json_schema()["required"], "effective_status"],
        "properties": {
            **AGREEMENT.json_schema()["properties"],
            "effective_status": {"type": "string", "enum": ["pending", "in_progress", "done", "overdue"]},
        },
    }
    agreement_ref = {"$ref": "#/components/schemas/OperationsSessionAgreement"}
    case_ref = {"$ref": "#/components/schemas/Case"}
    versioned = {"version": {"type": "integer"}}

    @api.route(
        f"{PREFIX}/sessions",
        summary=_l("Sessions of the Instancias within your reach"),
        tag=TAG,
        response=page_schema(SUMMARY),
        parameters=filter_parameters("body_id"),
    )
    def ops_sessions():
        order = (InstanciaSession.session_date.desc(), InstanciaSession.id.desc())
        return scoped_page(InstanciaSession, _summary, order_by=order, filters={"body_id": InstanciaSession.body_id})

    @api.route(
        f"{PREFIX}/sessions",
        ("POST",),
        summary=_l("Call a session of an Instancia"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={**SESSION.json_schema(for_input=True), "required": ["body_id", "number", "session_date"]},
    )
    def ops_session_create():
        session = api_run("operations.sessions.session.create", current_user, json_object())
        return jsonify(case_json(session, detail=True)), 201

    @api.route(
        f"{PREFIX}/sessions/<int:case_id>",
        summary=_l("One session: attendance, quorum and resolutions"),
        tag=TAG,
        response=case_ref,
    )
    def ops_session(case_id: int):
        return jsonify(case_json(api_load(InstanciaSession, case_id), detail=True))

    @api.route(
        f"{PREFIX}/sessions/<int:case_id>",
        ("PATCH",),
        summary=_l("Edit a session's data (409 if the version is not the current one)"),
        tag=TAG,
        response=case_ref,
        request_body={
            **SESSION.json_schema(for_input=True),
            "required": ["version"],
            "properties": {**versioned, **SESSION.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_session_patch(case_id: int):
        api_load(InstanciaSession, case_id, action=EDIT)  # 404 / 403 before the body is read
        data = json_object() | {"session_id": case_id}
        return jsonify(case_json(api_run("operations.sessions.session.edit", current_user, data), detail=True))

    @api.route(
        f"{PREFIX}/sessions/<int:case_id>/attendance",
        ("PUT",),
        summary=_l("Record the attendance (members of the Instancia on the session's date)"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version", "attendance"],
            "properties": {
                **versioned,
                "attendance": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["member_id", "status"],
                        "properties": {
                            "member_id": {"type": "integer"},
                            "status": {"type": "string", "enum": ["present", "absent", "excused"]},
                        },
                    },
                },
            },
        },
    )
    def ops_session_attendance(case_id: int):
        api_load(InstanciaSession, case_id, action=EDIT)
        data = json_object()
        payload = {"session_id": case_id, "version": data.get("version"), "attendance": data.get("attendance")}
        session = api_run("operations.sessions.attendance.record", current_user, payload)
        return jsonify(case_json(session, detail=True))

    @api.route(
        f"{PREFIX}/sessions/<int:case_id>/agreements",
        ("POST",),
        summary=_l("Record a resolution (responsible party and due date, which becomes a deadline)"),
        status=201,
        tag=TAG,
        response=agreement_ref,
        request_body={
            "type": "object",
            "required": ["text", "responsible_id", "due_date"],
            "properties": {**versioned, **AGREEMENT.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_session_agreement_create(case_id: int):
        api_load(InstanciaSession, case_id, action=EDIT)
        data = json_object() | {"session_id": case_id}
        return jsonify(agreement_json(api_run("operations.sessions.agreement.add", current_user, data))), 201

    @api.route(
        f"{PREFIX}/agreements",
        summary=_l("Pending resolutions within your reach (by due date)"),
        tag=TAG,
        response={"type": "array", "items": agreement_ref},
        parameters=[{"name": "government_id", "in": "query", "schema": {"type": "integer"}}],
    )
    def ops_session_agreements():
        raw = request.args.get("government_id")
        if raw is not None and not raw.isdigit():
            bad_request(_("«%(name)s» must be a number.", name="government_id"))
        rows = pending_agreements(current_scope(), [int(raw)] if raw else None, limit=500)
        return jsonify([agreement_json(a) for a in rows])

    @api.route(
        f"{PREFIX}/agreements/<int:session_agreement_id>",
        summary=_l("One resolution and its follow-up"),
        tag=TAG,
        response=agreement_ref,
    )
    def ops_session_agreement(session_agreement_id: int):
        agreement = api_load(SessionAgreement, session_agreement_id, government=lambda a: a.session.government)
        return jsonify(agreement_json(agreement))

    @api.route(
        f"{PREFIX}/agreements/<int:session_agreement_id>",
        ("PATCH",),
        summary=_l("Follow-up of a resolution: status (pending, in_progress, done) and notes"),
        tag=TAG,
        response=agreement_ref,
        request_body={
            "type": "object",
            "required": ["version"],
            "properties": {
                **versioned,
                "status": {"type": "string", "enum": ["pending", "in_progress", "done"]},
                "notes": {"type": ["string", "null"]},
            },
        },
    )
    def ops_session_agreement_patch(session_agreement_id: int):
        api_load(SessionAgreement, session_agreement_id, action=EDIT, government=lambda a: a.session.government)
        data = json_object() | {"agreement_id": session_agreement_id}
        return jsonify(agreement_json(api_run("operations.sessions.agreement.follow_up", current_user, data)))
