"""The operations plugin's root page, /operaciones/: the stage-3 sub-areas, each a link.

Each sub-package has its own blueprint under /operaciones/<sub>/ (registered by its ``hooks.py``)
and one entry here, in :data:`SUB_AREAS`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from plugins.operations.agreements import pages as agreement_pages
from plugins.operations.incentives import pages as incentive_pages
from plugins.operations.support import pages as support_pages

bp = Blueprint("operations", __name__, url_prefix="/operaciones")

#: (label, endpoint, description) of each sub-area, in menu order.
SUB_AREAS: list[tuple[Any, str, Any]] = [
    agreement_pages.AREA,
    (
        _l("Social investment"),
        "investment.index",
        _l("Portfolio of social-investment projects (SNIP/CUI): phases, funding and progress."),
    ),
    (
        _l("Results-based budget"),
        "budget.index",
        _l("PIA, PIM and execution per plan activity, and their alignment with the plan's goals."),
    ),
    (
        _l("Sessions of the body"),
        "operations_sessions.index",
        _l("Ordinary and extraordinary sessions of the Instancia: attendance, quorum, agreements and their acta."),
    ),
    (
        _l("Training"),
        "operations_training.index",
        _l("Training and technical-assistance events, and the educational-communication plan."),
    ),
    incentive_pages.AREA,
    support_pages.AREA,
]


@bp.route("/")
@login_required
def index() -> str:
    return render_template("operations/index.html", areas=SUB_AREAS)
