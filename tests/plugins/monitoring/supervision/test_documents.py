"""The supervision documents, rendered by real WeasyPrint and read back as text: the filled ficha issued
with its verification code when the visit is closed (Spanish dates, year-name line, government letterhead),
the blank ficha for a field visit, and the consolidated report of a period."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.formatting import long_date
from core.testing import csrf_from, pdf_text, transition
from tests.plugins.monitoring.supervision.conftest import API, days_ago, days_ahead, visit_body


def _visit(client, headers, govs, fichas, **extra):  # noqa: ANN001, ANN202
    items = fichas["health_facility"]["items"]
    answers = [{"item_id": items[0][0], "points": 1}, {"item_id": items[1][0], "points": 0, "remark": "Sin CRED"}]
    response = client.post(f"{API}/visits", json=visit_body(govs, fichas, answers=answers, **extra), headers=headers)
    assert response.status_code == 201, response.get_json()
    visit = response.get_json()
    response = client.post(
        f"{API}/visits/{visit['id']}/findings",
        json={
            "finding": "No hay personal capacitado en CRED.",
            "commitment": "Capacitar a dos enfermeras en CRED.",
            "responsible": "Jefe del puesto",
            "due_date": days_ahead(40),
        },
        headers=headers,
    )
    assert response.status_code == 201
    return visit


def test_closing_a_visit_issues_the_filled_factsheet(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from datetime import date

    from core.documents.environment import year_name
    from core.documents.models import IssuedDocument

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    visit = _visit(client, headers, govs, fichas)
    people.login(client, "team")
    response = transition(client, app, visit["id"], "close")
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == visit["id"]))
        assert document is not None and document.template_key == "supervision_factsheet"
        text = pdf_text(document.content)
        code = document.display_code
        year_line = year_name(date.fromisoformat(visit["visit_date"]).year)
        visit_day = long_date(date.fromisoformat(visit["visit_date"]))
    assert year_line.upper() in text.upper()
    assert "GOBIERNO REGIONAL DE HUÁNUCO" in text.upper()
    assert "FICHA DE SUPERVISIÓN DE LA CALIDAD DE LOS SERVICIOS" in text.upper()
    assert f"Fecha de la visita {visit_day}" in text
    assert "Puesto de Salud Llicua" in text and "Amarilis (ubigeo 100102)" in text
    # (1·1/1 + 2·0/1) / (1 + 2) = 33.3 %
    assert "Puntaje obtenido 33.3 %" in text and "0 de 1" in text and "Sin CRED" in text
    assert "Capacitar a dos enfermeras en CRED." in text and long_date(date.fromisoformat(days_ahead(40))) in text
    assert f"Código de verificación: {code}" in text
    # closed: answers and findings no longer change; the follow-up still does
    after = client.put(f"{API}/visits/{visit['id']}/answers", json={"version": 99, "answers": []}, headers=headers)
    assert after.status_code == 403


def test_blank_factsheet_for_a_field_visit(app, client, people, govs, fichas):  # noqa: ANN001
    people.login(client, "amarilis_team")
    response = client.get(
        f"/seguimiento/supervision/fichas/{fichas['school']['id']}/ficha.pdf?government={govs['amarilis']}"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "MUNICIPALIDAD DISTRITAL DE AMARILIS" in text.upper()
    assert "Ficha de supervisión de institución educativa" in text
    assert "Cuenta con agua segura y servicios higiénicos operativos" in text
    assert "N.A." in text and "Hallazgos y compromisos" in text and "Fecha límite" in text
    assert "VISTA PREVIA" not in text  # a form to fill in, not a draft of an issued document


def test_consolidated_report_of_a_period(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from core.deadlines import lima_today

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    _visit(client, headers, govs, fichas)
    _visit(client, headers, govs, fichas, facility="Centro de Salud Carlos Showing Ferrari", visit_date=days_ago(2))
    people.login(client, "team")
    year = lima_today().year
    page = client.get(f"/seguimiento/supervision/informe?government={govs['huanuco']}&year={year}")
    assert page.status_code == 200 and "Centro de Salud Carlos Showing Ferrari" in page.get_data(as_text=True)
    response = client.get(f"/seguimiento/supervision/informe.pdf?government={govs['huanuco']}&year={year}")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "INFORME CONSOLIDADO DE SUPERVISIÓN" in text.upper()
    assert f"año {year} (del 1 de enero de {year} al 31 de diciembre de {year})" in text
    assert "Establecimiento de salud 2 33.3 %" in text
    assert "Hallazgos: 2. Compromisos: 2 (cumplidos: 0; pendientes: 2; vencidos: 0)." in text
    assert text.count("Capacitar a dos enfermeras en CRED.") == 2
    assert client.get(f"/seguimiento/supervision/informe.pdf?government={govs['huanuco']}&year=1999").status_code == 400


def test_the_blank_factsheet_is_issued_with_a_verification_code(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from core.documents.models import IssuedDocument

    people.login(client, "amarilis_team")
    page = client.get("/seguimiento/supervision/fichas")
    assert "Emitir la ficha en blanco (con código de verificación)" in page.get_data(as_text=True)
    token = csrf_from(client, "/seguimiento/supervision/fichas")
    school = fichas["school"]["id"]
    issued = client.post(
        f"/seguimiento/supervision/fichas/{school}/emitir", data={"csrf_token": token, "government": govs["amarilis"]}
    )
    assert issued.status_code == 303 and "/documentos/" in issued.headers["Location"]
    with app.app_context():
        first = db.session.scalar(select(IssuedDocument).where(IssuedDocument.template_key == "supervision_blank"))
        first_id, code, number = first.id, first.display_code, first.number
        assert first.case_id is None and first.government_id == govs["amarilis"]
    text = pdf_text(client.get(issued.headers["Location"]).data)
    assert "MUNICIPALIDAD DISTRITAL DE AMARILIS" in text.upper()
    assert "Ficha de supervisión de institución educativa" in text and f"N° {number}" in text
    assert f"Código de verificación: {code}" in text and "Vista previa sin valor oficial" not in text
    verification = client.get(f"/verificar/{code}")
    assert verification.status_code == 200 and number in verification.get_data(as_text=True)
    # the API issues it again: the newer blank of the same ficha supersedes the older; another ficha's does not
    headers = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    again = client.post(f"{API}/checklists/{school}/issue", json={"government_id": govs["amarilis"]}, headers=headers)
    assert again.status_code == 201 and again.get_json()["supersedes_id"] == first_id
    other = client.post(
        f"{API}/checklists/{fichas['health_facility']['id']}/issue",
        json={"government_id": govs["amarilis"]},
        headers=headers,
    )
    assert other.status_code == 201 and other.get_json()["supersedes_id"] is None
    # another government's team issues nothing for Amarilis; the auditor reads but never issues
    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    body = {"government_id": govs["amarilis"]}
    assert client.post(f"{API}/checklists/{school}/issue", json=body, headers=cusco).status_code == 404
    auditor = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    assert client.post(f"{API}/checklists/{school}/issue", json=body, headers=auditor).status_code == 403
    assert client.post(f"{API}/checklists/999999/issue", json=body, headers=headers).status_code == 404


def test_the_consolidated_report_is_issued_with_a_verification_code(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from core.deadlines import lima_today
    from core.documents.models import IssuedDocument

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    _visit(client, headers, govs, fichas)
    people.login(client, "team")
    year = lima_today().year
    report = f"/seguimiento/supervision/informe?government={govs['huanuco']}&year={year}"
    assert "Emitir el informe (con código de verificación)" in client.get(report).get_data(as_text=True)
    issued = client.post(
        "/seguimiento/supervision/informe/emitir",
        data={"csrf_token": csrf_from(client, report), "government": govs["huanuco"], "year": year, "quarter": ""},
    )
    assert issued.status_code == 303, issued.get_data(as_text=True)[:1000]
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.template_key == "supervision_report"))
        first_id, code = document.id, document.display_code
        assert document.number.startswith("SUP-") and document.number.endswith(f"-{year}")
    text = pdf_text(client.get(issued.headers["Location"]).data)
    assert "INFORME CONSOLIDADO DE SUPERVISIÓN" in text.upper() and "GOBIERNO REGIONAL DE HUÁNUCO" in text.upper()
    assert f"año {year} (del 1 de enero de {year} al 31 de diciembre de {year})" in text
    assert "Hallazgos: 1. Compromisos: 1 (cumplidos: 0; pendientes: 1; vencidos: 0)." in text
    assert f"Código de verificación: {code}" in text
    # a quarter's report is another document; the same year's again supersedes the first
    quarter = (lima_today().month - 1) // 3 + 1
    by_quarter = client.post(
        f"{API}/report/issue",
        json={"government_id": govs["huanuco"], "year": year, "quarter": quarter},
        headers=headers,
    )
    assert by_quarter.status_code == 201 and by_quarter.get_json()["supersedes_id"] is None
    assert by_quarter.get_json()["number"].endswith(f"{year}-T{quarter}")
    again = client.post(f"{API}/report/issue", json={"government_id": govs["huanuco"], "year": year}, headers=headers)
    assert again.status_code == 201 and again.get_json()["supersedes_id"] == first_id
    bad = client.post(f"{API}/report/issue", json={"government_id": govs["huanuco"], "year": 1999}, headers=headers)
    assert bad.status_code == 400 and "un año desde 2000" in bad.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(IssuedDocument.id))) == 3
    people.login(client, "auditor")
    assert "Emitir el informe" not in client.get(report).get_data(as_text=True)
