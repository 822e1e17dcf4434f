"""Deadlines: rules declared by plugins, Peru's working-day calendar, statuses, reminders, iCalendar."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
