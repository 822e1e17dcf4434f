"""How audit events read: action and entity labels, values shortened and masked, changes as text."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.audit.access import ACTION_LABELS, ENTITY_LABELS

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
