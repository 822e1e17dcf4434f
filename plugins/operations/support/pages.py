"""The regional support page, /operaciones/apoyo/: for a region (the national level picks one), one row per
municipality with its stages, its convenio's goals and commitments due, and the support measures taken."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from core.cases import STAGE_LABELS
from core.cycles import current_year
from core.models import Government
from core.security import current_scope
from plugins.operations.agreements.fields import SUPPORT_CHOICES
from plugins.operations.support.status import overview, regions_in_reach

bp = Blueprint("operations_support", __name__, url_prefix="/operaciones/apoyo")
#: The sub-area's entry on the root page /operaciones/ (label, endpoint, description).
AREA = (
    _l("Support of local governments"),
    "operations_support.index",
    _l("Per municipality of the region: its stages, convenio goals and commitments due, and the support given."),
)


def chosen_region(regions: list[Government], raw: Any) -> Government | None:
    """The region asked for (``?region=``) among those in reach; the only one when there is one.
    A region outside the user's reach is 404, as any record outside its jurisdiction."""
    if raw not in (None, ""):
        found = next((r for r in regions if str(r.id) == str(raw)), None)
        if found is None:
            abort(404)
        return found
    return regions[0] if len(regions) == 1 else None


def chosen_year(raw: Any) -> int:
    text = str(raw or "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else current_year()


@bp.route("/")
@login_required
def index() -> str:
    scope = current_scope()
    regions = regions_in_reach(scope)
    if not regions:
        abort(403)
    region = chosen_region(regions, request.args.get("region"))
    year = chosen_year(request.args.get("anio"))
    rows = overview(region, scope, year) if region else []
    return render_template(
        "operations/support/index.html",
        regions=regions,
        region=region,
        year=year,
        rows=rows,
        support_kinds=SUPPORT_CHOICES,
        stage_names=STAGE_LABELS,
    )
