"""The «Informe de Alineamiento Presupuestal» as an issued document of its plan: issued on the plan's budget page
(the core's documents route) and by the API, stored and verifiable, with the year-name line, the head's title,
the totals in words of its date and the flagged results; the draft preview and the XLSX stay."""

from __future__ import annotations

from sqlalchemy import select

from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import csrf_from, login, pdf_text
from tests.plugins.operations.budget.test_budget import GOOD, _csv, _team, _upload, plan  # noqa: F401
from tests.plugins.operations.year_names import current_year_name


def test_the_alignment_report_is_issued_from_the_plan(app, client, make_user, govs, api_token, plan):  # noqa: ANN001, F811
    headers = _team(make_user, govs, api_token)
    assert _upload(client, plan["id"], _csv(GOOD), headers).status_code == 200
    login(client, "equipo@huanuco.pe")
    page_url = f"/operaciones/presupuesto/planes/{plan['id']}"
    page = client.get(page_url).get_data(as_text=True)
    assert "Emitir el informe" in page and "Vista previa (PDF)" in page
    assert "VISTA PREVIA" in pdf_text(client.get(f"{page_url}/alineamiento.pdf").data)

    issue_url = f"/expedientes/{plan['id']}/documentos/budget_alignment"
    response = client.post(issue_url, data={"csrf_token": csrf_from(client, page_url)})
    assert response.status_code == 303
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.template_key == "budget_alignment"))
        assert document is not None and document.case_id == plan["id"]
        text, code, number = " ".join(pdf_text(document.content).split()), document.code, document.number
    assert "INFORME DE ALINEAMIENTO PRESUPUESTAL" in text and "VISTA PREVIA" not in text
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text and number in text
    assert current_year_name(app).upper() in text.upper()  # the year-name line of today
    assert "Gobernador Regional de Huánuco" in text
    assert "SEISCIENTOS OCHENTA MIL Y 00/100 SOLES (S/ 680 000,00)" in text  # PIM of the results
    assert "CIENTO SESENTA MIL Y 00/100 SOLES (S/ 160 000,00)" in text  # devengado
    assert "Asignación insuficiente" in text and "Resultados observados" in text
    page = client.get(page_url).get_data(as_text=True)
    assert f"Emitido: {number}" in page
    assert client.get(f"/verificar/{code}").status_code == 200

    again = client.post(f"/api/v1/cases/{plan['id']}/documents/budget_alignment", headers=headers)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["supersedes_id"] == document.id
    xlsx = client.get(f"{page_url}/alineamiento.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_auditor_reads_but_does_not_issue(app, client, make_user, govs, plan):  # noqa: ANN001, F811
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "auditor@huanuco.pe")
    page_url = f"/operaciones/presupuesto/planes/{plan['id']}"
    page = client.get(page_url).get_data(as_text=True)
    assert "Emitir el informe" not in page
    token = csrf_from(client, page_url)
    assert (
        client.post(f"/expedientes/{plan['id']}/documentos/budget_alignment", data={"csrf_token": token}).status_code
        == 403
    )
    with app.app_context():
        assert db.session.scalar(select(IssuedDocument.id)) is None
