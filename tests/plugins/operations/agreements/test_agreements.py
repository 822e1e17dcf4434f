"""Convenios de Gestión through the API and the pages: the region drafts, the municipality accepts (another
municipality gets 404), it is signed (the PDF's text), a progress report is filed and a commitment goes late."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from core.deadlines import status_now
from core.deadlines.models import Deadline
from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import Government, KeyIndicator
from core.testing import login, pdf_text


def _headers(api_token, user_id: int) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {api_token(user_id)}"}


def _ambo(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(
            select(Government.id).where(Government.kind == "provincial", Government.ubigeo == "100200")
        )


def _draft(client, people, govs, api_token, **extra):  # noqa: ANN001, ANN003, ANN201
    today = date.today()
    body = {
        "government_id": govs["huanuco"],
        "title": "Convenio de Gestión con Amarilis",
        "object": "Reducir la desnutrición crónica infantil en Amarilis.",
        "start_date": (today - timedelta(days=60)).isoformat(),
        "end_date": (today + timedelta(days=300)).isoformat(),
        "counterparts": [govs["amarilis"]],
        **extra,
    }
    return client.post("/api/v1/operations/agreements", json=body, headers=_headers(api_token, people["coord"]))


def test_full_cycle(app, client, people, govs, api_token, make_user):  # noqa: ANN001
    response = _draft(client, people, govs, api_token)
    assert response.status_code == 201, response.get_json()
    agreement = response.get_json()
    aid, coord = agreement["id"], _headers(api_token, people["coord"])
    with app.app_context():
        indicator_id = db.session.scalar(select(KeyIndicator.id))
    goal = client.post(
        f"/api/v1/operations/agreements/{aid}/goals",
        json={
            "description": "Niños con CRED completo",
            "key_indicator_id": indicator_id,
            "baseline": "40",
            "target": "60",
        },
        headers=coord,
    )
    assert goal.status_code == 201, goal.get_json()
    goal_id = goal.get_json()["goals"][0]["id"]
    past_due = (date.today() - timedelta(days=10)).isoformat()
    response = client.post(
        f"/api/v1/operations/agreements/{aid}/commitments",
        json={
            "what": "Instalar el padrón nominal",
            "who": "Gerencia de Desarrollo Social",
            "due_date": past_due,
            "party": str(govs["amarilis"]),
        },
        headers=coord,
    )
    assert response.status_code == 201, response.get_json()
    assert (
        client.post(
            f"/api/v1/operations/agreements/{aid}/supports",
            json={"kind": "funds", "description": "Transferencia para CRED", "amount": "15000.50"},
            headers=coord,
        ).status_code
        == 201
    )
    assert (
        client.post(f"/api/v1/operations/agreements/{aid}/transitions/negotiate", json={}, headers=coord).status_code
        == 200
    )

    # Another municipality of the region: 404; the owner's coordinator cannot accept for Amarilis.
    other = make_user("coord@ambo.pe", ("coordinator", _ambo(app)))
    assert client.get(f"/api/v1/operations/agreements/{aid}", headers=_headers(api_token, other)).status_code == 404
    assert client.post(f"/api/v1/operations/agreements/{aid}/accept", json={}, headers=coord).status_code == 403
    assert (
        client.post(f"/api/v1/operations/agreements/{aid}/transitions/accept", json={}, headers=coord).status_code
        == 403
    )
    other_headers = _headers(api_token, other)
    assert client.post(f"/api/v1/operations/agreements/{aid}/accept", json={}, headers=other_headers).status_code == 404
    amarilis = _headers(api_token, people["amarilis_coord"])
    assert client.get(f"/api/v1/operations/agreements/{aid}", headers=amarilis).status_code == 200
    response = client.post(f"/api/v1/operations/agreements/{aid}/accept", json={}, headers=amarilis)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "agreed"

    version = client.get(f"/api/v1/operations/agreements/{aid}", headers=coord).get_json()["version"]
    patched = client.patch(
        f"/api/v1/operations/agreements/{aid}",
        json={"signed_on": date.today().isoformat(), "version": version},
        headers=coord,
    )
    assert patched.status_code == 200, patched.get_json()
    stale = client.patch(
        f"/api/v1/operations/agreements/{aid}", json={"object": "x", "version": version}, headers=coord
    )
    assert stale.status_code == 409
    response = client.post(f"/api/v1/operations/agreements/{aid}/transitions/sign", json={}, headers=coord)
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == aid))
        text = pdf_text(document.content)
    for expected in (
        "CLÁUSULA PRIMERA: DE LAS PARTES",
        "CLÁUSULA SEGUNDA",
        "Gobierno Regional de Huánuco",
        "Amarilis",
        "Niños con CRED completo",
        "Instalar el padrón nominal",
        "QUINCE MIL",
    ):
        assert expected in text, expected
    # The parties' clause and both signature blocks, the heads titled on the signing date (Ley N° 30305 in force).
    assert "el Gobierno Regional de Huánuco, representado por su Gobernador Regional" in text
    assert "la Municipalidad Distrital de Amarilis, representada por su Alcalde" in text
    assert "Gobernador Regional de Huánuco Gobierno Regional de Huánuco" in text
    assert "Alcalde de la Municipalidad Distrital de Amarilis Municipalidad Distrital de Amarilis" in text
    docs = client.get(f"/api/v1/operations/agreements/{aid}/documents", headers=amarilis).get_json()
    assert [d["template"] for d in docs] == ["agreement"]

    assert (
        client.post(f"/api/v1/operations/agreements/{aid}/transitions/start", json={}, headers=coord).status_code == 200
    )
    response = client.post(
        f"/api/v1/operations/agreements/{aid}/reports",
        json={"period": "2026-S1", "values": {str(goal_id): "48.5"}},
        headers=amarilis,
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        deadline = db.session.scalar(select(Deadline).where(Deadline.case_id == aid))
        assert status_now(deadline) == "late"
        commitment_id = deadline.period  # one deadline per commitment

    # Evidence through the API: the municipality files it; another municipality gets 404.
    url = f"/api/v1/operations/commitments/{commitment_id}/evidence"
    upload = {"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "padron.pdf"), "description": "Padrón nominal"}
    assert client.post(url, data=upload, headers=other_headers, content_type="multipart/form-data").status_code == 404
    upload = {"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "padron.pdf"), "description": "Padrón nominal"}
    response = client.post(url, data=upload, headers=amarilis, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    attachment_id = response.get_json()["attachment_id"]
    assert client.get(f"/api/v1/attachments/{attachment_id}", headers=amarilis).status_code == 200
    assert client.get(f"/api/v1/attachments/{attachment_id}", headers=other_headers).status_code == 404

    # The pages: the municipality sees the agreement, the other municipality gets 404.
    login(client, people.email("amarilis_coord"))
    page = client.get(f"/operaciones/convenios/{aid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Instalar el padrón nominal" in html
    assert "Vencido" in html  # the overdue commitment's deadline
    document_id = docs[0]["id"]
    assert f"/documentos/{document_id}/pdf" in html
    assert client.get(f"/documentos/{document_id}/pdf").status_code == 200  # the participant downloads the PDF
    assert "Convenio de Gestión con Amarilis" in client.get("/operaciones/convenios/").get_data(as_text=True)
    assert client.get("/operaciones/").status_code == 200
    people.login(client, "auditor")
    assert client.get(f"/operaciones/convenios/{aid}").status_code == 200


def test_bad_input_is_refused_naming_the_field(app, client, people, govs, api_token):  # noqa: ANN001
    with app.app_context():
        cusco_prov = govs["cusco_prov"]
    response = _draft(client, people, govs, api_token, counterparts=[cusco_prov])
    assert response.status_code == 400 and "counterparts" in response.get_json()["error"]["fields"]
    response = _draft(client, people, govs, api_token, start_date="2026-12-31", end_date="2026-01-01")
    assert response.status_code == 400 and "end_date" in response.get_json()["error"]["fields"]
    aid = _draft(client, people, govs, api_token).get_json()["id"]
    coord = _headers(api_token, people["coord"])
    too_late = (date.today() + timedelta(days=900)).isoformat()
    response = client.post(
        f"/api/v1/operations/agreements/{aid}/commitments",
        json={"what": "x", "who": "y", "due_date": too_late},
        headers=coord,
    )
    assert response.status_code == 400 and "due_date" in response.get_json()["error"]["fields"]
    for amount in ("-5", "10.123"):
        response = client.post(
            f"/api/v1/operations/agreements/{aid}/supports",
            json={"kind": "funds", "description": "Fondos", "amount": amount},
            headers=coord,
        )
        assert response.status_code == 400 and "amount" in response.get_json()["error"]["fields"]
    auditor = _headers(api_token, people["auditor"])
    response = client.post(
        f"/api/v1/operations/agreements/{aid}/supports",
        json={"kind": "training", "description": "Taller"},
        headers=auditor,
    )
    assert response.status_code == 403
    agreement = client.get(f"/api/v1/operations/agreements/{aid}", headers=coord).get_json()
    assert agreement["supports"] == [] and agreement["commitments"] == []
    listed = client.get("/api/v1/operations/agreements", headers=coord).get_json()
    assert [a["id"] for a in listed["items"]] == [aid]  # the refused drafts saved nothing
