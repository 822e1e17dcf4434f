"""The regional team's whole path in the web UI, from the pages a person clicks through: create the
IAR, record its members, draft, approve and publish the ordinance, download its PDF, constitute
and install the body, and send the ordinance to the ST-CIAS (the 30 June rule is then met)."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.extensions import db
from core.testing import pdf_text
from tests.conftest import csrf_from
from tests.plugins.institutionalization.conftest import (
    case_id_from,
    edit_case,
    regional_body_with_members,
    state_of,
    transition,
    version_of,
)


def test_regional_team_constitutes_installs_publishes_and_submits(app, client, people, govs):
    from core.deadlines.models import Deadline, DeadlineRule
    from plugins.institutionalization.models import Ordinance

    people.login(client, "team")
    body_id = regional_body_with_members(client, app, govs)
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    assert "Luis Alberto Picón Quedo" in page and "Composición al" in page

    # the team drafts the ordinance from the body's page: pre-filled from it
    response = client.post(
        f"/institucionalizacion/instancias/{body_id}/ordenanza",
        data={
            "csrf_token": csrf_from(client, f"/expedientes/{body_id}"),
            "version": version_of(app, body_id),
            "year": 2008,
        },
    )
    ordinance_id = case_id_from(response, 303)
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    assert "Artículo Primero.-" in page and "CONFORMAR la Instancia de Articulación Regional" in page
    response = edit_case(client, app, ordinance_id, number="8", session_date="2008-06-26", approval_vote="unanimous")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert transition(client, ordinance_id, "submit").status_code == 303

    # the coordinator records the council's approval, the promulgation and the publication
    people.login(client, "coord")
    assert edit_case(client, app, ordinance_id, approval_date="2008-06-26").status_code == 302
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "approved"
    edit_case(
        client,
        app,
        ordinance_id,
        promulgation_date="2008-06-30",
        publication_date="2008-06-30",
        publication_medium="Diario Oficial El Peruano",
    )
    transition(client, ordinance_id, "publish")
    assert state_of(app, ordinance_id) == "published"
    with app.app_context():
        assert db.session.get(Ordinance, ordinance_id).number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"

    # the issued PDF is listed on the case page and downloads
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    document_id = int(re.search(r'href="/documentos/(\d+)/pdf"', page).group(1))
    pdf = client.get(f"/documentos/{document_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data)
    # the ordinance as published: dated the day it was promulgated, citing the session that approved it
    assert "ORDENANZA REGIONAL N° 008-2008-GRH/CR Huánuco, 30 de junio de 2008" in text
    assert "en su Sesión Ordinaria de fecha 26 de junio de 2008" in text

    transition(client, body_id, "constitute")
    assert state_of(app, body_id) == "constituted"
    edit_case(client, app, body_id, installation_date="2008-07-07", installation_place="la sede central")
    transition(client, body_id, "install")
    assert state_of(app, body_id) == "installed"

    # the team sends the ordinance to the ST-CIAS: the 30 June rule of 2008 is met
    people.login(client, "team")
    url = f"/envios/nuevo?government={govs['huanuco']}"
    page = client.get(url).get_data(as_text=True)
    assert re.search(
        r'<input type="checkbox" name="documents" value="\d+" >\s*'
        r"008-2008-GRH/CR — Ordenanza: Ordenanza Regional que conforma la Instancia de Articulación Regional",
        page,
    )
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "documents": [str(document_id)],
            "year": "2008",
            "rule": "core.regional_submission",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        deadline = db.session.scalar(
            select(Deadline)
            .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
            .where(
                DeadlineRule.key == "core.regional_submission",
                Deadline.government_id == govs["huanuco"],
                Deadline.year == 2008,
            )
        )
        # SP 8: the ordinance alone does not meet the 30 June rule; the approved plan is still missing
        assert deadline is not None and deadline.met_at is None
    plazos = client.get(f"/plazos/?view=government&government={govs['huanuco']}&year=2008").get_data(as_text=True)
    assert "Falta: Plan Articulado Regional 2008 aprobado (aún no aprobado: sin documento emitido)" in plazos
