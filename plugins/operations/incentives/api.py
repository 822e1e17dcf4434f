"""API of contests under /api/v1/operations/contests: list, create, one (with criteria, prizes, jury,
applications and ranking), edit, criteria, prizes, jurors, the juror's declaration, applications and a
juror's scores. Transitions (call, evaluate, publish_results, award, cancel) and the issued PDFs are the
engine's (/api/v1/cases/<id>/…)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import (
    ApiRegistry,
    filter_parameters,
    json_object,
    page_schema,
    scoped_page,
)
from core.operations import api_refusal, api_run, load_or_404
from core.refusals import Refusal
from core.security import EDIT, current_scope, readable_case_clause
from core.workflow import get_workflow
from plugins.operations.incentives.fields import APPLICATION, CONTEST, CRITERION, JUROR, PRIZE
from plugins.operations.incentives.models import Contest, ContestApplication

PREFIX = "/operations/contests"
TAG = "gestión operativa: concursos"


def application_json(application: ContestApplication) -> dict[str, Any]:
    return {**APPLICATION.serialize(application), "files": [f.attachment_id for f in application.files]}


def contest_json(case: Contest) -> dict[str, Any]:
    """The contest's own fields, criteria, prizes, jury and applications (added to the engine's case JSON)."""
    return {
        **{k: v for k, v in CONTEST.serialize(case).items() if k not in ("id", "title")},
        "criteria": [CRITERION.serialize(c) for c in case.criteria],
        "prizes": [PRIZE.serialize(p) for p in case.prizes],
        "jurors": [JUROR.serialize(j) for j in case.jurors],
        "applications": [application_json(a) for a in case.applications],
    }


def _summary(case: Contest) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "title": case.title,
        "government_id": case.government_id,
        "year": case.year,
        "reception_deadline": case.reception_deadline.isoformat() if case.reception_deadline else None,
        "state": case.state,
        "state_label": get_workflow("contest").state_label(case.state),
        "version": case.version,
    }


SUMMARY = {
    "type": "object",
    "required": ["id", "reference", "title", "government_id", "year", "state"],
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "title": {"type": "string"},
        "government_id": {"type": "integer"},
        "year": {"type": "integer"},
        "reception_deadline": {"type": ["string", "null"], "format": "date"},
        "state": {"type": "string"},
        "state_label": {"type": "string"},
        "version": {"type": "integer"},
    },
}


def _load(model: type, record_id: int, **kwargs: Any) -> Any:
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: ApiRegistry) -> None:
    from core.cases.api import case_json

    case_ref = {"$ref": "#/components/schemas/Case"}
    api.schemas["OperationsContestApplication"] = {
        **APPLICATION.json_schema(),
        "required": [*APPLICATION.json_schema()["required"], "files"],
        "properties": {
            **APPLICATION.json_schema()["properties"],
            "files": {"type": "array", "items": {"type": "integer"}},
        },
    }
    application_ref = {"$ref": "#/components/schemas/OperationsContestApplication"}
    versioned = {"version": {"type": "integer"}}

    def rows(item: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "object", "properties": item}}

    @api.route(
        f"{PREFIX}",
        summary=_l("Contests within your reach"),
        tag=TAG,
        response=page_schema(SUMMARY),
        parameters=filter_parameters("government_id"),
    )
    def ops_contests():
        return scoped_page(
            Contest,
            _summary,
            order_by=(Contest.year.desc(), Contest.id.desc()),
            filters={"government_id": Contest.government_id},
            reach=readable_case_clause(current_scope()),
        )

    @api.route(
        f"{PREFIX}",
        ("POST",),
        summary=_l("Draft a contest (government_id: the convening government)"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            **CONTEST.json_schema(for_input=True),
            "required": ["government_id", "title"],
            "properties": {
                "government_id": {"type": "integer"},
                "year": {"type": "integer"},
                **CONTEST.json_schema(for_input=True)["properties"],
            },
        },
    )
    def ops_contest_create():
        contest = api_run("operations.contest.create", current_user, json_object())
        return jsonify(case_json(contest, detail=True)), 201

    @api.route(
        f"{PREFIX}/<int:contest_id>",
        summary=_l("One contest: criteria, prizes, jury, applications and ranking"),
        tag=TAG,
        response=case_ref,
    )
    def ops_contest(contest_id: int):
        return jsonify(case_json(_load(Contest, contest_id), detail=True))

    @api.route(
        f"{PREFIX}/<int:contest_id>",
        ("PATCH",),
        summary=_l("Edit a contest's data before its call (409 if the version is not the current one)"),
        tag=TAG,
        response=case_ref,
        request_body={
            **CONTEST.json_schema(for_input=True),
            "required": ["version"],
            "properties": {**versioned, **CONTEST.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_contest_patch(contest_id: int):
        _load(Contest, contest_id, action=EDIT)
        data = json_object() | {"contest_id": contest_id}
        return jsonify(case_json(api_run("operations.contest.edit", current_user, data), detail=True))

    def _put(name: str, key: str, contest_id: int) -> Any:
        _load(Contest, contest_id, action=EDIT)
        data = json_object()
        payload = {"contest_id": contest_id, "version": data.get("version"), key: data.get(key)}
        return jsonify(case_json(api_run(name, current_user, payload), detail=True))

    criterion_props = {
        "name": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "weight": {"type": "integer"},
    }

    @api.route(
        f"{PREFIX}/<int:contest_id>/criteria",
        ("PUT",),
        summary=_l("Replace the evaluation criteria (their weights add up to 100)"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version", "criteria"],
            "properties": {**versioned, "criteria": rows(criterion_props)},
        },
    )
    def ops_contest_criteria(contest_id: int):
        return _put("operations.contest.criteria.set", "criteria", contest_id)

    prize_props = {"description": {"type": "string"}, "amount": {"type": ["string", "null"]}}

    @api.route(
        f"{PREFIX}/<int:contest_id>/prizes",
        ("PUT",),
        summary=_l("Replace the prizes (first row: first place), within the budget cap"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version", "prizes"],
            "properties": {**versioned, "prizes": rows(prize_props)},
        },
    )
    def ops_contest_prizes(contest_id: int):
        return _put("operations.contest.prizes.set", "prizes", contest_id)

    @api.route(
        f"{PREFIX}/<int:contest_id>/jurors",
        ("POST",),
        summary=_l("Designate a juror (a user, by e-mail)"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["email"],
            "properties": {**versioned, **JUROR.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_contest_juror(contest_id: int):
        _load(Contest, contest_id, action=EDIT)
        juror = api_run("operations.contest.juror.add", current_user, json_object() | {"contest_id": contest_id})
        return jsonify(case_json(juror.contest, detail=True)), 201

    @api.route(
        f"{PREFIX}/<int:contest_id>/declaration",
        ("POST",),
        summary=_l("A juror declares having no conflict of interest"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["no_conflict"],
            "properties": {"no_conflict": {"type": "boolean"}},
        },
    )
    def ops_contest_declaration(contest_id: int):
        _load(Contest, contest_id)
        data = {"contest_id": contest_id, "no_conflict": json_object().get("no_conflict")}
        juror = api_run("operations.contest.juror.declare", current_user, data)
        return jsonify(case_json(juror.contest, detail=True))

    @api.route(
        f"{PREFIX}/<int:contest_id>/applications",
        ("POST",),
        summary=_l("Register an application received (with its evidence)"),
        status=201,
        tag=TAG,
        response=application_ref,
        request_body={
            **APPLICATION.json_schema(for_input=True),
            "required": ["applicant_kind", "practice", "evidence"],
            "properties": {**versioned, **APPLICATION.json_schema(for_input=True)["properties"]},
        },
    )
    def ops_contest_application_create(contest_id: int):
        _load(Contest, contest_id, action=EDIT)
        data = json_object() | {"contest_id": contest_id}
        return jsonify(application_json(api_run("operations.contest.application.add", current_user, data))), 201

    @api.route(
        f"{PREFIX}/applications/<int:application_id>",
        summary=_l("One application of a contest, with its score and place once ranked"),
        tag=TAG,
        response=application_ref,
    )
    def ops_contest_application(application_id: int):
        application = _load(ContestApplication, application_id, government=lambda a: a.contest.government)
        return jsonify(application_json(application))

    @api.route(
        f"{PREFIX}/applications/<int:application_id>/scores",
        ("PUT",),
        summary=_l("A juror's scores of an application: {criterion id: 0 to 10}"),
        tag=TAG,
        response=application_ref,
        request_body={
            "type": "object",
            "required": ["scores"],
            "properties": {"scores": {"type": "object", "additionalProperties": {"type": ["number", "string"]}}},
        },
    )
    def ops_contest_scores(application_id: int):
        _load(ContestApplication, application_id, government=lambda a: a.contest.government)
        data = {"application_id": application_id, "scores": json_object().get("scores")}
        return jsonify(application_json(api_run("operations.contest.scores.set", current_user, data)))
