"""API of the yearly evaluation under /api/v1/monitoring/evaluations: open one for an approved plan, read it,
edit its lessons, set a result's appraisal and an indicator's goal adjustment. Approving is the engine's
transition (/api/v1/cases/<id>/transitions/approve)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import ApiRegistry, json_object
from core.operations import api_refusal, api_run, load_or_404
from core.refusals import Refusal
from core.security import EDIT
from plugins.monitoring.evaluation.fields import ADJUSTMENT, APPRAISAL, EVALUATION
from plugins.monitoring.evaluation.models import PlanEvaluation

PREFIX = "/monitoring/evaluations"
TAG = "seguimiento: evaluación anual"


def evaluation_json(case: PlanEvaluation) -> dict[str, Any]:
    """The evaluation's own fields, appraisals and adjustments (added to the engine's case JSON)."""
    return {
        **EVALUATION.serialize(case),
        "plan_id": case.plan_id,
        "next_plan_id": case.next_plan_id,
        "reformulated_plan_id": case.reformulated_plan_id,
        "appraisals": [{"result_id": a.result_id, **APPRAISAL.serialize(a)} for a in case.appraisals],
        "adjustments": [{"indicator_id": a.indicator_id, **ADJUSTMENT.serialize(a)} for a in case.adjustments],
    }


def _load(case_id: int, action: str | None = None) -> PlanEvaluation:
    try:
        return load_or_404(PlanEvaluation, case_id, **({"action": action} if action else {}))
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: ApiRegistry) -> None:
    from core.cases.api import case_json

    case_ref = {"$ref": "#/components/schemas/Case"}
    versioned = {"version": {"type": "integer"}}

    @api.route(
        PREFIX,
        ("POST",),
        summary=_l("Open the yearly evaluation of an approved plan"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={"type": "object", "required": ["plan_id"], "properties": {"plan_id": {"type": "integer"}}},
    )
    def monitoring_evaluation_create():
        evaluation = api_run("monitoring.evaluation.create", current_user, json_object())
        return jsonify(case_json(evaluation, detail=True)), 201

    @api.route(f"{PREFIX}/<int:case_id>", summary=_l("One yearly evaluation"), tag=TAG, response=case_ref)
    def monitoring_evaluation(case_id: int):
        return jsonify(case_json(_load(case_id), detail=True))

    @api.route(
        f"{PREFIX}/<int:case_id>",
        ("PATCH",),
        summary=_l("Change the lessons learned and conclusions; 409 if the version is not the current one"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version"],
            "properties": {**versioned, **EVALUATION.json_schema(for_input=True)["properties"]},
        },
    )
    def monitoring_evaluation_patch(case_id: int):
        _load(case_id, EDIT)
        data = json_object() | {"evaluation_id": case_id}
        return jsonify(case_json(api_run("monitoring.evaluation.edit", current_user, data), detail=True))

    @api.route(
        f"{PREFIX}/<int:case_id>/appraisals/<int:result_id>",
        ("PUT",),
        summary=_l("Appraise a result's interventions: efficacy, efficiency, effectiveness"),
        tag=TAG,
        response={"type": "object"},
        request_body={
            "type": "object",
            "required": ["version"],
            "properties": {**versioned, **APPRAISAL.json_schema(for_input=True)["properties"]},
        },
    )
    def monitoring_evaluation_appraisal(case_id: int, result_id: int):
        _load(case_id, EDIT)
        data = json_object() | {"evaluation_id": case_id, "result_id": result_id}
        appraisal = api_run("monitoring.evaluation.appraisal.set", current_user, data)
        return jsonify({"result_id": appraisal.result_id, **APPRAISAL.serialize(appraisal)})

    @api.route(
        f"{PREFIX}/<int:case_id>/adjustments/<int:indicator_id>",
        ("PUT",),
        summary=_l("Adjust a plan indicator's goal for next year, with its justification"),
        tag=TAG,
        response={"type": "object"},
        request_body={
            "type": "object",
            "required": ["version", "target", "justification"],
            "properties": {**versioned, **ADJUSTMENT.json_schema(for_input=True)["properties"]},
        },
    )
    def monitoring_evaluation_adjustment(case_id: int, indicator_id: int):
        _load(case_id, EDIT)
        data = json_object() | {"evaluation_id": case_id, "indicator_id": indicator_id}
        adjustment = api_run("monitoring.evaluation.adjustment.set", current_user, data)
        return jsonify({"indicator_id": adjustment.indicator_id, **ADJUSTMENT.serialize(adjustment)})
