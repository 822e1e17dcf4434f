"""Issue 11's «Done when», walked end to end through the pages and the API (the incentives contest is tested
with its own sub-package): the region drafts a Convenio de Gestión, the municipality's coordinator accepts it,
it is signed and its PDF issued (text asserted: parties, heads' titles of the signing date, funds in words),
a progress report is filed and a commitment goes overdue (its deadline is late, on the agreement and on the
region's support overview), a budget import flags an under-funded result, and a session's Acta is issued and
one of its agreements tracked."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import KeyIndicator
from core.testing import csrf_from, pdf_text, transition, version_of
from tests.plugins.operations.budget.test_budget import GOOD, _csv, plan  # noqa: F401
from tests.plugins.operations.sessions.conftest import SESSION_DATE, instancia  # noqa: F401

TODAY = date.today()
OPS = "/api/v1/operations"


def _post(client, url: str, data: dict):  # noqa: ANN001, ANN201
    return client.post(url, data={"csrf_token": csrf_from(client, "/operaciones/"), **data})


def test_convenio_from_draft_to_an_overdue_commitment(app, client, people, govs, api_token):  # noqa: ANN001
    region = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    amarilis = {"Authorization": f"Bearer {api_token(people['amarilis_coord'])}"}

    # 1. The region drafts the convenio (page), with a goal (page), a commitment of the municipality already
    #    due and the region's funds (API).
    people.login(client, "coord")
    response = _post(
        client,
        "/operaciones/convenios/nuevo",
        {
            "government_id": str(govs["huanuco"]),
            "title": "Convenio de Gestión con Amarilis",
            "kind": "management",
            "object": "Reducir la desnutrición crónica infantil en Amarilis.",
            "start_date": (TODAY - timedelta(days=90)).isoformat(),
            "end_date": (TODAY + timedelta(days=270)).isoformat(),
            "counterparts": [str(govs["amarilis"])],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    aid = int(re.search(r"/convenios/(\d+)$", response.headers["Location"]).group(1))
    with app.app_context():
        indicator = db.session.scalar(select(KeyIndicator.id).order_by(KeyIndicator.id).limit(1))
    goal = _post(
        client,
        f"/operaciones/convenios/{aid}/metas/nueva",
        {
            "version": str(version_of(app, aid)),
            "description": "Niños menores de 3 años con CRED completo",
            "key_indicator_id": str(indicator),
            "plan_result_id": "",
            "baseline": "40",
            "target": "60",
        },
    )
    assert goal.status_code == 303
    commitment = client.post(
        f"{OPS}/agreements/{aid}/commitments",
        json={
            "party": str(govs["amarilis"]),
            "what": "Instalar el padrón nominal de niños",
            "who": "Subgerencia de Desarrollo Social",
            "due_date": (TODAY - timedelta(days=5)).isoformat(),
        },
        headers=region,
    )
    assert commitment.status_code == 201, commitment.get_json()
    funds = client.post(
        f"{OPS}/agreements/{aid}/supports",
        json={"kind": "funds", "description": "Transferencia para el padrón", "amount": "12500.50"},
        headers=region,
    )
    assert funds.status_code == 201, funds.get_json()
    assert transition(client, app, aid, "negotiate").status_code == 303

    # 2. The municipality's coordinator accepts on its side (API): the last acceptance makes it «agreed».
    accepted = client.post(f"{OPS}/agreements/{aid}/accept", json={}, headers=amarilis)
    assert accepted.status_code == 200, accepted.get_json()
    assert client.get(f"{OPS}/agreements/{aid}", headers=region).get_json()["state"] == "agreed"

    # 3. Signed (API transition) on a date: the Convenio's PDF is issued.
    signed_on = TODAY - timedelta(days=80)
    edited = client.patch(
        f"{OPS}/agreements/{aid}",
        json={"version": version_of(app, aid), "signed_on": signed_on.isoformat()},
        headers=region,
    )
    assert edited.status_code == 200, edited.get_json()
    signed = client.post(
        f"{OPS}/agreements/{aid}/transitions/sign", json={"version": version_of(app, aid)}, headers=region
    )
    assert signed.status_code == 200, signed.get_json()
    documents = client.get(f"{OPS}/agreements/{aid}/documents", headers=region).get_json()
    convenio = next(d for d in documents if d["template"] == "agreement")
    pdf = client.get(f"/api/v1/documents/{convenio['id']}/pdf", headers=region)
    assert pdf.status_code == 200
    text = " ".join(pdf_text(pdf.data).split())
    assert "CONVENIO DE GESTIÓN" in text.upper() and "VISTA PREVIA" not in text
    assert "Gobierno Regional de Huánuco" in text and "Municipalidad Distrital de Amarilis" in text
    assert "Gobernador Regional de Huánuco" in text and "Alcalde de la Municipalidad Distrital de Amarilis" in text
    assert "Niños menores de 3 años con CRED completo" in text and "Instalar el padrón nominal de niños" in text
    assert "S/ 12,500.50" in text and "DOCE MIL QUINIENTOS Y 50/100 SOLES" in text
    assert "Código de verificación" in text
    with app.app_context():
        code = db.session.get(IssuedDocument, convenio["id"]).code
    assert client.get(f"/verificar/{code}").status_code == 200

    # 4. Execution: the commitment is a deadline, already late; the municipality files a progress report (page).
    assert transition(client, app, aid, "start").status_code == 303
    people.login(client, "amarilis_coord")
    goal_id = client.get(f"{OPS}/agreements/{aid}", headers=amarilis).get_json()["goals"][0]["id"]
    filed = _post(
        client, f"/operaciones/convenios/{aid}/avances", {"period": f"{TODAY.year}-S1", f"value_{goal_id}": "52"}
    )
    assert filed.status_code == 303
    page = client.get(f"/operaciones/convenios/{aid}").get_data(as_text=True)
    assert f"{TODAY.year}-S1" in page and "Vencido" in page
    agreement = client.get(f"{OPS}/agreements/{aid}", headers=amarilis).get_json()
    assert agreement["reports"][0]["period"] == f"{TODAY.year}-S1"

    # 5. The region's support overview shows it: 52 of 60 achieved, one commitment overdue.
    people.login(client, "coord")
    overview = client.get(f"{OPS}/support/{govs['huanuco']}", headers=region).get_json()
    row = next(i for i in overview["items"] if i["government_id"] == govs["amarilis"])
    assert row["operations"]["agreements"][0]["goals"][0]["achieved"] == "52.00"
    assert row["operations"]["agreements"][0]["commitments"][0]["status"] == "late"
    assert row["operations"]["commitments_overdue"] == 1
    assert "Vencido" in client.get("/operaciones/apoyo/").get_data(as_text=True)


def test_a_budget_import_flags_an_under_funded_result(app, client, make_user, govs, api_token, plan):  # noqa: ANN001, F811
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    imported = client.post(
        f"{OPS}/budget/plans/{plan['id']}/import",
        data={"file": (__import__("io").BytesIO(_csv(GOOD)), "consulta.csv")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_json()
    alignment = client.get(f"{OPS}/budget/plans/{plan['id']}/alignment", headers=headers).get_json()
    flagged = {r["number"]: r["flag"] for r in alignment["results"] if r["flag"]}
    assert flagged == {"4": "under"}
    from core.testing import login

    login(client, "equipo@huanuco.pe")
    assert "Asignación insuficiente" in client.get(f"/operaciones/presupuesto/planes/{plan['id']}").get_data(
        as_text=True
    )


def test_a_sessions_acta_is_issued_and_an_agreement_tracked(app, client, people, api_token, instancia):  # noqa: ANN001, F811
    m = instancia["members"]
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    created = client.post(
        f"{OPS}/sessions/sessions",
        json={
            "body_id": instancia["body_id"],
            "kind": "ordinary",
            "number": 3,
            "session_date": SESSION_DATE.isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "agenda": "Seguimiento del Convenio de Gestión",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    session = created.get_json()
    present = ("Ricardo Valdivia Tarazona", "Carmen Tello Alvarado", "Nelly Cabrera Malpartida")
    taken = client.put(
        f"{OPS}/sessions/sessions/{session['id']}/attendance",
        json={"version": session["version"], "attendance": [{"member_id": m[n], "status": "present"} for n in present]},
        headers=headers,
    )
    assert taken.status_code == 200 and taken.get_json()["quorum"]["reached"] is True
    added = client.post(
        f"{OPS}/sessions/sessions/{session['id']}/agreements",
        json={
            "text": "Informar el avance del convenio.",
            "responsible_id": m["Carmen Tello Alvarado"],
            "due_date": "2008-06-30",
        },
        headers=headers,
    )
    assert added.status_code == 201, added.get_json()
    people.login(client, "team")
    assert transition(client, app, session["id"], "hold").status_code in (302, 303)
    people.login(client, "coord")
    assert transition(client, app, session["id"], "approve_minutes").status_code in (302, 303)
    with app.app_context():
        acta = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == session["id"]))
        text = " ".join(pdf_text(acta.content).split())
    assert "ACTA DE LA SESIÓN ORDINARIA N° 3" in text.upper()
    assert "AÑO DE LAS CUMBRES MUNDIALES EN EL PERÚ" in text.upper()  # the year name of the session's date
    assert "Informar el avance del convenio. Carmen Tello Alvarado 30 de junio de 2008" in text

    # The agreement is tracked after the acta: in progress, then done (late: 2008 is long past).
    agreement_id = added.get_json()["id"]
    version = client.get(f"{OPS}/sessions/sessions/{session['id']}", headers=headers).get_json()["version"]
    followed = client.patch(
        f"{OPS}/sessions/agreements/{agreement_id}",
        json={"version": version, "status": "in_progress", "notes": "Informe en elaboración."},
        headers=headers,
    )
    assert followed.status_code == 200, followed.get_json()
    assert followed.get_json()["status"] == "in_progress"
    pending = client.get(f"{OPS}/sessions/agreements", headers=headers).get_json()
    assert [a["id"] for a in pending] == [agreement_id]
