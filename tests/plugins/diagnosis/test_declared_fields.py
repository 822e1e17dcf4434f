"""The diagnosis's record types come from their declared fields (plugins/diagnosis/fields.py): the
API refuses a bad row field by field, naming each in Spanish, and saves nothing; what it returns and
documents for a matrix row, and the admin's columns, are the declarations'."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from plugins.diagnosis.fields import ACTIVITY, ACTOR, BASELINE, CAUSE, INDICATOR, RESULT
from plugins.diagnosis.models import Plan, PlanActivity


def _plan(client, headers, govs) -> tuple[int, int, int]:  # noqa: ANN001
    created = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    plan = client.get(f"/api/v1/plans/{created.get_json()['id']}", headers=headers).get_json()
    return plan["id"], plan["version"], plan["plan"]["results"][0]["id"]


def test_a_bad_activity_is_refused_field_by_field_in_spanish(app, client, make_user, govs, api_token):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    plan_id, version, result_id = _plan(client, headers, govs)
    bad = {
        "version": version,
        "name": "",
        "budget": "mil soles",
        "months": "3-14",
        "strategic_program": "Programa inexistente",
        "institutions": "MINSA; Ministerio de la Magia",
    }
    response = client.post(f"/api/v1/plans/{plan_id}/results/{result_id}/activities", json=bad, headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert set(error["fields"]) == {"name", "budget", "months", "strategic_program", "institutions"}
    assert error["fields"]["name"] == ["«Actividad» es obligatorio."]
    assert "«Presupuesto» debe ser un monto en soles" in error["fields"]["budget"][0]
    assert "«13» no es un mes (1 a 12)" in error["fields"]["months"][0]
    assert "«Programa inexistente» no es un valor válido" in error["fields"]["strategic_program"][0]
    assert "«Ministerio de la Magia»" in error["fields"]["institutions"][0]
    assert all(problem in error["message"] for problems in error["fields"].values() for problem in problems)
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 0

    good = {"version": version, "name": "CRED", "budget": "S/ 1,200.50", "months": "3-5", "strategic_program": "pan"}
    response = client.post(f"/api/v1/plans/{plan_id}/results/{result_id}/activities", json=good, headers=headers)
    assert response.status_code == 201, response.get_json()
    activity = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["plan"]["results"][0]["activities"][0]
    assert set(activity) == {"id", *ACTIVITY.input_names}
    assert (activity["budget"], activity["months"], activity["strategic_program"]) == ("1200.50", [3, 4, 5], "pan")
    with app.app_context():
        stored = db.session.scalars(select(PlanActivity)).one()
        assert stored.months == [3, 4, 5] and stored.result.plan_id == plan_id
        assert db.session.get(Plan, plan_id).results[0].activities == [stored]


def test_a_refused_edit_changes_nothing_and_an_indicator_reads_as_declared(app, client, make_user, govs, api_token):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    plan_id, version, result_id = _plan(client, headers, govs)
    url = f"/api/v1/plans/{plan_id}/results/{result_id}"
    response = client.patch(
        url, json={"version": version, "name": "Nuevo nombre", "goal_value": "mil"}, headers=headers
    )
    assert response.status_code == 400
    assert list(response.get_json()["error"]["fields"]) == ["goal_value"]
    assert "«Meta (beneficiarios)»" in response.get_json()["error"]["fields"]["goal_value"][0]
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    assert plan["plan"]["results"][0]["name"] != "Nuevo nombre"  # the valid name was not set either
    response = client.post(
        f"{url}/indicators",
        json={"version": version, "name": "DCI", "baseline": "19,2", "target": "15 %"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    result = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["plan"]["results"][0]
    assert set(result) == {"id", *RESULT.input_names, "indicators", "activities"}
    indicator = result["indicators"][0]
    assert set(indicator) == {"id", *INDICATOR.input_names}
    assert (indicator["baseline"], indicator["target"]) == ("19.2000", "15.0000")


def test_the_api_documents_and_the_admin_lists_the_declared_fields(app, client):  # noqa: ANN001
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    for path, fields in (
        ("/api/v1/plans/{case_id}/results", RESULT),
        ("/api/v1/plans/{case_id}/indicators/{indicator_id}", INDICATOR),
        ("/api/v1/plans/{case_id}/results/{result_id}/activities", ACTIVITY),
        ("/api/v1/diagnoses/{case_id}/actors", ACTOR),
        ("/api/v1/diagnoses/{case_id}/causes", CAUSE),
    ):
        key = path.removeprefix("/api/v1")
        operation = paths.get(key) or paths[path]
        method = "post" if "post" in operation else "patch"
        schema = operation[method]["requestBody"]["content"]["application/json"]["schema"]
        assert set(schema["properties"]) == {*fields.input_names, "version"}, path
    assert paths[next(p for p in paths if p.endswith("/activities"))]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]["funding_source"]["enum"][:2] == ["RO", "RDR"]
    with app.app_context():
        views = {v.endpoint: v for v in app.extensions["articula.admin"]._views}
        assert views["dx_activity"].column_list == (
            "result",
            "name",
            "budget",
            "strategic_program",
            "funding_source",
            "official",
        )
        assert views["dx_activity"].column_filters == ("funding_source",)
        assert views["dx_indicator"].column_searchable_list == ("name", "formula", "source")
        assert views["dx_actor"].column_list == ("name", "kind", "level", "role")
        assert views["dx_cause"].column_filters == ("level",)
        assert views["dx_baseline"].column_list == ("territory", "indicator", "value", "year", "source")
        # the admin writes nothing a diagnosis operation writes (tests/core/test_admin_writes.py)
        assert not (views["dx_result"].can_create or views["dx_result"].can_edit or views["dx_result"].can_delete)


def test_baselines_are_checked_and_read_as_declared(app, client, make_user, govs, api_token):  # noqa: ANN001
    from tests.plugins.diagnosis.conftest import version_of

    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    created = client.post(
        "/api/v1/cases",
        json={"type": "diagnosis", "government_id": govs["huanuco"], "year": 2008, "title": "Diagnóstico"},
        headers=headers,
    )
    case_id = created.get_json()["id"]
    url = f"/api/v1/diagnoses/{case_id}/baselines"
    bad = {"ubigeo": "100000", "indicator": "2", "value": "", "year": "1800", "source": "ENDES"}
    response = client.post(url, json={"version": version_of(app, case_id), "rows": [bad]}, headers=headers)
    assert response.status_code == 400
    (problem,) = response.get_json()["errors"]  # the row's problems, all at once
    assert "«Valor» es obligatorio." in problem["message"] and "«1800»" in problem["message"]
    good = bad | {"value": "42,8", "year": 2007, "notes": "ENDES 2007"}
    response = client.post(url, json={"version": version_of(app, case_id), "rows": [good]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    (baseline,) = client.get(f"/api/v1/diagnoses/{case_id}", headers=headers).get_json()["diagnosis"]["baselines"]
    assert set(baseline) == {"id", "ubigeo", "indicator", *BASELINE.input_names}
    assert baseline | {"id": None} == {
        "id": None,
        "ubigeo": "100000",
        "indicator": 2,
        "measure": None,
        "value": "42.8000",
        "year": 2007,
        "source": "ENDES",
        "notes": "ENDES 2007",
    }
