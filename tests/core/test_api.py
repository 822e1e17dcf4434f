"""Tests for the JSON API under /api/v1: the OpenAPI document, token and session authentication, JSON
errors, the current user, and government scoping."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.api import API_PREFIX
from core.extensions import db
from core.models import Case
from tests.conftest import csrf_from, login

SIGN_IN_MESSAGE = "Debe ingresar para continuar."


@pytest.fixture
def team(make_user, govs):  # noqa: ANN001, ANN201
    return make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))


@pytest.fixture
def bearer(team, api_token):  # noqa: ANN001, ANN201
    return {"Authorization": f"Bearer {api_token(team)}"}


# --- the OpenAPI document ---------------------------------------------------------------------------------


def flask_to_openapi(rule: str) -> tuple[str, dict[str, str]]:
    """/api/v1/cases/<int:case_id> → (/api/v1/cases/{case_id}, {case_id: integer})."""
    types = {}

    def replace(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        types[name] = {"int": "integer", "float": "number"}.get(converter or "", "string")
        return "{" + name + "}"

    return re.sub(r"<(?:(\w+):)?(\w+)>", replace, rule), types


@pytest.fixture
def document(client) -> dict:  # noqa: ANN001
    response = client.get("/api/v1/openapi.json")  # public: no authentication
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def test_openapi_document_is_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert document["paths"]


def test_openapi_lists_every_registered_endpoint(app, document):
    registry = app.extensions["articula.api"]
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    registered = {(API_PREFIX + ep.path, ep.method) for ep in registry.endpoints}
    routed = {
        (flask_to_openapi(rule.rule)[0], method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == registered == routed
    assert len(documented) >= 10


def test_openapi_operations_are_complete(app, document):
    rule_types = {
        flask_to_openapi(rule.rule)[0]: flask_to_openapi(rule.rule)[1]
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
    }
    schemas = document["components"]["schemas"]
    problems = []
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            if not op.get("summary") or not op.get("tags"):
                problems.append(f"{where}: summary/tags")
            if not {"200", "201", "204"} & set(op.get("responses", {})):
                problems.append(f"{where}: no success response")
            declared = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "path"}
            for name, kind in rule_types[path].items():
                if name not in declared or not declared[name].get("required"):
                    problems.append(f"{where}: path parameter {name} undeclared")
                elif declared[name]["schema"]["type"] != kind:
                    problems.append(f"{where}: {name} is {declared[name]['schema']['type']}, the route takes {kind}")
            # without a token: the document itself, and endpoints under a /public/ segment (the Ventanilla's intake)
            public = path.endswith("/openapi.json") or "/public/" in path
            if public == bool(op.get("security")):
                problems.append(f"{where}: security")
            for ref in re.findall(r"'\$ref': '#/components/schemas/(\w+)'", repr(op)):
                if ref not in schemas:
                    problems.append(f"{where}: dangling $ref {ref}")
    assert not problems, "\n".join(problems)


# --- authentication ---------------------------------------------------------------------------------------


def test_bearer_token_authenticates(client, bearer):
    response = client.get("/api/v1/me", headers=bearer)
    assert response.status_code == 200 and response.get_json()["email"] == "equipo@huanuco.pe"
    assert response.headers.getlist("Set-Cookie") == []  # a token call opens no session


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer art_no-existe"}, {"Authorization": "Bearer "}, {"Authorization": "Basic YTpi"}],
    ids=["none", "unknown-token", "empty-token", "basic"],
)
def test_no_valid_credentials_is_401_json_in_spanish(client, team, headers):
    response = client.get("/api/v1/governments", headers=headers)
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"]["code"] == 401
    assert response.get_json()["error"]["message"] == SIGN_IN_MESSAGE


def test_session_authenticates_reads(client, team):
    login(client, "equipo@huanuco.pe")
    response = client.get("/api/v1/me")
    assert response.status_code == 200 and response.get_json()["email"] == "equipo@huanuco.pe"


def test_writes_need_a_token_not_a_session(app, client, team, govs, bearer):
    login(client, "equipo@huanuco.pe")
    body = {"type": "generic", "government_id": govs["huanuco"], "year": 2008, "title": "Por API", "stage": "diagnosis"}
    with_session = client.post("/api/v1/cases", json=body)
    assert with_session.status_code == 401
    # …not even with the CSRF token of the session: the API's writes are for tokens only
    with_csrf = client.post("/api/v1/cases", json=body, headers={"X-CSRFToken": csrf_from(client, "/perfil")})
    assert with_csrf.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    with_token = app.test_client().post("/api/v1/cases", json=body, headers=bearer)
    assert with_token.status_code == 201, with_token.get_json()
    assert with_token.get_json()["title"] == "Por API"


def test_a_bearer_token_beats_the_session_cookie(client, make_user, govs, api_token):
    make_user("coord@cusco.pe", ("coordinator", govs["cusco"]))
    other = api_token(make_user("equipo@huanuco.pe", ("team", govs["huanuco"])))
    login(client, "coord@cusco.pe")
    assert client.get("/api/v1/me").get_json()["email"] == "coord@cusco.pe"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert me.get_json()["email"] == "equipo@huanuco.pe"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer art_falso"}).status_code == 401


# --- errors -----------------------------------------------------------------------------------------------


def test_unknown_api_path_is_json_404(client, bearer):
    response = client.get("/api/v1/no-existe", headers=bearer)
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["code"] == 404


def test_wrong_method_is_json_405(client, bearer):
    response = client.delete("/api/v1/governments", headers=bearer)
    assert response.status_code == 405 and response.is_json


# --- /me and scoping --------------------------------------------------------------------------------------


def test_me_shows_memberships_and_scope(client, make_user, govs, api_token):
    user = make_user("mixto@huanuco.pe", ("team", govs["huanuco"]), ("auditor", govs["cusco"]))
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {api_token(user)}"}).get_json()
    assert body["id"] == user and body["locale"] == "es"
    memberships = {(m["role"], m["government_id"], m["government"]) for m in body["memberships"]}
    assert memberships == {
        ("team", govs["huanuco"], "Gobierno Regional de Huánuco"),
        ("auditor", govs["cusco"], "Gobierno Regional de Cusco"),
    }
    assert body["read_only"] is False and body["reaches_all"] is False
    national = make_user("supervisor@stcias.pe", ("national", None))
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {api_token(national)}"}).get_json()
    assert body["memberships"] == [{"role": "national", "government_id": None, "government": None}]
    assert body["read_only"] is True and body["reaches_all"] is True


def test_governments_are_scoped(client, bearer, govs):
    listing = client.get("/api/v1/governments?per_page=500", headers=bearer).get_json()
    assert listing["total"] == 85
    ids = {g["id"] for g in listing["items"]}
    assert {govs["huanuco"], govs["huanuco_prov"], govs["amarilis"]} <= ids
    assert govs["cusco"] not in ids and govs["cusco_prov"] not in ids
    assert {g["region_id"] for g in listing["items"]} == {govs["huanuco"]}
    provinces = client.get("/api/v1/governments?kind=provincial", headers=bearer).get_json()
    assert provinces["total"] == 11
    assert client.get("/api/v1/governments?q=080000", headers=bearer).get_json()["total"] == 0
    one = client.get(f"/api/v1/governments/{govs['amarilis']}", headers=bearer).get_json()
    assert one["name"] == "Municipalidad Distrital de Amarilis" and one["parent_id"] == govs["huanuco_prov"]
    hidden = client.get(f"/api/v1/governments/{govs['cusco']}", headers=bearer)
    assert hidden.status_code == 404 and hidden.is_json
    assert "Cusco" not in hidden.get_data(as_text=True)


def test_unknown_government_kind_is_a_spanish_400(client, bearer):
    response = client.get("/api/v1/governments?kind=municipal", headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "«kind» debe ser uno de: regional, provincial, district."


def test_token_use_is_recorded_at_most_hourly(app, client, make_user, govs, api_token):
    from datetime import timedelta

    from core.models import ApiToken

    user = make_user("uso@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(user)}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        first = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user)).last_used_at
        assert first is not None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user))
        assert token.last_used_at == first  # within the hour: no write
        token.last_used_at = first - timedelta(hours=2)
        db.session.commit()
    client.get("/api/v1/me", headers=headers)
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user)).last_used_at > first
