"""The monitoring plugin's root page: the stage-4 sub-areas, each a link.

Each sub-package has its own blueprint (registered by its ``hooks.py``) and declares its entry here
through ``hooks.area()`` → (label, endpoint, description).
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("monitoring", __name__, url_prefix="/seguimiento")


@bp.route("/areas")
@login_required
def areas() -> str:
    from plugins.monitoring import present

    sub_areas = [module.area() for module in present("hooks") if hasattr(module, "area")]
    return render_template("monitoring/index.html", areas=sub_areas)
