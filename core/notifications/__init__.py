"""Notifications, a built-in plugin: the workflow effect ``notify`` (an in-app notice, and an e-mail
when mail is configured, to the roles a transition names, in each recipient's language).

Files
- ``service.py``  recipients, the notices, the e-mails sent after commit

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it as
the built-in plugin ``core.notifications``. This package root re-exports the domain API (what
plugins import: ``from core.notifications import …``) lazily, by name on first use (PEP 562):
importing one of its modules from a lower layer (``core.cases.types`` from ``core.custom_fields``)
never runs the higher ones, and importing a domain module never loads the pages, API or admin. The
core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the domain module that defines it.
_EXPORTS = {
    "notify": "core.notifications.service",
    "queue_mail": "core.notifications.service",
    "recipients": "core.notifications.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
