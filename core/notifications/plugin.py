"""The notifications built-in plugin: its hook implementation plugs the workflow effect ``notify`` in
(registered on the app's pluggy manager before the third-party plugins; see core.plugins)."""

from __future__ import annotations

from flask import Flask

from core.hookspecs import hookimpl
from core.notifications.service import listen, notify
from core.workflow import register_effect


@hookimpl
def init_app(app: Flask) -> None:
    register_effect("notify", notify)
    listen()
