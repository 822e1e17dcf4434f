"""API of stage 1 under /api/v1/institutionalization, for the body: member categories, bodies (list,
one, edit), the roster on a date and the members (list, add, edit, remove). The ordinance's
endpoints are in api_ordinance.py. Cases are created and moved through the engine's endpoints
(POST /cases, POST /cases/<id>/transitions/<name>); :func:`body_json` adds the body's declared
fields to the engine's case JSON.

Records are read through the scoping layer (``load``), every write is an operation run by
``api_run``; the JSON in and out and the OpenAPI schemas come from the declared fields (fields.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, page_json, page_schema
from core.cases.api import case_json
from core.extensions import db
from core.operations import Refusal, api_refusal, api_run, load_or_404
from core.security import EDIT, READ, current_scope, readable_clause
from core.values import ValueProblem, parse_date
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.institutionalization.composition import by_category, composition, roster, today_lima
from plugins.institutionalization.fields import BODY, MEMBER
from plugins.institutionalization.models import ArticulationBody, BodyMember, MemberCategory

PREFIX = "/institutionalization"
TAG = "institucionalización"
CASE_REF = {"$ref": "#/components/schemas/Case"}
VERSIONED = {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}


# --- shared by the plugin's endpoints ----------------------------------------------------------------------


def load(model: type, record_id: int, action: str = READ, government: Any = None) -> Any:
    """A record through the scoping layer; 404 / 403 as the JSON error."""
    try:
        return load_or_404(model, record_id, current_scope(), action=action, government=government)
    except Refusal as refusal:
        api_refusal(refusal)


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        bad_request(_("The body of the request must be a JSON object."))
    return data


def with_version(schema: dict[str, Any], *, title: bool = False) -> dict[str, Any]:
    """An input schema with the case version (required) and, for a case, its ``title``."""
    extra = {"title": {"type": "string", "maxLength": 300}} if title else {}
    return {
        **schema,
        "required": ["version", *schema.get("required", [])],
        "properties": {"version": {"type": "integer"}, **extra, **schema["properties"]},
    }


def date_arg(name: str) -> date:
    """?``name``=date (ISO or dd/mm/aaaa), or today in Lima."""
    try:
        return parse_date(request.args.get(name), name) or today_lima()
    except ValueProblem as problem:
        bad_request(str(problem))


# --- JSON out -----------------------------------------------------------------------------------------------


def composition_json(body: ArticulationBody, on: date | None = None) -> dict[str, Any]:
    check = composition(body, on)
    return {
        "date": check.on.isoformat(),
        "covered": [c.key for c in check.covered],
        "missing": [c.key for c in check.missing],
        "president_id": check.president.id if check.president else None,
        "blockers": check.blockers,
        "warnings": check.warnings,
        "complete": check.complete,
    }


def body_json(case: ArticulationBody) -> dict[str, Any]:
    """The body's declared fields, its composition today and its current members (engine's case JSON)."""
    check = composition(case)
    return {
        **BODY.serialize(case),
        "composition": composition_json(case),
        "members": [MEMBER.serialize(m) for m in check.members],
    }


def _category_json(c: MemberCategory) -> dict[str, Any]:
    return {
        "key": c.key,
        "id": c.id,
        "level": c.level,
        "name": c.name,
        "presides": c.presides,
        "provincial_only": c.provincial_only,
        "required": c.required,
    }


# --- endpoints -------------------------------------------------------------------------------------------


def register(api: ApiRegistry) -> None:
    api.schemas["InstitutionalizationMember"] = MEMBER.json_schema()
    member_ref = {"$ref": "#/components/schemas/InstitutionalizationMember"}
    member_input = MEMBER.json_schema(for_input=True)

    @api.route(
        f"{PREFIX}/member-categories",
        summary=_l("Member categories by level (5.1.1, 5.2.1)"),
        tag=TAG,
        parameters=[{"name": "level", "in": "query", "schema": {"type": "string", "enum": ["regional", "local"]}}],
        response={"type": "array", "items": {"type": "object"}},
    )
    def inst_categories():
        query = select(MemberCategory).where(MemberCategory.active.is_(True)).order_by(MemberCategory.position)
        level = request.args.get("level")
        if level is not None:
            if level not in ("regional", "local"):
                bad_request(_("«level» must be regional or local."))
            query = query.where(MemberCategory.level == level)
        return jsonify([_category_json(c) for c in db.session.scalars(query)])

    @api.route(
        f"{PREFIX}/bodies",
        summary=_l("Instancias de Articulación within your reach"),
        tag=TAG,
        response=page_schema(CASE_REF),
        parameters=[{"name": "state", "in": "query", "schema": {"type": "string"}}, *PAGE_PARAMETERS],
    )
    def inst_bodies():
        query = (
            select(ArticulationBody)
            .where(readable_clause(current_scope(), ArticulationBody.government_id))
            .options(joinedload(ArticulationBody.government))
            .order_by(ArticulationBody.id.desc())
        )
        if request.args.get("state"):
            query = query.where(ArticulationBody.state == request.args["state"])
        workflow = get_workflow("articulation_body")
        return page_json(
            paginate(query, ArticulationBody.id),
            lambda b: {
                "id": b.id,
                "reference": b.reference,
                "title": b.title,
                "level": b.acronym,
                "government_id": b.government_id,
                "government": b.government.name,
                "year": b.year,
                "state": b.state,
                "state_label": workflow.state_label(b.state),
                "version": b.version,
            },
        )

    @api.route(f"{PREFIX}/bodies/<int:case_id>", summary=_l("One Instancia, its composition and its members"), tag=TAG)
    def inst_body(case_id: int):
        return jsonify(case_json(load(ArticulationBody, case_id), detail=True))

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>",
        ("PATCH",),
        summary=_l("Edit the Instancia's data (409 if the version is not the current one)"),
        tag=TAG,
        response=CASE_REF,
        request_body=with_version(BODY.json_schema(for_input=True), title=True),
    )
    def inst_body_patch(case_id: int):
        body = load(ArticulationBody, case_id, EDIT)
        api_run("institutionalization.body.edit", current_user, json_body() | {"body_id": body.id})
        return jsonify(case_json(body, detail=True))

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/roster",
        summary=_l("List of members on a date, by category, and the check of the composition"),
        tag=TAG,
        parameters=[{"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}],
    )
    def inst_roster(case_id: int):
        body = load(ArticulationBody, case_id)
        on = date_arg("date")
        return jsonify(
            {
                "date": on.isoformat(),
                "categories": [
                    {"key": category.key, "name": category.name, "members": [MEMBER.serialize(m) for m in people]}
                    for category, people in by_category(roster(body, on))
                ],
                "composition": composition_json(body, on),
            }
        )

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/members",
        summary=_l("All registered members (history, with their periods)"),
        tag=TAG,
        response=page_schema(member_ref),
        parameters=PAGE_PARAMETERS,
    )
    def inst_members(case_id: int):
        body = load(ArticulationBody, case_id)
        query = (
            select(BodyMember)
            .where(BodyMember.body_id == body.id)
            .options(joinedload(BodyMember.category), joinedload(BodyMember.institution))
            .order_by(BodyMember.id)
        )
        return page_json(paginate(query, BodyMember.id), MEMBER.serialize)

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/members",
        ("POST",),
        summary=_l("Register a member"),
        status=201,
        tag=TAG,
        response=member_ref,
        request_body=with_version({**member_input, "required": ["full_name", "active_from"]}),
    )
    def inst_member_create(case_id: int):
        body = load(ArticulationBody, case_id, EDIT)
        member = api_run("institutionalization.member.add", current_user, json_body() | {"body_id": body.id})
        return jsonify(MEMBER.serialize(member)), 201

    @api.route(f"{PREFIX}/members/<int:member_id>", summary=_l("One member"), tag=TAG, response=member_ref)
    def inst_member(member_id: int):
        return jsonify(MEMBER.serialize(load(BodyMember, member_id, READ, _member_government)))

    @api.route(
        f"{PREFIX}/members/<int:member_id>",
        ("PATCH",),
        summary=_l("Edit a member (e.g. close their period with active_to)"),
        tag=TAG,
        response=member_ref,
        request_body=with_version(member_input),
    )
    def inst_member_patch(member_id: int):
        member = load(BodyMember, member_id, EDIT, _member_government)
        data = json_body() | {"member_id": member.id}
        return jsonify(MEMBER.serialize(api_run("institutionalization.member.edit", current_user, data)))

    @api.route(
        f"{PREFIX}/members/<int:member_id>",
        ("DELETE",),
        summary=_l("Delete a member registered by mistake"),
        status=204,
        tag=TAG,
        request_body=VERSIONED,
    )
    def inst_member_delete(member_id: int):
        member = load(BodyMember, member_id, EDIT, _member_government)
        data = {"member_id": member.id, "version": json_body().get("version")}
        api_run("institutionalization.member.remove", current_user, data)
        return "", 204


def _member_government(member: BodyMember) -> Any:
    return member.body.government
