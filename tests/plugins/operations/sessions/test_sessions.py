"""Sessions of the Instancia through the pages and the API: convene, take attendance (quorum shown and
computed from the members on the session date), record agreements, approve and issue the Acta de
Sesión; an agreement's deadline goes late and is then met; bad input is refused field by field."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from, pdf_text, transition
from tests.plugins.operations.sessions.conftest import SESSION_DATE

API = "/api/v1/operations/sessions"


def _convene_by_page(client, instancia, number: int = 1) -> int:  # noqa: ANN001
    url = "/operaciones/sesiones/nueva"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "body_id": instancia["body_id"],
            "kind": "ordinary",
            "number": number,
            "session_date": SESSION_DATE.isoformat(),
            "start_time": "09:30",
            "end_time": "12:00",
            "place": "Sala de sesiones del Gobierno Regional",
            "agenda": "Informe del diagnóstico regional\nCronograma del Plan Articulado",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _version(app, case_id: int) -> int:  # noqa: ANN001
    from core.models import Case

    with app.app_context():
        return db.session.get(Case, case_id).version


def test_session_from_convening_to_the_issued_acta(app, client, people, instancia):  # noqa: ANN001
    m = instancia["members"]
    people.login(client, "team")
    session_id = _convene_by_page(client, instancia)
    page = client.get(f"/operaciones/sesiones/{session_id}").get_data(as_text=True)
    assert "Sesión Ordinaria N° 1 de la IAR" in page
    # only the members on the session date are offered; the quorum before attendance is 3 of 5
    assert (
        "Nelly Cabrera Malpartida" in page and "Hernán Lozano Meza" not in page and "Manuel Figueroa Rojas" not in page
    )
    assert "el quórum es de 3 de 5 miembros" in page

    token = csrf_from(client, f"/operaciones/sesiones/{session_id}")
    marks = {
        f"member-{m['Ricardo Valdivia Tarazona']}": "present",
        f"member-{m['Carmen Tello Alvarado']}": "present",
        f"member-{m['Nelly Cabrera Malpartida']}": "present",
        f"member-{m['Óscar Trujillo Ponce']}": "absent",
        f"member-{m['Rocío Melgarejo Durand']}": "excused",
    }
    response = client.post(
        f"/operaciones/sesiones/{session_id}/asistencia",
        data={"csrf_token": token, "version": _version(app, session_id), **marks},
    )
    assert response.status_code == 303
    page = client.get(f"/operaciones/sesiones/{session_id}").get_data(as_text=True)
    assert "Quórum: 3 de 5 miembros presentes; se requieren 3 (más de la mitad)." in page and "Hay quórum." in page

    response = client.post(
        f"/operaciones/sesiones/{session_id}/acuerdos",
        data={
            "csrf_token": token,
            "version": _version(app, session_id),
            "text": "Presentar el diagnóstico regional consolidado.",
            "responsible_id": m["Carmen Tello Alvarado"],
            "due_date": "2008-06-30",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/operaciones/sesiones/{session_id}").get_data(as_text=True)
    assert "Presentar el diagnóstico regional consolidado." in page and "30 de junio de 2008" in page

    assert transition(client, app, session_id, "hold").status_code in (302, 303)
    people.login(client, "coord")
    assert transition(client, app, session_id, "approve_minutes").status_code in (302, 303)

    from core.documents.models import IssuedDocument
    from plugins.operations.sessions.models import InstanciaSession

    with app.app_context():
        assert db.session.get(InstanciaSession, session_id).state == "approved"
        issued = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == session_id))
        assert issued is not None and issued.template_key == "session_minutes"
        text = pdf_text(issued.content)
    assert "ACTA DE LA SESIÓN ORDINARIA N° 1" in text.upper()
    assert "GOBIERNO REGIONAL DE HUÁNUCO" in text
    for name in ("Ricardo Valdivia Tarazona", "Carmen Tello Alvarado", "Óscar Trujillo Ponce"):
        assert name in text
    assert "Hernán Lozano Meza" not in text  # no longer a member on 15 April 2008
    assert "Ausente" in text and "Justificó su inasistencia" in text
    assert "Asistieron 3 de los 5 miembros de la Instancia; el quórum es de 3 miembros (más de la mitad)" in text
    assert "existe quórum reglamentario" in text
    assert "Presentar el diagnóstico regional consolidado. Carmen Tello Alvarado 30 de junio de 2008" in text
    assert "Informe del diagnóstico regional" in text
    assert "Presidente de la Instancia de Articulación Regional" in text
    assert "Secretaria Técnica de la Instancia de Articulación Regional" in text


def test_an_agreement_goes_overdue_and_is_then_met(app, client, people, api_token, instancia):  # noqa: ANN001
    from core.deadlines import status_now
    from core.deadlines.models import Deadline

    m = instancia["members"]
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    created = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "kind": "extraordinary", "number": 1, "session_date": "2008-04-15"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    session = created.get_json()
    assert session["quorum"] == {"members": 5, "required": 3, "present": 0, "recorded": False, "reached": False}
    attendance = [
        {"member_id": m[n], "status": "present"} for n in ("Ricardo Valdivia Tarazona", "Carmen Tello Alvarado")
    ]
    taken = client.put(
        f"{API}/sessions/{session['id']}/attendance",
        json={"version": session["version"], "attendance": attendance},
        headers=headers,
    )
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["quorum"]["present"] == 2 and taken.get_json()["quorum"]["reached"] is False

    added = client.post(
        f"{API}/sessions/{session['id']}/agreements",
        json={
            "text": "Remitir el padrón nominal.",
            "responsible_id": m["Nelly Cabrera Malpartida"],
            "due_date": "2008-05-15",
        },
        headers=headers,
    )
    assert added.status_code == 201, added.get_json()
    agreement = added.get_json()
    assert agreement["number"] == 1 and agreement["responsible_name"] == "Nelly Cabrera Malpartida"
    assert agreement["status"] == "pending" and agreement["effective_status"] == "overdue"  # 2008 is long past
    with app.app_context():
        deadline = db.session.scalar(select(Deadline).where(Deadline.case_id == session["id"]))
        assert deadline.due_date.isoformat() == "2008-05-15" and status_now(deadline) == "late"

    # pending on the Instancia's page, on the dashboard and in the API list
    people.login(client, "team")
    body_page = client.get(f"/expedientes/{instancia['body_id']}").get_data(as_text=True)
    assert "Remitir el padrón nominal." in body_page and "Vencido" in body_page
    assert "Remitir el padrón nominal." in client.get("/").get_data(as_text=True)
    pending = client.get(f"{API}/agreements", headers=headers).get_json()
    assert [a["id"] for a in pending] == [agreement["id"]]

    version = client.get(f"{API}/sessions/{session['id']}", headers=headers).get_json()["version"]
    done = client.patch(
        f"{API}/agreements/{agreement['id']}",
        json={"version": version, "status": "done", "done_on": "2008-05-20", "notes": "Remitido con Oficio N° 45."},
        headers=headers,
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["effective_status"] == "done" and done.get_json()["done_on"] == "2008-05-20"
    with app.app_context():
        deadline = db.session.scalar(select(Deadline).where(Deadline.case_id == session["id"]))
        assert deadline.met_on.isoformat() == "2008-05-20" and status_now(deadline) == "met_late"
    assert client.get(f"{API}/agreements", headers=headers).get_json() == []
    assert "Remitir el padrón nominal." not in client.get(f"/expedientes/{instancia['body_id']}").get_data(as_text=True)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(app, client, people, api_token, instancia):  # noqa: ANN001
    from plugins.operations.sessions.models import SessionAgreement, SessionAttendance

    m = instancia["members"]
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    session = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "number": 3, "session_date": "2008-04-15"},
        headers=headers,
    ).get_json()
    url = f"{API}/sessions/{session['id']}"

    # an attendee who is not a member on the session date (her period ended on 31 March)
    refused = client.put(
        f"{url}/attendance",
        json={
            "version": session["version"],
            "attendance": [
                {"member_id": m["Ricardo Valdivia Tarazona"], "status": "present"},
                {"member_id": m["Hernán Lozano Meza"], "status": "present"},
            ],
        },
        headers=headers,
    )
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert "«Asistencia»: Hernán Lozano Meza no es miembro de la Instancia a la fecha de la sesión" in error["message"]
    assert "15 de abril de 2008" in error["message"] and "attendance" in error["fields"]

    # an agreement due before the session
    refused = client.post(
        f"{url}/agreements",
        json={"text": "Algo", "responsible_id": m["Carmen Tello Alvarado"], "due_date": "2008-04-01"},
        headers=headers,
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["fields"]["due_date"] == [
        "«Fecha límite»: el 1 de abril de 2008 es anterior a la fecha de la sesión (15 de abril de 2008)."
    ]
    # a responsible member who joins after the session
    refused = client.post(
        f"{url}/agreements",
        json={"text": "Algo", "responsible_id": m["Manuel Figueroa Rojas"], "due_date": "2008-06-01"},
        headers=headers,
    )
    assert refused.status_code == 400 and "responsible_id" in refused.get_json()["error"]["fields"]

    # a stale version
    client.patch(url, json={"version": session["version"], "place": "Auditorio"}, headers=headers)
    stale = client.put(
        f"{url}/attendance",
        json={
            "version": session["version"],
            "attendance": [{"member_id": m["Ricardo Valdivia Tarazona"], "status": "present"}],
        },
        headers=headers,
    )
    assert stale.status_code == 409
    # the same session number twice, and an end time before the start
    again = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "number": 3, "session_date": "2008-09-01"},
        headers=headers,
    )
    assert again.status_code == 400 and "number" in again.get_json()["error"]["fields"]
    times = client.post(
        f"{API}/sessions",
        json={
            "body_id": instancia["body_id"],
            "number": 4,
            "session_date": "2008-09-01",
            "start_time": "10:00",
            "end_time": "09:00",
        },
        headers=headers,
    )
    assert times.status_code == 400 and "end_time" in times.get_json()["error"]["fields"]

    with app.app_context():
        assert db.session.scalar(select(func.count(SessionAttendance.id))) == 0
        assert db.session.scalar(select(func.count(SessionAgreement.id))) == 0

    # the page keeps the input and shows the message beside the field
    people.login(client, "team")
    page_url = f"/operaciones/sesiones/{session['id']}"
    response = client.post(
        f"{page_url}/acuerdos",
        data={
            "csrf_token": csrf_from(client, page_url),
            "version": _version(app, session["id"]),
            "text": "Acuerdo mal fechado",
            "responsible_id": m["Carmen Tello Alvarado"],
            "due_date": "2008-04-01",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "es anterior a la fecha de la sesión" in page and "Acuerdo mal fechado" in page


def test_scoping_other_region_404_auditor_read_only(app, client, people, api_token, instancia):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    session = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "number": 1, "session_date": "2008-04-15"},
        headers=team,
    ).get_json()
    page = f"/operaciones/sesiones/{session['id']}"

    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    assert client.get(f"{API}/sessions/{session['id']}", headers=cusco).status_code == 404
    assert client.get(f"{API}/sessions", headers=cusco).get_json()["total"] == 0
    refused = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "number": 2, "session_date": "2008-04-15"},
        headers=cusco,
    )
    assert refused.status_code == 404
    people.login(client, "cusco")
    assert client.get(page).status_code == 404

    auditor = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    assert client.get(f"{API}/sessions/{session['id']}", headers=auditor).status_code == 200
    member = instancia["members"]["Ricardo Valdivia Tarazona"]
    denied = client.put(
        f"{API}/sessions/{session['id']}/attendance",
        json={"version": session["version"], "attendance": [{"member_id": member, "status": "present"}]},
        headers=auditor,
    )
    assert denied.status_code == 403
    people.login(client, "auditor")
    html = client.get(page).get_data(as_text=True)
    assert "Guardar la asistencia" not in html and "Agregar acuerdo" not in html
    assert (
        client.post(
            f"{page}/asistencia", data={"csrf_token": csrf_from(client, page), "version": session["version"]}
        ).status_code
        == 403
    )
    # the admin lists are scoped: the auditor browses, nobody edits there
    assert client.get("/admin/ops_session/").status_code == 200
