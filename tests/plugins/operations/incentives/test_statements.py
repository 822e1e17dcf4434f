"""The contest pages read a fixed number of SQL statements whatever the number of applications, jurors and
scores (statements, not timings); and the smaller writes: the contest's own edit (409 when stale, closed
after the call) and an evidence file filed with an application through the page."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import event

from core.extensions import db
from core.testing import csrf_from

API = "/api/v1/operations/contests"
WEB = "/operaciones/concursos"
CONTEST = {
    "title": "Concurso de prueba",
    "purpose": "Reconocer buenas prácticas.",
    "eligibility": "Organizaciones comunales de la región.",
    "budget_cap": "10000",
    "reception_deadline": "2030-09-30",
    "evaluation_deadline": "2030-10-31",
    "results_date": "2030-11-14",
}


def _statements(app: Any, client: Any, url: str) -> int:
    seen: list[str] = []

    def capture(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    return len(seen)


def _apply(client: Any, cid: int, name: str, headers: dict[str, str]) -> None:
    body = {"applicant_kind": "community_organization", "organization_name": name, "practice": "Biohuertos"}
    response = client.post(f"{API}/{cid}/applications", json={**body, "evidence": "Fotografías."}, headers=headers)
    assert response.status_code == 201, response.get_json()


def test_contest_pages_read_a_fixed_number_of_statements(app, client, people, govs, api_token):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    contest = client.post(API, json={"government_id": govs["huanuco"], **CONTEST}, headers=team).get_json()
    cid = contest["id"]
    # The contest's own edit: 409 on a stale version, then saved.
    patch = client.patch(f"{API}/{cid}", json={"version": contest["version"] + 5, "title": "Otro"}, headers=team)
    assert patch.status_code == 409
    patch = client.patch(f"{API}/{cid}", json={"version": contest["version"], "title": "Concurso 2030"}, headers=team)
    assert patch.status_code == 200 and patch.get_json()["title"] == "Concurso 2030"
    version = patch.get_json()["version"]
    criteria = [{"name": "Resultados", "weight": 70}, {"name": "Articulación", "weight": 30}]
    version = client.put(
        f"{API}/{cid}/criteria", json={"version": version, "criteria": criteria}, headers=team
    ).get_json()["version"]
    prizes = [{"description": "Primer puesto", "amount": "5000"}]
    client.put(f"{API}/{cid}/prizes", json={"version": version, "prizes": prizes}, headers=team)
    client.post(f"{API}/{cid}/jurors", json={"email": people.email("team")}, headers=team)
    assert client.post(f"/api/v1/cases/{cid}/transitions/call", json={}, headers=coord).status_code == 200
    closed = client.patch(f"{API}/{cid}", json={"version": version + 10, "title": "Tarde"}, headers=team)
    assert closed.status_code == 409  # the Bases are fixed once called

    # An application filed through the page with its evidence file.
    people.login(client, "team")
    token = csrf_from(client, "/operaciones/")
    response = client.post(
        f"{WEB}/{cid}/postulaciones",
        data={
            "csrf_token": token,
            "applicant_kind": "community_organization",
            "organization_name": "Comunidad de Llicua",
            "practice": "Cocinas mejoradas",
            "evidence": "Actas de entrega.",
            "file": (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "actas.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    detail = client.get(f"{WEB}/{cid}").get_data(as_text=True)
    assert "Comunidad de Llicua" in detail and "actas.pdf" in detail

    one = (_statements(app, client, f"{WEB}/{cid}"), _statements(app, client, f"{WEB}/"))
    for n in range(4):
        _apply(client, cid, f"Comunidad {n}", team)
    client.post(f"{API}/{cid}/jurors", json={"email": people.email("coord")}, headers=team)
    many = (_statements(app, client, f"{WEB}/{cid}"), _statements(app, client, f"{WEB}/"))
    assert one == many
