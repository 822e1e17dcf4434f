"""Event deadlines: the workflow effects ``starts_deadline`` and ``meets_deadline`` and meeting a
government's deadline from a submission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, true

from core.deadlines.due_dates import calendar_for, due_date_for
from core.deadlines.generation import _insert_ignoring_duplicates, binds, missing_deadlines
from core.deadlines.models import EVENT_KINDS, Deadline, DeadlineRule
from core.deadlines.rules import rule_by_key
from core.deadlines.settings import DeadlineError, lima_date, log
from core.extensions import db
from core.models import Case, Government, WorkflowDefinition
from core.models.user import utcnow
from core.workflow import WorkflowError

# --- events: workflow effects ---------------------------------------------------------------------


def _workflow_owner(case: Case) -> str | None:
    row = db.session.get(WorkflowDefinition, case.workflow_id)
    return row.owner if row else None


def _rule_for_effect(case: Case, key: Any) -> DeadlineRule | None:
    if not isinstance(key, str) or not key:
        raise WorkflowError(_("Invalid deadline rule key: «%(key)s».", key=key))
    rule = rule_by_key(key, _workflow_owner(case))
    if rule is None:
        raise WorkflowError(_("The workflow uses the deadline rule «%(key)s», which does not exist.", key=key))
    if not rule.active:
        log.info("regla de plazo inactiva «%s»: efecto omitido", rule.key)
        return None
    return rule


def start_deadline(case: Case, rule: DeadlineRule, start: date) -> Deadline | None:
    """Start (or restart, while unmet) the case's deadline of an event rule on ``start``; None when
    the rule does not bind the case's government level."""
    if not binds(rule.level, case.government.kind):
        log.info("la regla «%s» no obliga a %s: efecto omitido", rule.key, case.government.name)
        return None
    if rule.kind not in EVENT_KINDS:
        raise DeadlineError(
            _(
                "The rule «%(label)s» has a fixed date: it does not start with an event.",
                label=rule.label,
            )
        )
    if rule.case_type and rule.case_type != case.type:
        raise DeadlineError(
            _(
                "The rule «%(label)s» belongs to another case type («%(case_type)s»).",
                label=rule.label,
                case_type=rule.case_type,
            )
        )
    deadline = db.session.scalar(
        select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == case.id, Deadline.period == 0)
    )
    due = due_date_for(rule, case.year, 0, start, calendar_for(case.government))
    if deadline is None:
        deadline = Deadline(
            rule=rule,
            government_id=case.government_id,
            year=case.year,
            case_id=case.id,
            period=0,
            label=rule.label,
        )
        db.session.add(deadline)
    elif deadline.met_at is not None:
        return deadline  # met: a later event does not reopen it
    deadline.start_date, deadline.due_date = start, due
    db.session.flush()
    return deadline


def meet_deadline(case: Case, rule: DeadlineRule, user: Any, at: datetime | None = None) -> list[Deadline]:
    """Mark met, at ``at`` by ``user`` through ``case``: the case's own deadline (event rules), or its
    government's deadline of the case's year (fixed: that one; quarterly: the earliest unmet quarter).
    A deadline already met keeps its first fulfilment."""
    at = at or utcnow()
    if rule.kind not in EVENT_KINDS:
        return meet_government_deadline(case.government, case.year, rule, user, at, case_id=case.id)
    candidates = db.session.scalars(
        select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == case.id, Deadline.met_at.is_(None))
    ).all()
    return _mark_met(candidates, user, at, case.id)


def meet_government_deadline(
    government: Government,
    year: int,
    rule: DeadlineRule,
    user: Any,
    at: datetime | None = None,
    case_id: int | None = None,
    period: int | None = None,
) -> list[Deadline]:
    """Mark met the government's deadline of a fixed or quarterly rule for ``year`` (quarterly: the
    earliest unmet quarter, or the quarter ``period``) — what a transition or a submission does. Returns
    the deadlines marked."""
    at = at or utcnow()
    if not binds(rule.level, government.kind):
        log.info("la regla «%s» no obliga a %s: efecto omitido", rule.key, government.name)
        return []
    _insert_ignoring_duplicates(missing_deadlines(year, [government.id], [rule]))
    candidates = db.session.scalars(
        select(Deadline)
        .where(
            Deadline.rule_id == rule.id,
            Deadline.government_id == government.id,
            Deadline.year == year,
            Deadline.case_id.is_(None),
            Deadline.met_at.is_(None),
            true() if period is None else Deadline.period == period,
        )
        .order_by(Deadline.period)
        .limit(1)
    ).all()
    return _mark_met(candidates, user, at, case_id)


def government_deadline(
    government: Government, year: int, rule: DeadlineRule, period: int | None = None
) -> Deadline | None:
    """The government's (first, or quarter ``period``'s) deadline of a fixed or quarterly rule in ``year``,
    created if missing."""
    if not binds(rule.level, government.kind):
        return None
    _insert_ignoring_duplicates(missing_deadlines(year, [government.id], [rule]))
    return db.session.scalar(
        select(Deadline)
        .where(
            Deadline.rule_id == rule.id,
            Deadline.government_id == government.id,
            Deadline.year == year,
            Deadline.case_id.is_(None),
            true() if period is None else Deadline.period == period,
        )
        .order_by(Deadline.met_at.is_not(None), Deadline.period)
        .limit(1)
    )


def _mark_met(candidates: Sequence[Deadline], user: Any, at: datetime, case_id: int | None) -> list[Deadline]:
    for deadline in candidates:
        deadline.met_at, deadline.met_on = at, lima_date(at)
        deadline.met_by_id = getattr(user, "id", None)
        deadline.met_case_id = case_id
    db.session.flush()
    return list(candidates)


def _keys(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def effect_starts(case: Case, transition: Any, user: Any, value: Any) -> None:
    start = lima_date(utcnow())
    for key in _keys(value):
        rule = _rule_for_effect(case, key)
        if rule is not None:
            try:
                start_deadline(case, rule, start)
            except DeadlineError as error:
                raise WorkflowError(error.reasons) from error


def effect_meets(case: Case, transition: Any, user: Any, value: Any) -> None:
    at = utcnow()
    for key in _keys(value):
        rule = _rule_for_effect(case, key)
        if rule is not None:
            meet_deadline(case, rule, user, at)
