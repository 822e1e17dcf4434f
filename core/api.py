"""JSON API under /api/v1: a small registry that records each endpoint's OpenAPI description.

The OpenAPI document itself (endpoint records, shared schemas, the builder) is ``core.openapi``.

Writes need ``Authorization: Bearer <token>`` (so the API is exempt from CSRF); reads also
accept the browser session. Scoping is the same as the web's (``core.security``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.errors import bad_request
from core.extensions import csrf, db
from core.models import GOVERNMENT_KINDS, TERRITORY_LEVELS, Government, Territory
from core.openapi import (
    API_PREFIX,
    CONVERTER_TYPES,
    ERROR_SCHEMA,
    PAGE_PARAMETERS,
    Endpoint,
    openapi_document,
    page_schema,
)
from core.plugins import plugin_registry
from core.security import READ, current_scope, ensure, permissions, readable_clause
from core.territories import reachable_governments
from core.users import user_from_bearer
from core.validation import INTEGER_TEXT
from core.web.pagination import Page, paginate


class ApiRegistry:
    """Collects endpoints (core and plugins) on one blueprint and describes them in OpenAPI 3.1."""

    def __init__(self) -> None:
        self.blueprint = Blueprint("api", __name__, url_prefix=API_PREFIX)
        self.endpoints: list[Endpoint] = []
        self.schemas: dict[str, dict[str, Any]] = {}
        #: Called when the document is built: schemas that depend on data (custom fields).
        self.schema_providers: list[Callable[[], dict[str, dict[str, Any]]]] = []

    def route(
        self,
        path: str,
        methods: tuple[str, ...] = ("GET",),
        *,
        summary: str,
        tag: str,
        parameters: list[dict[str, Any]] | None = None,
        response: dict[str, Any] | None = None,
        request_body: dict[str, Any] | None = None,
        public: bool = False,
        request_content_type: str = "application/json",
        response_content_type: str | tuple[str, ...] = "application/json",
        status: int = 200,
        extra_errors: tuple[int, ...] = (),
    ) -> Callable:
        """Register a view; ``path`` uses Flask syntax (``<int:id>``), converted for OpenAPI."""
        openapi_path = path
        path_types = {}
        for part in path.split("/"):
            if part.startswith("<") and part.endswith(">"):
                converter, _colon, name = part[1:-1].rpartition(":")
                openapi_path = openapi_path.replace(part, "{" + name + "}")
                path_types[name] = CONVERTER_TYPES.get(converter, "string")

        def decorator(view: Callable) -> Callable:
            for method in methods:
                self.endpoints.append(
                    Endpoint(
                        openapi_path,
                        method.lower(),
                        summary,
                        tag,
                        parameters or [],
                        response or {"type": "object"},
                        request_body,
                        public,
                        request_content_type,
                        response_content_type,
                        path_types,
                        status,
                        extra_errors,
                    )
                )

            query_schemas = {p["name"]: p.get("schema", {}) for p in parameters or [] if p.get("in") == "query"}

            @wraps(view)
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                if not public:
                    require_api_user(write=request.method not in ("GET", "HEAD", "OPTIONS"))
                # The document lists each operation's parameters: anything else is a client's mistake
                # (a misspelt filter would otherwise silently return everything).
                unknown = sorted(set(request.args) - set(query_schemas))
                if unknown:
                    bad_request(_("Unknown parameter: %(names)s.", names=", ".join(unknown)))
                for name, value in request.args.items():
                    check_query_parameter(name, value, query_schemas[name])
                return view(*args, **kwargs)

            self.blueprint.add_url_rule(path, view.__name__, wrapped, methods=list(methods))
            return wrapped

        return decorator

    def openapi(self) -> dict[str, Any]:
        return openapi_document(self.endpoints, self.schemas, self.schema_providers)


def check_query_parameter(name: str, value: str, schema: dict[str, Any]) -> None:
    """Refuse (400) a query value its documented schema does not admit: type, enum and bounds."""
    if schema.get("type") == "integer":
        if not INTEGER_TEXT.fullmatch(value):
            bad_request(_("«%(field)s» must be an integer.", field=name))
        number: int | str = int(value)
        if "minimum" in schema and number < schema["minimum"] or "maximum" in schema and number > schema["maximum"]:
            bad_request(
                _(
                    "«%(field)s» must be between %(min)s and %(max)s.",
                    field=name,
                    min=schema.get("minimum", "…"),
                    max=schema.get("maximum", "…"),
                )
            )
    elif "enum" in schema and value not in schema["enum"]:
        bad_request(
            _("«%(field)s» must be one of: %(values)s.", field=name, values=", ".join(map(str, schema["enum"])))
        )


def require_api_user(write: bool) -> None:
    """A Bearer token, when sent, decides who the caller is (even beside a session cookie);
    reads also accept the browser session; writes require a token (no cookies, hence no CSRF)."""
    if request.headers.get("Authorization", "").startswith("Bearer ") and "api_token" not in g:
        user = user_from_bearer(request)
        if user is None:
            abort(401)
        g._login_user = user  # Flask-Login's slot for the current user
        g.pop("articula_scope", None)
    if not current_user.is_authenticated:
        abort(401)
    if write and "api_token" not in g:
        abort(401)


def json_object(**ids: Any) -> dict[str, Any]:
    """The request's JSON body as an object, with ``ids`` from the path added; 400 when there is none
    (an empty or non-JSON body: core.validation has already refused malformed JSON and non-objects)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        bad_request(_("The body must be a JSON object."))
    return {**data, **ids}


def filter_parameters(*names: str) -> list[dict[str, Any]]:
    """The OpenAPI parameters of a ``scoped_page`` list: one integer filter per name, then the page's."""
    return [*({"name": name, "in": "query", "schema": {"type": "integer"}} for name in names), *PAGE_PARAMETERS]


def scoped_page(
    model: type,
    serialize: Callable[[Any], dict[str, Any]],
    *,
    order_by: tuple[Any, ...],
    filters: dict[str, Any] | None = None,
    reach: Any = None,
    options: tuple[Any, ...] = (),
) -> Any:
    """One JSON page of ``model``'s rows within the caller's reach: ``reach`` (default: the rows whose
    ``government_id`` the caller reads, core.security.readable_clause), each integer query parameter
    of ``filters`` ({name: column}) sent narrowing to that column's value, in ``order_by``, with
    ``options`` (eager loads, so the page's statements stay constant in the table's size).

    Declare the route with ``parameters=filter_parameters(*filters)``: the registry then refuses a
    non-integer value before the view runs."""
    clause = reach if reach is not None else readable_clause(current_scope(), model.government_id)
    query = select(model).where(clause).order_by(*order_by)
    for name, column in (filters or {}).items():
        raw = request.args.get(name)
        if raw:
            query = query.where(column == int(raw))
    if options:
        query = query.options(*options)
    return page_json(paginate(query, model.id), serialize)


def page_json(page: Page, serialize: Callable[[Any], dict[str, Any]]) -> Any:
    return jsonify(
        {
            "items": [serialize(i) for i in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }
    )


# --- core endpoints ---------------------------------------------------------------------------

TERRITORY_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "ubigeo": {"type": "string"},
        "level": {"type": "string", "enum": list(TERRITORY_LEVELS)},
        "name": {"type": "string"},
        "parent_id": {"type": ["integer", "null"]},
        "latitude": {"type": ["number", "null"]},
        "longitude": {"type": ["number", "null"]},
    },
}
GOVERNMENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(GOVERNMENT_KINDS)},
        "name": {"type": "string"},
        "acronym": {"type": ["string", "null"]},
        "ubigeo": {"type": "string"},
        "parent_id": {"type": ["integer", "null"]},
        "region_id": {"type": ["integer", "null"]},
    },
}


def territory_json(t: Territory) -> dict[str, Any]:
    return {
        "id": t.id,
        "ubigeo": t.ubigeo,
        "level": t.level,
        "name": t.name,
        "parent_id": t.parent_id,
        "latitude": float(t.latitude) if t.latitude is not None else None,
        "longitude": float(t.longitude) if t.longitude is not None else None,
    }


def government_json(gov: Government) -> dict[str, Any]:
    return {
        "id": gov.id,
        "kind": gov.kind,
        "name": gov.name,
        "acronym": gov.acronym,
        "ubigeo": gov.ubigeo,
        "parent_id": gov.parent_id,
        "region_id": gov.region_id,
    }


def register_core_endpoints(api: ApiRegistry) -> None:
    """The platform's own endpoints: OpenAPI, territories, governments, current user."""
    api.schemas.update({"Territory": TERRITORY_SCHEMA, "Government": GOVERNMENT_SCHEMA, "Error": ERROR_SCHEMA})

    @api.route("/openapi.json", summary=_l("OpenAPI document of this API"), tag="meta", public=True)
    def openapi_document():
        return jsonify(api.openapi())

    @api.route(
        "/territories",
        summary=_l("Territories (departments, provinces, districts) with total count"),
        tag="territorio",
        response=page_schema({"$ref": "#/components/schemas/Territory"}),
        parameters=[
            {"name": "level", "in": "query", "schema": {"type": "string", "enum": list(TERRITORY_LEVELS)}},
            {"name": "parent", "in": "query", "schema": {"type": "string"}, "description": _l("ubigeo of the parent")},
            *PAGE_PARAMETERS,
        ],
    )
    def list_territories():
        # Territory is public reference data: every signed-in user may read all of it.
        query = select(Territory).order_by(Territory.ubigeo)
        level = request.args.get("level")
        if level is not None:
            if level not in TERRITORY_LEVELS:
                bad_request(_("Unknown level: use department, province or district."))
            query = query.where(Territory.level == level)
        parent = request.args.get("parent")
        if parent:
            parent_row = db.session.scalar(select(Territory).where(Territory.ubigeo == parent))
            if parent_row is None:
                bad_request(_("Unknown ubigeo: %(ubigeo)s", ubigeo=parent))
            query = query.where(Territory.parent_id == parent_row.id)
        return page_json(paginate(query, Territory.id), territory_json)

    @api.route(
        "/territories/<ubigeo>",
        summary=_l("One territory by its ubigeo"),
        tag="territorio",
        response={"$ref": "#/components/schemas/Territory"},
    )
    def get_territory(ubigeo: str):
        territory = db.session.scalar(select(Territory).where(Territory.ubigeo == ubigeo))
        if territory is None:
            response = jsonify({"error": {"code": 404, "message": _("Unknown ubigeo: %(ubigeo)s", ubigeo=ubigeo)}})
            response.status_code = 404
            abort(response)
        return jsonify(territory_json(territory))

    @api.route(
        "/governments",
        summary=_l("Governments in your scope"),
        tag="gobiernos",
        response=page_schema({"$ref": "#/components/schemas/Government"}),
        parameters=[
            {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(GOVERNMENT_KINDS)}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            *PAGE_PARAMETERS,
        ],
    )
    def list_governments():
        kind = request.args.get("kind")
        if kind is not None and kind not in GOVERNMENT_KINDS:
            bad_request(_("Unknown government kind: use regional, provincial or district."))
        query = reachable_governments(request.args.get("q"), kind).order_by(Government.id)
        return page_json(paginate(query, Government.id), government_json)

    @api.route(
        "/governments/<int:id>",
        summary=_l("One government"),
        tag="gobiernos",
        response={"$ref": "#/components/schemas/Government"},
    )
    def get_government(id: int):
        government = db.session.get(Government, id)
        if government is None:
            abort(404)
        ensure(READ, government)
        return jsonify(government_json(government))

    @api.route("/me", summary=_l("The current user, their memberships and their scope"), tag="usuarios")
    def me():
        scope = current_scope()
        return jsonify(
            {
                "id": current_user.id,
                "email": current_user.email,
                "name": current_user.name,
                "locale": current_user.locale,
                "memberships": [
                    {
                        "role": m.role,
                        "government_id": m.government_id,
                        "government": m.government.name if m.government else None,
                    }
                    for m in current_user.memberships
                ],
                "read_only": scope.read_only,
                "reaches_all": scope.everything,
                "permissions": permissions(scope),
            }
        )


def init_app(app: Flask) -> None:
    """Each app gets its own registry: the enabled plugins differ between apps. The built-in
    plugins (cases, audit, deadlines…) add their endpoints through the same ``register_api`` hook."""

    api = ApiRegistry()
    register_core_endpoints(api)
    plugin_registry(app).call_in_order("register_api", api=api)
    csrf.exempt(api.blueprint)
    app.register_blueprint(api.blueprint)
    app.extensions["articula.api"] = api
