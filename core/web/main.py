"""Home page (public welcome or the user's dashboard) and the load-balancer health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from core.collation import spanish_key
from core.extensions import csrf, db

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    from core import plugin_registry
    from core.api import subsystem_modules

    widgets = plugin_registry().collect("dashboard_widgets", user=current_user)
    for module in subsystem_modules():  # the case engine's subsystems add widgets too
        if hasattr(module, "dashboard_widgets"):
            widgets += module.dashboard_widgets(current_user)
    widgets = sorted(widgets, key=lambda w: w.get("order", 100))
    memberships = sorted(
        current_user.memberships, key=lambda m: (spanish_key(m.government.name if m.government else ""), m.role)
    )
    from core.cycles import current_year

    return render_template(
        "core/dashboard.html", widgets=widgets, memberships=memberships, current_year=current_year()
    )


@bp.route("/health")
@csrf.exempt
def health():
    """Answers 200 when the database answers; 503 otherwise (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any database failure means "not healthy"
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
