"""Who reaches the Ventanilla's records, as named actions of core/security.py:

- ``monitoring.ventanilla.manage`` (target: a government): set up its office and designate its staff —
  the government's coordinator (APPROVE there) or an administrator;
- ``monitoring.ventanilla.attend`` (target: (office, user)): attend the office's entries — its
  government's coordinator, or a team member of that government designated as staff;
- ``monitoring.ventanilla.read`` (target: an entry): the holding office's government, or the original
  office's after an escalation, through the usual reach (a region reads its local offices; national,
  auditors all);
- ``monitoring.ventanilla.personal_data`` (target: (entry, user)): the staff of the holding office only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.sql import ColumnElement

from core.extensions import db
from core.refusals import Refusal
from core.security import APPROVE, READ, WRITE_ROLES, Scope, can, readable_clause
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice, VentanillaStaff


def _manage(scope: Scope, government: Any) -> bool:
    return can(scope, APPROVE, government)


def is_staff(office_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    query = select(VentanillaStaff.id).where(VentanillaStaff.office_id == office_id, VentanillaStaff.user_id == user_id)
    return db.session.scalar(query.limit(1)) is not None


def _attend(scope: Scope, target: tuple[VentanillaOffice, Any]) -> bool:
    office, user = target
    if scope.is_admin:
        return True
    roles = scope.roles_by_government.get(office.government_id, frozenset())
    if "coordinator" in roles:
        return True
    return bool(roles & WRITE_ROLES["edit"]) and is_staff(office.id, getattr(user, "id", None))


def _read(scope: Scope, entry: VentanillaEntry) -> bool:
    return can(scope, READ, entry.government) or can(scope, READ, entry.origin_office.government)


def _personal_data(scope: Scope, target: tuple[VentanillaEntry, Any]) -> bool:
    entry, user = target
    return _attend(scope, (entry.office, user))


ACTIONS = {
    "monitoring.ventanilla.manage": _manage,
    "monitoring.ventanilla.attend": _attend,
    "monitoring.ventanilla.read": _read,
    "monitoring.ventanilla.personal_data": _personal_data,
}


def readable_entries(scope: Scope) -> ColumnElement[bool]:
    """SQL condition: the entries the scope reads (holding or original office's government in reach)."""
    return or_(
        readable_clause(scope, VentanillaEntry.government_id),
        readable_clause(scope, VentanillaEntry.origin_government_id),
    )


def load_entry(entry_id: Any, scope: Scope) -> VentanillaEntry:
    """The entry if the scope reads it, else a 404 refusal (another office's ids are not confirmed)."""
    from flask_babel import gettext as _

    try:
        entry = db.session.get(VentanillaEntry, int(entry_id))
    except (TypeError, ValueError):
        entry = None
    if entry is None or not can(scope, "monitoring.ventanilla.read", entry):
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    return entry
