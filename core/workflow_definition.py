"""Workflow definitions as data: the State/Transition/Workflow records, YAML parsing and validation.

Pure: no database, no app. ``core.workflow`` loads definitions, caches them and runs transitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from flask_babel import get_locale
from flask_babel import gettext as _

from core.models import ROLES
from core.models.case import Case

#: A guard returns the Spanish reasons that block the transition (empty: it may proceed).
Guard = Callable[[Case], list[str]]
#: An effect runs after the state changed: effect(case, transition, user, value).
Effect = Callable[[Case, "Transition", Any, Any], None]

EFFECT_KEYS = ("issue_document", "meets_deadline", "starts_deadline", "notify")


class WorkflowError(ValueError):
    """A refused transition or an invalid workflow; ``reasons`` are Spanish, ready to show."""

    def __init__(self, reasons: str | Iterable[str], status: int = 400) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.status = status
        super().__init__("; ".join(self.reasons))


def _label(value: Any, fallback: str) -> str:
    """Labels are Spanish strings, or {es: …, en: …} for a bilingual workflow."""
    if isinstance(value, dict):
        try:
            lang = str(get_locale() or "es")
        except Exception:  # noqa: BLE001 — outside a request: Spanish
            lang = "es"
        return str(value.get(lang) or value.get("es") or fallback)
    return str(value) if value else fallback


@dataclass
class State:
    key: str
    raw_label: Any
    edit: list[str]
    final: bool = False

    @property
    def label(self) -> str:
        return _label(self.raw_label, self.key)


@dataclass
class Transition:
    key: str
    raw_label: Any
    sources: list[str]
    target: str
    roles: list[str]
    guard: str | None = None
    require: list[str] = field(default_factory=list)
    comment: str = "optional"  # optional | required | none
    effects: dict[str, Any] = field(default_factory=dict)
    # A participant's part (DESIGN §11): the roles are held in the case's participant governments of
    # this party role (core.models.CaseParticipant), not in the case's own government.
    party: str | None = None

    @property
    def label(self) -> str:
        return _label(self.raw_label, self.key)


@dataclass
class Workflow:
    id: str
    raw_label: Any
    initial: str
    states: dict[str, State]
    transitions: dict[str, Transition]

    @property
    def label(self) -> str:
        return _label(self.raw_label, self.id)

    def state_label(self, key: str) -> str:
        state = self.states.get(key)
        return state.label if state else key

    def outgoing(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def parse(source: str) -> Workflow:
    """YAML text → Workflow, or WorkflowError with every problem found (Spanish)."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        raise WorkflowError(_("The YAML is not valid: %(error)s", error=error)) from error
    if not isinstance(data, dict):
        raise WorkflowError(_("The workflow must be a map with id, initial, states and transitions."))
    problems: list[str] = []
    for key in ("id", "initial", "states", "transitions"):
        if key not in data:
            problems.append(_("The key «%(key)s» is missing.", key=key))
    if problems:
        raise WorkflowError(problems)
    if not isinstance(data["states"], dict) or not data["states"]:
        raise WorkflowError(_("«states» must be a map with at least one state."))
    if not isinstance(data["transitions"], dict):
        raise WorkflowError(_("«transitions» must be a map."))
    states = {}
    for key, spec in data["states"].items():
        spec = spec or {}
        if not isinstance(spec, dict):
            problems.append(_("The state «%(key)s» must be a map.", key=key))
            continue
        states[str(key)] = State(str(key), spec.get("label"), list(spec.get("edit") or []), bool(spec.get("final")))
    transitions = {}
    for key, spec in data["transitions"].items():
        if not isinstance(spec, dict):
            problems.append(_("The transition «%(key)s» must be a map.", key=key))
            continue
        sources = spec.get("from") or []
        sources = [sources] if isinstance(sources, str) else list(sources)
        effects = {k: spec[k] for k in EFFECT_KEYS if spec.get(k)}
        transitions[str(key)] = Transition(
            key=str(key),
            raw_label=spec.get("label"),
            sources=[str(s) for s in sources],
            target=str(spec.get("to", "")),
            roles=list(spec.get("roles") or []),
            guard=spec.get("guard"),
            require=list(spec.get("require") or []),
            comment=str(spec.get("comment", "optional")),
            effects=effects,
            party=str(spec["party"]) if spec.get("party") else None,
        )
    if problems:
        raise WorkflowError(problems)
    return Workflow(str(data["id"]), data.get("label"), str(data["initial"]), states, transitions)


def validate(workflow: Workflow, guards: dict[str, Guard] | None = None) -> list[str]:
    """Every problem of a parsed workflow (empty: valid): the checks made on save."""
    problems = []
    if workflow.initial not in workflow.states:
        problems.append(
            _(
                "The initial state «%(initial)s» is not among the states.",
                initial=workflow.initial,
            )
        )
    for state in workflow.states.values():
        for role in state.edit:
            if role not in ROLES:
                problems.append(_("State «%(key)s»: unknown role «%(role)s».", key=state.key, role=role))
    for t in workflow.transitions.values():
        if not t.sources:
            problems.append(_("The transition «%(key)s» does not say from which state («from»).", key=t.key))
        for source in t.sources:
            if source not in workflow.states:
                problems.append(
                    _(
                        "The transition «%(key)s» leaves from a state that does not exist «%(source)s».",
                        key=t.key,
                        source=source,
                    )
                )
        if t.target not in workflow.states:
            problems.append(
                _(
                    "The transition «%(key)s» leads to a state that does not exist «%(target)s».",
                    key=t.key,
                    target=t.target,
                )
            )
        if not t.roles:
            problems.append(_("The transition «%(key)s» does not say which roles can run it.", key=t.key))
        for role in t.roles:
            if role not in ROLES:
                problems.append(_("The transition «%(key)s»: unknown role «%(role)s».", key=t.key, role=role))
        if t.guard and guards is not None and t.guard not in guards:
            problems.append(
                _(
                    "The transition «%(key)s»: condition (guard) not registered «%(guard)s».",
                    key=t.key,
                    guard=t.guard,
                )
            )
        if t.comment not in ("optional", "required", "none"):
            problems.append(
                _(
                    "The transition «%(key)s»: «comment» must be optional, required or none.",
                    key=t.key,
                )
            )
    if workflow.initial in workflow.states:
        reached, frontier = {workflow.initial}, [workflow.initial]
        while frontier:
            current = frontier.pop()
            for t in workflow.outgoing(current):
                if t.target in workflow.states and t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        for key in workflow.states:
            if key not in reached:
                problems.append(_("The state «%(key)s» cannot be reached from the initial state.", key=key))
    for state in workflow.states.values():
        if not state.final and not workflow.outgoing(state.key):
            problems.append(
                _(
                    "The state «%(key)s» is not final and has no outgoing transitions.",
                    key=state.key,
                )
            )
    return problems
