"""Input validation at the edge (core.validation), through the app: the six causes of server errors the
fuzzing found answer 404 or a Spanish 400 on the web and in the API, 405s carry ``Allow``, and a failed
statement is rolled back before the error page is drawn."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from, login

HUGE = "99999999999999999999"


@pytest.fixture
def team(make_user, govs):  # noqa: ANN001, ANN201
    return make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))


@pytest.fixture
def bearer(team, api_token):  # noqa: ANN001, ANN201
    return {"Authorization": f"Bearer {api_token(team)}"}


@pytest.fixture
def case_id(client, bearer, govs) -> int:  # noqa: ANN001
    body = {
        "type": "generic",
        "government_id": govs["huanuco"],
        "year": 2008,
        "title": "Expediente",
        "stage": "diagnosis",
    }
    response = client.post("/api/v1/cases", json=body, headers=bearer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def error_message(response) -> str:  # noqa: ANN001
    return response.get_json()["error"]["message"]


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", HUGE])
def test_ids_beyond_the_database_range_are_404_in_api_and_web(client, bearer, team, number):  # noqa: ANN001
    for method in ("get", "patch"):
        response = getattr(client, method)(f"/api/v1/cases/{number}", headers=bearer, json={"version": 1})
        assert response.status_code == 404, (method, response.get_data(as_text=True))
        assert error_message(response).startswith("La página o el registro no existe")
    login(client, "equipo@huanuco.pe")
    assert client.get(f"/expedientes/{number}").status_code == 404
    assert client.get(f"/ciclos/{number}/2008").status_code == 404


def test_huge_integers_in_query_strings_are_a_spanish_400(client, bearer, team):  # noqa: ANN001
    for path in (f"/api/v1/cases?page={HUGE}", "/api/v1/submissions?year=4396906937", "/api/v1/deadlines?case=" + HUGE):
        response = client.get(path, headers=bearer)
        assert response.status_code == 400, path
        assert "fuera del rango admitido" in error_message(response)
    login(client, "equipo@huanuco.pe")
    page = client.get(f"/expedientes/?page={HUGE}")
    assert page.status_code == 400
    assert "fuera del rango admitido" in page.get_data(as_text=True)


def test_huge_integers_in_json_bodies_are_a_spanish_400(client, bearer, govs):  # noqa: ANN001
    body = {"type": "generic", "government_id": 9223372036854775808, "year": 2008, "title": "X"}
    response = client.post("/api/v1/cases", json=body, headers=bearer)
    assert response.status_code == 400
    assert error_message(response) == "«government_id» es un número fuera del rango admitido (hasta 2147483647)."


@pytest.mark.parametrize("query", ["q=a%00b", "q=%00"])
def test_nul_bytes_in_text_filters_are_refused(client, bearer, team, query):  # noqa: ANN001
    response = client.get(f"/api/v1/governments?{query}", headers=bearer)
    assert response.status_code == 400
    assert "caracteres no válidos" in error_message(response)
    login(client, "equipo@huanuco.pe")
    assert client.get(f"/gobiernos/?{query}").status_code == 400


def test_lone_surrogates_and_nul_in_json_and_forms_are_refused(client, bearer, case_id):  # noqa: ANN001
    raw = b'{"version": 1, "title": "a\\ud800b"}'  # a lone surrogate, as JSON allows writing it
    response = client.patch(f"/api/v1/cases/{case_id}", data=raw, headers=bearer, content_type="application/json")
    assert response.status_code == 400
    assert error_message(response) == "«title» contiene caracteres no válidos (un byte nulo o Unicode inválido)."
    response = client.patch(f"/api/v1/cases/{case_id}", json={"version": 1, "title": "a\x00b"}, headers=bearer)
    assert response.status_code == 400
    login(client, "equipo@huanuco.pe")
    path = f"/expedientes/{case_id}/editar"
    form = {"csrf_token": csrf_from(client, path), "title": "Con \x00 nulo", "version": "1"}
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert "caracteres no válidos" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [b"[1]", b"5", b"true", b'"texto"', b"null"])
def test_json_bodies_that_are_not_objects_are_a_400(client, bearer, case_id, body):  # noqa: ANN001
    for path in (f"/api/v1/cases/{case_id}/transitions/submit", f"/api/v1/cases/{case_id}"):
        method = client.post if "transitions" in path else client.patch
        response = method(path, data=body, headers=bearer, content_type="application/json")
        assert response.status_code == 400, (path, response.get_data(as_text=True))
        assert error_message(response) == "El cuerpo debe ser un objeto JSON ({…})."


def test_invalid_json_and_non_finite_numbers_are_a_400(client, bearer, case_id):  # noqa: ANN001
    bad = client.patch(f"/api/v1/cases/{case_id}", data=b"{nope", headers=bearer, content_type="application/json")
    assert (bad.status_code, error_message(bad)) == (400, "El cuerpo no es JSON válido.")
    nan = client.patch(
        f"/api/v1/cases/{case_id}", data=b'{"version": 1, "x": NaN}', headers=bearer, content_type="application/json"
    )
    assert (nan.status_code, error_message(nan)) == (400, "«x» no es un número finito.")


def test_overview_year_zero_is_a_400(client, make_user, api_token):  # noqa: ANN001
    national = make_user("supervisor@stcias.pe", ("national", None))
    headers = {"Authorization": f"Bearer {api_token(national)}"}
    for year in ("0", "1999", "2101", "abc"):
        response = client.get(f"/api/v1/submissions/overview?year={year}", headers=headers)
        assert response.status_code == 400, year
    assert client.get("/api/v1/submissions/overview?year=2008", headers=headers).status_code == 200


def test_undocumented_and_malformed_query_parameters_are_refused(client, bearer):  # noqa: ANN001
    unknown = client.get("/api/v1/cases?goverment=1", headers=bearer)
    assert (unknown.status_code, error_message(unknown)) == (400, "Parámetro desconocido: goverment.")
    empty_enum = client.get("/api/v1/governments?kind=", headers=bearer)
    assert empty_enum.status_code == 400
    not_a_number = client.get("/api/v1/cases?per_page=null", headers=bearer)
    assert (not_a_number.status_code, error_message(not_a_number)) == (400, "«per_page» debe ser un número entero.")


def test_405_carries_allow_on_api_and_web(client, bearer, team):  # noqa: ANN001
    response = client.put("/api/v1/me", headers=bearer)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert "PUT" not in response.headers["Allow"]
    login(client, "equipo@huanuco.pe")
    page = client.open("/gobiernos/", method="TRACE")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]
