"""The diagnosis's numbers keep within their declared limits (refused in Spanish, naming the field's
label; the limits documented in the API schema), its instruments parse through their declarations,
and the page forms that are plain lists of declared fields are generated from the declarations."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.extensions import db
from plugins.diagnosis.fields import ACTIVITY, ACTOR, CAUSE, INDICATOR, RESULT
from plugins.diagnosis.models import Cause, DistrictRecord, SocialInfoItem
from tests.plugins.diagnosis.conftest import create_case_web, post_form


def _plan(client, headers, govs) -> tuple[int, int, int]:  # noqa: ANN001
    created = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    plan = client.get(f"/api/v1/plans/{created.get_json()['id']}", headers=headers).get_json()
    return plan["id"], plan["version"], plan["plan"]["results"][0]["id"]


def test_matrix_numbers_over_their_limit_are_refused_naming_the_field(app, client, make_user, govs, api_token):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    plan_id, version, result_id = _plan(client, headers, govs)
    url = f"/api/v1/plans/{plan_id}/results/{result_id}"
    activity = {"version": version, "name": "CRED", "budget": "S/ 1.000.000.000,00"}
    response = client.post(f"{url}/activities", json=activity, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"budget": ["«Presupuesto» debe ser como máximo 999,999,999.99."]}
    response = client.patch(url, json={"version": version, "goal_value": "1000000000"}, headers=headers)
    assert response.get_json()["error"]["fields"] == {
        "goal_value": ["«Meta (beneficiarios)» debe ser como máximo 999,999,999."]
    }
    # An indicator's value fits its column (Numeric(12, 4)) on PostgreSQL too.
    indicator = {"version": version, "name": "DCI", "baseline": "100000000"}
    response = client.post(f"{url}/indicators", json=indicator, headers=headers)
    assert response.get_json()["error"]["fields"] == {
        "baseline": ["«Línea de base» debe ser como máximo 99,999,999.9999."]
    }
    indicator["baseline"] = "99999999.9999"
    assert client.post(f"{url}/indicators", json=indicator, headers=headers).status_code == 201


def test_the_api_schema_documents_the_limits(client):  # noqa: ANN001
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def properties(suffix: str, method: str) -> dict:
        path = next(p for p in paths if p.endswith(suffix))
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["properties"]

    assert properties("/activities", "post")["budget"] | {"description": ""} == {
        "type": ["string", "null"],
        "pattern": r"^-?\d+(\.\d{1,2})?$",
        "minimum": 0,
        "maximum": 999999999.99,
        "description": "",
    }
    assert (
        properties("/results", "post")["goal_value"]["minimum"],
        properties("/results", "post")["goal_value"]["maximum"],
    ) == (
        0,
        999999999,
    )
    assert properties("/indicators/{indicator_id}", "patch")["target"]["maximum"] == 99999999.9999


def test_ficha_counts_keep_within_their_limit(app, regional_team, govs):  # noqa: ANN001
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    with app.app_context():
        record = db.session.scalars(select(DistrictRecord).where(DistrictRecord.diagnosis_id == case_id)).first()
        item = db.session.scalars(select(SocialInfoItem).where(SocialInfoItem.letter == "c")).one()
        record_id, item_id = record.id, item.id
    url = f"/diagnosticos/{case_id}/fichas/{record_id}"
    bad = post_form(client, app, case_id, url, {f"item_{item_id}_value": "1000000000", f"item_{item_id}_as_of": "ayer"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "«c) Valor» debe ser como máximo 999,999,999." in text
    assert "«c) Fecha» debe ser una fecha" in text


def _inputs(page: str) -> dict[str, str]:
    """Each input's name → the text of the label that names it (label for= the input's id)."""
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)</label>', page))
    found = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        name, ident = re.search(r'name="([^"]+)"', tag), re.search(r'id="([^"]+)"', tag)
        if name and ident and ident.group(1) in labels:
            found[name.group(1)] = labels[ident.group(1)]
    return found


def test_page_forms_are_generated_from_the_declarations(app, regional_team, govs):  # noqa: ANN001
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    page = client.get(f"/diagnosticos/{case_id}/causas").get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        expected = {f.name: str(f.label) for f in CAUSE.inputs}
    assert _inputs(page) == expected
    assert expected["level"] == "Nivel de la causa"
    # The actors' form too (its relation form chooses among this diagnosis's actors: written by hand).
    page = client.get(f"/diagnosticos/{case_id}/actores").get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert _inputs(page) == {f.name: str(f.label) for f in ACTOR.inputs}
    assert '<option value="juntos">' in page and 'multiple name="programs"' in page
    # A refused form is shown again with what was typed, in the generated inputs.
    refused = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/causas",
        {"_form": "cause", "level": "immediate", "evidence": "ENDES 2007"},
    )
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "«Causa» es obligatorio." in text
    assert re.search(r'<textarea[^>]*name="evidence"[^>]*>\s*ENDES 2007</textarea>', text)
    assert re.search(r'<option selected value="immediate">|<option value="immediate" selected>', text)
    with app.app_context():
        assert db.session.scalar(select(Cause.id)) is None


def test_the_matrix_edits_its_rows_with_the_declared_fields(app, regional_team, govs):  # noqa: ANN001
    client = regional_team
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "Plan Articulado Regional")
    page = client.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    inputs = _inputs(page)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        declared = {f.name: str(f.label) for fields in (RESULT, INDICATOR) for f in fields.inputs}
        activity_only = {str(f.label) for f in ACTIVITY.inputs} - set(declared.values())
    # result fields (edit form) and indicator fields (add form) — names clash ("name"), labels do not
    assert {k: v for k, v in inputs.items() if k in declared and k != "name"} == {
        k: v for k, v in declared.items() if k != "name"
    }
    assert declared["target"] == "Meta" and not activity_only & set(inputs.values())
