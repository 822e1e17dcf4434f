"""Governments the user can reach: a searchable, paginated list and a detail page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.collation import sorted_spanish
from core.cycles import current_year
from core.extensions import db
from core.models import GOVERNMENT_KINDS, Case, Government, Membership
from core.security import READ, ensure
from core.territories import reachable_governments
from core.web.pagination import paginate

bp = Blueprint("governments", __name__, url_prefix="/gobiernos")


@bp.route("/")
@login_required
def index():
    search = request.args.get("q", "").strip()
    kind = request.args.get("kind") or None
    query = reachable_governments(search, kind).order_by(Government.kind, Government.name)
    page = paginate(query.options(joinedload(Government.parent)), Government.id)
    return render_template("core/governments.html", page=page, search=search, kind=kind, kinds=GOVERNMENT_KINDS)


@bp.route("/<int:government_id>")
@login_required
def detail(government_id: int):
    government = db.session.get(Government, government_id)
    if government is None:
        abort(404)
    ensure(READ, government)
    children = sorted_spanish(db.session.scalars(select(Government).where(Government.parent_id == government.id)).all())
    members = db.session.execute(
        select(Membership.role, func.count()).where(Membership.government_id == government.id).group_by(Membership.role)
    ).all()

    years = db.session.scalars(
        select(Case.year).where(Case.government_id == government.id).distinct().order_by(Case.year.desc())
    ).all()
    return render_template(
        "core/government.html",
        government=government,
        children=children,
        members=members,
        current_year=current_year(),
        past_years=[y for y in years if y != current_year()],
    )
