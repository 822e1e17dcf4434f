"""Notifications, a built-in plugin: the workflow effect ``notify`` (an in-app notice, and an e-mail
when mail is configured, to the roles a transition names, in each recipient's language).

Files
- ``service.py``  recipients, the notices, the e-mails sent after commit

The hook below plugs the effect into this app's workflows.
"""

from __future__ import annotations

from flask import Flask

from core.hookspecs import hookimpl
from core.notifications.service import listen, notify, recipients
from core.workflow import register_effect

__all__ = ["notify", "recipients"]


@hookimpl
def init_app(app: Flask) -> None:
    register_effect("notify", notify)
    listen()
