"""Sections that subsystems add to the case page and the cycle page, without the pages knowing them.

A panel is a template plus a function returning its context (or None to hide it); the
documents, deadlines, attachments and audit subsystems each register theirs from their
``init_app(app)`` hook. The registries are per app (``app.extensions["articula.panels"]``): two apps
in one process (tests) never share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

_KEY = "articula.panels"


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


def _registry(app: Flask | None = None) -> dict[str, dict[str, Any]]:
    return (app or current_app).extensions.setdefault(_KEY, {"case": {}, "cycle": {}, "inbox": {}})


def register_case_panel(panel: Panel) -> None:
    """Add a section to this app's case page (needs an app context: call it from ``init_app``)."""
    _registry()["case"][panel.key] = panel


def register_cycle_panel(panel: Panel) -> None:
    """Add a section to this app's cycle page (needs an app context: call it from ``init_app``)."""
    _registry()["cycle"][panel.key] = panel


def register_inbox_filter(key: str, apply: Callable[[Any, str], Any]) -> None:
    """An inbox filter ``?key=value`` → ``apply(query, value)`` → query, for this app."""
    _registry()["inbox"][key] = apply


def case_panels(app: Flask | None = None) -> dict[str, Panel]:
    return _registry(app)["case"]


def cycle_panels(app: Flask | None = None) -> dict[str, Panel]:
    return _registry(app)["cycle"]


def inbox_filters(app: Flask | None = None) -> dict[str, Callable[[Any, str], Any]]:
    return _registry(app)["inbox"]


def render_context(panels: dict[str, Panel], **kwargs: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """The visible panels in order, each with its context."""
    result = []
    for panel in sorted(panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(**kwargs)
        if context is not None:
            result.append((panel, context))
    return result

