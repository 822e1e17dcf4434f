"""Small XLSX files must not tie up the server: a workbook is checked as a ZIP (uncompressed size,
compression ratio, declared sheet dimensions) before any parser sees it, and parsed in a separate
process under a time limit (core.spreadsheet). Crafted files are refused fast, in Spanish."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.plugins.diagnosis.conftest import version_of
from tests.plugins.diagnosis.test_plan import _workbook


def rebuild(workbook: bytes, replace: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook's ZIP with some members' content replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, source.read(item.filename)))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def bomb_sheet(size: int) -> bytes:
    """A worksheet that inflates to ``size`` bytes of nothing (compresses about 1000 to 1)."""
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return head + b"<sheetData>" + b" " * size + b"</sheetData></worksheet>"


def huge_dimension_sheet() -> bytes:
    return (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )


@pytest.fixture
def plan(app, client, make_user, govs, api_token):  # noqa: ANN001, ANN201
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    plan_id = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    ).get_json()["id"]
    return plan_id, headers


def upload(app, client, plan, data: bytes):  # noqa: ANN001, ANN201
    plan_id, headers = plan
    return client.put(
        f"/api/v1/plans/{plan_id}/matrix.xlsx",
        data={"version": str(version_of(app, plan_id)), "file": (io.BytesIO(data), "m.xlsx")},
        headers=headers,
        content_type="multipart/form-data",
    )


GOOD = [[1, "Buena", "1234.5", "pan", "RO", "diresa", "1-3", "Jefe", "4", "talleres", "Llicua"]]


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"xl/worksheets/sheet1.xml": bomb_sheet(60 * 1024 * 1024)}, "el máximo admitido es 50 MB"),
        ({"xl/worksheets/sheet1.xml": bomb_sheet(5 * 1024 * 1024)}, "comprimido de forma anómala"),
        ({"xl/worksheets/sheet1.xml": huge_dimension_sheet()}, "declara 17 179 869 184 celdas"),
    ],
    ids=["inflates-past-the-limit", "compression-ratio", "declared-dimensions"],
)
def test_crafted_workbooks_are_refused_fast_and_nothing_is_saved(app, client, plan, replace, message):  # noqa: ANN001
    crafted = rebuild(_workbook(GOOD), dict(replace))
    assert len(crafted) < 200 * 1024  # small on the wire
    version = version_of(app, plan[0])
    started = time.monotonic()
    response = upload(app, client, plan, crafted)
    elapsed = time.monotonic() - started
    assert response.status_code == 400, response.get_json()
    assert message in response.get_json()["error"]["message"]
    assert elapsed < 3, elapsed  # refused from the ZIP directory, never parsed
    assert version_of(app, plan[0]) == version


def test_a_parse_over_the_time_limit_is_cancelled_with_a_spanish_message(app, client, plan):  # noqa: ANN001
    app.config["XLSX_PARSE_TIMEOUT"] = 0.05  # less than any parse takes: the limit is what answers
    try:
        response = upload(app, client, plan, _workbook(GOOD))
    finally:
        app.config["XLSX_PARSE_TIMEOUT"] = 20
    assert response.status_code == 400
    assert "tardó más de 0.05 segundos en leerse y se canceló" in response.get_json()["error"]["message"]


def test_an_ordinary_workbook_still_imports(app, client, plan):  # noqa: ANN001
    response = upload(app, client, plan, _workbook(GOOD))
    assert response.status_code == 200, response.get_json()
