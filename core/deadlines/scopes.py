"""Narrower bindings of deadline rules: a plugin's ``deadline_rules`` entry may carry ``applies_to``, a callable
returning a SELECT of the government ids the rule binds (within its ``level``). A calendar rule is then generated
only for those governments — e.g. the Ventanilla's quarterly registry only where a Ventanilla exists — instead of
for every government of the level. Code, not data: it stays out of the rule's row, the admin and the checksum."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app

from core.plugins import plugin_registry

EXTENSION = "deadline_rule_scopes"


def _full_key(key: str, owner: str) -> str:
    key = str(key or "").strip()
    return key if "." in key else f"{owner}.{key}"


def rule_scopes() -> dict[str, Callable[[], Any]]:
    """{rule key: applies_to} of the enabled plugins' hook-declared rules (read once per app)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scopes = app.extensions.get(EXTENSION)
    if scopes is None:
        scopes = {}
        for impl in plugin_registry(app).hook.deadline_rules.get_hookimpls():  # enabled plugins only
            for spec in impl.function() or []:
                if callable(spec.get("applies_to")):
                    scopes[_full_key(spec.get("key"), impl.plugin_name)] = spec["applies_to"]
        app.extensions[EXTENSION] = scopes
    return scopes


def scoped_ids(rule_key: str) -> set[int] | None:
    """The government ids a rule is limited to, or None when it binds its whole level."""
    from core.extensions import db

    applies_to = rule_scopes().get(rule_key)
    if applies_to is None:
        return None
    return set(db.session.scalars(applies_to()))


def within_scope(rule_key: str, government_ids: Iterable[int]) -> list[int]:
    """``government_ids`` the rule binds, as far as its ``applies_to`` says (order kept)."""
    allowed = scoped_ids(rule_key)
    return list(government_ids) if allowed is None else [g for g in government_ids if g in allowed]
