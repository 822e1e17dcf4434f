"""The audit trail's read-only admin list (auditors, national supervisors, administrators, each
within their scope); nobody may create, edit or delete an event, administrators included.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import abort, request, url_for
from flask_admin.contrib.sqla.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
    FilterEqual,
    FilterLike,
    IntEqualFilter,
)
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from core.admin import ReadOnlyModelView, _signed_in_with_role
from core.audit.access import ACTION_LABELS, can_browse, sees_origin
from core.audit.chain import CONTENT_COLUMNS, EXCLUDED_TABLES
from core.audit.display import action_label, changes_text, entity_label, show_value
from core.database import SAFE_METHODS
from core.extensions import db
from core.labels import field_label, value_label
from core.models.audit import AuditEvent
from core.security import current_scope

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
