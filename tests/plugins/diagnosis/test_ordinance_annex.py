"""Norma 5.2.1: the ordinance "approves the objectives and goals of the Plan Articulado, which as an
annex form part of it". The ordinance is linked to its plan on its page, and its issued PDF carries
the plan's objectives and goals as the annex (text extracted from the real PDF)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from core.extensions import db
from tests.conftest import csrf_from, login
from tests.plugins.diagnosis.conftest import create_case_web, relogin, version_of
from tests.plugins.diagnosis.test_plan import api_headers, db_user_id, fill_plan
from tests.plugins.institutionalization.conftest import make_body, make_ordinance, perform_as_admin

PRESIDENT = ("regional_president", "Ricardo Valdivia", {"role": "president"})


def _link(client, app, ordinance_id: int, plan_id: int | str):  # noqa: ANN202
    token = csrf_from(client, f"/expedientes/{ordinance_id}")
    return client.post(
        f"/ordenanzas/{ordinance_id}/plan",
        data={"csrf_token": token, "version": version_of(app, ordinance_id), "plan_id": plan_id},
    )


def test_the_ordinance_pdf_annexes_the_objectives_and_goals_of_its_plan(app, client, make_user, govs, api_token):
    from core.documents.models import IssuedDocument

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    login(client, "equipo@huanuco.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "Plan Articulado Regional 2008")
    fill_plan(client, app, plan_id, api_headers(api_token, db_user_id(app, "equipo@huanuco.pe")))
    body_id = make_body(app, govs["huanuco"], [PRESIDENT])
    ordinance_id = make_ordinance(
        app,
        body_id,
        number="8",
        session_date=date(2008, 6, 26),
        approval_vote="unanimous",
        approval_date=date(2008, 6, 26),
    )
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    assert "Sin plan vinculado" in page and "Plan Articulado Regional 2008" in page.split('id="anexo"')[1]

    # the auditor reads but may not link; another region does not even see the ordinance
    relogin(client, "auditor@huanuco.pe")
    assert _link(client, app, ordinance_id, plan_id).status_code == 403
    relogin(client, "equipo@cusco.pe")
    assert (
        client.post(f"/ordenanzas/{ordinance_id}/plan", data={"csrf_token": csrf_from(client, "/")}).status_code == 404
    )

    relogin(client, "equipo@huanuco.pe")
    assert _link(client, app, ordinance_id, plan_id).status_code == 303
    with app.app_context():
        from plugins.diagnosis.models import Plan

        assert db.session.get(Plan, plan_id).ordinance_id == ordinance_id
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    assert "La ordenanza aprueba los objetivos y metas de PA-001-2008-GRH" in page

    perform_as_admin(app, ordinance_id, "submit", "approve")
    # approved by the council: its annex is part of what it approved (the team no longer edits it;
    # the coordinator, who still records its publication, cannot change the annex either)
    assert _link(client, app, ordinance_id, "").status_code == 403
    relogin(client, "coord@huanuco.pe")
    assert _link(client, app, ordinance_id, "").status_code == 303
    assert "su anexo no se puede cambiar" in client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    with app.app_context():
        from core.models import Case
        from plugins.institutionalization.models import Ordinance

        ordinance = db.session.get(Ordinance, ordinance_id)
        ordinance.publication_date = date(2008, 6, 30)
        ordinance.publication_medium = "Diario Oficial El Peruano"
        db.session.commit()
        assert db.session.get(Case, ordinance_id).state == "approved"
    perform_as_admin(app, ordinance_id, "publish")
    with app.app_context():
        document_id = db.session.scalar(db.select(IssuedDocument.id).where(IssuedDocument.case_id == ordinance_id))
    pdf = client.get(f"/documentos/{document_id}/pdf")
    assert pdf.status_code == 200
    text = " ".join("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    annex = text.split("ANEXO OBJETIVOS Y METAS DEL PLAN ARTICULADO REGIONAL 2008")[1]
    assert "APROBAR los objetivos y metas del Plan Articulado Regional" in text.split("ANEXO OBJETIVOS")[0]
    assert "Objetivo General" in annex and "Resultados y metas" in annex
    assert "Atención integral a mujeres en edad fértil" in annex
    assert "1,000 niños y niñas" in annex and "4,000 niños y niñas" in annex
    assert "Indicador 1" in annex and "Indicador 4" in annex
