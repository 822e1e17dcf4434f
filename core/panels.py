"""Sections that subsystems add to the case page and the cycle page, without the pages knowing them.

A panel is a template plus a function returning its context (or None to hide it); the
documents, deadlines, attachments and audit subsystems each register theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


CASE_PANELS: dict[str, Panel] = {}
CYCLE_PANELS: dict[str, Panel] = {}


def register_case_panel(panel: Panel) -> None:
    CASE_PANELS[panel.key] = panel


def register_cycle_panel(panel: Panel) -> None:
    CYCLE_PANELS[panel.key] = panel


def render_context(panels: dict[str, Panel], **kwargs: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """The visible panels in order, each with its context."""
    result = []
    for panel in sorted(panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(**kwargs)
        if context is not None:
            result.append((panel, context))
    return result


#: Inbox filters a subsystem adds: ``?key=value`` → function(query, value) → query.
INBOX_FILTERS: dict[str, Callable[[Any, str], Any]] = {}
