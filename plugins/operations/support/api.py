"""API of the regional support overview: GET /api/v1/operations/support (one row per municipality of a
region, as the page /operaciones/apoyo/ shows it)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.api import ApiRegistry, bad_request
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

    @api.route(
        PREFIX,
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
        parameters=[
            {"name": "region", "in": "query", "schema": {"type": "integer"}},
            {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}},
        ],
    )
    def ops_support_overview():
        scope = current_scope()
        regions = regions_in_reach(scope)
        raw = request.args.get("region")
        if raw:
            region = next((r for r in regions if str(r.id) == raw), None)
            if region is None:
                api_refusal(Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404))
        elif len(regions) == 1:
            region = regions[0]
        else:
            bad_request(_("«%(field)s» is required: you reach more than one region.", field="region"))
        year = chosen_year(request.args.get("year"))
        rows = overview(region, scope, year)
        return jsonify(
            {"region_id": region.id, "region": region.name, "year": year, "items": [status_json(r) for r in rows]}
        )
