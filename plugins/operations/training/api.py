"""API of training and educational communication under /api/v1/operations/training: events (list —
a region's includes its local governments' —, record, one, edit) and communication plans with
their actions. Transitions and evidence (attachments) are the engine's (/api/v1/cases/<id>/…)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import ApiRegistry, filter_parameters, json_object, page_schema, scoped_page
from core.operations import api_load, api_run
from core.security import EDIT
from plugins.operations.training.fields import ACTION, EVENT, PLAN
from plugins.operations.training.models import CommunicationPlan, TrainingEvent

PREFIX = "/operations/training"
TAG = "gestión operativa: capacitación"


def event_json(case: TrainingEvent) -> dict[str, Any]:
    """The event's own fields (added to the engine's case JSON)."""
    return {k: v for k, v in EVENT.serialize(case).items() if k != "id"}


def plan_json(case: CommunicationPlan) -> dict[str, Any]:
    return {
        **{k: v for k, v in PLAN.serialize(case).items() if k != "id"},
        "actions": [ACTION.serialize(a) for a in case.actions],
    }


def _event_summary(case: TrainingEvent) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "government_id": case.government_id,
        "government": case.government.name,
        "state": case.state,
        "version": case.version,
        **event_json(case),
    }


def register(api: ApiRegistry) -> None:
    from core.cases.api import case_json

    event_schema = EVENT.json_schema()
    api.schemas["OperationsTrainingEvent"] = {
        **event_schema,
        "required": [*event_schema["required"], "reference", "government_id", "government", "state", "version"],
        "properties": {
            **event_schema["properties"],
            "reference": {"type": "string"},
            "government_id": {"type": "integer"},
            "government": {"type": "string"},
            "state": {"type": "string"},
            "version": {"type": "integer"},
        },
    }
    api.schemas["OperationsCommunicationAction"] = ACTION.json_schema()
    event_ref = {"$ref": "#/components/schemas/OperationsTrainingEvent"}
    action_ref = {"$ref": "#/components/schemas/OperationsCommunicationAction"}
    case_ref = {"$ref": "#/components/schemas/Case"}
    event_input = EVENT.json_schema(for_input=True)
    with_government = {
        "required": ["government_id"],
        "properties": {"government_id": {"type": "integer"}},
    }

    @api.route(
        f"{PREFIX}/events",
        summary=_l("Training events within your reach (a region sees those of its local governments)"),
        tag=TAG,
        response=page_schema(event_ref),
        parameters=filter_parameters("government_id"),
    )
    def ops_training_events():
        order = (TrainingEvent.start_date.desc(), TrainingEvent.id.desc())
        filters = {"government_id": TrainingEvent.government_id}
        return scoped_page(TrainingEvent, _event_summary, order_by=order, filters=filters)

    @api.route(
        f"{PREFIX}/events",
        ("POST",),
        summary=_l("Register a training or technical assistance event"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            **event_input,
            "required": ["government_id", "topic", "provider", "start_date"],
            "properties": {**with_government["properties"], **event_input["properties"]},
        },
    )
    def ops_training_event_create():
        event = api_run("operations.training.event.create", current_user, json_object())
        return jsonify(case_json(event, detail=True)), 201

    @api.route(f"{PREFIX}/events/<int:case_id>", summary=_l("One event"), tag=TAG, response=case_ref)
    def ops_training_event(case_id: int):
        return jsonify(case_json(api_load(TrainingEvent, case_id), detail=True))

    @api.route(
        f"{PREFIX}/events/<int:case_id>",
        ("PATCH",),
        summary=_l("Edit an event (e.g. its participants); 409 if the version is not the current one"),
        tag=TAG,
        response=case_ref,
        request_body={
            **event_input,
            "required": ["version"],
            "properties": {"version": {"type": "integer"}, **event_input["properties"]},
        },
    )
    def ops_training_event_patch(case_id: int):
        api_load(TrainingEvent, case_id, action=EDIT)  # 404 / 403 before the body is read
        data = json_object() | {"event_id": case_id}
        return jsonify(case_json(api_run("operations.training.event.edit", current_user, data), detail=True))

    @api.route(
        f"{PREFIX}/plans",
        ("POST",),
        summary=_l("Create a government's educational communication plan"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            **PLAN.json_schema(for_input=True),
            "required": ["government_id", "name", "year"],
            "properties": {**with_government["properties"], **PLAN.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_training_plan_create():
        plan = api_run("operations.training.plan.create", current_user, json_object())
        return jsonify(case_json(plan, detail=True)), 201

    @api.route(
        f"{PREFIX}/plans/<int:case_id>",
        summary=_l("One educational communication plan and its actions"),
        tag=TAG,
        response=case_ref,
    )
    def ops_training_plan(case_id: int):
        return jsonify(case_json(api_load(CommunicationPlan, case_id), detail=True))

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/actions",
        ("POST",),
        summary=_l(
            "Add an action to the plan (campaign, contest, dissemination, online consultations, virtual manual)"
        ),
        status=201,
        tag=TAG,
        response=action_ref,
        request_body={
            **ACTION.json_schema(for_input=True),
            "required": ["kind", "title", "start_date"],
            "properties": {"version": {"type": "integer"}, **ACTION.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_training_action_create(case_id: int):
        api_load(CommunicationPlan, case_id, action=EDIT)
        data = json_object() | {"plan_id": case_id}
        return jsonify(ACTION.serialize(api_run("operations.training.action.add", current_user, data))), 201
