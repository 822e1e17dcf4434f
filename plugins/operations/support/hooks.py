"""The regional support's parts of the plugin's hooks (the root __init__.py concatenates them)."""

from __future__ import annotations

from typing import Any


def register_blueprints(app: Any) -> None:
    from plugins.operations.support import pages

    app.register_blueprint(pages.bp)


def register_api(api: Any) -> None:
    from plugins.operations.support import api as support_api

    support_api.register(api)
