"""The supervision documents, rendered by real WeasyPrint and read back as text: the filled ficha issued
with its verification code when the visit is closed (Spanish dates, year-name line, government letterhead),
the blank ficha for a field visit, and the consolidated report of a period."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.formatting import long_date
from core.testing import pdf_text, transition
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
