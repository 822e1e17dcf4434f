"""API of stage 1 under /api/v1/institutionalization, for the ordinance: a new ordinance drafted
from its body, its data, its clauses (add, edit, move, remove) and the refresh of the pre-filled
articles. :func:`ordinance_json` adds the ordinance's declared fields and text to the engine's
case JSON. Every write is an operation run by ``api_run``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import lazy_gettext as _l
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
        summary=_l("Create the Instancia's ordinance, prefilled from it"),
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
        summary=_l("Edit the ordinance's data (409 if the version is not the current one)"),
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
        summary=_l("Add a recital or an article"),
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
        summary=_l("Edit a recital or an article"),
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
        summary=_l("Remove a clause"),
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
        summary=_l("Move a clause up or down"),
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
        summary=_l("Redo the prefilled articles from the Instancia (edited ones are kept)"),
        tag=TAG,
        request_body=VERSIONED,
    )
    def inst_articles_refresh(case_id: int):
        ordinance = load(Ordinance, case_id, EDIT)
        data = {"ordinance_id": ordinance.id, "version": json_body().get("version")}
        return jsonify(
            case_json(api_run("institutionalization.ordinance.refresh_articles", current_user, data), detail=True)
        )
