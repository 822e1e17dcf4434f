"""Spanish (translatable) error pages for the web and JSON errors for the API."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

import core.audit.service as audit
from core.database import writing
from core.extensions import db
from core.models.audit import AuditEvent
from core.models.user import utcnow
from core.redaction import redact

MESSAGES = {
    400: _l("The request is not valid."),
    401: _l("You must sign in to continue."),
    403: _l("You do not have permission to do this."),
    404: _l("The page or record does not exist, or is outside your jurisdiction."),
    405: _l("This method is not allowed here."),
    409: _l("The record was changed by someone else. Reload it and try again."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Wait a few minutes and try again."),
    500: _l("An internal error occurred. It has been logged."),
    503: _l("The service is busy. Try again in a moment."),
}


#: Last resort when the layout cannot be rendered (its own query failed, a template broke).
BARE_PAGE = (
    '<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{title} {code}</title>'
    "<h1>{title} {code}</h1><p>{message}</p></html>"
)


def _message(code: int) -> str:
    return str(MESSAGES.get(code, MESSAGES[500]))


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(code: int, message: str | None = None, headers: dict[str, str] | None = None):  # noqa: ANN201
    """The error in the user's language: JSON for the API, the app's layout for pages."""
    message = message or _message(code)
    if wants_json():
        return jsonify({"error": {"code": code, "message": message}}), code, headers or {}
    try:
        page = render_template("core/error.html", code=code, message=message)
    except Exception:  # noqa: BLE001  (the layout itself failed: a bare page, still translated)
        current_app.logger.exception("la página de error no pudo usar la plantilla")
        page = BARE_PAGE.format(
            lang=escape(str(get_locale() or "es")), title=escape(_("Error")), code=code, message=escape(message)
        )
    return page, code, headers or {}


def bad_request(message: str | list[str], status: int = 400) -> None:
    """Abort with a JSON error of the API (Spanish message; several reasons joined, and listed)."""
    reasons = [message] if isinstance(message, str) else list(message)
    response = jsonify({"error": {"code": status, "message": " ".join(reasons), "reasons": reasons}})
    response.status_code = status
    abort(response)


def _kept_headers(error: HTTPException) -> dict[str, str]:
    """Headers the protocol requires on the error (``Allow`` on a 405, ``Retry-After`` on a 429…)."""
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def audit_denial(code: int) -> None:
    """Record a signed-in user's 403/404 on a route (a record refused or out of their reach).

    At most one event per user and route (endpoint) every AUDIT_DENIAL_INTERVAL_SECONDS, so a
    script probing ids cannot flood the trail, while each kind of probing still shows up. URLs
    that match no route (typos, scanners without a session) are not recorded."""

    if request.url_rule is None or request.endpoint is None or not current_user.is_authenticated:
        return

    try:
        user_id = current_user.id
        db.session.rollback()  # whatever the refused request had pending is not committed with the event
        endpoint = request.endpoint[:64]
        since = utcnow() - timedelta(seconds=current_app.config["AUDIT_DENIAL_INTERVAL_SECONDS"])
        recent = db.session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.actor_user_id == user_id,
                AuditEvent.action == "access_denied",
                AuditEvent.entity_type == "route",
                AuditEvent.entity_id == endpoint,
                AuditEvent.at >= since,
            )
            .limit(1)
        )
        db.session.rollback()
        if recent is not None:
            return
        with writing():
            audit.record(
                "access_denied",
                entity_type="route",
                entity_id=endpoint,
                detail=redact(f"{code} {request.method} {request.path}")[:300],
            )
            db.session.commit()
    except Exception:  # the refusal itself must still be answered
        db.session.rollback()
        current_app.logger.exception("no se pudo auditar la denegación de %s", request.path)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):  # noqa: ANN001, ANN202
        app.logger.warning("CSRF rechazado: %s %s", request.method, request.path)
        return error_response(
            400, _("The form expired or its security token is missing. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        if error.code in (301, 302, 303, 307, 308):
            return error
        code = error.code or 500
        if code in (403, 404):
            audit_denial(code)
        custom = error.description if getattr(error, "articula_message", False) else None
        if code >= 500:
            _rollback()
        return error_response(code, custom, _kept_headers(error))

    @app.errorhandler(Exception)
    def unhandled(error: Exception):  # noqa: ANN202
        app.logger.exception("error no controlado en %s %s", request.method, request.path)
        _rollback()  # the failed transaction must not leak into the error page or the next request
        return error_response(500)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (a dead connection: the session is discarded at teardown anyway)
        pass
