"""Faces of the audit trail: the read-only admin list for auditors, the case history panel, the API.

Who may browse the whole trail: auditors, national supervisors and administrators, each within
their scope (``core.security``); nobody may create, edit or delete an event, administrators
included. Every reader of a case sees that case's history on its page.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Flask, abort, current_app, request, url_for
from flask_admin.contrib.sqla.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
    FilterEqual,
    FilterLike,
    IntEqualFilter,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from core.admin import ReadOnlyModelView, _signed_in_with_role
from core.audit import ACTION_LABELS, CONTENT_COLUMNS, ENTITY_LABELS, EXCLUDED_TABLES, MASK, can_browse, sees_origin
from core.database import SAFE_METHODS
from core.extensions import db
from core.labels import field_label, value_label, value_labels
from core.models import Case, User
from core.models.audit import AuditEvent
from core.panels import Panel, register_case_panel
from core.security import READ, current_scope, ensure

#: Events listed on a case page; older ones are in the admin, filtered by the case.
PANEL_LIMIT = 100
MAX_SHOWN_CHARS = 300

FIELD_LABELS = {
    "title": _l("Title"),
    "state": _l("State"),
    "reference": _l("Reference"),
    "version": _l("Version"),
    "stage": _l("Stage of the cycle"),
    "year": _l("Year"),
    "government_id": _l("Government"),
    "updated_by_id": _l("Updated by"),
    "created_by_id": _l("Created by"),
    "updated_at": _l("Updated at"),
    "created_at": _l("Created at"),
    "transition": _l("Transition"),
    "comment": _l("Comment"),
    "filename": _l("File"),
    "description": _l("Description"),
    "deleted_at": _l("Deleted at"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def entity_label(entity_type: str) -> str:
    return str(ENTITY_LABELS.get(entity_type, entity_type))


def show_value(value: Any) -> str:
    """A recorded value as a person reads it."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def changes_text(changes: dict[str, Any] | None) -> str:
    """``campo: antes → después; …`` for exports."""
    return "; ".join(f"{key}: {show_value(old)} → {show_value(new)}" for key, (old, new) in (changes or {}).items())


# --- admin -----------------------------------------------------------------------------------------


def _entity_options() -> list[tuple[str, str]]:
    tables = {
        m.base_mapper.local_table.name
        for m in db.Model.registry.mappers
        if getattr(m.class_, "__audit__", True) is not False
    }
    return sorted(((t, entity_label(t)) for t in tables - EXCLUDED_TABLES), key=lambda o: o[1])


CASE_FILTER = IntEqualFilter(AuditEvent.case_id, _l("Case id"))


def _fmt_at(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return format_datetime(model.at.replace(tzinfo=UTC), "short") if model.at else ""


def _fmt_action(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return action_label(model.action)


def _fmt_entity(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return entity_label(model.entity_type)


def _fmt_changes(view: Any, context: Any, model: AuditEvent, name: str) -> Markup:
    # Each field by its label and each code by its label (core.labels), the raw key as a tooltip.
    table = model.entity_type
    items = [
        Markup('<li><span title="{}">{}</span>: {} → {}</li>').format(
            key,
            field_label(key, table) or key,
            show_value(value_label(key, old, table)),
            show_value(value_label(key, new, table)),
        )
        for key, (old, new) in (model.changes or {}).items()
    ]
    return Markup('<ul class="list-unstyled mb-0">{}</ul>').format(Markup("").join(items)) if items else Markup("")


def _export_changes(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return changes_text(model.changes)


def _export_at(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return model.at.isoformat(timespec="seconds") + "Z" if model.at else ""


def _fmt_origin(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    """IP address and browser: to auditors and admins, and to each user for their own events."""
    viewer = current_user.id if current_user.is_authenticated else None
    if not sees_origin(current_scope(), viewer, model.actor_user_id):
        return "—"
    return getattr(model, name) or ""


class AuditEventView(ReadOnlyModelView):
    """The trail, read-only for everyone; a huge table, so no total count and keyset-friendly sort."""

    government_column = "government_id"
    large_table = True
    can_view_details = True
    page_size = 50
    # Exports are built in memory by Flask-Admin: narrow the list with filters first.
    export_max_rows = 50000
    column_list = ("id", "at", "actor_label", "ip", "action", "entity_type", "entity_id", "government", "changes")
    column_details_list = (
        "id",
        "at",
        "actor_label",
        "actor_user_id",
        "ip",
        "user_agent",
        "action",
        "entity_type",
        "entity_id",
        "government",
        "case_id",
        "changes",
        "detail",
        "prev_hash",
        "hash",
    )
    column_export_list = ("id", *CONTENT_COLUMNS, "prev_hash", "hash")
    column_labels = {
        "id": "#",
        "at": _l("When"),
        "actor_label": _l("Who"),
        "actor_user_id": _l("User id"),
        "ip": _l("From (IP)"),
        "user_agent": _l("Browser"),
        "action": _l("Action"),
        "entity_type": _l("Record type"),
        "entity_id": _l("Record id"),
        "government": _l("Government"),
        "case_id": _l("Case id"),
        "changes": _l("Changes"),
        "detail": _l("Detail"),
        "prev_hash": _l("Previous hash"),
        "hash": _l("Hash"),
    }
    column_searchable_list = ("actor_label", "entity_id", "detail", "ip")
    column_filters = (
        FilterEqual(AuditEvent.action, _l("Action"), options=lambda: [(k, str(v)) for k, v in ACTION_LABELS.items()]),
        FilterEqual(AuditEvent.entity_type, _l("Record type"), options=_entity_options),
        FilterEqual(AuditEvent.entity_id, _l("Record id")),
        FilterLike(AuditEvent.actor_label, _l("Who")),
        DateTimeBetweenFilter(AuditEvent.at, _l("When (UTC)")),
        DateTimeGreaterFilter(AuditEvent.at, _l("When (UTC)")),
        DateTimeSmallerFilter(AuditEvent.at, _l("When (UTC)")),
        CASE_FILTER,
        IntEqualFilter(AuditEvent.government_id, _l("Government id")),
    )
    column_default_sort = ("id", True)
    column_sortable_list = ("id", "at")
    column_select_related_list = (AuditEvent.government,)
    column_formatters = {
        "at": _fmt_at,
        "action": _fmt_action,
        "entity_type": _fmt_entity,
        "changes": _fmt_changes,
        "ip": _fmt_origin,
        "user_agent": _fmt_origin,
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {
        "changes": _export_changes,
        "at": _export_at,
        "ip": _fmt_origin,
        "user_agent": _fmt_origin,
    }

    def is_accessible(self) -> bool:
        return _signed_in_with_role() and can_browse(current_scope())

    def _handle_view(self, name: str, **kwargs: Any):  # noqa: ANN201
        denied = super()._handle_view(name, **kwargs)
        if denied is not None:
            return denied
        if request.method not in SAFE_METHODS:
            abort(403)  # append-only: no form, no mass action, for anyone
        return None

    def case_url(self, case_id: int) -> str | None:
        """The list filtered by one case (the case page links here for the full history)."""
        for arg, (_index, flt) in (self._filter_args or {}).items():
            if flt is CASE_FILTER:
                return url_for(f"{self.endpoint}.index_view", **{f"flt0_{arg}": case_id})
        return None


def register_admin_views(admin: Any) -> None:
    view = AuditEventView(AuditEvent, db.session, name=_l("Audit trail"), category=_l("Access"), endpoint="auditevent")
    admin.add_view(view)
    admin.app.extensions["articula.audit_view"] = view


# --- the case page's history panel -----------------------------------------------------------------


def _field_labels(case: Case) -> dict[str, str]:
    from core.cases import case_type_of
    from core.custom_fields import fields_for

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
    from core.web.cases import stage_label
    from core.workflow import WorkflowError, get_workflow

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


def init_views(app: Flask) -> None:
    register_case_panel(Panel("audit", "audit/case_panel.html", case_panel_context, order=900))


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
    from core.api import PAGE_PARAMETERS, page_json, page_schema
    from core.web.pagination import paginate

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
