"""What the demo's modules share: finding the demo's governments and users, a stable pseudo-random
number, and running a write as the pages do (a named operation, at the case's current version)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Case, Government, User
from core.operations import run

YEAR = 2008


def stable_number(seed: str, low: int, high: int) -> int:
    """A stable pseudo-random number: the demo is the same on every machine."""
    return low + int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % (high - low + 1)


def government(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def exists(case_type: str, government: Government, year: int = YEAR) -> bool:
    return bool(
        db.session.scalar(
            select(Case.id).where(Case.type == case_type, Case.government_id == government.id, Case.year == year)
        )
    )


def write(operation: str, actor: User | None, case: Case, /, **data: Any) -> Any:
    """Run ``operation`` on ``case`` as ``actor`` (the system when the demo has no such user),
    at the case's current version, like a form read just before."""
    return run(operation, actor, {"case_id": case.id, "version": case.version, **data})
