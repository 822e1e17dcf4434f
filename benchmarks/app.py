"""The benchmark's WSGI app: Articula plus one minimal endpoint to compare against."""

from __future__ import annotations

from flask import Flask


def create() -> Flask:
    from core import create_app

    app = create_app()

    @app.route("/_bench/minimal")
    def minimal() -> str:
        return "ok"

    return app
