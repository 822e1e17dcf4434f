"""The case page's history panel: every reader of a case sees that case's audit events."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from sqlalchemy import select

from core.audit.access import can_browse, sees_origin
from core.audit.chain import MASK
from core.audit.display import FIELD_LABELS, PANEL_LIMIT, action_label, entity_label, show_value
from core.cases.types import case_type_of, stage_label
from core.custom_fields import fields_for
from core.extensions import db
from core.labels import field_label, value_label, value_labels
from core.models import Case, User
from core.models.audit import AuditEvent
from core.panels import Panel, register_case_panel
from core.workflow import WorkflowError, get_workflow

# --- the case page's history panel -----------------------------------------------------------------


def _field_labels(case: Case) -> dict[str, str]:
    labels = {key: str(value) for key, value in FIELD_LABELS.items()}
    case_type = case_type_of(case)
    if case_type is not None:  # the type's own fields (e.g. the ordinance's) read as the plugin names them
        labels.update({key: str(value) for key, value in case_type.field_labels.items()})
    for field in fields_for(case.type, include_archived=True):
        labels[f"custom.{field.name}"] = field.label
    return labels


#: Bookkeeping columns left out of the case page (the admin and the exports keep them all).
PANEL_HIDDEN = {
    "created_at",
    "updated_at",
    "created_by_id",
    "updated_by_id",
    "cycle_id",
    "workflow_id",
    "version",
    "type",
    "government_id",
    "case_id",
    "user_id",
    "uploaded_by_id",
    "deleted_by_id",
    "uploaded_at",
    "storage_key",
}


def _value_labels(case: Case) -> dict[str, Any]:
    """Per-field translators of stored keys into labels: states, transitions, stages."""

    try:
        workflow = get_workflow(case.workflow_id)
    except WorkflowError:
        return {"stage": stage_label}

    def transition_label(key: str) -> str:
        step = workflow.transitions.get(key)
        return step.label if step else key

    return {"state": workflow.state_label, "transition": transition_label, "stage": stage_label}


def event_rows(case: Case, events: list[AuditEvent], scope: Any = None) -> list[dict[str, Any]]:
    """Events of a case prepared for reading: names, labels, old → new per field (two queries, no N+1).

    Where someone acted from (IP, browser) is shown only to auditors and admins, and to each user for
    their own events (core.audit.sees_origin); ``scope`` None is the system (CLI): everything."""
    viewer = getattr(current_user, "id", None) if current_user and current_user.is_authenticated else None
    user_ids = {e.actor_user_id for e in events if e.actor_user_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    labels = _field_labels(case)
    translate = _value_labels(case)
    own_table = type(case).__tablename__
    rows = []
    for e in events:
        changes = []
        for key, pair in (e.changes or {}).items():
            if key in PANEL_HIDDEN:
                continue
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            # The case's own fields: its type's labels and workflow; a case subtype's columns (the body's
            # «origin») and child records (an issued document's «template_key»): the registry.
            table = own_table if e.entity_type == "case" else e.entity_type
            if key in translate and e.entity_type == "case":
                old, new = (translate[key](old) if old else old), (translate[key](new) if new else new)
            elif value_labels(key, table) is not None:
                old, new = value_label(key, old, table), value_label(key, new, table)
            if e.entity_type == "case" and key in labels:
                field = labels[key]
            else:
                field = str(field_label(key, table) or labels.get(key, key))
            changes.append(
                {
                    "field": field,
                    "old": show_value(old),
                    "new": show_value(new),
                    "masked": MASK in (old, new),
                }
            )
        rows.append(
            {
                "id": e.id,
                "at": e.at,
                "who": names.get(e.actor_user_id) or e.actor_label,
                "login": e.actor_label,
                "ip": e.ip if scope is None or sees_origin(scope, viewer, e.actor_user_id) else None,
                "user_agent": e.user_agent if scope is None or sees_origin(scope, viewer, e.actor_user_id) else None,
                "action": action_label(e.action),
                "action_key": e.action,
                "entity": entity_label(e.entity_type),
                "entity_type": e.entity_type,
                "entity_id": e.entity_id,
                "detail": e.detail,
                "changes": changes,
            }
        )
    return rows


def case_panel_context(case: Case, scope: Any, **_kwargs: Any) -> dict[str, Any]:
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id.desc()).limit(PANEL_LIMIT + 1)
    ).all()
    admin_url = None
    view = current_app.extensions.get("articula.audit_view")
    if view is not None and can_browse(scope):
        admin_url = view.case_url(case.id)
    return {
        "events": event_rows(case, list(events[:PANEL_LIMIT]), scope),
        "more": len(events) > PANEL_LIMIT,
        "limit": PANEL_LIMIT,
        "admin_url": admin_url,
    }


def register_panels() -> None:
    register_case_panel(Panel("audit", "audit/case_panel.html", case_panel_context, order=900))
