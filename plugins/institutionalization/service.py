"""Ordinances: creation from the body and the refresh of the pre-filled articles, shared by pages
and API (members and clauses are on the plugin kit: members.py, clauses.py, core.operations).

Each operation checks, in order: the user may edit the case in its current state
(core.cases.editable_by), the case version the person read is still current (optimistic
locking covers the case and the edit of its children), then applies the change and touches
the case so its version moves on. Adding a new member or clause is an append: it conflicts
with nobody, so it skips the version and leaves the case row alone (core.cases.lock_for_append).
The caller commits; models.py refuses invalid records on flush.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.cases import (
    CaseError,
    StaleCaseError,
    case_types,
    check_version,
    create_case,
    editable_by,
    lock_for_append,
)
from core.cases import touch as touch_case
from core.extensions import db
from core.security import Scope
from plugins.institutionalization.models import (
    FROZEN_TEXT,
    ArticulationBody,
    Ordinance,
)

T = TypeVar("T")


def run(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one operation and commit it, as one transaction; any refusal rolls everything back
    and comes out as a CaseError with a Spanish message (a race lost on the case version: 409)."""
    try:
        result = operation(*args, **kwargs)
        db.session.commit()
    except CaseError:
        db.session.rollback()
        raise
    except StaleDataError as error:
        db.session.rollback()
        raise StaleCaseError() from error
    except IntegrityError as error:
        db.session.rollback()
        raise CaseError(
            "Otro cambio simultáneo chocó con este (un número o un dato que debe ser único); vuelva a intentarlo.",
            status=409,
        ) from error
    return result


def touch(case: Any, user: Any, *, append: bool = False) -> None:
    """A change to a child record is a change to the case: its version moves on (not for an append)."""
    touch_case(case, user, append=append)


def _check(case: Any, scope: Scope, version: Any, *, append: bool = False) -> None:
    if append:
        lock_for_append(case)
    if not editable_by(case, scope):
        raise CaseError("No puede modificar este expediente en su estado actual.", status=403)
    check_version(case, version, append=append)


# --- ordinances -------------------------------------------------------------------------------------


def create_ordinance(
    body: ArticulationBody, user: Any, scope: Scope, year: int | None = None, instrument: str = "ordinance"
) -> Ordinance:
    """A new ordinance for ``body``, pre-filled from it (models.py fills new ordinances on flush).

    It is filed in the cycle of ``year`` (default: the current year in Lima): the body is a
    standing one, and each year's ordinance belongs to the year it is made in."""
    from core.cycles import current_year

    regional = body.government.kind == "regional"
    kind = "Ordenanza Regional" if regional else "Ordenanza Municipal"
    if instrument == "resolution":
        kind = "Resolución Ejecutiva Regional" if regional else "Resolución de Alcaldía"
    title = f"{kind} que {'amplía funciones y conforma' if body.origin != 'new' else 'conforma'} la {body.level_name}"
    return create_case(
        case_types()["ordinance"],
        body.government,
        year or current_year(),
        title,
        user,
        scope,
        body_id=body.id,
        instrument=instrument,
    )


def _frozen(ordinance: Ordinance) -> None:
    if ordinance.text_frozen:
        raise CaseError(FROZEN_TEXT, status=409)


def refresh_articles(ordinance: Ordinance, scope: Scope, user: Any, version: Any, on: date | None = None) -> None:
    """Rewrite the pre-filled articles from the body as it is now (the team's own are kept)."""
    from plugins.institutionalization.ordinance_text import prefill

    _check(ordinance, scope, version)
    _frozen(ordinance)
    prefill(ordinance, articles_only=True)
    touch(ordinance, user)
    db.session.flush()
