"""Finding actions: what a municipality may turn a community-monitoring report into (the seam).

A sub-package contributes actions by defining ``community_finding_actions()`` in its ``hooks.py``
(collected from every monitoring sub-package, in menu order, like the plugin's own hooks), returning
a list of :class:`FindingAction`. Supervision contributes ``supervision_visit``; the Ventanilla CRECER
contributes its entry the same way, without this sub-package importing it::

    # plugins/monitoring/ventanilla/hooks.py
    def community_finding_actions():
        from plugins.monitoring.supervision.actions import ActionResult, FindingAction
        return [FindingAction("ventanilla_entry", _l("Ventanilla CRECER entry"), ENTRY_FIELDS, open_entry)]

``run(ctx, report, data)`` runs inside the operation ``monitoring.supervision.community_report.act``
(one transaction; a ``Refusal`` undoes everything), with ``data`` already parsed against ``fields``,
and returns an :class:`ActionResult`: what was made (its label and page), recorded on the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.fields import RecordFields


@dataclass(frozen=True)
class ActionResult:
    label: str  # what was made, as the report lists it («Visita SUP-001-2026-MDA»)
    url: str | None = None  # its page
    visit_id: int | None = None  # set by the supervision-visit action


@dataclass(frozen=True)
class FindingAction:
    key: str
    label: Any  # lazy_gettext
    fields: RecordFields  # what the action asks for besides the report (its form and API schema)
    run: Callable[[Any, Any, dict[str, Any]], ActionResult]


def finding_actions() -> dict[str, FindingAction]:
    """Every action the monitoring sub-packages contribute, by key."""
    from plugins.monitoring import present

    found: dict[str, FindingAction] = {}
    for module in present("hooks"):
        for action in getattr(module, "community_finding_actions", lambda: [])():
            if action.key in found:
                raise ValueError(f"finding action registered twice: {action.key}")
            found[action.key] = action
    return found
