"""Notifications, a built-in plugin: the workflow effect ``notify`` (an in-app notice, and an e-mail
when mail is configured, to the roles a transition names, in each recipient's language).

Files
- ``service.py``  recipients, the notices, the e-mails sent after commit

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it
as the built-in plugin ``core.notifications``. This package root only re-exports the domain API (what
plugins import: ``from core.notifications import …``), so importing any domain module never loads the
pages, API or admin. The core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

from core.notifications.service import notify, recipients

__all__ = ["notify", "recipients"]
