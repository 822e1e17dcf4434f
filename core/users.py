"""User administration shared by the CLI and the admin: create users, grant and revoke roles."""

from __future__ import annotations

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import g
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from core.database import writing
from core.deadlines.models import CalendarFeedToken
from core.extensions import db
from core.models import GLOBAL_ROLES, ROLES, ApiToken, Government, Membership, User
from core.models.user import hash_token, utcnow


class UserError(ValueError):
    """A refused user operation; the message is Spanish and shown as is."""


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise UserError(_("Invalid e-mail address: «%(email)s».", email=email)) from error


def create_user(email: str, name: str, password: str, locale: str = "es") -> User:
    email = normalize_email(email)
    if len(password) < 10:
        raise UserError(_("The password must have at least 10 characters."))
    if db.session.scalar(select(User).where(User.email == email)):
        raise UserError(_("A user with the e-mail %(email)s already exists.", email=email))
    user = User(email=email, name=name.strip(), locale=locale, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def find_government(ref: str) -> Government:
    """A government by id, by ubigeo (ambiguous ones must name the kind) or by exact name."""
    ref = ref.strip()
    candidates: list[Government] = []
    if ref.isdigit() and len(ref) != 6:
        gov = db.session.get(Government, int(ref))
        candidates = [gov] if gov else []
    elif ref.isdigit():
        candidates = list(db.session.scalars(select(Government).where(Government.ubigeo == ref)))
    else:
        candidates = list(db.session.scalars(select(Government).where(Government.name == ref)))
    if not candidates:
        raise UserError(
            _(
                "The government «%(ref)s» does not exist (use its id, its ubigeo or its exact name).",
                ref=ref,
            )
        )
    if len(candidates) > 1:
        names = "; ".join(f"{g.id}: {g.name}" for g in candidates)
        raise UserError(
            _(
                "«%(ref)s» matches several governments (%(names)s); give the id.",
                ref=ref,
                names=names,
            )
        )
    return candidates[0]


def grant(email: str, role: str, government_ref: str | None, revoke: bool = False) -> str:
    if role not in ROLES:
        raise UserError(
            _(
                "Unknown role «%(role)s»: use one of %(roles)s.",
                role=role,
                roles=", ".join(ROLES),
            )
        )
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise UserError(_("The user %(email)s does not exist.", email=email))
    government = find_government(government_ref) if government_ref else None
    if government is None and role not in GLOBAL_ROLES:
        raise UserError(_("The role «%(role)s» needs a government (--government).", role=role))
    if government is not None and role in ("national", "admin"):
        raise UserError(_("The role «%(role)s» is national: it takes no government.", role=role))
    gov_id = government.id if government else None
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.role == role,
            Membership.government_id.is_(None) if gov_id is None else Membership.government_id == gov_id,
        )
    )
    where = government.name if government else _("the whole country")
    if revoke:
        if existing is None:
            raise UserError(
                _(
                    "%(email)s does not have the role %(role)s in %(where)s.",
                    email=user.email,
                    role=role,
                    where=where,
                )
            )
        db.session.delete(existing)
        db.session.commit()
        return _("Role %(role)s in %(where)s removed from %(email)s.", role=role, where=where, email=user.email)
    if existing is None:
        db.session.add(Membership(user=user, role=role, government_id=gov_id))
        db.session.commit()
    return _("%(email)s: role %(role)s in %(where)s.", email=user.email, role=role, where=where)


def revoke_credentials(user: User) -> int:
    """Revoke the user's API tokens and calendar address (after a password change: whoever stole the
    old password may have minted them). Returns how many were revoked; the caller commits."""

    count = 0
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
        count += 1
    for feed in db.session.scalars(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id)):
        db.session.delete(feed)  # through the ORM, so the audit trail records the revocation
        count += 1
    return count


def user_from_bearer(req) -> User | None:  # noqa: ANN001
    """``Authorization: Bearer <token>``: a personal API token (stored hashed), or None."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    # The token and its user in one statement (every API request starts here); the memberships
    # only when the endpoint asks for the caller's scope (territory lists never do).
    token = db.session.scalar(
        db.select(ApiToken)
        .options(joinedload(ApiToken.user).lazyload(User.memberships))
        .where(ApiToken.token_hash == hash_token(header[7:].strip()))
    )
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = utcnow()
    # Record the use at most hourly, so that reads rarely write (and never hold the write lock long).
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token_id, user_id = token.id, token.user_id
        db.session.commit()
        with writing():
            db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
            db.session.commit()
        token = db.session.get(ApiToken, token_id)
        if token is None or token.user_id != user_id:
            return None
    g.api_token = token
    return token.user
