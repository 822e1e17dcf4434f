"""Users, their memberships (government × role), personal API tokens and login attempts."""

from __future__ import annotations

import contextvars
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, event, func, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.extensions import db
from core.models.territory import Government

ROLES = ("team", "coordinator", "auditor", "national", "admin")
#: Roles that are valid without a government (they reach everything).
GLOBAL_ROLES = ("auditor", "national", "admin")


#: Set while a unit of work runs twice (core.documents.issuing: a dry run, the PDF render, the real
#: run), so both runs stamp the same times and render byte-identical documents.
_frozen_now: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("frozen_now", default=None)


def utcnow() -> datetime:
    """Naive UTC: timestamps are stored in UTC and shown in America/Lima."""
    return _frozen_now.get() or datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def frozen_clock(at: datetime) -> Iterator[None]:
    """``utcnow()`` returns ``at`` inside the block."""
    token = _frozen_now.set(at)
    try:
        yield
    finally:
        _frozen_now.reset(token)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    #: Bookkeeping the audit trail leaves out (the sign-out or role change itself is the event).
    __audit_skip__ = ("session_generation",)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    #: Sessions carry the generation they were signed in under; bumping it (sign-out, password
    #: change, role change, deactivation — see core.users) ends every one of them at once.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        # scrypt with a random salt (Werkzeug's default cost); tests lower the cost by setting.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "government_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))

    user: Mapped[User] = relationship(back_populates="memberships")
    government: Mapped[Government | None] = relationship(lazy="joined")

    def __str__(self) -> str:
        return f"{self.role} @ {self.government or '—'}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A personal API token: shown once, stored as its SHA-256, revocable."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the plain value is returned once and never stored."""
        plain = "art_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, prefix=plain[:12], token_hash=hash_token(plain))
        return token, plain


class LoginAttempt(db.Model):
    """Login attempts, kept in the database so throttling holds across worker processes."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(45))
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- ending sessions --------------------------------------------------------------------------------


def end_sessions(user: User) -> None:
    """End every session of ``user`` (web cookies signed in under the old generation stop working)."""
    user.session_generation = (user.session_generation or 0) + 1


def _bump_generations(session: Any, flush_context: Any, instances: Any) -> None:
    """Whatever writes it (profile, admin, CLI, API), a change of what a user may do or of how they
    prove who they are ends the user's sessions: a granted, changed or revoked membership, a new
    password, a deactivation. New users have no sessions to end."""
    users: dict[int, User] = {}
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Membership):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            user = obj.user if "user" in inspect(obj).dict else None
            if user is None and obj.user_id is not None:
                user = session.get(User, obj.user_id)
            if user is not None and user not in session.new and user not in session.deleted:
                users[id(user)] = user
        elif isinstance(obj, User) and obj in session.dirty:
            state = inspect(obj)
            active = state.attrs.active.history.added
            if state.attrs.password_hash.history.added or (active and not active[0]):
                users[id(obj)] = obj
    for user in users.values():
        if not inspect(user).attrs.session_generation.history.added:  # one bump per flush is enough
            end_sessions(user)


event.listen(Session, "before_flush", _bump_generations)
