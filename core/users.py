"""User administration shared by the CLI and the admin: create users, grant and revoke roles."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import GLOBAL_ROLES, ROLES, Government, Membership, User


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
    from core.models import ApiToken
    from core.models.deadlines import CalendarFeedToken
    from core.models.user import utcnow

    count = 0
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
        count += 1
    for feed in db.session.scalars(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id)):
        db.session.delete(feed)  # through the ORM, so the audit trail records the revocation
        count += 1
    return count
