"""Audit trail: an append-only, hash-chained record of every change, login and permission change."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
