"""Recording, correcting and listing measurements through the app: every bad input refused with a Spanish
message naming the field and nothing saved, corrections kept with who and when, reads scoped."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.database import QueryCounter
from core.extensions import db
from core.testing import csrf_from
from plugins.monitoring.indicators.models import Measurement, MeasurementRevision

API = "/api/v1/monitoring/measurements"
WEB = "/seguimiento/indicadores"
GOOD = {"indicator": "2", "ubigeo": "100102", "year": 2008, "source": "SIEN", "numerator": "45", "denominator": "150"}


def _count(app: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Measurement.id)))


@pytest.fixture
def team(people: Any, api_token: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(people['team'])}"}


def test_a_measurement_by_api_computes_its_value_from_numerator_and_denominator(app, client, team) -> None:
    answer = client.post(API, json=GOOD, headers=team)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert (body["value"], body["level"], body["period"], body["ubigeo"]) == ("30.0000", "district", "2008", "100102")
    quarter = client.post(API, json={**GOOD, "period_kind": "quarter", "period_number": 3}, headers=team)
    assert quarter.get_json()["period"] == "2008-T3"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"value": "abc", "numerator": None, "denominator": None}, "value", "número"),
        ({"value": "-3", "numerator": None, "denominator": None}, "value", "negativo"),
        ({"value": "104", "numerator": None, "denominator": None}, "value", "porcentaje no puede ser mayor que 100"),
        ({"year": 2099}, "year", "futuro"),
        ({"ubigeo": "999999"}, "ubigeo", "Ubigeo desconocido «999999»"),
        ({"indicator": "12"}, "indicator", "no es una opción válida"),
        ({"source": "ENDES"}, "source", "Figura N° 03"),
        ({"numerator": "200"}, "numerator", "numerador no puede ser mayor que el denominador"),
        ({"denominator": None}, "denominator", "el numerador y el denominador"),
        ({"value": "12"}, "value", "no coincide"),
        ({"measure": "pobreza"}, "measure", "un solo valor"),
        ({"area": "costa"}, "area", "no es una opción válida"),
        (
            {"sex": "mujeres", "indicator": "1", "measure": "pobreza", "ubigeo": "100000", "source": "ENAHO"},
            "sex",
            "desagregación",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(app, client, team, change, field, words) -> None:
    answer = client.post(API, json={k: v for k, v in {**GOOD, **change}.items() if v is not None}, headers=team)
    assert answer.status_code == 400, answer.get_json()
    fields = answer.get_json()["error"]["fields"]
    assert field in fields, fields
    assert words in " ".join(fields[field]), fields
    assert _count(app) == 0


def test_a_duplicate_is_refused(app, client, team) -> None:
    assert client.post(API, json=GOOD, headers=team).status_code == 201
    again = client.post(API, json=GOOD, headers=team)
    assert again.status_code == 400
    assert "ya existe" in " ".join(again.get_json()["error"]["fields"]["indicator"])
    assert _count(app) == 1


def test_a_source_below_its_level_names_figure_03(app, client, team) -> None:
    answer = client.post(API, json={**GOOD, "source": "MONIN"}, headers=team)
    message = answer.get_json()["error"]["fields"]["source"][0]
    assert message.startswith("La fuente MONIN no es válida para el nivel distrital de Amarilis")
    assert "Figura N° 03" in message and "nacional y departamental" in message


def test_who_records_where(app, client, people, api_token) -> None:
    def post(role: str, ubigeo: str, source: str = "SIEN") -> int:
        headers = {"Authorization": f"Bearer {api_token(people[role])}"}
        return client.post(API, json={**GOOD, "ubigeo": ubigeo, "source": source}, headers=headers).status_code

    assert post("amarilis_team", "100102") == 201  # its own district
    assert post("amarilis_team", "100101") == 403  # a neighbour's
    assert post("prov_team", "100100") == 201  # its own province
    assert post("team", "100111") == 201  # the region: every territory of its department
    assert post("cusco", "100103") == 403
    assert post("auditor", "100104") == 403
    assert post("team", "000000", "ENDES") == 403  # the country: the national supervisor only
    assert post("national", "000000", "ENDES") == 201


def test_a_correction_keeps_the_old_value_who_and_why(app, client, people, team) -> None:
    made = client.post(API, json=GOOD, headers=team).get_json()
    stale = client.patch(f"{API}/{made['id']}", json={"version": 99, "value": "31", "reason": "x"}, headers=team)
    assert stale.status_code == 409
    no_reason = client.patch(f"{API}/{made['id']}", json={"version": made["version"], "value": "31"}, headers=team)
    assert no_reason.status_code == 400 and "reason" in no_reason.get_json()["error"]["fields"]
    fixed = client.patch(
        f"{API}/{made['id']}",
        json={"version": made["version"], "numerator": "48", "denominator": "150", "reason": "Reporte corregido"},
        headers=team,
    )
    assert fixed.status_code == 200, fixed.get_json()
    assert fixed.get_json()["value"] == "32.0000"
    history = client.get(f"{API}/{made['id']}", headers=team).get_json()["history"]
    assert [(h["old_value"], h["old_numerator"], h["reason"], h["changed_by_id"]) for h in history] == [
        ("30.0000", "45.0000", "Reporte corregido", people["team"])
    ]
    # the page shows the history too, and refuses a bad correction beside its field
    people.login(client, "team")
    page = client.get(f"{WEB}/mediciones/{made['id']}").get_data(as_text=True)
    assert "Reporte corregido" in page and "30" in page
    bad = client.post(
        f"{WEB}/mediciones/{made['id']}",
        data={
            "csrf_token": csrf_from(client, "/"),
            "version": fixed.get_json()["version"],
            "value": "140",
            "reason": "x",
        },
    )
    assert bad.status_code == 400 and "no puede ser mayor que 100" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(MeasurementRevision.id))) == 1


def test_the_form_records_and_the_list_filters_in_scope(app, client, people) -> None:
    people.login(client, "amarilis_team")
    form = client.get(f"{WEB}/mediciones/nueva")
    assert form.status_code == 200 and "Indicador" in form.get_data(as_text=True)
    data = {"csrf_token": csrf_from(client, "/"), **{k: str(v) for k, v in GOOD.items()}, "period_kind": "year"}
    saved = client.post(f"{WEB}/mediciones/nueva", data=data)
    assert saved.status_code == 303
    refused = client.post(f"{WEB}/mediciones/nueva", data={**data, "year": "2099"})
    assert refused.status_code == 400 and "futuro" in refused.get_data(as_text=True)
    listing = client.get(f"{WEB}/mediciones?indicator=2&year=2008").get_data(as_text=True)
    assert "Amarilis (100102)" in listing
    assert "Amarilis" not in client.get(f"{WEB}/mediciones?year=2007").get_data(as_text=True)
    people.login(client, "cusco")
    assert "Amarilis (100102)" not in client.get(f"{WEB}/mediciones").get_data(as_text=True)
    measurement_id = saved.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"{WEB}/mediciones/{measurement_id}").status_code == 404
    people.login(client, "team")  # the region reads its districts
    assert client.get(f"{WEB}/mediciones/{measurement_id}").status_code == 200


def test_the_list_costs_the_same_statements_with_more_rows(app, client, people, team) -> None:
    people.login(client, "team")
    with app.app_context():
        engine = db.engine

    def statements() -> int:
        client.get(f"{WEB}/mediciones")
        with QueryCounter(engine) as counter:
            assert client.get(f"{WEB}/mediciones").status_code == 200
        return counter.count

    client.post(API, json=GOOD, headers=team)
    few = statements()
    for year in range(1995, 2008):
        client.post(API, json={**GOOD, "year": year, "ubigeo": "100101"}, headers=team)
    assert statements() == few


def test_the_catalog_pages_show_sources_and_levels(app, client, people) -> None:
    people.login(client, "auditor")
    catalog = client.get(f"{WEB}/").get_data(as_text=True)
    assert "Prevalencia de anemia en niños y niñas menores de 36 meses" in catalog
    detail = client.get(f"{WEB}/4").get_data(as_text=True)
    assert "MONIN" in detail and "departamental" in detail and "distrital" in detail
    poverty = client.get(f"{WEB}/1").get_data(as_text=True)
    assert "Pobreza extrema" in poverty and "30 %" in poverty or "30" in poverty
