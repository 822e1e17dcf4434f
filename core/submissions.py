"""Submissions: a government sends its issued documents to the level above (30 June rule)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
