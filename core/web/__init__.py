"""The platform's web blueprints (auth, dashboard, governments) and request-wide wiring."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask import Flask, g, redirect, request, session, url_for
from flask_babel import format_datetime, get_locale
from flask_login import current_user

from core.extensions import db, login_manager
from core.formatting import number
from core.i18n import reader_date
from core.labels import kind_label, role_label
from core.models import User
from core.plugins import plugin_registry
from core.security import current_scope
from core.territories import territory_label
from core.users import user_from_bearer
from core.web import auth, governments, main
from core.web.auth import session_is_current


def datetime_lima(value: datetime | None) -> str:
    """A stored (naive UTC) timestamp shown in Lima time, in the user's locale."""
    if value is None:
        return ""

    return format_datetime(value.replace(tzinfo=UTC), "short")


def long_date_filter(value) -> str:  # noqa: ANN001
    """A date on a page, as the reader's language writes it (documents keep their own Spanish filter)."""
    return reader_date(value) if value else ""


def csp_nonce() -> str:
    """This response's Content-Security-Policy nonce (made on first use; Flask-Admin asks for it)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(governments.bp)
    app.add_template_filter(datetime_lima)

    app.add_template_filter(territory_label)
    app.add_template_filter(long_date_filter, "long_date")
    app.add_template_filter(number, "number")

    @app.route("/favicon.ico")
    def favicon():  # noqa: ANN202 — browsers ask for it at the root whatever the page says
        return redirect(url_for("static", filename="favicon.svg"), 301)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page says it itself
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # Every request re-checks the session against the user: a sign-out, password or role change,
        # or deactivation since sign-in, or an age past SESSION_ABSOLUTE_LIFETIME, ends it.

        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or not session_is_current(user):
            session.clear()
            return None
        return user

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:  # noqa: ANN001
        return user_from_bearer(req)

    @app.context_processor
    def inject_layout() -> dict:
        nav = []
        if current_user.is_authenticated:
            nav = sorted(plugin_registry().collect("navigation", user=current_user), key=lambda e: e.get("order", 100))

        return {
            "role_label": role_label,
            "kind_label": kind_label,
            "plugin_navigation": nav,
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "scope": current_scope(),
            "now": datetime.now(),
        }

    @app.after_request
    def security_headers(response):  # noqa: ANN001, ANN202
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Scripts only from files of this server: no inline <script> and no onclick= anywhere. Flask-Admin's
        # few inline scripts carry this response's nonce (csp_nonce), which nothing else can know.
        nonce = g.get("csp_nonce")
        scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src {scripts}; frame-ancestors 'none'; form-action 'self'",
        )
        if request.path.startswith(("/api/", "/admin")) or current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
