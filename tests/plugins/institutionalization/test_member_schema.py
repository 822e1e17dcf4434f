"""The member record on the plugin kit: what the API returns validates against the OpenAPI schema
generated from the same field declaration (the hand-written schema lacked fields the API returned),
and the page shows a refusal beside its field while keeping what the person typed."""

from __future__ import annotations

import jsonschema

from tests.plugins.institutionalization.conftest import add_member, make_body, version_of

BASE = "/api/v1/institutionalization"


def _validator(client, name: str) -> jsonschema.protocols.Validator:  # noqa: ANN001
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_member_responses_validate_against_the_openapi_schema(app, client, people, api_token, govs):
    body_id = make_body(app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president"})])
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    validator = _validator(client, "InstitutionalizationMember")

    created = client.post(
        f"{BASE}/bodies/{body_id}/members",
        json={
            "version": version_of(app, body_id),
            "full_name": "Carmen Tello",
            "category": "regional_offices",
            "dni": "22418530",
            "active_from": "01/03/2008",  # as Peru writes it: one date parser for every path
            "technical_committee": True,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    member = created.get_json()
    assert member["active_from"] == "2008-03-01" and member["category_name"] and member["body_id"] == body_id
    patched = client.patch(
        f"{BASE}/members/{member['id']}",
        json={"version": version_of(app, body_id), "active_to": "2008-12-31"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.get_json()
    listed = client.get(f"{BASE}/bodies/{body_id}/members", headers=headers).get_json()["items"]
    one = client.get(f"{BASE}/members/{member['id']}", headers=headers).get_json()
    for payload in (member, patched.get_json(), one, *listed):
        errors = [e.message for e in validator.iter_errors(payload)]
        assert errors == [], errors
    assert set(one) == set(_validator(client, "InstitutionalizationMember").schema["properties"])


def test_member_schema_refuses_what_the_api_does_not_return(client):  # noqa: ANN001
    validator = _validator(client, "InstitutionalizationMember")
    assert not validator.is_valid({"id": 1, "full_name": "Sin el resto"})  # every field is always returned


def test_refused_member_page_keeps_the_input_and_shows_the_error_beside_the_field(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"])
    people.login(client, "team")
    response = add_member(
        client,
        app,
        body_id,
        "regional_offices",
        "Carmen Tello",
        expect=400,
        active_from="2008-06-01",
        active_to="2008-05-31",
        position="Gerente Regional",
    )
    page = response.get_data(as_text=True)
    assert 'value="Carmen Tello"' in page and 'value="Gerente Regional"' in page
    # beside its field (core.operations.form_refusal), not only as a flashed message
    assert (
        '<ul class="errors" id="active_to-errors"><li>La fecha de fin no puede ser anterior a la de inicio.</li></ul>'
        in page
    )


def test_clause_responses_validate_and_bad_fields_are_refused_per_field(app, client, people, api_token, govs):
    """The ordinance's clauses are on the kit too: schema from the declaration, errors by field."""
    from tests.plugins.institutionalization.conftest import make_ordinance

    body_id = make_body(app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president"})])
    ordinance_id = make_ordinance(app, body_id)
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    validator = _validator(client, "InstitutionalizationClause")
    url = f"{BASE}/ordinances/{ordinance_id}/clauses"
    bad = client.post(
        url, json={"version": version_of(app, ordinance_id), "subject": "tesoro", "text": "ENCARGAR…"}, headers=headers
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["fields"]["subject"] == ["«Materia del artículo»: «tesoro» no es una opción válida."]
    created = client.post(
        url, json={"version": version_of(app, ordinance_id), "subject": "other", "text": "ENCARGAR…"}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    clause = created.get_json()
    assert clause["heading"].startswith("Artículo ") and clause["generated"] is False
    moved = client.post(
        f"{BASE}/clauses/{clause['id']}/move",
        json={"version": version_of(app, ordinance_id), "direction": "up"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.get_json()
    detail = client.get(f"/api/v1/cases/{ordinance_id}", headers=headers).get_json()
    for payload in (clause, moved.get_json(), *detail["articles"], *detail["considering"]):
        errors = [e.message for e in validator.iter_errors(payload)]
        assert errors == [], errors
    assert moved.get_json()["position"] == clause["position"] - 1


def test_member_routes_by_role_with_the_kits_route_matrix(app, client, people, api_token, govs):
    """Pages and API of members through the operations, role by role (core.testing.route_matrix)."""
    from core.testing import route_matrix

    body_id = make_body(app, govs["huanuco"], [("regional_offices", "Carmen Tello", {})])
    requests = [
        ("GET", f"/institucionalizacion/instancias/{body_id}/miembros/nuevo"),
        ("GET", f"{BASE}/bodies/{body_id}/members"),
        ("POST", f"{BASE}/bodies/{body_id}/members"),
    ]

    def body(method: str, url: str) -> dict:
        if method == "POST":
            return {"version": version_of(app, body_id), "full_name": "Otra Persona", "category": "regional_offices"}
        return {}

    statuses = route_matrix(client, people, ["team", "auditor", "cusco"], requests, data=body, api_token=api_token)
    # the team writes (active_from missing: refused by field, 400); the auditor reads only; Cusco sees nothing
    assert statuses == {"team": [200, 200, 400], "auditor": [403, 200, 403], "cusco": [404, 404, 404]}
