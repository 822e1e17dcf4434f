"""Who is acting: the user of the request, or an ``acting_as`` override (CLI ``--as``, jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import click
from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

_acting_as: ContextVar[dict[str, Any] | None] = ContextVar("articula_audit_actor", default=None)


# --- who is acting ---------------------------------------------------------------------------------


@contextmanager
def acting_as(user: Any = None, label: str | None = None) -> Iterator[None]:
    """Attribute the enclosed writes to ``user`` (or to ``label``: "cli", "sistema"), e.g. ``--as``."""
    payload = _user_actor(user) if user is not None else {"actor_user_id": None, "actor_label": label or "sistema"}
    if label and user is not None:
        payload["actor_label"] = label
    payload.update(_request_origin())
    token = _acting_as.set(payload)
    try:
        yield
    finally:
        _acting_as.reset(token)


def _user_actor(user: Any) -> dict[str, Any]:
    state = inspect(user, raiseerr=False)
    user_id = state.identity[0] if state is not None and state.identity else getattr(user, "id", None)
    email = (state.dict.get("email") if state is not None else None) or getattr(user, "email", None)
    return {"actor_user_id": user_id, "actor_label": email or f"usuario {user_id}"}


def _request_origin() -> dict[str, Any]:
    if not has_request_context():
        return {"ip": None, "user_agent": None}
    agent = (request.user_agent.string or "")[:200] or None
    return {"ip": request.remote_addr, "user_agent": agent}


def _request_user() -> Any:
    user = g._login_user if "_login_user" in g else current_user._get_current_object()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def current_actor() -> dict[str, Any]:
    """actor_user_id, actor_label, ip, user_agent of whoever causes the current write."""
    override = _acting_as.get()
    if override is not None:
        return dict(override)
    if has_request_context():
        user = _request_user()
        cached = g.get("_audit_actor")
        if cached is not None and cached[0] is user:
            return dict(cached[1])
        payload = _user_actor(user) if user is not None else {"actor_user_id": None, "actor_label": "anónimo"}
        payload.update(_request_origin())
        g._audit_actor = (user, payload)
        return dict(payload)
    label = "cli" if click.get_current_context(silent=True) is not None else "sistema"
    return {"actor_user_id": None, "actor_label": label, "ip": None, "user_agent": None}
