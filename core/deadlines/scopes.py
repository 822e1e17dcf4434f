"""Narrower bindings of deadline rules: a plugin's ``deadline_rules`` entry may carry ``applies_to``, a callable
returning a SELECT of the government ids the rule binds (within its ``level``). A calendar rule is then generated
only for those governments — e.g. the Ventanilla's quarterly registry only where a Ventanilla exists — instead of
for every government of the level. Code, not data: it stays out of the rule's row, the admin and the checksum.

The same entry may carry ``link_for``, a callable giving the page of one of the rule's deadlines that belong to
no case (reminders and calendar feeds point there, e.g. the Ventanilla entry, instead of the Plazos list)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app

from core.plugins import plugin_registry

EXTENSION = "deadline_rule_scopes"
LINKS = "deadline_rule_links"


def _full_key(key: str, owner: str) -> str:
    key = str(key or "").strip()
    return key if "." in key else f"{owner}.{key}"


def _hook_callables(extension: str, name: str) -> dict[str, Callable[..., Any]]:
    """{rule key: the callable ``name``} of the enabled plugins' hook-declared rules (read once per app)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(extension)
    if found is None:
        found = {}
        for impl in plugin_registry(app).hook.deadline_rules.get_hookimpls():  # enabled plugins only
            for spec in impl.function() or []:
                if callable(spec.get(name)):
                    found[_full_key(spec.get("key"), impl.plugin_name)] = spec[name]
        app.extensions[extension] = found
    return found


def rule_scopes() -> dict[str, Callable[[], Any]]:
    """{rule key: applies_to} of the enabled plugins' hook-declared rules."""
    return _hook_callables(EXTENSION, "applies_to")


def rule_link(rule_key: str, deadline: Any) -> str | None:
    """The page of a case-less deadline its rule's ``link_for`` names, or None."""
    link_for = _hook_callables(LINKS, "link_for").get(rule_key)
    return link_for(deadline) if link_for is not None else None


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
