"""``GET /api/v1/cases/<id>/audit``: a case's audit events, newest first."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, page_json, page_schema
from core.audit.access import sees_origin
from core.extensions import db
from core.models import Case
from core.models.audit import AuditEvent
from core.security import READ, current_scope, ensure
from core.web.pagination import paginate

# --- API -------------------------------------------------------------------------------------------

EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "at": {"type": "string", "format": "date-time"},
        "actor_user_id": {"type": ["integer", "null"]},
        "actor": {"type": "string"},
        "ip": {"type": ["string", "null"]},
        "action": {"type": "string"},
        "entity_type": {"type": "string"},
        "entity_id": {"type": ["string", "null"]},
        "case_id": {"type": ["integer", "null"]},
        "government_id": {"type": ["integer", "null"]},
        "changes": {"type": "object", "description": _l("{field: [before, after]}")},
        "detail": {"type": ["string", "null"]},
        "hash": {"type": "string"},
    },
}


def event_json(e: AuditEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at.isoformat() + "Z",
        "actor_user_id": e.actor_user_id,
        "actor": e.actor_label,
        "ip": e.ip,
        "action": e.action,
        "entity_type": e.entity_type,
        "entity_id": e.entity_id,
        "case_id": e.case_id,
        "government_id": e.government_id,
        "changes": e.changes or {},
        "detail": e.detail,
        "hash": e.hash,
    }


def register_api_endpoints(api: Any) -> None:
    api.schemas["AuditEvent"] = EVENT_SCHEMA

    @api.route(
        "/cases/<int:case_id>/audit",
        summary=_l("Audit history of a case (most recent first)"),
        tag="auditoría",
        response=page_schema({"$ref": "#/components/schemas/AuditEvent"}),
        parameters=PAGE_PARAMETERS,
    )
    def case_audit(case_id: int):
        case = db.session.get(Case, case_id)
        if case is None:
            abort(404)
        ensure(READ, case.government)
        query = select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id.desc())
        viewer = current_user.id if current_user.is_authenticated else None

        def visible_json(e: AuditEvent) -> dict[str, Any]:
            item = event_json(e)
            if not sees_origin(current_scope(), viewer, e.actor_user_id):
                item["ip"] = None  # another official's whereabouts: auditors and admins only
            return item

        return page_json(paginate(query, AuditEvent.id), visible_json)
