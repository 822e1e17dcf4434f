"""The plugin's named permission actions (hook ``permission_actions``): pages, API, operations and
templates ask ``core.security.can(user_or_scope, name, record)``."""

from __future__ import annotations

from typing import Any

from core.security import Scope, can


def _body_edit(scope: Scope, body: Any) -> bool:
    """The body's data and members change while its case may be edited in its state."""
    return can(scope, "case.edit", body)


def _ordinance_edit_text(scope: Scope, ordinance: Any) -> bool:
    """The ordinance's clauses change while the case may be edited and the council has not approved it."""
    return can(scope, "case.edit", ordinance) and not ordinance.text_frozen


ACTIONS = {
    "institutionalization.body.edit": _body_edit,
    "institutionalization.ordinance.edit_text": _ordinance_edit_text,
}
