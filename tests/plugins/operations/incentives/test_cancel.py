"""A called contest cancelled with its reason: its open deadlines go (it owes nothing any more); without a
reason the cancellation is refused; a closed contest takes no application."""

from __future__ import annotations

from sqlalchemy import func, select

from core.deadlines.models import Deadline
from core.extensions import db

API = "/api/v1/operations/contests"


def test_a_cancelled_contest_drops_its_open_deadlines(app, client, people, govs, api_token):  # noqa: ANN001
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}", "Accept-Language": "es"}
    body = {
        "government_id": govs["huanuco"],
        "title": "Concurso cancelado",
        "purpose": "Reconocer buenas prácticas.",
        "eligibility": "Municipalidades de la región.",
        "budget_cap": "1000",
        "reception_deadline": "2030-03-31",
        "evaluation_deadline": "2030-04-30",
        "results_date": "2030-05-15",
    }
    contest = client.post(API, json=body, headers=coord).get_json()
    cid = contest["id"]
    response = client.post(f"/api/v1/cases/{cid}/transitions/call", json={}, headers=coord)
    assert response.status_code == 400  # the Bases are incomplete: each gap named
    reasons = response.get_json()["error"]["reasons"]
    assert "El concurso debe tener criterios de evaluación." in reasons
    assert "El concurso debe tener al menos un premio." in reasons
    version = contest["version"]
    criteria = [{"name": "Resultados", "weight": 100}]
    version = client.put(f"{API}/{cid}/criteria", json={"version": version, "criteria": criteria}, headers=coord)
    version = version.get_json()["version"]
    client.put(f"{API}/{cid}/prizes", json={"version": version, "prizes": [{"description": "Diploma"}]}, headers=coord)
    assert client.post(f"/api/v1/cases/{cid}/transitions/call", json={}, headers=coord).status_code == 200

    def open_deadlines() -> int:
        with app.app_context():
            return db.session.scalar(
                select(func.count(Deadline.id)).where(Deadline.case_id == cid, Deadline.met_at.is_(None))
            )

    assert open_deadlines() == 3
    assert client.post(f"/api/v1/cases/{cid}/transitions/cancel", json={}, headers=coord).status_code == 400
    response = client.post(
        f"/api/v1/cases/{cid}/transitions/cancel", json={"comment": "Sin presupuesto."}, headers=coord
    )
    assert response.status_code == 200 and response.get_json()["state"] == "cancelled"
    assert open_deadlines() == 0
    application = {
        "applicant_kind": "municipality",
        "government_id": govs["amarilis"],
        "practice": "P",
        "evidence": "E",
    }
    assert client.post(f"{API}/{cid}/applications", json=application, headers=coord).status_code in (403, 409)
