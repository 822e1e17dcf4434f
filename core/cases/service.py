"""The case lifecycle: create (with its reference number), update with a version check.

Plugins declare case types with the ``case_types`` hook; the core ships one of its own,
``generic`` ("Expediente"), so the engine is usable and testable with no plugin at all.
"""

from __future__ import annotations

import string
from typing import Any

from flask_babel import gettext
from flask_babel import gettext as _
from sqlalchemy import select

import core.cases.search  # noqa: F401  (keeps the search words on every case write)
from core.cases.types import CaseType
from core.custom_fields import parse_values
from core.extensions import db
from core.models import Government
from core.models.case import STAGES, Case, CaseParticipant, Cycle, ReferenceCounter, ReferencePattern
from core.models.user import utcnow
from core.security import EDIT, Scope, can
from core.workflow import get_workflow, user_roles_for


class CaseError(ValueError):
    """A refused case operation; Spanish message, HTTP-ish status."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


class StaleCaseError(CaseError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else changed this case after you opened it. "
                "Reload the page to see the current version and apply your changes again."
            ),
            status=409,
        )


def get_cycle(government: Government, year: int) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.government_id == government.id, Cycle.year == year))
    if cycle is None:
        cycle = Cycle(government=government, year=year)
        db.session.add(cycle)
        db.session.flush()
    return cycle


def reference_pattern(government: Government, case_type: CaseType) -> str:
    own = db.session.scalar(
        select(ReferencePattern.pattern).where(
            ReferencePattern.case_type == case_type.key, ReferencePattern.government_id == government.id
        )
    )
    default = db.session.scalar(
        select(ReferencePattern.pattern).where(
            ReferencePattern.case_type == case_type.key, ReferencePattern.government_id.is_(None)
        )
    )
    return own or default or case_type.reference_pattern


def check_pattern(pattern: str) -> None:
    """A pattern may use only {seq}, {year}, {acronym}, {type}, and must contain {seq}."""
    fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = fields - {"seq", "year", "acronym", "type"}
    if unknown:
        raise CaseError(
            _(
                "Numbering pattern with unknown fields: %(fields)s.",
                fields=", ".join(sorted(unknown)),
            )
        )
    if "seq" not in fields:
        raise CaseError(_("The numbering pattern must include {seq} (the sequence number)."))


def next_reference(government: Government, case_type: CaseType, year: int) -> str:
    """The next reference by the government's pattern; the counter row serializes concurrent creators."""
    counter = db.session.scalar(
        select(ReferenceCounter)
        .where(
            ReferenceCounter.government_id == government.id,
            ReferenceCounter.case_type == case_type.key,
            ReferenceCounter.year == year,
        )
        .with_for_update()
    )
    if counter is None:
        counter = ReferenceCounter(government_id=government.id, case_type=case_type.key, year=year, last=0)
        db.session.add(counter)
    pattern = reference_pattern(government, case_type)
    while True:
        counter.last += 1
        reference = pattern.format(
            seq=counter.last, year=year, acronym=government.acronym or "", type=case_type.key.upper()
        )
        taken = db.session.scalar(
            select(Case.id).where(Case.government_id == government.id, Case.reference == reference)
        )
        if not taken:  # a reference typed by hand may already hold the number: skip it
            db.session.flush()
            return reference


def create_case(
    case_type: CaseType,
    government: Government,
    year: int,
    title: str,
    user: Any,
    scope: Scope,
    stage: str | None = None,
    custom: dict[str, Any] | None = None,
    **attributes: Any,
) -> Case:
    """Create a case in its workflow's initial state; the caller commits."""

    if not can(scope, EDIT, government):
        raise CaseError(_("You cannot create cases in this government."), status=403)
    if not case_type.allowed_for(government):
        raise CaseError(
            _(
                "«%(case_type)s» does not apply to a %(level)s government.",
                case_type=case_type.label,
                level=government.level,
            )
        )
    title = (title or "").strip()
    if not title:
        raise CaseError(_("The title is required."))
    if len(title) > 300:
        raise CaseError(_("The title admits at most 300 characters."))
    if not 2000 <= int(year) <= 2100:
        raise CaseError(_("The year must be between 2000 and 2100."))
    stage = case_type.stage or stage
    if stage not in STAGES:
        raise CaseError(_("Give the cycle stage of the case."))
    workflow = get_workflow(case_type.workflow)
    values = parse_values(case_type.key, custom or {}, None)
    case = case_type.model(
        government=government,
        cycle=get_cycle(government, year),
        year=year,
        stage=stage,
        title=title,
        state=workflow.initial,
        workflow_id=case_type.workflow,
        custom=values,
        created_by_id=getattr(user, "id", None),
        updated_by_id=getattr(user, "id", None),
        **attributes,
    )
    case.reference = next_reference(government, case_type, year)
    db.session.add(case)
    db.session.flush()
    return case


def may_edit(scope: Scope, case: Any) -> bool:
    """Named action "case.edit": edit the case's fields now, i.e. the user's role is among its current
    state's editors (registered by the cases built-in plugin's ``permission_actions`` hook)."""
    if not can(scope, EDIT, case.government) and not scope.is_admin:
        return False
    state = get_workflow(case.workflow_id).states.get(case.state)
    if state is None:
        return False
    return scope.is_admin or bool(user_roles_for(scope, case) & set(state.edit))


def editable_by(case: Case, scope: Scope) -> bool:
    """May the user edit the case's fields now (core.security's named action "case.edit")."""
    return can(scope, "case.edit", case)


def lock_for_append(case: Case) -> None:
    """Before adding a child record (a member, a clause, a plan row…) to ``case``.

    An append conflicts with nobody: two people adding different members at once must both
    succeed, so an append neither compares nor bumps the case version (``check_version`` and
    ``touch`` with ``append=True``). What it must not miss is a concurrent transition or edit
    of the case itself: the case row is locked for share until commit (PostgreSQL: appends
    share it, a transition's UPDATE waits for them or they see its result; SQLite's write lock
    already serialises writers) and its state re-read, so edit rights are checked on the
    committed state. Call it before ``editable_by``.
    """
    db.session.execute(select(Case.id).where(Case.id == case.id).with_for_update(read=True))
    db.session.expire(case, ["state", "version"])


def touch(case: Case, user: Any, *, append: bool = False) -> None:
    """A change to a child record is a change to the case: its version moves on (on flush),
    except for an append, which leaves the case row alone (see ``lock_for_append``)."""
    if append:
        return
    case.updated_at = utcnow()
    case.updated_by_id = getattr(user, "id", None)


def check_version(case: Case, submitted_version: Any, *, append: bool = False) -> None:
    """Refuse a stale form or API call: the version it was read at is no longer current.

    ``append``: the call adds a new child record; the version it was read at does not matter
    (see ``lock_for_append``, which the caller has called).
    """
    if append:
        return
    try:
        submitted = int(submitted_version)
    except (TypeError, ValueError) as error:
        raise CaseError(_("The case's version is missing (field «version»)."), status=400) from error
    if submitted != case.version:
        raise StaleCaseError()


def update_case(
    case: Case,
    scope: Scope,
    user: Any,
    version: Any,
    title: str | None = None,
    custom: dict[str, Any] | None = None,
    **attributes: Any,
) -> Case:
    """Apply an edit made on ``version``; the caller commits (a race still fails on the version column)."""

    if not editable_by(case, scope):
        raise CaseError(_("You cannot edit this case in its current state."), status=403)
    check_version(case, version)
    if title is not None:
        title = title.strip()
        if not title:
            raise CaseError(_("The title is required."))
        if len(title) > 300:
            raise CaseError(_("The title admits at most 300 characters."))
        case.title = title
    if custom is not None:
        case.custom = parse_values(case.type, custom, case.custom)
    for name, value in attributes.items():
        setattr(case, name, value)
    case.updated_by_id = getattr(user, "id", None)
    return case


def add_participant(case: Case, government: Government, party_role: str = "participant") -> CaseParticipant:
    """Name ``government`` a participant of ``case`` (DESIGN §11): its users read the case and fire
    the transitions whose ``party`` is ``party_role``. The caller checks who may add it (the owner's
    edit) and what the case type admits (e.g. a municipality of the region); the caller commits."""
    if government.id == case.government_id:
        raise CaseError(gettext("The government that owns the case cannot also be a participant."))
    if any(p.government_id == government.id for p in case.participants):
        raise CaseError(gettext("%(name)s already participates in this case.", name=government.name))
    participant = CaseParticipant(case=case, government=government, party_role=party_role)
    db.session.add(participant)
    db.session.flush()
    return participant
