"""The operations plugin's blueprint and its root page, /operaciones/: the stage-3 sub-areas, each a link.

Each sub-package has its own blueprint under /operaciones/<sub>/ and one entry here, in :data:`SUB_AREAS`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

from plugins.operations.agreements import pages as agreement_pages

bp = Blueprint("operations", __name__, url_prefix="/operaciones")

#: (label, endpoint, description) of each sub-area, in menu order.
SUB_AREAS: list[tuple[Any, str, Any]] = [agreement_pages.AREA]
#: Every blueprint of the plugin, registered by the ``register_blueprints`` hook.
BLUEPRINTS = [agreement_pages.bp]


@bp.route("/")
@login_required
def index() -> str:
    return render_template("operations/index.html", areas=SUB_AREAS)
