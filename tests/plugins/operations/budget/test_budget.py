"""The results-based budget through its pages and API: lines entered by form and API (amount rules), a
«Consulta Amigable» import (one bad row saves nothing and names row and column; a good one flags the
under-funded result; a re-import changes nothing), the alignment check, its PDF and XLSX, the threshold
setting, and scoping (another region 404, auditor read only)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from, login, pdf_text, relogin, route_matrix

BASE = "/api/v1/operations/budget"
HEADER = "Actividad;Fuente de Financiamiento;Trimestre;PIA;PIM;Devengado\n"


@pytest.fixture
def plan(app, govs):  # noqa: ANN001, ANN201
    """A regional plan with the four standard results, two activities of S/ 100,000.00 planned each.

    Fixture data: the plan's own pages are tested in the diagnosis plugin."""
    from core.cases import case_types, create_case
    from core.models import Government, StrategicProgram
    from core.security import scope_for_cli
    from plugins.diagnosis.models import PlanActivity

    with app.app_context():
        region = db.session.get(Government, govs["huanuco"])
        programs = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position).limit(2)).all()
        case = create_case(case_types()["articulated_plan"], region, 2008, "PAR de prueba", None, scope_for_cli(None))
        db.session.flush()
        for n, result in enumerate(case.results):
            for m in (1, 2):
                result.activities.append(
                    PlanActivity(
                        name=f"Actividad {n + 1}.{m}",
                        budget=Decimal("100000.00"),
                        position=m,
                        strategic_program=programs[n % 2],
                    )
                )
        db.session.commit()
        return {"id": case.id, "results": [r.name for r in case.results]}


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


GOOD = [
    # results 1–3 fully allocated (2 activities × 4 quarters × 25,000); result 4 only at 40 %
    *(
        f"{r}.{a};Recursos Ordinarios;{q};25000;25000;{10000 if q < 3 else 0}"
        for r in (1, 2, 3)
        for a in (1, 2)
        for q in (1, 2, 3, 4)
    ),
    *(f"4.{a};1. RECURSOS ORDINARIOS;{q};25000;10000,00;5000" for a in (1, 2) for q in (1, 2, 3, 4)),
]


def _lines(app) -> int:  # noqa: ANN001
    from plugins.operations.budget.models import BudgetLine

    with app.app_context():
        return db.session.scalar(select(func.count(BudgetLine.id)))


def _team(make_user, govs, api_token) -> dict:  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    return {"Authorization": f"Bearer {api_token(team)}"}


def _upload(client, plan_id: int, content: bytes, headers: dict, name: str = "consulta.csv"):  # noqa: ANN001, ANN202
    return client.post(
        f"{BASE}/plans/{plan_id}/import",
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_import_all_or_nothing_flags_and_reimport_changes_nothing(app, client, make_user, govs, api_token, plan):  # noqa: ANN001
    headers = _team(make_user, govs, api_token)
    bad = GOOD[:5] + ["1.2;Recursos Ordinarios;2;100;50;80"] + GOOD[6:]
    response = _upload(client, plan["id"], _csv(bad), headers)
    assert response.status_code == 400
    problems = response.get_json()["error"]["fields"]["file"]
    assert problems == ["Fila 7, columna «PIM»: El PIM no puede ser menor que el devengado."]
    assert _lines(app) == 0
    wrong = _csv(["9.9;Recursos Ordinarios;5;-1;1.234;0"])
    problems = _upload(client, plan["id"], wrong, headers).get_json()["error"]["fields"]["file"]
    assert any("Fila 2, columna «Actividad»" in p for p in problems)
    assert any("columna «Trimestre»" in p for p in problems)
    assert any("columna «PIA»" in p and "negativo" in p for p in problems)
    assert any("columna «PIM»" in p and "dos decimales" in p for p in problems)
    assert _lines(app) == 0

    response = _upload(client, plan["id"], _csv(GOOD), headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"ok": True, "rows": 32, "saved": 32, "errors": []}
    alignment = client.get(f"{BASE}/plans/{plan['id']}/alignment", headers=headers).get_json()
    assert alignment["flagged"] == ["4"] and alignment["min_share"] == "0.80"
    fourth = alignment["results"][3]
    assert fourth["flag"] == "under" and fourth["allocated_percent"] == "40.0" and fourth["pim"] == "80000.00"
    assert alignment["results"][0]["allocated_percent"] == "100.0" and alignment["results"][0]["flag"] is None

    again = _upload(client, plan["id"], _csv(GOOD), headers)
    assert again.get_json()["saved"] == 0 and _lines(app) == 32
    assert client.get(f"{BASE}/plans/{plan['id']}/alignment", headers=headers).get_json() == alignment


def test_pages_form_import_report_and_threshold(app, client, make_user, govs, plan):  # noqa: ANN001
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    page_url = f"/operaciones/presupuesto/planes/{plan['id']}"
    page = client.get(page_url).get_data(as_text=True)
    assert "Sin presupuesto asignado" in page  # nothing allocated yet: every result is flagged
    from plugins.diagnosis.models import PlanActivity

    with app.app_context():
        activity = db.session.scalar(select(PlanActivity.id).where(PlanActivity.name == "Actividad 1.1"))
    line = {
        "csrf_token": csrf_from(client, page_url),
        "activity_id": activity,
        "source": "CANON",
        "quarter": "1",
        "pia": "1000",
        "pim": "900",
        "accrued": "950",
    }
    refused = client.post(f"{page_url}/lineas", data=line)
    assert refused.status_code == 400 and "El PIM no puede ser menor que el monto devengado." in refused.get_data(
        as_text=True
    )
    assert client.post(f"{page_url}/lineas", data={**line, "pim": "-5"}).status_code == 400
    assert _lines(app) == 0
    assert client.post(f"{page_url}/lineas", data={**line, "pim": "1000.50", "ubigeo": "100102"}).status_code == 302
    assert _lines(app) == 1

    upload = {"csrf_token": csrf_from(client, page_url), "file": (io.BytesIO(_csv(GOOD)), "consulta.csv")}
    response = client.post(f"{page_url}/importar", data=upload, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "Asignación insuficiente" in page

    pdf = client.get(f"{page_url}/alineamiento.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(pdf_text(pdf.data).split())
    assert "INFORME DE ALINEAMIENTO PRESUPUESTAL" in text
    for name in plan["results"]:
        assert " ".join(name.split())[:40] in text
    assert "40 %" in text and "Asignación insuficiente" in text and "Resultados observados" in text
    xlsx = client.get(f"{page_url}/alineamiento.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.data))["Resultados"].iter_rows(values_only=True))
    assert (
        rows[0][:2] == ("N°", "Nombre") and rows[4][1] == plan["results"][3] and rows[4][8] == "Asignación insuficiente"
    )

    assert client.get("/operaciones/presupuesto/umbral").status_code == 403
    make_user("admin@articula.pe", ("admin", None))
    relogin(client, "admin@articula.pe")
    form = {"csrf_token": csrf_from(client, "/operaciones/presupuesto/umbral"), "share": "0,4"}
    assert client.post("/operaciones/presupuesto/umbral", data=form).status_code == 302
    alignment = client.get(f"{BASE}/plans/{plan['id']}/alignment").get_json()
    assert alignment["min_share"] == "0.400" and alignment["flagged"] == []


def test_scoping_other_region_404_auditor_read_only(client, make_user, govs, api_token, plan):  # noqa: ANN001
    line = {"activity_id": 1, "source": "RO", "quarter": "1", "pia": "1", "pim": "1", "accrued": "0"}
    cusco = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    cusco_headers = {"Authorization": f"Bearer {api_token(cusco)}"}
    assert client.get(f"{BASE}/plans/{plan['id']}/alignment", headers=cusco_headers).status_code == 404
    assert client.put(f"{BASE}/plans/{plan['id']}/lines", json=line, headers=cusco_headers).status_code == 404
    assert _upload(client, plan["id"], _csv(GOOD), cusco_headers).status_code == 404
    auditor = make_user("auditor@articula.pe", ("auditor", None))
    auditor_headers = {"Authorization": f"Bearer {api_token(auditor)}"}
    assert client.get(f"{BASE}/plans/{plan['id']}/alignment", headers=auditor_headers).status_code == 200
    assert client.put(f"{BASE}/plans/{plan['id']}/lines", json=line, headers=auditor_headers).status_code == 403
    assert client.put(f"{BASE}/threshold", json={"share": "0.5"}, headers=auditor_headers).status_code == 403
    login(client, "auditor@articula.pe")
    assert client.get(f"/operaciones/presupuesto/planes/{plan['id']}").status_code == 200
    assert client.post(f"/operaciones/presupuesto/planes/{plan['id']}/lineas", data=line).status_code in (400, 403)
    relogin(client, "equipo@cusco.pe")
    assert client.get(f"/operaciones/presupuesto/planes/{plan['id']}/alineamiento.pdf").status_code == 404


def test_route_matrix(client, people, api_token, plan):  # noqa: ANN001
    """Reads 200 in the jurisdiction and 404 outside; writes refused with 403 (read-only roles) or 404;
    the threshold is the administrators' alone."""
    base = f"/operaciones/presupuesto/planes/{plan['id']}"
    requests = [
        ("GET", base),
        ("GET", f"{base}/alineamiento.xlsx"),
        ("GET", f"{BASE}/plans/{plan['id']}/alignment"),
        ("GET", f"{BASE}/plans/{plan['id']}/lines"),
        ("POST", f"{base}/lineas"),
        ("PUT", f"{BASE}/plans/{plan['id']}/lines"),
        ("PUT", f"{BASE}/threshold"),
    ]
    matrix = route_matrix(
        client, people, ["team", "auditor", "cusco", "prov_team", "admin"], requests, api_token=api_token
    )
    assert matrix == {
        "team": [200, 200, 200, 200, 400, 400, 403],
        "auditor": [200, 200, 200, 200, 403, 403, 403],
        "cusco": [404, 404, 404, 404, 404, 404, 403],
        "prov_team": [404, 404, 404, 404, 404, 404, 403],
        "admin": [200, 200, 200, 200, 400, 400, 400],
    }


def test_xlsx_import_reads_spreadsheet_numbers(app, client, make_user, govs, api_token, plan):  # noqa: ANN001
    """An XLSX shaped like the «Consulta Amigable» export: numbers as the spreadsheet stores them (2.0,
    25000.5), the source by its MEF number, a district's ubigeo; checked by the core's XLSX guards."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Actividad", "Fuente de Financiamiento", "Trimestre", "PIA", "PIM", "Devengado", "Ubigeo"])
    sheet.append(["1.1 Actividad 1.1", "1", 2.0, 25000.5, 25000.5, 1000, "100102"])
    sheet.append(["Actividad 2.2", "Donaciones y Transferencias", "T3", 10, 10, 0, None])
    out = io.BytesIO()
    book.save(out)
    headers = _team(make_user, govs, api_token)
    response = _upload(client, plan["id"], out.getvalue(), headers, name="consulta.xlsx")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["saved"] == 2
    lines = client.get(f"{BASE}/plans/{plan['id']}/lines", headers=headers).get_json()["items"]
    assert {(ln["activity_name"], ln["source"], ln["quarter"], ln["ubigeo"], ln["pim"]) for ln in lines} == {
        ("Actividad 1.1", "RO", "2", "100102", "25000.50"),
        ("Actividad 2.2", "DyT", "3", "100000", "10.00"),
    }
    not_xlsx = _upload(client, plan["id"], b"PK\x03\x04 not a workbook", headers, name="consulta.xlsx")
    assert not_xlsx.status_code == 400 and "Excel" in not_xlsx.get_json()["error"]["message"]
