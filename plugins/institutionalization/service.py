"""Operations on the child records (members, clauses) and on ordinances, shared by pages and API.

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
    BodyMember,
    Ordinance,
    OrdinanceClause,
)

#: The member attributes a page or an API call may set.
MEMBER_FIELDS = (
    "full_name",
    "dni",
    "position",
    "institution_id",
    "institution_name",
    "email",
    "phone",
    "category_id",
    "role",
    "technical_committee",
    "accreditation_date",
    "accreditation_document",
    "active_from",
    "active_to",
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


# --- members ----------------------------------------------------------------------------------------


def save_member(
    body: ArticulationBody, member: BodyMember | None, values: dict[str, Any], scope: Scope, user: Any, version: Any
) -> BodyMember:
    """Create (``member`` None: an append) or update a member with ``values`` (typed: dates are dates)."""
    append = member is None
    _check(body, scope, version, append=append)
    if member is None:
        member = BodyMember(body=body)
        db.session.add(member)
    elif member.body_id != body.id:
        raise CaseError("El miembro pertenece a otra Instancia.", status=404)
    for name in MEMBER_FIELDS:
        if name in values:
            setattr(member, name, values[name])
    touch(body, user, append=append)
    db.session.flush()
    return member


def delete_member(member: BodyMember, scope: Scope, user: Any, version: Any) -> None:
    """Remove a member recorded by mistake (someone who leaves gets a "to" date instead)."""
    body = member.body
    _check(body, scope, version)
    db.session.delete(member)
    touch(body, user)
    db.session.flush()


# --- ordinances -------------------------------------------------------------------------------------


def create_ordinance(
    body: ArticulationBody, user: Any, scope: Scope, year: int | None = None, instrument: str = "ordinance"
) -> Ordinance:
    """A new ordinance for ``body``, pre-filled from it (models.py fills new ordinances on flush)."""
    regional = body.government.kind == "regional"
    kind = "Ordenanza Regional" if regional else "Ordenanza Municipal"
    if instrument == "resolution":
        kind = "Resolución Ejecutiva Regional" if regional else "Resolución de Alcaldía"
    title = f"{kind} que {'amplía funciones y conforma' if body.origin != 'new' else 'conforma'} la {body.level_name}"
    return create_case(
        case_types()["ordinance"],
        body.government,
        year or body.year,
        title,
        user,
        scope,
        body_id=body.id,
        instrument=instrument,
    )


def _frozen(ordinance: Ordinance) -> None:
    if ordinance.text_frozen:
        raise CaseError(FROZEN_TEXT, status=409)


def save_clause(
    ordinance: Ordinance,
    clause: OrdinanceClause | None,
    kind: str,
    text: str,
    subject: str | None,
    scope: Scope,
    user: Any,
    version: Any,
) -> OrdinanceClause:
    """Add a clause at the end of its kind (an append), or edit one (an edited clause is no longer "generated")."""
    append = clause is None
    _check(ordinance, scope, version, append=append)
    _frozen(ordinance)
    if clause is None:
        last = max((c.position for c in ordinance.clauses if c.kind == kind), default=0)
        clause = OrdinanceClause(kind=kind, position=last + 1)
        ordinance.clauses.append(clause)
    elif clause.ordinance_id != ordinance.id:
        raise CaseError("La cláusula pertenece a otra ordenanza.", status=404)
    clause.text = text
    clause.subject = subject if clause.kind == "article" else None
    clause.generated = False
    touch(ordinance, user, append=append)
    db.session.flush()
    return clause


def delete_clause(clause: OrdinanceClause, scope: Scope, user: Any, version: Any) -> None:
    ordinance = clause.ordinance
    _check(ordinance, scope, version)
    _frozen(ordinance)
    ordinance.clauses.remove(clause)
    _renumber(ordinance, clause.kind)
    touch(ordinance, user)
    db.session.flush()


def move_clause(clause: OrdinanceClause, direction: str, scope: Scope, user: Any, version: Any) -> None:
    """Swap the clause with its neighbour ("up" or "down") among the clauses of its kind."""
    ordinance = clause.ordinance
    _check(ordinance, scope, version)
    _frozen(ordinance)
    if direction not in ("up", "down"):
        raise CaseError("Dirección desconocida: use up o down.")
    siblings = ordinance.considerings if clause.kind == "considering" else ordinance.articles
    index = siblings.index(clause)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
    touch(ordinance, user)
    db.session.flush()


def refresh_articles(ordinance: Ordinance, scope: Scope, user: Any, version: Any, on: date | None = None) -> None:
    """Rewrite the pre-filled articles from the body as it is now (the team's own are kept)."""
    from plugins.institutionalization.ordinance_text import prefill

    _check(ordinance, scope, version)
    _frozen(ordinance)
    prefill(ordinance, articles_only=True)
    touch(ordinance, user)
    db.session.flush()


def _renumber(ordinance: Ordinance, kind: str) -> None:
    siblings = ordinance.considerings if kind == "considering" else ordinance.articles
    for position, item in enumerate(siblings, start=1):
        item.position = position
