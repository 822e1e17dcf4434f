"""API of stage 1 under /api/v1/institutionalization, for the ordinance: a new ordinance drafted
from its body, its data, its clauses (add, edit, move, remove) and the refresh of the pre-filled
articles. :func:`ordinance_json` adds the ordinance's declared fields and text to the engine's
case JSON. Every write is an operation run by ``api_run``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from core.api import ApiRegistry
from core.cases.api import case_json
from core.operations import api_run
from core.security import EDIT
from plugins.institutionalization.api import CASE_REF, PREFIX, TAG, VERSIONED, json_body, load, with_version
from plugins.institutionalization.fields import CLAUSE, ORDINANCE
from plugins.institutionalization.models import ArticulationBody, Ordinance, OrdinanceClause
from plugins.institutionalization.ordinance_text import minimum_content_gaps


def ordinance_json(case: Ordinance) -> dict[str, Any]:
    """The ordinance's declared fields, its clauses and what its text still lacks (engine's case JSON)."""
    return {
        **ORDINANCE.serialize(case),
        "considering": [CLAUSE.serialize(c) for c in case.considerings],
        "articles": [CLAUSE.serialize(c) for c in case.articles],
        "minimum_content_gaps": [] if case.text_frozen else minimum_content_gaps(case),
    }


def _clause_government(clause: OrdinanceClause) -> Any:
    return clause.ordinance.government


def register(api: ApiRegistry) -> None:
    api.schemas["InstitutionalizationClause"] = CLAUSE.json_schema()
    clause_ref = {"$ref": "#/components/schemas/InstitutionalizationClause"}
    clause_input = CLAUSE.json_schema(for_input=True)

    @api.route(
        f"{PREFIX}/bodies/<int:case_id>/ordinances",
        ("POST",),
        summary="Crear la ordenanza de la Instancia, prellenada desde ella",
        status=201,
        tag=TAG,
        response=CASE_REF,
        request_body={
            "type": "object",
            "properties": {
                "instrument": {"type": "string", "enum": ["ordinance", "resolution"]},
                "year": {"type": "integer"},
            },
        },
    )
    def inst_ordinance_create(case_id: int):
        body = load(ArticulationBody, case_id, EDIT)
        data = json_body() | {"body_id": body.id}
        ordinance = api_run("institutionalization.ordinance.create", current_user, data)
        return jsonify(case_json(ordinance, detail=True)), 201

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>",
        ("PATCH",),
        summary="Editar los datos de la ordenanza (409 si la versión no es la actual)",
        tag=TAG,
        response=CASE_REF,
        request_body=with_version(ORDINANCE.json_schema(for_input=True), title=True),
    )
    def inst_ordinance_patch(case_id: int):
        ordinance = load(Ordinance, case_id, EDIT)
        api_run("institutionalization.ordinance.edit", current_user, json_body() | {"ordinance_id": ordinance.id})
        return jsonify(case_json(ordinance, detail=True))

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>/clauses",
        ("POST",),
        summary="Agregar un considerando o un artículo",
        status=201,
        tag=TAG,
        response=clause_ref,
        request_body=with_version({**clause_input, "required": ["text"]}),
    )
    def inst_clause_create(case_id: int):
        ordinance = load(Ordinance, case_id, EDIT)
        data = json_body() | {"ordinance_id": ordinance.id}
        return jsonify(CLAUSE.serialize(api_run("institutionalization.clause.add", current_user, data))), 201

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>",
        ("PATCH",),
        summary="Editar un considerando o un artículo",
        tag=TAG,
        response=clause_ref,
        request_body=with_version(clause_input),
    )
    def inst_clause_patch(clause_id: int):
        clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
        data = json_body() | {"clause_id": clause.id}
        return jsonify(CLAUSE.serialize(api_run("institutionalization.clause.edit", current_user, data)))

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>",
        ("DELETE",),
        summary="Quitar una cláusula",
        tag=TAG,
        request_body=VERSIONED,
        status=204,
    )
    def inst_clause_delete(clause_id: int):
        clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
        data = {"clause_id": clause.id, "version": json_body().get("version")}
        api_run("institutionalization.clause.remove", current_user, data)
        return "", 204

    @api.route(
        f"{PREFIX}/clauses/<int:clause_id>/move",
        ("POST",),
        summary="Subir o bajar una cláusula",
        tag=TAG,
        response=clause_ref,
        request_body=with_version(
            {"type": "object", "properties": {"direction": {"type": "string", "enum": ["up", "down"]}}}
        ),
    )
    def inst_clause_move(clause_id: int):
        clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
        data = json_body()
        values = {"clause_id": clause.id, "version": data.get("version"), "direction": data.get("direction")}
        return jsonify(CLAUSE.serialize(api_run("institutionalization.clause.move", current_user, values)))

    @api.route(
        f"{PREFIX}/ordinances/<int:case_id>/refresh-articles",
        ("POST",),
        summary="Rehacer los artículos prellenados desde la Instancia (se conservan los editados)",
        tag=TAG,
        request_body=VERSIONED,
    )
    def inst_articles_refresh(case_id: int):
        ordinance = load(Ordinance, case_id, EDIT)
        data = {"ordinance_id": ordinance.id, "version": json_body().get("version")}
        return jsonify(
            case_json(api_run("institutionalization.ordinance.refresh_articles", current_user, data), detail=True)
        )
