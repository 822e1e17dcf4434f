"""Sign-in with throttling, sign-out, the profile (language, password) and personal API tokens."""

from __future__ import annotations

import math
import secrets
import time
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

import core.audit.service as audit
from core.extensions import db
from core.models import ApiToken, LoginAttempt, User
from core.models.user import end_sessions, utcnow
from core.users import revoke_credentials
from core.web.forms import LoginForm, PasswordForm, ProfileForm, TokenForm

bp = Blueprint("auth", __name__)


def _client_ip() -> str | None:
    # Behind TRUSTED_PROXIES proxies, ProxyFix has already put the forwarded address here.
    return request.remote_addr


def login_delay(failures: int) -> int:
    """Seconds an (account, address) pair waits after ``failures`` consecutive failures: none for
    the first LOGIN_FREE_FAILURES, then LOGIN_DELAY_SECONDS doubling up to LOGIN_MAX_DELAY_SECONDS."""
    cfg = current_app.config
    extra = failures - int(cfg["LOGIN_FREE_FAILURES"]) - 1
    if extra < 0:
        return 0
    return int(min(cfg["LOGIN_MAX_DELAY_SECONDS"], cfg["LOGIN_DELAY_SECONDS"] * 2 ** min(extra, 30)))


def wait_seconds(email: str, ip: str | None) -> int:
    """How long this address must still wait before trying this account again (0: go ahead).

    Only this pair's own failures count, since its last success: failures from other addresses
    (an attacker) never slow the account's owner down, nor do one address's failures on other
    accounts (colleagues behind the same NAT)."""
    since = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    pair = (LoginAttempt.email == email, LoginAttempt.ip.is_(None) if ip is None else LoginAttempt.ip == ip)
    last_success = select(func.max(LoginAttempt.at)).where(*pair, LoginAttempt.success.is_(True)).scalar_subquery()
    failures, last_failure = db.session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            *pair,
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= since,
            LoginAttempt.at > func.coalesce(last_success, since),
        )
    ).one()
    delay = login_delay(failures)
    if not delay or last_failure is None:
        return 0
    remaining = (last_failure + timedelta(seconds=delay) - utcnow()).total_seconds()
    return max(0, math.ceil(remaining))


def _dummy_hash() -> str:
    """A hash made with the configured method, so an unknown account costs one real check too."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    cache = current_app.extensions.setdefault("articula.dummy_hash", {})
    if method not in cache:
        cache[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return cache[method]


def check_credentials(email: str, password: str) -> tuple[User | None, bool]:
    """(the account with this e-mail or None, whether it is active and the password is right).

    An unknown account costs one hash too, like a wrong password, so timing reveals no accounts."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None, False
    ok = user.check_password(password)
    return user, ok and user.is_active


def start_session(user: User) -> None:
    """Sign ``user`` in: a fresh session that remembers its generation and when it began."""
    session.clear()
    login_user(user)
    session.permanent = True
    session[SESSION_GENERATION] = user.session_generation or 0
    session[SESSION_STARTED] = int(time.time())


#: Session keys checked on every request by core.web's user loader.
SESSION_GENERATION = "_articula_gen"
SESSION_STARTED = "_articula_started"


def session_is_current(user: User) -> bool:
    """Is the current request's session still valid for ``user``: same generation (no sign-out,
    password or role change since) and younger than SESSION_ABSOLUTE_LIFETIME (which the rolling
    refresh of the cookie cannot extend: the start time travels inside the signed cookie)."""
    started = session.get(SESSION_STARTED)
    if session.get(SESSION_GENERATION) != (user.session_generation or 0) or not isinstance(started, int):
        return False
    return time.time() - started <= current_app.config["SESSION_ABSOLUTE_LIFETIME"]


def _safe_next(target: str | None) -> str:
    # Only local paths: an absolute URL in ?next= would be an open redirect. Browsers read a backslash as "/",
    # and tabs and newlines are dropped on the way ("/<tab>/evil.example" becomes "//evil.example").
    if target and target.startswith("/") and not target.startswith("//"):
        if not any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target):
            return target
    return url_for("main.index")


@bp.route("/ingresar", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = wait_seconds(email, _client_ip())
        if wait:
            # Refused before the password is even checked; the attempt is not a failure (the wait does
            # not grow by hammering) but it is in the audit trail.
            current_app.logger.warning("inicio de sesión demorado por intentos: %s desde %s", email, _client_ip())
            audit.record(
                "login_throttled",
                entity_type="user_account",
                actor=None,
                actor_label=email,
                detail=f"demorado {wait} s por intentos fallidos desde esta dirección",
            )
            db.session.commit()
            flash(
                _("Too many failed attempts from this address. Wait %(seconds)s seconds and try again.", seconds=wait),
                "error",
            )
            response = current_app.make_response((render_template("core/login.html", form=form), 429))
            response.headers["Retry-After"] = str(wait)
            return response
        user, ok = check_credentials(email, form.password.data)
        db.session.add(LoginAttempt(email=email, ip=_client_ip(), success=ok))
        if ok:
            audit.record("login", user, actor=user)
        else:
            audit.record("login_failed", user, entity_type="user_account", actor=None, actor_label=email)
        db.session.commit()
        if ok:
            start_session(user)
            current_app.logger.info("inicio de sesión: %s", email)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.warning("contraseña o usuario incorrecto: %s", email)
        flash(_("Wrong e-mail or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("core/login.html", form=form), status


@bp.route("/salir", methods=["POST"])
def logout():
    """Sign out: the user's session generation moves on, so a copy of this cookie (or any other
    session of the user) stops working too — a cookie stolen before sign-out is worthless after."""
    _end_all_sessions("logout")
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/perfil/cerrar-sesiones", methods=["POST"])
@login_required
def logout_everywhere():
    """ "Sign out on every device": the same as signing out, said explicitly in the profile."""
    _end_all_sessions("logout", detail="en todos los dispositivos")
    flash(_("You have signed out on every device."), "info")
    return redirect(url_for("auth.login"))


def _end_all_sessions(action: str, detail: str | None = None) -> None:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        end_sessions(user)
        audit.record(action, user, actor=user, detail=detail)
        db.session.commit()
    logout_user()
    session.clear()


@bp.route("/idioma/<lang>", methods=["POST"])
def set_language(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/perfil", methods=["GET", "POST"])
@login_required
def profile():
    profile_form = ProfileForm(prefix="profile", obj=current_user)
    password_form = PasswordForm(prefix="password")
    token_form = TokenForm(prefix="token")
    new_token = None
    status = 200
    action = request.form.get("action")
    if request.method == "POST" and action == "profile":
        if profile_form.validate():
            current_user.name = profile_form.name.data.strip()
            current_user.locale = profile_form.locale.data
            db.session.commit()
            flash(_("Profile saved."), "success")
            return redirect(url_for("auth.profile"))
        status = 400
    elif request.method == "POST" and action == "password":
        if password_form.validate():
            if not current_user.check_password(password_form.current.data):
                password_form.current.errors.append(_("The current password is wrong."))
                status = 400
            else:
                # A new password ends every session (core.models.user bumps the generation) and
                # revokes the API tokens and the calendar address: whoever knew the old password
                # may have minted them. This session goes on, under the new generation.
                user = current_user._get_current_object()
                user.set_password(password_form.new.data)
                revoked = revoke_credentials(user)
                db.session.commit()
                session[SESSION_GENERATION] = user.session_generation
                flash(_("Password changed."), "success")
                if revoked:
                    flash(
                        _("Your API tokens and calendar address were revoked; create new ones if you need them."),
                        "info",
                    )
                return redirect(url_for("auth.profile"))
        else:
            status = 400
    elif request.method == "POST" and action == "token":
        if token_form.validate():
            token, new_token = ApiToken.issue(current_user, token_form.name.data.strip())
            db.session.add(token)
            db.session.commit()
            token_form = TokenForm(prefix="token", formdata=None)
        else:
            status = 400
    elif request.method == "POST":
        abort(400)
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "core/profile.html",
        profile_form=profile_form,
        password_form=password_form,
        token_form=token_form,
        tokens=tokens,
        new_token=new_token,
    ), status


@bp.route("/perfil/tokens/<int:token_id>/revocar", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile"))
