"""Attachments: signed scans and evidence, size-limited, type-sniffed, stored outside the database."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
