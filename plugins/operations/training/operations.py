"""The writes of training and educational communication, as named operations (core.operations):
``operations.training.event.create`` / ``.edit``, ``operations.training.plan.create`` and
``operations.training.action.add``. Evidence is attached to the event's case (core attachments)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.cases import case_types, check_version, create_case, editable_by, lock_for_append, touch
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.operations.training.fields import ACTION, EVENT, PLAN
from plugins.operations.training.models import CommunicationAction, CommunicationPlan, TrainingEvent


def _government(ctx: Context, government_id: Any) -> Government:
    government = ctx.load(Government, government_id, action=EDIT, government=lambda g: g)
    return government


def _editable(ctx: Context, case: Any, version: Any, *, append: bool = False) -> None:
    if append:
        lock_for_append(case)
    if not editable_by(case, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(case, version, append=append)


@operation("operations.training.event.create", fields=EVENT, params=("government_id",))
def create_event(ctx: Context, data: dict[str, Any]) -> TrainingEvent:
    """Record a training or technical-assistance event of a government (provider, topic, dates…)."""
    government = _government(ctx, data.get("government_id"))
    values = {k: v for k, v in data.items() if k in EVENT.input_names and k != "topic"}
    values["kind"] = values.get("kind") or "training"  # sent empty: the default
    return create_case(
        case_types()["training_event"],
        government,
        data["start_date"].year,
        data["topic"],
        ctx.user,
        ctx.scope,
        **values,
    )


@operation("operations.training.event.edit", fields=EVENT, partial=True, params=("event_id", "version"))
def edit_event(ctx: Context, data: dict[str, Any]) -> TrainingEvent:
    """Change an event's data, e.g. its participants once held; only the fields sent change."""
    event = ctx.load(TrainingEvent, data.get("event_id"), action=EDIT)
    _editable(ctx, event, data.get("version"))
    if "kind" in data and not data["kind"]:
        data["kind"] = event.kind
    merged = {name: getattr(event, name) for name in EVENT.input_names} | data
    for name, problem in [p for check in EVENT.checks for p in check(merged)]:
        raise Refusal(str(problem), 400, {name: [str(problem)]})
    for name in EVENT.input_names:
        if name in data:
            setattr(event, "title" if name == "topic" else name, data[name])
    touch(event, ctx.user)
    db.session.flush()
    return event


@operation("operations.training.plan.create", fields=PLAN, params=("government_id",))
def create_plan(ctx: Context, data: dict[str, Any]) -> CommunicationPlan:
    """Draft the educational-communication plan of a government for a year."""
    government = _government(ctx, data.get("government_id"))
    if not 2000 <= data["year"] <= 2100:
        message = _("«Year» must be between 2000 and 2100.")
        raise Refusal(message, 400, {"year": [message]})
    return create_case(
        case_types()["communication_plan"],
        government,
        data["year"],
        data["name"],
        ctx.user,
        ctx.scope,
        objective=data.get("objective"),
    )


@operation("operations.training.action.add", fields=ACTION, params=("plan_id", "version"))
def add_action(ctx: Context, data: dict[str, Any]) -> CommunicationAction:
    """Add an action to the plan: a campaign, contest, dissemination, online consultation or manual."""
    plan = ctx.load(CommunicationPlan, data.get("plan_id"), action=EDIT)
    _editable(ctx, plan, data.get("version"), append=True)
    action = CommunicationAction(plan=plan, **{k: v for k, v in data.items() if k in ACTION.input_names})
    db.session.add(action)
    touch(plan, ctx.user, append=True)
    db.session.flush()
    return action


def may_edit(scope: Any, case: Any) -> bool:
    """Named action ``operations.training.edit``: change an event or a plan in its state."""
    return editable_by(case, scope)


OPERATIONS = [create_event, edit_event, create_plan, add_action]
