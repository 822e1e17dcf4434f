"""API of stage 1 under /api/v1/institutionalization: bodies, members, roster on a date, ordinances
and their clauses. Cases are created and moved through the engine's endpoints (POST /cases,
POST /cases/<id>/transitions/<name>); ``body_json`` and ``ordinance_json`` add this plugin's
fields to the engine's case JSON. Same scoping and rules as the pages (core.security, service.py).
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, page_json, page_schema
from core.cases import CaseError, update_case
from core.extensions import db
from core.operations import api_run
from core.security import EDIT, READ, current_scope, ensure, readable_clause
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.institutionalization import service
from plugins.institutionalization.clauses import CLAUSE, clause_json
from plugins.institutionalization.composition import by_category, composition, roster, today_lima
from plugins.institutionalization.members import MEMBER
from plugins.institutionalization.models import (
    ArticulationBody,
    BodyMember,
    MemberCategory,
    Ordinance,
    OrdinanceClause,
)
from plugins.institutionalization.ordinance_text import minimum_content_gaps

PREFIX = "/institutionalization"
TAG = "institucionalización"

# --- JSON out --------------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def member_json(m: BodyMember) -> dict[str, Any]:
    """A member as the API returns it (generated from the fields declared in members.py)."""
    return MEMBER.serialize(m)


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


BODY_FIELDS = {
    "origin": "choice",
    "origin_name": "text",
    "direction_kind": "choice",
    "direction_unit": "text",
    "has_technical_committee": "bool",
    "monitoring_officer_name": "text",
    "monitoring_officer_position": "text",
    "installation_date": "date",
    "installation_place": "text",
    "installation_agreements": "text",
    "installation_other_attendees": "text",
    "installation_start_time": "time",
    "installation_end_time": "time",
}
ORDINANCE_FIELDS = {
    "body_id": "int",
    "instrument": "choice",
    "number": "text",
    "session_kind": "choice",
    "session_date": "date",
    "visto": "text",
    "approval_date": "date",
    "approval_vote": "choice",
    "approval_vote_detail": "text",
    "promulgation_date": "date",
    "publication_date": "date",
    "publication_medium": "text",
    "signatory_name": "text",
}


def _fields_json(record: Any, names: dict[str, str]) -> dict[str, Any]:
    values = {}
    for name, kind in names.items():
        value = getattr(record, name)
        values[name] = _iso(value) if kind in ("date", "time") else value
    return values


def body_json(case: ArticulationBody) -> dict[str, Any]:
    """The body's own fields, its composition today and its current members (engine's case JSON)."""
    check = composition(case)
    return {
        **_fields_json(case, BODY_FIELDS),
        "level": case.acronym,
        "composition": composition_json(case),
        "members": [member_json(m) for m in check.members],
    }


def ordinance_json(case: Ordinance) -> dict[str, Any]:
    articles = case.articles
    return {
        **_fields_json(case, ORDINANCE_FIELDS),
        "instrument_name": case.instrument_name,
        "text_frozen": case.text_frozen,
        "considering": [clause_json(c) for c in case.considerings],
        "articles": [clause_json(c) for c in articles],
        "minimum_content_gaps": [] if case.text_frozen else minimum_content_gaps(case),
    }


# --- JSON in ---------------------------------------------------------------------------------------------


def _body_of_request() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        bad_request("El cuerpo debe ser un objeto JSON.")
    return data


def parse_fields(data: dict[str, Any], types: dict[str, str], ignore: tuple[str, ...] = ("version",)) -> dict[str, Any]:
    """JSON values → typed attribute values; every problem reported at once (Spanish)."""
    unknown = sorted(set(data) - set(types) - set(ignore))
    problems = [f"Campos desconocidos: {', '.join(unknown)}."] if unknown else []
    values: dict[str, Any] = {}
    for name, kind in types.items():
        if name not in data:
            continue
        raw = data[name]
        if raw is None or (isinstance(raw, str) and not raw.strip() and kind != "bool"):
            values[name] = None
            continue
        if kind == "date":
            try:
                values[name] = date.fromisoformat(str(raw))
            except ValueError:
                problems.append(f"«{name}» debe ser una fecha AAAA-MM-DD (recibido: «{raw}»).")
        elif kind == "time":
            try:
                values[name] = time.fromisoformat(str(raw))
            except ValueError:
                problems.append(f"«{name}» debe ser una hora HH:MM (recibido: «{raw}»).")
        elif kind == "bool":
            if not isinstance(raw, bool):
                problems.append(f"«{name}» debe ser true o false.")
            else:
                values[name] = raw
        elif kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                problems.append(f"«{name}» debe ser un número entero.")
            else:
                values[name] = raw
        else:
            if not isinstance(raw, str):
                problems.append(f"«{name}» debe ser un texto.")
            else:
                values[name] = raw.strip()
    if problems:
        bad_request(problems)
    return values


def _run(operation: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one operation and commit (service.run); a refused one answers its Spanish reason."""
    try:
        return service.run(operation, *args, **kwargs)
    except CaseError as error:
        bad_request(str(error), error.status)


# --- loading through the scoping layer ---------------------------------------------------------------------


def _load(model: type, record_id: int, government_of: Any, action: str = READ) -> Any:
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    ensure(action, government_of(record))
    return record


def _body(case_id: int, action: str = READ) -> ArticulationBody:
    return _load(ArticulationBody, case_id, lambda b: b.government, action)


def _ordinance(case_id: int, action: str = READ) -> Ordinance:
    return _load(Ordinance, case_id, lambda o: o.government, action)


def _member(member_id: int, action: str = READ) -> BodyMember:
    return _load(BodyMember, member_id, lambda m: m.body.government, action)


def _clause(clause_id: int, action: str = READ) -> OrdinanceClause:
    return _load(OrdinanceClause, clause_id, lambda c: c.ordinance.government, action)


# --- endpoints -------------------------------------------------------------------------------------------

VERSIONED = {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}


def _with_version(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        **schema,
        "required": ["version", *schema.get("required", [])],
        "properties": {"version": {"type": "integer"}, **schema["properties"]},
    }


def register(api: ApiRegistry) -> None:
    api.schemas["InstitutionalizationMember"] = MEMBER.json_schema()
    member_ref = {"$ref": "#/components/schemas/InstitutionalizationMember"}
    member_input = MEMBER.json_schema(for_input=True)
    case_ref = {"$ref": "#/components/schemas/Case"}

    @api.route(
        f"{PREFIX}/member-categories",
        summary="Categorías de miembros por nivel (5.1.1, 5.2.1)",
        tag=TAG,
        parameters=[{"name": "level", "in": "query", "schema": {"type": "string", "enum": ["regional", "local"]}}],
        response={"type": "array", "items": {"type": "object"}},
    )
    def inst_categories():
        query = select(MemberCategory).where(MemberCategory.active.is_(True)).order_by(MemberCategory.position)
        level = request.args.get("level")
        if level is not None:
            if level not in ("regional", "local"):
                bad_request("«level» debe ser regional o local.")
            query = query.where(MemberCategory.level == level)
        return jsonify(
            [
                {
                    "key": c.key,
                    "id": c.id,
                    "level": c.level,
                    "name": c.name,
                    "presides": c.presides,
                    "provincial_only": c.provincial_only,
                    "required": c.required,
                }
                for c in db.session.scalars(query)
            ]
        )

    @api.route(
        f"{PREFIX}/bodies",
        summary="Instancias de Articulación a su alcance",
        tag=TAG,
        response=page_schema(case_ref),
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

    @api.route(f"{PREFIX}/bodies/<int:case_id>", summary="Una Instancia, su composición y sus miembros", tag=TAG)
    def inst_body(case_id: int):
        from core.cases.api import case_json

        return jsonify(case_json(_body(case_id), detail=True))

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>",
        ("PATCH",),
        summary="Editar los datos de la Instancia (409 si la versión no es la actual)",
        tag=TAG,
        request_body=_with_version(
            {"type": "object", "properties": {"title": {"type": "string"}, **{k: {} for k in BODY_FIELDS}}}
        ),
    )
    def inst_body_patch(case_id: int):
        from core.cases.api import case_json

        body = _body(case_id, EDIT)
        data = _body_of_request()
        title = data.pop("title", None)
        values = parse_fields(data, BODY_FIELDS)
        _run(update_case, body, current_scope(), current_user, data.get("version"), title=title, **values)
        return jsonify(case_json(body, detail=True))

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/roster",
        summary="Relación de miembros en una fecha, por categoría, y la verificación de la composición",
        tag=TAG,
        parameters=[{"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}],
    )
    def inst_roster(case_id: int):
        body = _body(case_id)
        raw = request.args.get("date")
        try:
            on = date.fromisoformat(raw) if raw else today_lima()
        except ValueError:
            bad_request(f"«date» debe ser una fecha AAAA-MM-DD (recibido: «{raw}»).")
        return jsonify(
            {
                "date": on.isoformat(),
                "categories": [
                    {"key": category.key, "name": category.name, "members": [member_json(m) for m in people]}
                    for category, people in by_category(roster(body, on))
                ],
                "composition": composition_json(body, on),
            }
        )

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/members",
        summary="Todos los miembros registrados (historial, con sus periodos)",
        tag=TAG,
        response=page_schema(member_ref),
        parameters=PAGE_PARAMETERS,
    )
    def inst_members(case_id: int):
        body = _body(case_id)
        query = (
            select(BodyMember)
            .where(BodyMember.body_id == body.id)
            .options(joinedload(BodyMember.category), joinedload(BodyMember.institution))
            .order_by(BodyMember.id)
        )
        return page_json(paginate(query, BodyMember.id), member_json)

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/members",
        ("POST",),
        summary="Registrar un miembro",
        status=201,
        tag=TAG,
        response=member_ref,
        request_body=_with_version({**member_input, "required": ["full_name", "active_from"]}),
    )
    def inst_member_create(case_id: int):
        body = _body(case_id, EDIT)
        data = _body_of_request() | {"body_id": body.id}
        member = api_run("institutionalization.member.add", current_user, data)
        return jsonify(member_json(member)), 201

    @api.route(f"{PREFIX}/members/<int:member_id>", summary="Un miembro", tag=TAG, response=member_ref)
    def inst_member(member_id: int):
        return jsonify(member_json(_member(member_id)))

    @api.route(
        f"{PREFIX}/members/<int:member_id>",
        ("PATCH",),
        summary="Editar un miembro (p. ej. cerrar su periodo con active_to)",
        tag=TAG,
        response=member_ref,
        request_body=_with_version(member_input),
    )
    def inst_member_patch(member_id: int):
        member = _member(member_id, EDIT)
        data = _body_of_request() | {"member_id": member.id}
        return jsonify(member_json(api_run("institutionalization.member.edit", current_user, data)))

    @api.route(
        f"{PREFIX}/members/<int:member_id>",
        ("DELETE",),
        summary="Eliminar un miembro registrado por error",
        status=204,
        tag=TAG,
        request_body=VERSIONED,
    )
    def inst_member_delete(member_id: int):
        member = _member(member_id, EDIT)
        data = _body_of_request()
        api_run(
            "institutionalization.member.remove", current_user, {"member_id": member.id, "version": data.get("version")}
        )
        return "", 204

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/ordinances",
        ("POST",),
        summary="Crear la ordenanza de la Instancia, prellenada desde ella",
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "properties": {
                "instrument": {"type": "string", "enum": ["ordinance", "resolution"]},
                "year": {"type": "integer"},
            },
        },
    )
    def inst_ordinance_create(case_id: int):
        from core.cases.api import case_json

        body = _body(case_id, EDIT)
        data = request.get_json(silent=True) or {}
        instrument = data.get("instrument", "ordinance")
        if instrument not in ("ordinance", "resolution"):
            bad_request("«instrument» debe ser ordinance o resolution.")
        year = data.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            bad_request("«year» debe ser un número entero.")
        ordinance = _run(service.create_ordinance, body, current_user, current_scope(), year, instrument)
        return jsonify(case_json(ordinance, detail=True)), 201

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>",
        ("PATCH",),
        summary="Editar los datos de la ordenanza (409 si la versión no es la actual)",
        tag=TAG,
        response=case_ref,
        request_body=_with_version(
            {"type": "object", "properties": {"title": {"type": "string"}, **{k: {} for k in ORDINANCE_FIELDS}}}
        ),
    )
    def inst_ordinance_patch(case_id: int):
        from core.cases.api import case_json

        ordinance = _ordinance(case_id, EDIT)
        data = _body_of_request()
        title = data.pop("title", None)
        values = parse_fields(data, ORDINANCE_FIELDS)
        _run(update_case, ordinance, current_scope(), current_user, data.get("version"), title=title, **values)
        return jsonify(case_json(ordinance, detail=True))

    api.schemas["InstitutionalizationClause"] = CLAUSE.json_schema()
    clause_ref = {"$ref": "#/components/schemas/InstitutionalizationClause"}
    clause_input = CLAUSE.json_schema(for_input=True)
    clause_body = _with_version({**clause_input, "required": ["text"]})
    clause_patch_body = _with_version(clause_input)

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>/clauses",
        ("POST",),
        summary="Agregar un considerando o un artículo",
        status=201,
        tag=TAG,
        response=clause_ref,
        request_body=clause_body,
    )
    def inst_clause_create(case_id: int):
        ordinance = _ordinance(case_id, EDIT)
        data = _body_of_request() | {"ordinance_id": ordinance.id}
        return jsonify(clause_json(api_run("institutionalization.clause.add", current_user, data))), 201

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>",
        ("PATCH",),
        summary="Editar un considerando o un artículo",
        tag=TAG,
        response=clause_ref,
        request_body=clause_patch_body,
    )
    def inst_clause_patch(clause_id: int):
        clause = _clause(clause_id, EDIT)
        data = _body_of_request() | {"clause_id": clause.id}
        return jsonify(clause_json(api_run("institutionalization.clause.edit", current_user, data)))

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>",
        ("DELETE",),
        summary="Quitar una cláusula",
        tag=TAG,
        request_body=VERSIONED,
        status=204,
    )
    def inst_clause_delete(clause_id: int):
        clause = _clause(clause_id, EDIT)
        data = _body_of_request()
        api_run(
            "institutionalization.clause.remove", current_user, {"clause_id": clause.id, "version": data.get("version")}
        )
        return "", 204

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>/move",
        ("POST",),
        summary="Subir o bajar una cláusula",
        tag=TAG,
        response=clause_ref,
        request_body=_with_version(
            {"type": "object", "properties": {"direction": {"type": "string", "enum": ["up", "down"]}}}
        ),
    )
    def inst_clause_move(clause_id: int):
        clause = _clause(clause_id, EDIT)
        data = _body_of_request()
        values = {"clause_id": clause.id, "version": data.get("version"), "direction": data.get("direction")}
        return jsonify(clause_json(api_run("institutionalization.clause.move", current_user, values)))

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>/refresh-articles",
        ("POST",),
        summary="Rehacer los artículos prellenados desde la Instancia (se conservan los editados)",
        tag=TAG,
        request_body=VERSIONED,
    )
    def inst_articles_refresh(case_id: int):
        from core.cases.api import case_json

        ordinance = _ordinance(case_id, EDIT)
        data = _body_of_request()
        _run(service.refresh_articles, ordinance, current_scope(), current_user, data.get("version"))
        return jsonify(case_json(ordinance, detail=True))
