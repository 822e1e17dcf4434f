"""The «Cartera de Proyectos de Inversión Social» as an issued document: by page and by API, stored with its
number, hash and verification code (the draft preview stays a «VISTA PREVIA»), the year-name line, the head's
title and the total in words of its date; a newer one supersedes the older; auditors and other regions cannot."""

from __future__ import annotations

from sqlalchemy import select

from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import csrf_from, pdf_text, route_matrix
from tests.plugins.operations.investment.test_portfolio import BASE, _project
from tests.plugins.operations.year_names import current_year_name


def _document(app, document_id: int) -> tuple[str, str]:  # noqa: ANN001
    with app.app_context():
        document = db.session.get(IssuedDocument, document_id)
        return pdf_text(document.content), document.code


def test_the_portfolio_is_issued_by_page_and_api_and_verifiable(app, client, people, govs, api_token):  # noqa: ANN001
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    created = client.post(f"{BASE}/projects", json=_project(govs), headers=headers)
    assert created.status_code == 201, created.get_json()

    people.login(client, "team")
    index = client.get("/operaciones/inversion/").get_data(as_text=True)
    assert "Emitir el informe" in index
    preview = pdf_text(client.get(f"/operaciones/inversion/cartera.pdf?government={govs['huanuco']}").data)
    assert "VISTA PREVIA" in preview and "Código de verificación" not in preview

    token = csrf_from(client, "/operaciones/inversion/")
    response = client.post(
        "/operaciones/inversion/cartera/emitir", data={"csrf_token": token, "government": govs["huanuco"]}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].startswith("/documentos/")
    download = client.get(response.headers["Location"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    with app.app_context():
        first = db.session.scalar(select(IssuedDocument).where(IssuedDocument.template_key == "investment_portfolio"))
        first_id, number, code = first.id, first.number, first.code
        assert first.case_id is None and first.government_id == govs["huanuco"]
    text, _code = _document(app, first_id)
    assert "CARTERA DE PROYECTOS DE INVERSIÓN SOCIAL" in text and "VISTA PREVIA" not in text
    assert number.startswith("CARTERA-") and number in text
    assert "Código de verificación" in text and f"{code[:4]}-{code[4:8]}-{code[8:]}" in text
    assert current_year_name(app).upper() in text.upper()  # the year-name line of today
    assert "Gobernador Regional de Huánuco" in text  # the head's title of the document's date
    assert "UN MILLÓN QUINIENTOS MIL Y 00/100 SOLES" in text and "S/ 1 500 000,00" in text
    assert "Agua segura para Amarilis" in text
    index = client.get("/operaciones/inversion/").get_data(as_text=True)
    assert f"Emitido: {number}" in index
    verify = client.get(f"/verificar/{code}")
    assert verify.status_code == 200 and number in verify.get_data(as_text=True)

    again = client.post(f"{BASE}/portfolio/issue", json={"government_id": govs["huanuco"]}, headers=headers)
    assert again.status_code == 201, again.get_json()
    body = again.get_json()
    assert body["supersedes_id"] == first_id and body["case_id"] is None and body["code"] != code
    assert client.get(body["pdf_url"].split("localhost", 1)[-1], headers=headers).status_code == 200
    assert "/api/v1/operations/investment/portfolio/issue" in client.get("/api/v1/openapi.json").get_json()["paths"]
    missing = client.post(f"{BASE}/portfolio/issue", json={"government_id": "x"}, headers=headers)
    assert missing.status_code == 404


def test_who_may_issue_the_portfolio(app, client, people, govs, api_token):  # noqa: ANN001
    requests = [
        ("POST", "/operaciones/inversion/cartera/emitir"),
        ("POST", f"{BASE}/portfolio/issue"),
    ]
    matrix = route_matrix(
        client,
        people,
        ["auditor", "national", "cusco", "amarilis_team"],
        requests,
        api_token=api_token,
        data=lambda method, url: (
            {"government_id": govs["huanuco"]} if url.startswith("/api/") else {"government": govs["huanuco"]}
        ),
    )
    # Page: a refusal is flashed and the list shown again (303); read-only roles never reach the operation.
    assert matrix == {
        "auditor": [403, 403],
        "national": [403, 403],
        "cusco": [404, 404],
        "amarilis_team": [404, 404],
    }
    with app.app_context():
        assert db.session.scalar(select(IssuedDocument.id)) is None
