"""The OpenAPI 3.1 document of the JSON API: endpoint records, shared schemas and the builder.

``core.api`` registers endpoints (``ApiRegistry.route``) and serves the document this module builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from core.validation import DB_INT_MAX

API_PREFIX = "/api/v1"


@dataclass
class Endpoint:
    path: str  # OpenAPI form: /governments/{id}
    method: str
    summary: str
    tag: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    request_body: dict[str, Any] | None = None
    public: bool = False
    request_content_type: str = "application/json"  # multipart/form-data for uploads
    response_content_type: str | tuple[str, ...] = "application/json"  # application/pdf; several for files
    path_types: dict[str, str] = field(default_factory=dict)  # {id: integer, ubigeo: string}
    status: int = 200  # the success status: 201 for creations, 204 for deletions
    extra_errors: tuple[int, ...] = ()  # beyond the common ones, e.g. 503 when a PDF cannot render in time


#: The body of every error answer (``reasons`` lists several refusals when there are many).
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "reasons": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: _l("Invalid data (message in the user's language)"),
    401: _l("Not authenticated"),
    403: _l("Not permitted"),
    404: _l("Does not exist or is outside your jurisdiction"),
    409: _l("Conflict: the record changed, already exists or its state does not allow it"),
    413: _l("Body or file too large"),
    429: _l("Too many attempts. Wait a few minutes and try again."),
    503: _l("Busy: the document could not be generated in time; nothing was saved"),
}


#: Flask URL converters → OpenAPI types (anything else is a string).
CONVERTER_TYPES = {"int": "integer", "float": "number"}


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": item},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    }


PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX, "default": 50},
        "description": _l("Rows per page; more than API_MAX_PAGE_SIZE (500) is reduced to that maximum."),
    },
]


def openapi_document(
    endpoints: Iterable[Endpoint],
    schemas: dict[str, dict[str, Any]],
    schema_providers: Iterable[Callable[[], dict[str, dict[str, Any]]]] = (),
) -> dict[str, Any]:
    """The OpenAPI document describing ``endpoints``, with ``schemas`` plus those the providers
    compute when it is built (schemas that depend on data, such as custom fields)."""
    schemas = dict(schemas)
    for provider in schema_providers:
        schemas.update(provider())
    paths: dict[str, dict[str, Any]] = {}
    for ep in endpoints:
        op: dict[str, Any] = {
            "summary": ep.summary,
            "tags": [ep.tag],
            "parameters": [
                *(
                    {
                        "name": name,
                        "in": "path",
                        "required": True,
                        "schema": _path_schema(ep.path_types.get(name, "string")),
                    }
                    for name in _path_params(ep.path)
                ),
                *ep.parameters,
            ],
            "responses": _responses(ep),
        }
        if ep.request_body:
            op["requestBody"] = {
                "required": True,
                "content": {ep.request_content_type: {"schema": ep.request_body}},
            }
        if not ep.public:
            op["security"] = [{"bearerAuth": []}]
        paths.setdefault(API_PREFIX + ep.path, {})[ep.method] = op
    return plain_strings(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Articula API",
                "version": "1",
                "description": _("Articula API for implementing the EN CRECER."),
            },
            "paths": paths,
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
                "schemas": schemas,
            },
        }
    )


def plain_strings(value: Any) -> Any:
    """``value`` with its lazy strings (summaries, descriptions declared at import) rendered in the
    request's language, so the document serialises to JSON."""
    if isinstance(value, dict):
        return {key: plain_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_strings(item) for item in value]
    return str(value) if isinstance(value, LazyString) else value


def _error_codes(ep: Endpoint) -> list[int]:
    """What an operation can really answer besides success: any input may be refused (400); records
    may be missing or out of reach (404); callers must be signed in (401) with a permission (403);
    writes may conflict (409) and bodies may be too large (413)."""
    codes = [400, 404]
    if not ep.public:
        codes += [401, 403]
    if ep.method in ("post", "put", "patch", "delete"):
        codes += [409, 413]
    return sorted({*codes, *ep.extra_errors})


def _responses(ep: Endpoint) -> dict[str, Any]:
    success: dict[str, Any] = {"description": {200: "OK", 201: _("Created"), 204: _("No content")}.get(ep.status, "OK")}
    if ep.status != 204:
        types = ep.response_content_type
        success["content"] = {t: {"schema": ep.response} for t in ((types,) if isinstance(types, str) else types)}
    responses = {str(ep.status): success}
    for code in _error_codes(ep):
        responses[str(code)] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return responses


def _path_schema(kind: str) -> dict[str, Any]:
    if kind == "integer":  # what the id converter accepts (core.validation.IdConverter)
        return {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX}
    return {"type": kind}


def _path_params(path: str) -> list[str]:
    return [p[1:-1] for p in path.split("/") if p.startswith("{")]
