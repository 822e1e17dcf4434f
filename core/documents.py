"""Documents: Jinja templates → HTML preview → PDF (WeasyPrint), issued immutably and verifiable."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
