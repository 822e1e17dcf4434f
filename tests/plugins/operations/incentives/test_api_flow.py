"""Through the API: Amarilis recognises its communities (a local contest: only community organizations
apply), from the call to the award; bad input answers a Spanish message naming the field and saves
nothing; a tie is broken by the heavier criterion, not by the order of registration."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core.extensions import db
from core.testing import pdf_text
from plugins.operations.incentives.models import ContestCriterion, ContestPrize, ContestScore

API = "/api/v1/operations/contests"


def _headers(api_token, user_id: int) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {api_token(user_id)}", "Accept-Language": "es"}


def _count(app, column) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def test_a_local_contest_runs_from_call_to_award_through_the_api(app, client, people, govs, api_token):  # noqa: ANN001, PLR0915
    today = date.today()
    coord = _headers(api_token, people["amarilis_coord"])
    team = _headers(api_token, people["amarilis_team"])
    body = {
        "government_id": govs["amarilis"],
        "title": "Concurso de Comunidades Saludables de Amarilis",
        "purpose": "Reconocer a las comunidades con avances objetivos contra la desnutrición crónica infantil.",
        "eligibility": "Organizaciones comunales del distrito de Amarilis.",
        "budget_cap": "6000",
        "reception_deadline": (today + timedelta(days=20)).isoformat(),
        "evaluation_deadline": (today + timedelta(days=10)).isoformat(),
        "results_date": (today + timedelta(days=40)).isoformat(),
    }
    response = client.post(API, json=body, headers=coord)
    assert response.status_code == 400  # the calendar out of order: the field named
    assert "evaluation_deadline" in response.get_json()["error"]["fields"]
    body["evaluation_deadline"] = (today + timedelta(days=30)).isoformat()
    response = client.post(API, json=body, headers=coord)
    assert response.status_code == 201, response.get_json()
    contest = response.get_json()
    cid, version = contest["id"], contest["version"]
    assert contest["state"] == "draft" and contest["reference"].startswith("CON-")

    # Weights not summing to 100: refused with a Spanish message naming the field; nothing saved.
    criteria = [{"name": "Resultados", "weight": 60}, {"name": "Participación", "weight": 30}]
    response = client.put(f"{API}/{cid}/criteria", json={"version": version, "criteria": criteria}, headers=coord)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["criteria"] == ["Criterios: los pesos suman 90; deben sumar 100."]
    bad_row = [{"name": "Resultados", "weight": "sesenta"}, {"name": "Participación", "weight": 40}]
    response = client.put(f"{API}/{cid}/criteria", json={"version": version, "criteria": bad_row}, headers=coord)
    assert response.status_code == 400 and "Criterios, fila 1" in response.get_json()["error"]["fields"]["criteria"][0]
    assert _count(app, ContestCriterion.id) == 0
    criteria = [{"name": "Resultados", "weight": 60}, {"name": "Participación", "weight": 40}]
    response = client.put(f"{API}/{cid}/criteria", json={"version": version, "criteria": criteria}, headers=coord)
    assert response.status_code == 200
    version = response.get_json()["version"]
    stale = client.put(f"{API}/{cid}/criteria", json={"version": version - 1, "criteria": criteria}, headers=coord)
    assert stale.status_code == 409
    prizes = [
        {"description": "Kit de cocina mejorada", "amount": "4000"},
        {"description": "Botiquín", "amount": "2500"},
    ]
    response = client.put(f"{API}/{cid}/prizes", json={"version": version, "prizes": prizes}, headers=coord)
    assert response.status_code == 400 and _count(app, ContestPrize.id) == 0
    prizes[1]["amount"] = "2000"
    response = client.put(f"{API}/{cid}/prizes", json={"version": version, "prizes": prizes}, headers=coord)
    assert response.status_code == 200
    for key in ("amarilis_coord", "amarilis_team"):
        response = client.post(f"{API}/{cid}/jurors", json={"email": people.email(key)}, headers=coord)
        assert response.status_code == 201, response.get_json()
    people["auditor"]
    response = client.post(f"{API}/{cid}/jurors", json={"email": people.email("auditor")}, headers=coord)
    assert response.status_code == 400 and "solo lectura" in response.get_json()["error"]["fields"]["email"][0]

    response = client.post(f"/api/v1/cases/{cid}/transitions/call", json={}, headers=coord)
    assert response.status_code == 200, response.get_json()

    # Applications: a municipality may not apply to a local contest; two community organizations do.
    application = {"practice": "Biohuertos familiares", "evidence": "Registro de familias y fotografías."}
    response = client.post(
        f"{API}/{cid}/applications",
        json={"applicant_kind": "municipality", "government_id": govs["amarilis"], **application},
        headers=team,
    )
    assert response.status_code == 400 and "applicant_kind" in response.get_json()["error"]["fields"]
    ids = []
    for name in ("Comunidad de Llicua", "Comunidad de Malconga"):  # Llicua is registered first
        response = client.post(
            f"{API}/{cid}/applications",
            json={"applicant_kind": "community_organization", "organization_name": name, **application},
            headers=team,
        )
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    llicua, malconga = ids
    response = client.post(f"/api/v1/cases/{cid}/transitions/evaluate", json={}, headers=team)
    assert response.status_code == 200, response.get_json()

    with app.app_context():
        results, participation = db.session.scalars(
            select(ContestCriterion.id).where(ContestCriterion.contest_id == cid).order_by(ContestCriterion.position)
        ).all()
    scores_url = f"{API}/applications/{{}}/scores"
    response = client.put(scores_url.format(llicua), json={"scores": {str(results): 6}}, headers=coord)
    assert response.status_code == 409  # no declaration yet
    for headers in (coord, team):
        response = client.post(f"{API}/{cid}/declaration", json={"no_conflict": True}, headers=headers)
        assert response.status_code == 200
    response = client.put(scores_url.format(llicua), json={"scores": {str(results): 12}}, headers=coord)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {
        f"score_{results}": ["Puntaje de «Resultados»: 12 está fuera del rango (0 a 10)."]
    }
    assert _count(app, ContestScore.id) == 0
    # Equal totals (72 points): Malconga leads on the heavier criterion (Resultados, 60 %).
    for headers in (coord, team):
        client.put(
            scores_url.format(llicua), json={"scores": {str(results): 6, str(participation): 9}}, headers=headers
        )
    response = client.post(f"/api/v1/cases/{cid}/transitions/publish_results", json={}, headers=coord)
    assert response.status_code == 400  # Malconga not scored yet: the ranking is blocked
    assert any("no ha calificado" in reason for reason in response.get_json()["error"]["reasons"])
    for headers in (coord, team):
        response = client.put(
            scores_url.format(malconga), json={"scores": {str(results): 8, str(participation): 6}}, headers=headers
        )
        assert response.status_code == 200
    for name in ("publish_results", "award"):
        response = client.post(f"/api/v1/cases/{cid}/transitions/{name}", json={}, headers=coord)
        assert response.status_code == 200, response.get_json()

    detail = client.get(f"{API}/{cid}", headers=team).get_json()
    assert detail["state"] == "awarded"
    ranked = sorted(detail["applications"], key=lambda a: a["rank"])
    assert [(a["applicant"], a["total"], a["rank"]) for a in ranked] == [
        ("Comunidad de Malconga", "72.00", 1),
        ("Comunidad de Llicua", "72.00", 2),
    ]
    one = client.get(f"{API}/applications/{malconga}", headers=team).get_json()
    assert one["rank"] == 1
    listed = client.get(f"{API}?government_id={govs['amarilis']}", headers=team).get_json()
    assert [c["id"] for c in listed["items"]] == [cid]
    # The region reads its municipality's contest; another region does not see it.
    region = _headers(api_token, people["team"])
    assert client.get(f"{API}/{cid}", headers=region).status_code == 200
    assert client.get(f"{API}/{cid}", headers=_headers(api_token, people["cusco"])).status_code == 404
    documents = client.get(f"/api/v1/cases/{cid}/documents", headers=team).get_json()["items"]
    assert sorted(d["template"] for d in documents) == [
        "contest_bases",
        "contest_certificate_1",
        "contest_certificate_2",
        "contest_resolution",
    ]
    certificate = next(d for d in documents if d["template"] == "contest_certificate_1")
    pdf = client.get(certificate["pdf_url"].replace("http://localhost", ""), headers=team)
    text = pdf_text(pdf.data)
    assert "a la Comunidad de Malconga" in text and "Alcalde de la Municipalidad Distrital de Amarilis" in text
