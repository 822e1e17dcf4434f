"""The social-investment portfolio through its pages and API: register projects (SNIP/CUI formats, places
inside the territory), move their phases with dates, funding and progress rules, the portfolio PDF and
XLSX, and scoping (another region 404, auditor read only)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.testing import csrf_from, login, pdf_text, route_matrix

BASE = "/api/v1/operations/investment"


def _project(govs: dict, **extra: object) -> dict:
    return {
        "government_id": govs["huanuco"],
        "code_kind": "cui",
        "code": "2345678",
        "name": "Agua segura para Amarilis",
        "category": "sanitation",
        "cost": "1500000.00",
        "places": "100102, 100104",
        "phase": "profile",
        "registered_on": "2018-03-01",
        **extra,
    }


def test_api_project_lifecycle_and_rules(client, make_user, govs, api_token):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    bad = client.post(f"{BASE}/projects", json=_project(govs, code="12345"), headers=headers)
    assert bad.status_code == 400
    assert "7" in bad.get_json()["error"]["fields"]["code"][0]
    snip_late = client.post(f"{BASE}/projects", json=_project(govs, code_kind="snip", code="1234"), headers=headers)
    assert snip_late.status_code == 400 and "code_kind" in snip_late.get_json()["error"].get("fields", {}), (
        snip_late.get_json()
    )
    outside = client.post(f"{BASE}/projects", json=_project(govs, places="080101"), headers=headers)
    assert outside.status_code == 400 and "080101" in outside.get_json()["error"]["fields"]["places"][0]

    created = client.post(f"{BASE}/projects", json=_project(govs), headers=headers)
    assert created.status_code == 201, created.get_json()
    project = created.get_json()
    assert project["places"] == "100102,100104" and project["phases"][0]["phase"] == "profile"
    url = f"{BASE}/projects/{project['id']}"

    backwards = client.post(f"{url}/phase", json={"phase": "idea", "on": "2018-05-01"}, headers=headers)
    assert backwards.status_code == 400
    early = client.post(f"{url}/phase", json={"phase": "viable", "on": "2018-01-01"}, headers=headers)
    assert early.status_code == 400 and "on" in early.get_json()["error"]["fields"]
    for phase, on in (("viable", "2018-06-01"), ("technical_file", "2018-09-01"), ("execution", "2019-01-15")):
        moved = client.post(f"{url}/phase", json={"phase": phase, "on": on}, headers=headers)
        assert moved.status_code == 200, moved.get_json()
    assert [p["phase"] for p in moved.get_json()["phases"]] == ["profile", "viable", "technical_file", "execution"]

    funded = client.put(f"{url}/funding", json={"source": "CANON", "amount": "1000000"}, headers=headers)
    assert funded.status_code == 200
    over = client.put(f"{url}/funding", json={"source": "RO", "amount": "600000"}, headers=headers)
    assert over.status_code == 400
    too_much = {"year": 2019, "quarter": "1", "physical": "30", "financial": "1500000.01"}
    assert client.post(f"{url}/progress", json=too_much, headers=headers).status_code == 400
    percent = {"year": 2019, "quarter": "1", "physical": "130", "financial": "100"}
    assert client.post(f"{url}/progress", json=percent, headers=headers).status_code == 400
    good = {"year": 2019, "quarter": "1", "physical": "30", "financial": "450000.00"}
    progressed = client.post(f"{url}/progress", json=good, headers=headers)
    assert progressed.status_code == 200
    assert progressed.get_json()["progress"] == [
        {"year": 2019, "quarter": 1, "physical": "30.00", "financial": "450000.00"}
    ]


def test_pages_register_move_phase_and_reports(client, make_user, govs):  # noqa: ANN001
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    form = {
        "csrf_token": csrf_from(client, "/operaciones/inversion/nuevo"),
        "government_id": govs["huanuco"],
        "code_kind": "snip",
        "code": "84512",
        "name": "Vigilancia nutricional comunal",
        "category": "nutrition",
        "cost": "1.275.000,50",
        "places": "100101",
        "registered_on": "2008-02-11",
    }
    bad = client.post("/operaciones/inversion/nuevo", data={**form, "code": "1234567"})
    assert bad.status_code == 400 and "SNIP" in bad.get_data(as_text=True)
    response = client.post("/operaciones/inversion/nuevo", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    detail = response.headers["Location"]
    project_id = int(detail.rstrip("/").split("/")[-1])
    phase = {"csrf_token": csrf_from(client, detail), "phase": "execution", "on": "2008-03-01", "note": "Res. 12"}
    assert client.post(f"/operaciones/inversion/{project_id}/fase", data=phase).status_code == 302
    funding = {"csrf_token": csrf_from(client, detail), "source": "RO", "amount": "1275000.50"}
    assert client.post(f"/operaciones/inversion/{project_id}/financiamiento", data=funding).status_code == 302
    progress = {
        "csrf_token": csrf_from(client, detail),
        "year": "2008",
        "quarter": "4",
        "physical": "100",
        "financial": "1275000.50",
    }
    assert client.post(f"/operaciones/inversion/{project_id}/avance", data=progress).status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "Ejecución" in page and "Res. 12" in page, page[page.find("<main") :][:3000]

    pdf = client.get(f"/operaciones/inversion/cartera.pdf?government={govs['huanuco']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "CARTERA DE PROYECTOS DE INVERSIÓN SOCIAL" in text
    assert "SNIP 84512" in text and "Vigilancia nutricional comunal" in text
    assert "S/ 1,275,000.50" in text and "100 %" in text
    xlsx = client.get(f"/operaciones/inversion/cartera.xlsx?government={govs['huanuco']}")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Cartera de Proyectos de Inversión Social")
    assert rows[2][0] == "84512" and rows[2][2] == "Vigilancia nutricional comunal" and rows[2][10] == "Ejecución"


def test_scoping_other_region_404_and_auditor_read_only(client, make_user, govs, api_token):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    project = client.post(f"{BASE}/projects", json=_project(govs), headers=headers).get_json()
    cusco = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    cusco_headers = {"Authorization": f"Bearer {api_token(cusco)}"}
    assert client.get(f"{BASE}/projects/{project['id']}", headers=cusco_headers).status_code == 404
    phase = {"phase": "viable", "on": "2018-06-01"}
    assert client.post(f"{BASE}/projects/{project['id']}/phase", json=phase, headers=cusco_headers).status_code == 404
    assert client.post(f"{BASE}/projects", json=_project(govs), headers=cusco_headers).status_code == 404
    auditor = make_user("auditor@articula.pe", ("auditor", None))
    auditor_headers = {"Authorization": f"Bearer {api_token(auditor)}"}
    assert client.get(f"{BASE}/projects/{project['id']}", headers=auditor_headers).status_code == 200
    assert client.post(f"{BASE}/projects/{project['id']}/phase", json=phase, headers=auditor_headers).status_code == 403
    login(client, "equipo@cusco.pe")
    assert client.get(f"/operaciones/inversion/{project['id']}").status_code == 404
    assert client.get(f"/operaciones/inversion/cartera.pdf?government={govs['huanuco']}").status_code == 404


def test_route_matrix(client, people, govs, api_token):  # noqa: ANN001
    """Reads 200 in the jurisdiction and 404 outside; writes refused with 403 (read-only roles) or 404."""
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    project = client.post(f"{BASE}/projects", json=_project(govs), headers=headers).get_json()["id"]
    requests = [
        ("GET", f"/operaciones/inversion/{project}"),
        ("GET", f"/operaciones/inversion/cartera.xlsx?government={govs['huanuco']}"),
        ("GET", f"{BASE}/projects/{project}"),
        ("GET", f"{BASE}/portfolio.xlsx?government={govs['huanuco']}"),
        ("POST", f"/operaciones/inversion/{project}/fase"),
        ("POST", f"{BASE}/projects/{project}/phase"),
        ("PUT", f"{BASE}/projects/{project}/funding"),
    ]
    matrix = route_matrix(
        client,
        people,
        ["team", "auditor", "cusco", "prov_team"],
        requests,
        api_token=api_token,
        data=lambda method, url: {} if url.startswith("/api/") else {"phase": ""},
    )
    assert matrix == {
        "team": [200, 200, 200, 200, 302, 400, 400],
        "auditor": [200, 200, 200, 200, 403, 403, 403],
        "cusco": [404, 404, 404, 404, 404, 404, 404],
        "prov_team": [404, 404, 404, 404, 404, 404, 404],
    }
