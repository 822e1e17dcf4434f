"""The regional team's whole path through the API: create the IAR, record its members, draft,
approve and publish the ordinance, constitute and install the body; stale writes get 409."""

from __future__ import annotations

from core.testing import pdf_text
from tests.plugins.institutionalization.conftest import state_of

BASE = "/api/v1/institutionalization"


def test_whole_path_through_the_api(app, client, people, api_token, govs):
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}"}

    created = client.post(
        "/api/v1/cases",
        json={"type": "articulation_body", "government_id": govs["huanuco"], "year": 2008, "title": "IAR de Huánuco"},
        headers=team,
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["level"] == "IAR" and body["origin"] == "new" and body["composition"]["complete"] is False
    body_id, version = body["id"], body["version"]

    patched = client.patch(
        f"{BASE}/bodies/{body_id}",
        json={
            "version": version,
            "direction_unit": "Gerencia Regional de Desarrollo Social",
            "has_technical_committee": True,
        },
        headers=team,
    )
    assert patched.status_code == 200, patched.get_json()
    version = patched.get_json()["version"]
    stale = client.patch(f"{BASE}/bodies/{body_id}", json={"version": version - 1, "direction_unit": "X"}, headers=team)
    assert stale.status_code == 409

    categories = client.get(f"{BASE}/member-categories?level=regional", headers=team).get_json()
    assert [c["key"] for c in categories][0] == "regional_president" and len(categories) == 8
    for payload in (
        {"full_name": "Ricardo Valdivia", "category": "regional_president", "role": "president", "dni": "22401871"},
        {"full_name": "Carmen Tello", "category": "regional_offices", "technical_committee": True},
        {"full_name": "Alberto Ruiz", "category": "regional_universities", "institution_name": "UNHEVAL"},
    ):
        response = client.post(
            f"{BASE}/bodies/{body_id}/members",
            json={"version": version, "active_from": "2008-03-03", **payload},
            headers=team,
        )
        assert response.status_code == 201, response.get_json()  # appends leave the case version as it is
    member_id = response.get_json()["id"]
    response = client.patch(
        f"{BASE}/members/{member_id}", json={"version": version, "active_to": "2008-12-31"}, headers=team
    )
    assert response.status_code == 200 and response.get_json()["active_to"] == "2008-12-31"
    version += 1

    detail = client.get(f"/api/v1/cases/{body_id}", headers=team).get_json()
    assert len(detail["members"]) == 2  # on today's date, Alberto Ruiz's period has ended
    assert detail["composition"]["complete"] is True and "regional_governors" in detail["composition"]["missing"]

    ordinance = client.post(f"{BASE}/bodies/{body_id}/ordinances", json={"year": 2008}, headers=team)
    assert ordinance.status_code == 201, ordinance.get_json()
    data = ordinance.get_json()
    ordinance_id = data["id"]
    assert data["type"] == "ordinance" and data["instrument_name"] == "Ordenanza Regional"
    assert [a["heading"] for a in data["articles"]][:2] == ["Artículo Primero.-", "Artículo Segundo.-"]
    assert data["minimum_content_gaps"] == [
        "Falta la fecha de la sesión del Consejo Regional que aprueba la ordenanza.",
        "Falta indicar la votación (por unanimidad o por mayoría).",
    ]
    response = client.patch(
        f"{BASE}/ordinances/{ordinance_id}",
        json={"version": data["version"], "number": "8", "session_date": "2008-06-26", "approval_vote": "unanimous"},
        headers=team,
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["number"] == "ORDENANZA REGIONAL N° 008-2008-GRH/CR" and data["minimum_content_gaps"] == []
    clause = client.post(
        f"{BASE}/ordinances/{ordinance_id}/clauses",
        json={
            "version": data["version"],
            "kind": "article",
            "subject": "other",
            "text": "DEROGAR toda norma que se oponga.",
        },
        headers=team,
    )
    assert clause.status_code == 201 and clause.get_json()["position"] == len(data["articles"]) + 1

    assert client.post(f"/api/v1/cases/{ordinance_id}/transitions/submit", json={}, headers=team).status_code == 200
    refused = client.post(f"/api/v1/cases/{ordinance_id}/transitions/approve", json={}, headers=coord)
    assert (
        refused.status_code == 400
        and "Falta completar «Fecha de aprobación»." in refused.get_json()["error"]["reasons"]
    )
    version = client.get(f"/api/v1/cases/{ordinance_id}", headers=coord).get_json()["version"]
    client.patch(
        f"{BASE}/ordinances/{ordinance_id}", json={"version": version, "approval_date": "2008-06-26"}, headers=coord
    )
    assert client.post(f"/api/v1/cases/{ordinance_id}/transitions/approve", json={}, headers=coord).status_code == 200
    version = client.get(f"/api/v1/cases/{ordinance_id}", headers=coord).get_json()["version"]
    response = client.patch(
        f"{BASE}/ordinances/{ordinance_id}",
        json={"version": version, "publication_date": "2008-06-30", "publication_medium": "Diario Oficial El Peruano"},
        headers=coord,
    )
    assert response.status_code == 200, response.get_json()
    published = client.post(f"/api/v1/cases/{ordinance_id}/transitions/publish", json={}, headers=coord)
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    documents = client.get(f"/api/v1/cases/{ordinance_id}/documents", headers=team).get_json()
    # a paginated page of the case's issued documents, with the templates that apply to it
    assert sorted(documents) == ["items", "page", "pages", "per_page", "templates", "total"]
    assert (documents["total"], documents["page"], documents["pages"]) == (1, 1, 1)
    assert documents["templates"] == [{"can_issue": False, "key": "ordinance", "title": "Ordenanza"}]
    [ordinance_pdf] = documents["items"]
    assert ordinance_pdf["template"] == "ordinance" and ordinance_pdf["case_id"] == ordinance_id
    assert ordinance_pdf["number"] == "008-2008-GRH/CR"
    pdf = client.get(f"/api/v1/documents/{ordinance_pdf['id']}/pdf", headers=team)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data)
    assert "ORDENANZA REGIONAL N° 008-2008-GRH/CR" in text
    assert "Huánuco, 26 de junio de 2008" in text
    assert "a) Presidente del Gobierno Regional, quien la preside: - Ricardo Valdivia." in text

    assert client.post(f"/api/v1/cases/{body_id}/transitions/constitute", json={}, headers=team).status_code == 200
    version = client.get(f"/api/v1/cases/{body_id}", headers=coord).get_json()["version"]
    client.patch(
        f"{BASE}/bodies/{body_id}",
        json={"version": version, "installation_date": "2008-07-07", "installation_place": "Sede central"},
        headers=coord,
    )
    installed = client.post(f"/api/v1/cases/{body_id}/transitions/install", json={}, headers=coord)
    assert installed.status_code == 200, installed.get_json()
    assert state_of(app, body_id) == "installed"

    # the team sends the published ordinance to the ST-CIAS
    sent = client.post(
        "/api/v1/submissions",
        json={"government_id": govs["huanuco"], "year": 2008, "document_ids": [ordinance_pdf["id"]]},
        headers=team,
    )
    assert sent.status_code == 201, sent.get_json()
    receipt = sent.get_json()
    assert receipt["rule"] == "core.regional_submission" and receipt["recipient"]
    assert [d["number"] for d in receipt["documents"]] == ["008-2008-GRH/CR"]

    openapi = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/institutionalization/bodies/{case_id}/members" in openapi["paths"]
    assert "InstitutionalizationMember" in openapi["components"]["schemas"]


def test_api_input_types_are_checked(app, client, people, api_token, govs):
    from tests.plugins.institutionalization.conftest import make_body, version_of

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    body_id = make_body(app, govs["huanuco"])
    # one parser per value type: "sí" and 7/7/2008 read as everywhere else
    response = client.patch(
        f"{BASE}/bodies/{body_id}",
        json={"version": version_of(app, body_id), "has_technical_committee": "sí", "installation_date": "7/7/2008"},
        headers=team,
    )
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["has_technical_committee"], response.get_json()["installation_date"]) == (
        True,
        "2008-07-07",
    )
    response = client.patch(
        f"{BASE}/bodies/{body_id}",
        json={
            "version": version_of(app, body_id),
            "has_technical_committee": "quizás",
            "installation_date": "31/06/2008",
            "installation_start_time": "25:00",
            "color": "rojo",
        },
        headers=team,
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["reasons"][0] == "Campos desconocidos: color."  # then each field's problem
    # Each field's problem names it by its label, as the page beside it does; keyed by the field.
    assert error["fields"] == {
        "has_technical_committee": ["«Tiene Comité Técnico» debe ser sí o no."],
        "installation_date": [
            "«Fecha de instalación» debe ser una fecha AAAA-MM-DD o DD/MM/AAAA (recibido: «31/06/2008»)."
        ],
        "installation_start_time": [
            "«Sesión de instalación: hora de inicio» debe ser una hora HH:MM (reloj de 24 horas), no «25:00»."
        ],
    }
    response = client.patch(
        f"{BASE}/bodies/{body_id}", json={"version": version_of(app, body_id), "origin": "other"}, headers=team
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "Indique el nombre de la instancia existente cuyas funciones se amplían."
    )
    assert client.patch(f"{BASE}/bodies/{body_id}", data="no json", headers=team).status_code == 400
