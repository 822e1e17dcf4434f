"""Training events and the educational-communication plan through the pages and the API: a region
records its events and sees its municipalities' (read-only); bad input is refused field by field
with nothing saved; other regions get 404, auditors read only."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from

API = "/api/v1/operations/training"


def _bearer(api_token, user_id: int) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {api_token(user_id)}"}


def test_region_lists_its_events_and_its_municipalities_read_only(app, client, people, api_token, govs):  # noqa: ANN001
    # the region records an event for its municipalities through the page
    people.login(client, "team")
    url = "/operaciones/capacitacion/eventos/nuevo"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "government_id": govs["huanuco"],
            "topic": "Formulación del Plan Articulado Local",
            "provider": "region",
            "kind": "training",
            "audience": "Equipos técnicos municipales de la región",
            "start_date": "2008-06-10",
            "end_date": "2008-06-11",
            "participants_women": "18",
            "participants_men": "14",
            "participants_total": "32",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    region_event = int(response.headers["Location"].rstrip("/").split("/")[-1])

    # Amarilis records its own through the API (count by sex unknown)
    amarilis = _bearer(api_token, people["amarilis_team"])
    created = client.post(
        f"{API}/events",
        json={
            "government_id": govs["amarilis"],
            "topic": "Vigilancia comunitaria del crecimiento",
            "provider": "cenan",
            "kind": "technical_assistance",
            "start_date": "2008-08-05",
            "participants_total": 25,
        },
        headers=amarilis,
    )
    assert created.status_code == 201, created.get_json()
    amarilis_event = created.get_json()
    assert amarilis_event["provider"] == "cenan" and amarilis_event["participants_total"] == 25

    page = client.get("/operaciones/capacitacion/").get_data(as_text=True)
    assert "Formulación del Plan Articulado Local" in page and "Vigilancia comunitaria del crecimiento" in page
    assert "Gobierno regional" in page and "CENAN" in page and "mujeres: 18" in page
    region = _bearer(api_token, people["team"])
    listed = client.get(f"{API}/events", headers=region).get_json()
    assert {e["id"] for e in listed["items"]} == {region_event, amarilis_event["id"]}
    only = client.get(f"{API}/events?government_id={govs['amarilis']}", headers=region).get_json()
    assert [e["id"] for e in only["items"]] == [amarilis_event["id"]]
    # the region reads the municipality's event but does not write it
    assert client.get(f"{API}/events/{amarilis_event['id']}", headers=region).status_code == 200
    denied = client.patch(
        f"{API}/events/{amarilis_event['id']}",
        json={"version": amarilis_event["version"], "participants_total": 30},
        headers=region,
    )
    assert denied.status_code == 403
    # the municipality sees its own events only
    assert [e["id"] for e in client.get(f"{API}/events", headers=amarilis).get_json()["items"]] == [
        amarilis_event["id"]
    ]
    # the municipality updates its participants; a stale version is refused
    patched = client.patch(
        f"{API}/events/{amarilis_event['id']}",
        json={"version": amarilis_event["version"], "participants_women": 15, "participants_men": 10},
        headers=amarilis,
    )
    assert patched.status_code == 200, patched.get_json()
    stale = client.patch(
        f"{API}/events/{amarilis_event['id']}",
        json={"version": amarilis_event["version"], "audience": "X"},
        headers=amarilis,
    )
    assert stale.status_code == 409


def test_bad_input_names_the_field_and_saves_nothing(app, client, people, api_token, govs):  # noqa: ANN001
    from plugins.operations.training.models import TrainingEvent

    headers = _bearer(api_token, people["team"])
    base = {"government_id": govs["huanuco"], "topic": "Taller", "provider": "mef", "start_date": "2008-06-10"}
    backwards = client.post(f"{API}/events", json={**base, "end_date": "2008-06-01"}, headers=headers)
    assert backwards.status_code == 400, backwards.get_json()
    assert backwards.get_json()["error"]["fields"]["end_date"] == [
        "«Fecha de fin» no puede ser anterior a la fecha de inicio."
    ]
    negative = client.post(f"{API}/events", json={**base, "participants_women": -3}, headers=headers)
    assert negative.status_code == 400 and "participants_women" in negative.get_json()["error"]["fields"]
    other = client.post(f"{API}/events", json={**base, "provider": "other"}, headers=headers)
    assert other.status_code == 400 and "provider_other" in other.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(select(func.count(TrainingEvent.id))) == 0

    # the page keeps the input and shows the message beside the field
    people.login(client, "team")
    url = "/operaciones/capacitacion/eventos/nuevo"
    response = client.post(
        url,
        data={"csrf_token": csrf_from(client, url), **base, "kind": "training", "end_date": "2008-06-01"},
    )
    assert response.status_code == 400
    assert "no puede ser anterior a la fecha de inicio" in response.get_data(as_text=True)


def test_communication_plan_with_its_actions(app, client, people, api_token, govs):  # noqa: ANN001
    headers = _bearer(api_token, people["team"])
    created = client.post(
        f"{API}/plans",
        json={"government_id": govs["huanuco"], "name": "Plan Regional de Comunicación Educativa 2008", "year": 2008},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    plan = created.get_json()
    action = {
        "kind": "campaign",
        "title": "Campaña de lavado de manos",
        "audience": "Madres de niños menores de 5 años",
        "reach": 12000,
        "start_date": "2008-09-01",
        "end_date": "2008-09-30",
    }
    added = client.post(f"{API}/plans/{plan['id']}/actions", json=action, headers=headers)
    assert added.status_code == 201, added.get_json()
    refused = client.post(f"{API}/plans/{plan['id']}/actions", json={**action, "reach": -1}, headers=headers)
    assert refused.status_code == 400 and "reach" in refused.get_json()["error"]["fields"]
    shown = client.get(f"{API}/plans/{plan['id']}", headers=headers).get_json()
    assert [a["title"] for a in shown["actions"]] == ["Campaña de lavado de manos"]

    people.login(client, "team")
    page_url = f"/operaciones/capacitacion/planes/{plan['id']}"
    response = client.post(
        page_url,
        data={
            "csrf_token": csrf_from(client, page_url),
            "version": plan["version"],
            "kind": "contest",
            "title": "Concurso de loncheras saludables",
            "start_date": "2008-10-06",
        },
    )
    assert response.status_code == 303
    page = client.get(page_url).get_data(as_text=True)
    assert "Campaña" in page and "Concurso de loncheras saludables" in page and "12000" in page


def test_scoping_other_region_404_auditor_read_only(app, client, people, api_token, govs):  # noqa: ANN001
    team = _bearer(api_token, people["team"])
    event = client.post(
        f"{API}/events",
        json={"government_id": govs["huanuco"], "topic": "Taller", "provider": "inei", "start_date": "2008-06-10"},
        headers=team,
    ).get_json()
    cusco = _bearer(api_token, people["cusco"])
    assert client.get(f"{API}/events/{event['id']}", headers=cusco).status_code == 404
    assert client.get(f"{API}/events", headers=cusco).get_json()["total"] == 0
    made = client.post(
        f"{API}/events",
        json={"government_id": govs["huanuco"], "topic": "X", "provider": "mef", "start_date": "2008-06-10"},
        headers=cusco,
    )
    assert made.status_code == 404
    auditor = _bearer(api_token, people["auditor"])
    assert client.get(f"{API}/events/{event['id']}", headers=auditor).status_code == 200
    denied = client.post(
        f"{API}/events",
        json={"government_id": govs["huanuco"], "topic": "X", "provider": "mef", "start_date": "2008-06-10"},
        headers=auditor,
    )
    assert denied.status_code == 403
    people.login(client, "auditor")
    assert "Taller" in client.get("/operaciones/capacitacion/").get_data(as_text=True)
    assert client.get("/admin/ops_training_event/").status_code == 200
