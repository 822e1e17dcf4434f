"""Workflows as data: load the YAML into the database, cache it per session, apply transitions.

The definitions (records, parsing, validation) are ``core.workflow_definition``, re-exported here.

A transition checks, in order: it exists and leaves the current state; the user holds one
of its roles in the case's government; its required fields are filled; its guard (a
named Python function registered by a plugin) finds no gap; a required comment is given.
Then the state changes, the transition is recorded, and its effects run (issue a
document, meet a deadline, notify) — all in one database transaction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from core.custom_fields import field_label, is_empty, value_of
from core.extensions import db
from core.models.case import Case, CaseTransition, WorkflowDefinition
from core.plugins import plugin_registry
from core.security import Scope, party_roles
from core.workflow_definition import (
    EFFECT_KEYS,
    Effect,
    Guard,
    Transition,
    Workflow,
    WorkflowError,
    parse,
    validate,
)
from core.workflow_definition import (
    State as State,  # re-exported: callers import the records from core.workflow
)

CORE_WORKFLOWS = Path(__file__).resolve().parent / "workflows"

#: Per app: ``app.extensions[_EFFECTS_KEY]`` maps an effect key to the function a subsystem plugged in.
_EFFECTS_KEY = "articula.effects"


def register_effect(key: str, function: Effect) -> None:
    """Subsystems (documents, deadlines, notifications) plug in what a transition's effect does,
    for the current app (call it from their ``init_app`` hook)."""
    if key not in EFFECT_KEYS:
        raise ValueError(f"unknown effect: {key}")
    current_app.extensions.setdefault(_EFFECTS_KEY, {})[key] = function


# --- the registry: guards from plugins, definitions from the database ---------------------------


def registered_guards(app: Flask | None = None) -> dict[str, Guard]:
    guards: dict[str, Guard] = {}
    for mapping in plugin_registry(app).call_in_order("workflow_guards"):
        guards.update(mapping)
    return guards


def check_source(source: str, app: Flask | None = None) -> Workflow:
    """Parse and validate; raise WorkflowError listing every problem."""
    workflow = parse(source)
    problems = validate(workflow, registered_guards(app))
    if problems:
        raise WorkflowError(problems)
    return workflow


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def shipped_workflows(app: Flask) -> list[tuple[str, Path]]:
    """(owner, path) of every workflow YAML: the core's, then each enabled plugin's workflows/."""

    found = [("core", p) for p in sorted(CORE_WORKFLOWS.glob("*.yaml"))]
    for info in plugin_registry(app).enabled:
        folder = info.folder("workflows")
        if folder:
            found += [(info.name, p) for p in sorted(folder.glob("*.yaml"))]
    return found


def load_shipped(app: Flask) -> dict[str, str]:
    """Store shipped workflows; one an administrator edited is kept (like seed data).

    Returns {workflow id: "created" | "updated" | "kept"} for those that changed (codes; the
    command line words them in the reader's language)."""
    results = {}
    for owner, path in shipped_workflows(app):
        source = path.read_text(encoding="utf-8")
        workflow = check_source(source, app)
        row = db.session.get(WorkflowDefinition, workflow.id)
        checksum = _checksum(source)
        if row is None:
            db.session.add(WorkflowDefinition(id=workflow.id, owner=owner, source=source, shipped_checksum=checksum))
            results[workflow.id] = "created"
        elif row.shipped_checksum != checksum:
            if row.edited:
                results[workflow.id] = "kept"
            else:
                row.source = source
                results[workflow.id] = "updated"
            row.shipped_checksum = checksum
    db.session.flush()
    _cache_clear()
    return results


def save_definition(workflow_id: str, source: str) -> Workflow:
    """An administrator's edit: validated first; an invalid YAML leaves the stored one untouched."""
    workflow = check_source(source)
    if workflow.id != workflow_id:
        raise WorkflowError(
            _(
                "The workflow's id cannot change («%(old)s» → «%(new)s»).",
                old=workflow_id,
                new=workflow.id,
            )
        )
    row = db.session.get(WorkflowDefinition, workflow_id)
    if row is None:
        raise WorkflowError(_("The workflow «%(workflow_id)s» does not exist.", workflow_id=workflow_id), status=404)
    in_use = {s for (s,) in db.session.execute(db.select(Case.state).where(Case.workflow_id == workflow_id).distinct())}
    missing = sorted(in_use - set(workflow.states))
    if missing:
        raise WorkflowError(
            _(
                "Cases are in states that the new workflow removes: %(states)s.",
                states=", ".join(f"«{s}»" for s in missing),
            )
        )
    row.source = source
    row.edited = True
    _cache_clear()
    return workflow


_parsed: dict[tuple[str, str], Workflow] = {}
#: Key in ``Session.info``: the workflow sources this transaction read, by id. The session's identity
#: map holds rows only weakly, so a list calling ``get_workflow`` per row re-read the definition
#: for every row (54 statements for 50 cases); this keeps them until the transaction ends.
_SESSION_KEY = "articula.workflows"


def _cache_clear() -> None:
    _parsed.clear()
    db.session.info.pop(_SESSION_KEY, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_session_workflows(session: Session, *_: Any) -> None:
    # Like the identity map's expiry: after the transaction, the next read sees others' edits.
    session.info.pop(_SESSION_KEY, None)


@event.listens_for(WorkflowDefinition.source, "set")
def _forget_on_edit(target: WorkflowDefinition, *_: Any) -> None:
    session = object_session(target)
    if session is not None:
        session.info.pop(_SESSION_KEY, None)


def get_workflow(workflow_id: str) -> Workflow:
    """The parsed workflow: read once per transaction (constant queries per page), parsed once per source."""
    cache: dict[str, str] | None = db.session.info.get(_SESSION_KEY)
    if cache is None:
        # All definitions in one query (a handful of rows): a page mixing case types costs one read.
        cache = {row.id: row.source for row in db.session.scalars(select(WorkflowDefinition))}
        db.session.info[_SESSION_KEY] = cache
    if workflow_id not in cache:
        raise WorkflowError(_("The workflow «%(workflow_id)s» does not exist.", workflow_id=workflow_id), status=500)
    source = cache[workflow_id]
    key = (workflow_id, _checksum(source))
    if key not in _parsed:
        _parsed[key] = parse(source)  # a stored source that no longer parses fails only its own cases
    return _parsed[key]


# --- applying transitions -----------------------------------------------------------------------


def user_roles_for(scope: Scope, case: Case, party: str | None = None) -> set[str]:
    """Roles the user holds for this case: in its government, plus national ones; for a ``party``
    transition, in the case's participant governments of that party instead (and no national role:
    a participant's act is its own)."""
    if party is not None:
        return party_roles(scope, case, party)
    roles = set(scope.roles_by_government.get(case.government_id, frozenset()))
    roles |= set(scope.global_roles) & {"national", "admin"}
    return roles


def _missing_required(case: Case, names: list[str]) -> list[str]:
    missing = []
    for name in names:
        if is_empty(value_of(case, name)):
            missing.append(_("«%(field_label)s» must be completed.", field_label=field_label(case, name)))
    return missing


def blockers(case: Case, transition: Transition, scope: Scope, guards: dict[str, Guard] | None = None) -> list[str]:
    """Why ``transition`` cannot run now for this user (empty: it can)."""
    if case.state not in transition.sources:
        workflow = get_workflow(case.workflow_id)
        return [
            _(
                "The transition «%(label)s» is not allowed in the state «%(state_label)s».",
                label=transition.label,
                state_label=workflow.state_label(case.state),
            )
        ]
    if not scope.is_admin and not (user_roles_for(scope, case, transition.party) & set(transition.roles)):
        return [
            _(
                "Your role does not allow you to run «%(label)s» in this case.",
                label=transition.label,
            )
        ]
    reasons = _missing_required(case, transition.require)
    if transition.guard:
        guards = guards if guards is not None else registered_guards()
        guard = guards.get(transition.guard)
        if guard is None:
            reasons.append(_("The condition «%(guard)s» is not registered.", guard=transition.guard))
        else:
            reasons += guard(case)
    return reasons


def later_requirements(case: Case, transition: Transition) -> list[dict[str, Any]]:
    """What the steps after ``transition`` will require (the transitions leaving its target state, e.g.
    the coordinator's approval after "send for review"), each field named and marked filled or not: so
    that whoever sends the case knows what will be asked of it."""

    workflow = get_workflow(case.workflow_id)
    steps = []
    for later in workflow.outgoing(transition.target):
        if not later.require:
            continue
        fields = [
            {"name": name, "label": field_label(case, name), "missing": is_empty(value_of(case, name))}
            for name in later.require
        ]
        steps.append({"label": later.label, "fields": fields})
    return steps


def available_transitions(case: Case, scope: Scope) -> list[tuple[Transition, list[str]]]:
    """ "What can I do now": each transition leaving the current state that the user's role allows,
    with the reasons (if any) that still block it."""
    workflow = get_workflow(case.workflow_id)
    guards = registered_guards()
    result = []
    for t in workflow.outgoing(case.state):
        if scope.is_admin or user_roles_for(scope, case, t.party) & set(t.roles):
            result.append((t, blockers(case, t, scope, guards)))
    return result


def perform(case: Case, key: str, user: Any, scope: Scope, comment: str | None = None) -> CaseTransition:
    """Apply transition ``key`` to ``case`` or raise WorkflowError; the caller commits."""
    workflow = get_workflow(case.workflow_id)
    transition = workflow.transitions.get(key)
    if transition is None:
        raise WorkflowError(
            _(
                "The workflow «%(workflow)s» has no transition «%(key)s».",
                workflow=workflow.label,
                key=key,
            ),
            status=404,
        )
    if not scope.is_admin and not (user_roles_for(scope, case, transition.party) & set(transition.roles)):
        raise WorkflowError(
            _(
                "Your role does not allow you to run «%(label)s» in this case.",
                label=transition.label,
            ),
            status=403,
        )
    reasons = blockers(case, transition, scope)
    comment = (comment or "").strip() or None
    if transition.comment == "required" and not comment:
        reasons.append(_("«%(label)s» needs a comment.", label=transition.label))
    if reasons:
        raise WorkflowError(reasons, status=409 if case.state not in transition.sources else 400)

    from_state = case.state
    case._transition_in_progress = True
    try:
        case.state = transition.target
    finally:
        case._transition_in_progress = False
    case.updated_by_id = getattr(user, "id", None)
    record = CaseTransition(
        case=case,
        name=key,
        from_state=from_state,
        to_state=transition.target,
        user_id=getattr(user, "id", None),
        comment=comment,
    )
    db.session.add(record)
    db.session.flush()
    for effect_key, value in transition.effects.items():
        effect = current_app.extensions.get(_EFFECTS_KEY, {}).get(effect_key)
        if effect is None:
            current_app.logger.warning("efecto «%s» sin implementación registrada", effect_key)
            continue
        effect(case, transition, user, value)

    plugin_registry().hook.after_transition(case=case, transition=transition, user=user)
    return record
