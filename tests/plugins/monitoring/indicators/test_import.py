"""Importing measurements from CSV and XLSX: a report per row naming the row and column, nothing saved if
any row is wrong, and the same file imported again changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from
from plugins.monitoring.indicators.models import Measurement

API = "/api/v1/monitoring/measurements/import"
GOOD = (
    "ubigeo;indicador;medida;periodo;fuente;valor;numerador;denominador;area;sexo;notas\n"
    "100000;1;pobreza;2007;ENAHO;64,2;;;;;\n"
    "100000;1;pobreza_extrema;2007;ENAHO;30,1;;;rural;;\n"
    "100102;2;;2008-T1;SIEN;;45;150;;mujeres;\n"
    "100102;IRA;;2008-05;HIS;12.5;;;;;Microrred Amarilis\n"
    "100100;9;;2008;RENIEC;80;;;;;\n"
)


@pytest.fixture
def team(people: Any, api_token: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(people['team'])}"}


def _post(client: Any, headers: dict[str, str], content: bytes, name: str = "m.csv") -> Any:
    return client.post(
        API, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data", headers=headers
    )


def _count(app: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Measurement.id)))


def test_a_good_file_is_saved_and_importing_it_again_changes_nothing(app, client, team) -> None:
    first = _post(client, team, GOOD.encode())
    assert first.status_code == 200, first.get_json()
    assert (first.get_json()["saved"], first.get_json()["unchanged"]) == (5, 0)
    with app.app_context():
        rows = {
            (m.ubigeo, m.measure, m.period_kind, m.period_number, m.sex): m
            for m in db.session.scalars(select(Measurement))
        }
        assert rows[("100102", "", "quarter", 1, "mujeres")].value == 30
        assert rows[("100102", "", "month", 5, "")].notes == "Microrred Amarilis"
        assert str(rows[("100000", "pobreza", "year", 0, "")].value) == "64.2000"
        assert rows[("100100", "", "year", 0, "")].government.kind == "provincial"
    again = _post(client, team, GOOD.encode())
    assert (again.status_code, again.get_json()["saved"], again.get_json()["unchanged"]) == (200, 0, 5)
    assert _count(app) == 5


def test_every_wrong_row_is_reported_with_its_column_and_nothing_is_saved(app, client, team) -> None:
    bad = (
        "ubigeo,indicador,periodo,fuente,valor,numerador,denominador\n"
        "100102,2,2008,SIEN,30,,\n"  # 2: good
        "100102,2,2008,ENDES,30,,\n"  # 3: ENDES below its level
        "999999,2,2008,SIEN,30,,\n"  # 4: unknown ubigeo
        "100102,15,2008,SIEN,30,,\n"  # 5: unknown indicator
        "100102,4,2099,SIEN,30,,\n"  # 6: in the future
        "100102,4,2008,SIEN,130,,\n"  # 7: a percentage over 100
        "100102,4,2008,SIEN,-2,,\n"  # 8: negative
        "100102,5,2008,CNV,abc,,\n"  # 9: not a number
        "100102,2,2008,SIEN,31,,\n"  # 10: the same measurement as row 2
        "100102,6,2008-T9,HIS,30,,\n"  # 11: a period that does not exist
        "100101,7,2008,HIS,,5,4\n"  # 12: numerator over denominator
    )
    answer = _post(client, team, bad.encode())
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["error"]["message"] == "Importación rechazada: no se guardó nada."
    found = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert sorted(found) == [
        (3, "fuente"), (4, "ubigeo"), (5, "indicador"), (6, "periodo"), (7, "valor"), (8, "valor"), (9, "valor"),
        (10, "indicador"), (11, "periodo"), (12, "numerador"),
    ]  # fmt: skip
    assert "Figura N° 03" in found[(3, "fuente")]
    assert "fila 2" in found[(10, "indicador")]
    assert "futuro" in found[(6, "periodo")]
    assert body["errors"][0]["text"].startswith("Fila 3, columna «fuente»")
    assert _count(app) == 0


def test_a_recorded_measurement_with_another_value_is_refused(app, client, team) -> None:
    _post(client, team, GOOD.encode())
    changed = GOOD.replace("100100;9;;2008;RENIEC;80", "100100;9;;2008;RENIEC;82")
    answer = _post(client, team, changed.encode())
    assert answer.status_code == 400
    (error,) = answer.get_json()["errors"]
    assert (error["row"], error["column"]) == (6, "valor") and "80" in error["message"]


def test_a_district_team_may_not_import_another_districts_rows(app, client, people, api_token) -> None:
    headers = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    answer = _post(
        client, headers, b"ubigeo,indicador,periodo,fuente,valor\n100102,2,2008,SIEN,30\n100101,2,2008,SIEN,30\n"
    )
    assert answer.status_code == 400
    assert [(e["row"], e["column"]) for e in answer.get_json()["errors"]] == [(3, "ubigeo")]
    assert _count(app) == 0


def test_an_xlsx_file_and_the_page_report(app, client, people) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ubigeo", "Indicador", "Periodo", "Fuente", "Valor"])
    sheet.append(["100102", 8, "2008-T2", "HIS", 14.5])
    sheet.append(["100102", 8, "2008-T3", "HIS", 101])
    data = io.BytesIO()
    book.save(data)
    people.login(client, "team")
    page = client.post(
        "/seguimiento/indicadores/importar",
        data={"csrf_token": csrf_from(client, "/"), "file": (io.BytesIO(data.getvalue()), "m.xlsx")},
        content_type="multipart/form-data",
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Un porcentaje no puede ser mayor que 100." in text and "<td>3</td>" in text
    sheet.delete_rows(3)
    data = io.BytesIO()
    book.save(data)
    page = client.post(
        "/seguimiento/indicadores/importar",
        data={"csrf_token": csrf_from(client, "/"), "file": (io.BytesIO(data.getvalue()), "m.xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "1 mediciones guardadas" in page.get_data(as_text=True)
    assert _count(app) == 1


def test_a_file_without_the_required_columns_is_refused(app, client, team) -> None:
    answer = _post(client, team, b"ubigeo,valor\n100102,3\n")
    assert answer.status_code == 400
    assert "«indicador»" in answer.get_json()["error"]["message"]
