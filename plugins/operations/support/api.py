"""API of the regional support overview: GET /api/v1/operations/support (the regions in the caller's reach) and
GET /api/v1/operations/support/<region_id> (one row per municipality, as the page /operaciones/apoyo/ shows it)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.api import ApiRegistry
from core.operations import api_refusal
from core.refusals import Refusal
from core.security import current_scope
from plugins.operations.support.pages import chosen_year
from plugins.operations.support.status import overview, regions_in_reach, status_json

PREFIX = "/operations/support"
TAG = "gestión operativa: apoyo a los gobiernos locales"

_MILESTONE = {
    "type": ["object", "null"],
    "properties": {
        "case_id": {"type": "integer"},
        "reference": {"type": "string"},
        "year": {"type": "integer"},
        "state": {"type": "string"},
        "state_label": {"type": "string"},
        "done": {"type": "boolean"},
    },
}
_CELL = {
    "type": "object",
    "description": "What a plugin reports through the stage_status hook.",
    "properties": {
        "government_id": {"type": "integer"},
        "stage": {"type": "string"},
        "label": {"type": "string"},
        "status": {"type": "string", "enum": ["done", "in_progress", "missing"]},
    },
}
_TEXT = {"type": ["string", "null"]}
ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["government_id", "government", "institutionalization", "diagnosis", "operations", "monitoring"],
    "properties": {
        "government_id": {"type": "integer"},
        "government": {"type": "string"},
        "kind": {"type": "string"},
        "ubigeo": {"type": "string"},
        "institutionalization": {"type": "object", "properties": {"body": _MILESTONE, "ordinance": _MILESTONE}},
        "diagnosis": {"type": "object", "properties": {"diagnosis": _MILESTONE, "plan": _MILESTONE}},
        "operations": {
            "type": "object",
            "properties": {
                "agreements": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "reference": {"type": "string"},
                            "title": {"type": "string"},
                            "state": {"type": "string"},
                            "state_label": {"type": "string"},
                            "goals": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        k: _TEXT
                                        for k in ("description", "unit", "baseline", "target", "achieved", "percent")
                                    },
                                },
                            },
                            "commitments": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "party": {"type": "string"},
                                        "what": {"type": "string"},
                                        "due_date": {"type": "string", "format": "date"},
                                        "fulfilled_on": {"type": ["string", "null"], "format": "date"},
                                        "status": {
                                            "type": "string",
                                            "enum": ["pending", "due_soon", "met", "met_late", "late", "not_binding"],
                                        },
                                    },
                                },
                            },
                            "supports": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "kind": {"type": "string"},
                                        "description": {"type": "string"},
                                        "amount": _TEXT,
                                    },
                                },
                            },
                        },
                    },
                },
                "events": {"type": "array", "items": {"type": "object"}},
                "commitments_overdue": {"type": "integer"},
                "commitments_due_soon": {"type": "integer"},
            },
        },
        "monitoring": {"type": "array", "items": _CELL},
        "contributed": {"type": "object", "additionalProperties": {"type": "array", "items": _CELL}},
    },
}


def register(api: ApiRegistry) -> None:
    api.schemas["OperationsSupportRow"] = ROW_SCHEMA
    year_parameter = {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}

    @api.route(
        PREFIX,
        summary=_l("The regions whose support overview you may read (the national level reaches all)"),
        tag=TAG,
        response={
            "type": "object",
            "properties": {
                "regions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "ubigeo": {"type": "string"},
                            "url": {"type": "string"},
                        },
                    },
                }
            },
        },
    )
    def ops_support_regions():
        regions = regions_in_reach(current_scope())
        return jsonify(
            {
                "regions": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "ubigeo": r.ubigeo,
                        "url": url_for("api.ops_support_overview", region_id=r.id),
                    }
                    for r in regions
                ]
            }
        )

    @api.route(
        f"{PREFIX}/<int:region_id>",
        summary=_l("The municipalities of a region: stages, convenio goals and commitments due, support measures"),
        tag=TAG,
        response={
            "type": "object",
            "properties": {
                "region_id": {"type": "integer"},
                "region": {"type": "string"},
                "year": {"type": "integer"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/OperationsSupportRow"}},
            },
        },
        parameters=[year_parameter],
    )
    def ops_support_overview(region_id: int):
        scope = current_scope()
        region = next((r for r in regions_in_reach(scope) if r.id == region_id), None)
        if region is None:  # not a region, or outside the caller's reach: the same answer
            api_refusal(Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404))
        year = chosen_year(request.args.get("year"))
        rows = overview(region, scope, year)
        return jsonify(
            {"region_id": region.id, "region": region.name, "year": year, "items": [status_json(r) for r in rows]}
        )
