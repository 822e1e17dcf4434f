"""Correcting a visit's date, place and supervisor while it is editable (page and API: version check, the
territory and date rules, the audit trail keeps the old values; closed, nothing changes), and the dashboard
widget with the open and overdue commitments of the user's governments."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update

from core.extensions import db
from core.testing import csrf_from, transition
from tests.plugins.monitoring.supervision.conftest import API, days_ago, days_ahead, visit_body


def test_the_team_corrects_a_visits_date_place_and_supervisor(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from core.models.audit import AuditEvent
    from plugins.monitoring.supervision.models import SupervisionVisit

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    visit = client.post(f"{API}/visits", json=visit_body(govs, fichas, visit_date=days_ago(1)), headers=team).get_json()
    people.login(client, "team")
    page = f"/seguimiento/supervision/visitas/{visit['id']}"
    assert "Corregir la fecha, el lugar o el supervisor" in client.get(page).get_data(as_text=True)
    form = {
        "csrf_token": csrf_from(client, page),
        "version": visit["version"],
        "visit_date": days_ago(2),
        "ubigeo": "100101",
        "facility": "Centro de Salud Carlos Showing Ferrari",
        "supervisor": "Juan Pérez Alvarado",
    }
    outside = client.post(f"{page}/datos", data={**form, "ubigeo": "080101"})
    assert outside.status_code == 400 and "está fuera del territorio" in outside.get_data(as_text=True)
    future = client.post(f"{page}/datos", data={**form, "visit_date": days_ahead(3)})
    assert future.status_code == 400 and "no puede ser una fecha futura" in future.get_data(as_text=True)
    last_year = date.fromisoformat(days_ago(1)).year - 1
    other_year = client.post(f"{page}/datos", data={**form, "visit_date": f"{last_year}-12-30"})
    assert other_year.status_code == 400 and f"debe quedar en {last_year + 1}" in other_year.get_data(as_text=True)
    with app.app_context():
        unchanged = db.session.get(SupervisionVisit, visit["id"])
        assert (unchanged.supervisor, unchanged.ubigeo, unchanged.version) == ("Rosa Elvira Ponce Ticse", "100102", 1)
    saved = client.post(f"{page}/datos", data=form)
    assert saved.status_code == 303
    stale = client.post(f"{page}/datos", data={**form, "supervisor": "Otra persona"})
    assert stale.status_code == 409
    with app.app_context():
        edited = db.session.get(SupervisionVisit, visit["id"])
        assert (edited.supervisor, edited.ubigeo, edited.facility, edited.visit_date.isoformat()) == (
            "Juan Pérez Alvarado",
            "100101",
            "Centro de Salud Carlos Showing Ferrari",
            days_ago(2),
        )
        assert edited.title.startswith("Supervisión de Centro de Salud Carlos Showing Ferrari (Huánuco) del")
        changes = [
            e.changes
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.case_id == visit["id"]).order_by(AuditEvent.id)
            )
            if "supervisor" in (e.changes or {})
        ]
        assert changes and changes[-1]["supervisor"] == ["Rosa Elvira Ponce Ticse", "Juan Pérez Alvarado"]
        version = edited.version

    # the API: only the fields sent; the auditor reads and may not write; another region does not see it
    patched = client.patch(
        f"{API}/visits/{visit['id']}", json={"version": version, "supervisor": "Ana Torres"}, headers=team
    )
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert (body["supervisor"], body["ubigeo"]) == ("Ana Torres", "100101") and body["version"] > version
    version = body["version"]
    bad = client.patch(f"{API}/visits/{visit['id']}", json={"version": version, "ubigeo": "99"}, headers=team)
    assert bad.status_code == 400 and "ubigeo" in bad.get_json()["error"]["fields"]
    unknown = client.patch(f"{API}/visits/{visit['id']}", json={"version": version, "score": 100}, headers=team)
    assert unknown.status_code == 400  # the score is computed, never sent
    auditor = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    body = {"version": version, "supervisor": "X"}
    assert client.patch(f"{API}/visits/{visit['id']}", json=body, headers=auditor).status_code == 403
    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    assert client.patch(f"{API}/visits/{visit['id']}", json=body, headers=cusco).status_code == 404
    # closed: no longer editable
    assert transition(client, app, visit["id"], "close").status_code in (302, 303)
    with app.app_context():
        version = db.session.get(SupervisionVisit, visit["id"]).version
    closed = client.patch(f"{API}/visits/{visit['id']}", json={"version": version, "supervisor": "X"}, headers=team)
    assert closed.status_code == 403
    assert "Corregir la fecha" not in client.get(page).get_data(as_text=True)


def test_the_dashboard_shows_open_and_overdue_commitments(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from plugins.monitoring.supervision.models import VisitFinding

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    visit = client.post(f"{API}/visits", json=visit_body(govs, fichas), headers=team).get_json()
    for text, due in (("Capacitar al personal en CRED", days_ahead(20)), ("Reponer el stock de hierro", days_ahead(5))):
        response = client.post(
            f"{API}/visits/{visit['id']}/findings",
            json={"finding": "Hallazgo", "commitment": text, "due_date": due},
            headers=team,
        )
        assert response.status_code == 201
    client.post(f"{API}/visits/{visit['id']}/findings", json={"finding": "Sin compromiso"}, headers=team)
    with app.app_context():
        # the second commitment's date has passed (written directly: a new one cannot be due in the past)
        late = date.fromisoformat(days_ago(3))
        db.session.execute(
            update(VisitFinding).where(VisitFinding.commitment == "Reponer el stock de hierro").values(due_date=late)
        )
        db.session.commit()
    people.login(client, "team")
    html = re.sub(r"\s+", " ", client.get("/").get_data(as_text=True))
    assert "Compromisos de supervisión" in html
    # the widget's own card (the core's deadlines card lists every upcoming commitment too)
    widget = html.split("Compromisos de supervisión", 1)[1].split("</section>", 1)[0]
    assert "Compromisos abiertos: 2; vencidos: 1." in widget
    assert "Reponer el stock de hierro" in widget and "Capacitar al personal en CRED" not in widget  # only the overdue
    people.login(client, "cusco")
    assert "Compromisos abiertos: 0; vencidos: 0." in client.get("/").get_data(as_text=True)
    people.login(client, "national")
    assert "Compromisos abiertos: 2; vencidos: 1." in re.sub(r"\s+", " ", client.get("/").get_data(as_text=True))
