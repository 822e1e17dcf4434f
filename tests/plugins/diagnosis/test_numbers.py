"""Numbers as people read them, through the real plan matrix page and the real Plan Articulado PDF:
20, 60, 100, 1,000,000 and 19.2 — never "2E+1" (core.values.format_number, the ``number`` filter)."""

from __future__ import annotations

from core.testing import pdf_text
from tests.conftest import login
from tests.plugins.diagnosis.conftest import create_case_web, version_of
from tests.plugins.diagnosis.test_plan import api_headers, fill_plan

#: (baseline, target) typed by the team → what the page and the PDF print.
VALUES = [
    (("20", "60"), ("20", "60")),
    (("100", "1000000"), ("100", "1,000,000")),
    (("19,2", "45.5"), ("19.2", "45.5")),
]


def test_matrix_page_and_plan_pdf_print_numbers_without_exponents(app, client, make_user, govs, api_token):
    team = make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    login(client, "equipo@amarilis.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["amarilis"], "PAL Amarilis 2008")
    headers = api_headers(api_token, team)
    fill_plan(client, app, plan_id, headers)
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    indicators = [r["indicators"][0]["id"] for r in plan["plan"]["results"]]
    for indicator_id, ((baseline, target), _shown) in zip(indicators, VALUES, strict=False):
        response = client.patch(
            f"/api/v1/plans/{plan_id}/indicators/{indicator_id}",
            json={"version": version_of(app, plan_id), "baseline": baseline, "target": target},
            headers=headers,
        )
        assert response.status_code == 200, response.get_json()
    activity_id = plan["plan"]["results"][0]["activities"][0]["id"]
    response = client.patch(
        f"/api/v1/plans/{plan_id}/activities/{activity_id}",
        json={"version": version_of(app, plan_id), "physical_goal": "1 000 000", "physical_unit": "raciones"},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()

    page = client.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    for _typed, (baseline, target) in VALUES:
        assert f"<td>{baseline}</td><td>{target}</td>" in page, (baseline, target)
    assert "E+" not in page

    response = client.get(f"/documentos/vista-previa/{plan_id}/plan_articulado.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    for _typed, (baseline, target) in VALUES:
        assert f"Línea de base: {baseline} · Meta: {target}" in text, (baseline, target)
    assert "1,000,000 raciones" in text
    assert "E+" not in text
