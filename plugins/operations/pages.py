"""The operations plugin's blueprint and its root page, /operaciones/: the stage-3 sub-areas, each a link.

Sub-packages add their routes to :data:`bp` and their entry to :data:`SUB_AREAS` (label, endpoint, note).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("operations", __name__, url_prefix="/operaciones")

#: (label, endpoint, description) of each sub-area, in menu order.
SUB_AREAS: list[tuple[Any, str, Any]] = []


@bp.route("/")
@login_required
def index() -> str:
    return render_template("operations/index.html", areas=SUB_AREAS)
