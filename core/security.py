"""The one permission and scoping layer: web, admin, API, CLI and documents all ask here.

Rules (DESIGN §5):
- a membership (government, role) reaches that government and, read-only, the
  governments beneath it (regional → every local government of the region;
  provincial → the district municipalities of the province);
- ``team`` and ``coordinator`` write only in the government of the membership;
  ``coordinator`` also approves; ``auditor`` never writes;
- ``national``, ``admin`` and a government-less ``auditor`` reach every government;
  only ``admin`` writes everywhere and manages users and catalogs;
- ``receive`` (recording that a submission arrived) is the receiver's act: the ST-CIAS, that is
  the ``national`` role, for submissions to the national level; the team or coordinator of the
  regional government for submissions to a region. It is the one write of the ``national`` role.
- a case may name **participant governments** (``core.models.CaseParticipant``, DESIGN §11): whoever
  reads a participant government reads the case (``can_read_case``, ``readable_case_clause``); their
  writers act only on their part — the transitions whose ``party`` is their ``party_role``
  (``party_roles``) — and never edit the owner's fields (``case.edit`` stays the owner's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import false, or_, select, true
from sqlalchemy.sql import ColumnElement

from core.models import Case, CaseParticipant, Government, User
from core.plugins import plugin_registry

READ, EDIT, APPROVE, RECEIVE, ADMIN = "read", "edit", "approve", "receive", "admin"
ACTIONS = (READ, EDIT, APPROVE, RECEIVE, ADMIN)
WRITE_ROLES = {EDIT: {"team", "coordinator"}, APPROVE: {"coordinator"}, RECEIVE: {"team", "coordinator"}}
#: Actions a role without a government holds on national records (government None), beyond reading.
NATIONAL_ACTIONS = {"national": frozenset({RECEIVE})}


@dataclass(frozen=True)
class Scope:
    """What a user reaches, computed once per request from the memberships."""

    everything: bool
    is_admin: bool
    direct: frozenset[int]  # governments of the memberships
    regional: frozenset[int]  # regional governments whose region the user reaches
    provincial: frozenset[int]  # provincial municipalities whose districts the user reaches
    roles_by_government: dict[int, frozenset[str]]
    global_roles: frozenset[str]

    @property
    def read_only(self) -> bool:
        """True when the user can write nowhere (auditors, national supervisors)."""
        if self.is_admin:
            return False
        return not any(roles & WRITE_ROLES[EDIT] for roles in self.roles_by_government.values())


NO_SCOPE = Scope(False, False, frozenset(), frozenset(), frozenset(), {}, frozenset())


def scope_for(user: Any) -> Scope:
    """The user's scope (anonymous users reach nothing)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    direct: set[int] = set()
    regional: set[int] = set()
    provincial: set[int] = set()
    by_gov: dict[int, set[str]] = {}
    global_roles: set[str] = set()
    for membership in user.memberships:
        gov = membership.government
        if gov is None:
            global_roles.add(membership.role)
            continue
        direct.add(gov.id)
        by_gov.setdefault(gov.id, set()).add(membership.role)
        if gov.kind == "regional":
            regional.add(gov.id)
        elif gov.kind == "provincial":
            provincial.add(gov.id)
    everything = bool(global_roles & {"auditor", "national", "admin"})
    return Scope(
        everything=everything,
        is_admin="admin" in global_roles,
        direct=frozenset(direct),
        regional=frozenset(regional),
        provincial=frozenset(provincial),
        roles_by_government={k: frozenset(v) for k, v in by_gov.items()},
        global_roles=frozenset(global_roles),
    )


def current_scope() -> Scope:
    """The current request's scope, cached on ``g``."""
    if "articula_scope" not in g:
        g.articula_scope = scope_for(current_user)
    return g.articula_scope


def readable_clause(scope: Scope, government_id_column: Any) -> ColumnElement[bool]:
    """A SQL condition on a government-id column: true for rows the scope may read."""
    if scope.everything:
        return true()
    conditions = []
    if scope.direct:
        conditions.append(Government.id.in_(scope.direct))
    if scope.regional:
        conditions.append(Government.region_id.in_(scope.regional))
    if scope.provincial:
        conditions.append(Government.parent_id.in_(scope.provincial))
    if not conditions:
        return false()
    reachable = select(Government.id).where(or_(*conditions))
    if government_id_column is Government.id:
        return or_(*conditions)
    return government_id_column.in_(reachable)


def readable_case_clause(
    scope: Scope, case_id_column: Any = None, government_id_column: Any = None
) -> ColumnElement[bool]:
    """A SQL condition on cases: true for those the scope reads — in a reachable government, or naming
    a reachable government as participant. The columns default to ``Case.id``/``Case.government_id``."""
    case_id_column = Case.id if case_id_column is None else case_id_column
    government_id_column = Case.government_id if government_id_column is None else government_id_column
    if scope.everything:
        return true()
    as_participant = select(CaseParticipant.case_id).where(readable_clause(scope, CaseParticipant.government_id))
    return or_(readable_clause(scope, government_id_column), case_id_column.in_(as_participant))


def can_read_case(scope: Scope, case: Any) -> bool:
    """The case's own government is reachable, or one of its participant governments is."""
    if can(scope, READ, case.government):
        return True
    return any(can(scope, READ, p.government) for p in getattr(case, "participants", ()))


def party_roles(scope: Scope, case: Any, party: str) -> set[str]:
    """The roles the scope holds in the case's participant governments of ``party`` (a party role)."""
    roles: set[str] = set()
    for participant in getattr(case, "participants", ()):
        if participant.party_role == party:
            roles |= scope.roles_by_government.get(participant.government_id, frozenset())
    return roles


def _party_write(scope: Scope, target: tuple[Any, str]) -> bool:
    """Write on one's own part of a case: ``target`` is (case, party role); a team member or coordinator
    of a participant government of that party (the owner's writers act through ``case.edit``)."""
    case, party = target
    return scope.is_admin or bool(party_roles(scope, case, party) & WRITE_ROLES[EDIT])


def can(who: Scope | Any, action: str, target: Any = None) -> bool:
    """May ``who`` (a scope, or a user) do ``action`` on ``target``?

    ``action`` is one of READ, EDIT, APPROVE, ADMIN on a government (``target``: the government,
    None for a national record such as a catalog), or a named action ("case.edit",
    "diagnosis.nominal_list.read"…) on a record: see :func:`actions`.
    """
    scope = who if isinstance(who, Scope) else scope_for(who)
    if action not in ACTIONS:
        predicate = actions().get(action)
        if predicate is None:
            raise ValueError(f"unknown action: {action}")
        return bool(predicate(scope, target))
    return _can_on_government(scope, action, target)


def _can_on_government(scope: Scope, action: str, government: Government | None) -> bool:
    if scope.is_admin:
        return True
    if action == ADMIN:
        return False
    if government is None:
        if action == READ:
            return bool(scope.everything or scope.direct)
        return any(action in NATIONAL_ACTIONS.get(role, ()) for role in scope.global_roles)
    if action == READ:
        return (
            scope.everything
            or government.id in scope.direct
            or government.region_id in scope.regional
            or government.parent_id in scope.provincial
        )
    roles = scope.roles_by_government.get(government.id, frozenset())
    return bool(roles & WRITE_ROLES[action])


def permissions(scope: Scope) -> list[str]:
    """The actions the scope holds somewhere (``/api/v1/me`` shows them), in ``ACTIONS`` order."""
    if scope.is_admin:
        return list(ACTIONS)
    held = set()
    if scope.everything or scope.direct:
        held.add(READ)
    for roles in scope.roles_by_government.values():
        held |= {action for action, allowed in WRITE_ROLES.items() if roles & allowed}
    for role in scope.global_roles:
        held |= NATIONAL_ACTIONS.get(role, frozenset())
    return [action for action in ACTIONS if action in held]


def ensure_case(action: str, case: Any) -> None:
    """:func:`ensure` for a case: readable through its government or a participant's (404 otherwise);
    any other action is checked on the case's own government (403)."""
    scope = current_scope()
    if not can_read_case(scope, case):
        current_app.logger.warning("acceso fuera de jurisdicción: user=%s path=%s", _uid(), request.path)
        abort(404)
    if action != READ and not can(scope, action, case.government):
        current_app.logger.warning("acción no permitida: user=%s action=%s", _uid(), action)
        abort(403)


def ensure(action: str, government: Government | None) -> None:
    """Abort with 404 when the record is out of reach, 403 when reachable but not allowed.

    Out-of-scope records answer 404 so another region's ids are not even confirmed.
    """
    scope = current_scope()
    if not can(scope, READ, government):
        current_app.logger.warning("acceso fuera de jurisdicción: user=%s path=%s", _uid(), request.path)
        abort(404)
    if action != READ and not can(scope, action, government):
        current_app.logger.warning("acción no permitida: user=%s action=%s", _uid(), action)
        abort(403)


# --- named actions: every permission predicate, here -----------------------------------------------------

Predicate = Callable[[Scope, Any], bool]


def writable_government_ids(scope: Scope) -> list[int]:
    """The governments where the scope's memberships write (team or coordinator there)."""
    return sorted(gov for gov, roles in scope.roles_by_government.items() if roles & WRITE_ROLES[EDIT])


def _writes_in(scope: Scope, government_id: int | None) -> bool:
    return scope.is_admin or bool(scope.roles_by_government.get(government_id, frozenset()) & WRITE_ROLES[EDIT])


def _document_issue(scope: Scope, target: tuple[Any, Any]) -> bool:
    """Issue a document by hand: ``target`` is (case, spec); the template allows it and they write there."""
    case, spec = target
    if not spec.manual or (spec.states is not None and case.state not in spec.states):
        return False
    return can(scope, EDIT, case.government)


def _audit_browse(scope: Scope, _target: Any = None) -> bool:
    """Auditors, national supervisors and administrators browse the trail (within their scope)."""
    roles = set(scope.global_roles).union(*scope.roles_by_government.values())
    return scope.is_admin or bool(roles & {"auditor", "national", "admin"})


def _submission_receive(scope: Scope, submission: Any) -> bool:
    """The receiver acknowledges: the government-level RECEIVE on the recipient (the national role's
    own act for the ST-CIAS, the regional government's team for a region)."""
    return can(scope, RECEIVE, submission.recipient_government)


#: The core's named actions; plugins add theirs through the ``permission_actions`` hook, and so do
#: the built-in plugins whose rule needs their own domain ("case.edit": core.cases, by workflow state).
CORE_ACTIONS: dict[str, Predicate] = {
    "government.write": lambda scope, government_id: _writes_in(scope, government_id),
    "case.create": lambda scope, _target=None: scope.is_admin or bool(writable_government_ids(scope)),
    "case.read": can_read_case,
    "case.party_write": _party_write,
    "document.issue": _document_issue,
    "audit.browse": _audit_browse,
    "submission.receive": _submission_receive,
}


def actions(app: Any = None) -> dict[str, Predicate]:
    """Every named action of the app: the core's and the plugins' (hook ``permission_actions``),
    collected once per app."""
    app = app or current_app
    found = app.extensions.get("articula.actions")
    if found is None:
        found = dict(CORE_ACTIONS)
        for mapping in plugin_registry(app).call_in_order("permission_actions"):
            clash = set(found) & set(mapping)
            if clash:
                raise ValueError(f"acciones registradas dos veces: {', '.join(sorted(clash))}")
            found.update(mapping)
        app.extensions["articula.actions"] = found
    return found


def _uid() -> str:
    return str(getattr(current_user, "id", "anónimo"))


def scope_for_cli(user: User | None) -> Scope:
    """CLI commands act as a named user (``--as``) or, without one, as the system administrator."""
    if user is None:
        return Scope(True, True, frozenset(), frozenset(), frozenset(), {}, frozenset({"admin"}))
    return scope_for(user)
