"""Sign-in with throttling, sign-out, the profile (language, password) and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from core import audit
from core.extensions import db
from core.models import ApiToken, LoginAttempt, User
from core.models.user import utcnow
from core.web.forms import LoginForm, PasswordForm, ProfileForm, TokenForm

bp = Blueprint("auth", __name__)


def _client_ip() -> str | None:
    return request.remote_addr


def throttled(email: str) -> bool:
    """Too many recent failures for this e-mail (from any address) or from this address."""
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    failures = db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.at >= since,
            LoginAttempt.success.is_(False),
            (LoginAttempt.email == email) | (LoginAttempt.ip == _client_ip()),
        )
    )
    return failures >= cfg["LOGIN_MAX_FAILURES"]


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
        if throttled(email):
            current_app.logger.warning("inicio de sesión bloqueado por intentos: %s", email)
            audit.record(
                "login_failed",
                entity_type="user_account",
                actor=None,
                actor_label=email,
                detail="bloqueado por demasiados intentos",
            )
            db.session.commit()
            flash(_("Too many failed attempts. Wait 15 minutes and try again."), "error")
            return render_template("core/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.email == email))
        ok = user is not None and user.is_active and user.check_password(form.password.data)
        db.session.add(LoginAttempt(email=email, ip=_client_ip(), success=ok))
        if ok:
            audit.record("login", user, actor=user)
        else:
            audit.record("login_failed", user, entity_type="user_account", actor=None, actor_label=email)
        db.session.commit()
        if ok:
            session.clear()
            login_user(user)
            session.permanent = True
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
    if current_user.is_authenticated:
        audit.record("logout", current_user._get_current_object(), actor=current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


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
                current_user.set_password(password_form.new.data)
                db.session.commit()
                flash(_("Password changed."), "success")
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
