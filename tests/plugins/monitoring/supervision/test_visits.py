"""Quality supervision through the pages and the API: record a visit, answer its ficha (the weighted score,
N/A left out of the denominator), add findings whose commitments become deadlines, follow them up; bad
input is refused naming the field, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from
from tests.plugins.monitoring.supervision.conftest import API, days_ago, days_ahead, visit_body


def _count(app, model) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_records_a_supervision_visit_through_the_pages(app, client, people, govs, fichas):  # noqa: ANN001
    from plugins.monitoring.supervision.models import SupervisionVisit

    people.login(client, "team")
    url = "/seguimiento/supervision/visitas/nueva"
    response = client.post(url, data={"csrf_token": csrf_from(client, url), **visit_body(govs, fichas)})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    visit_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/seguimiento/supervision/visitas/{visit_id}").get_data(as_text=True)
    assert "Supervisión de Puesto de Salud Llicua (Amarilis)" in page and "SUP-001-" in page

    # items 1..6: weights 1,2,3,2,1,2 and highest points 1,1,2,2,1,2 (data/supervision_checklist_items.yaml)
    items = fichas["health_facility"]["items"]
    marks = {f"item-{items[0][0]}": "1", f"item-{items[1][0]}": "0", f"item-{items[2][0]}": "1"}
    marks |= {f"item-{items[3][0]}": "na", f"remark-{items[2][0]}": "Sin termómetro"}
    with app.app_context():
        version = db.session.get(SupervisionVisit, visit_id).version
    token = csrf_from(client, f"/seguimiento/supervision/visitas/{visit_id}")
    response = client.post(
        f"/seguimiento/supervision/visitas/{visit_id}/respuestas",
        data={"csrf_token": token, "version": version, **marks},
    )
    assert response.status_code == 303
    with app.app_context():
        visit = db.session.get(SupervisionVisit, visit_id)
        # (1·1/1 + 2·0/1 + 3·1/2) / (1 + 2 + 3) = 2.5 / 6 → 41.7 %; the N/A item (weight 2) is left out
        assert visit.score == Decimal("41.7")
        assert {a.item_id: a.points for a in visit.answers}[items[3][0]] is None
        version = visit.version

    response = client.post(
        f"/seguimiento/supervision/visitas/{visit_id}/hallazgos",
        data={
            "csrf_token": token,
            "version": version,
            "finding": "Las historias clínicas no registran el DNI.",
            "commitment": "Registrar el DNI de cada niña y niño.",
            "responsible": "Jefe del puesto",
            "due_date": days_ahead(30),
        },
    )
    assert response.status_code == 303
    page = client.get(f"/seguimiento/supervision/visitas/{visit_id}").get_data(as_text=True)
    assert "Registrar el DNI de cada niña y niño." in page and "41.7" in page
    with app.app_context():
        finding = db.session.get(SupervisionVisit, visit_id).findings[0]
        assert finding.deadline is not None and finding.deadline.due_date.isoformat() == days_ahead(30)
        assert finding.deadline.case_id == visit_id
        finding_id = finding.id

    response = client.post(
        f"/seguimiento/supervision/hallazgos/{finding_id}/seguimiento", data={"csrf_token": token, "status": "done"}
    )
    assert response.status_code == 303
    with app.app_context():
        from plugins.monitoring.supervision.models import VisitFinding

        finding = db.session.get(VisitFinding, finding_id)
        assert finding.status == "done" and finding.deadline.met_on is not None


def test_records_a_supervision_visit_through_the_api(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    items = fichas["school"]["items"]  # weights 2,3,2,1,2; highest 2,1,1,2,1
    body = visit_body(
        govs,
        fichas,
        checklist_id=fichas["school"]["id"],
        ubigeo="100101",
        facility="I.E. N° 32004",
        answers=[
            {"item_id": items[0][0], "points": 2},
            {"item_id": items[1][0], "points": 0},
            {"item_id": items[2][0], "points": "na"},
        ],
    )
    response = client.post(f"{API}/visits", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    visit = response.get_json()
    assert visit["score"] == "40.0"  # (2·2/2 + 3·0) / (2 + 3)
    assert visit["reference"].startswith("SUP-") and visit["state"] == "recorded"

    response = client.post(
        f"{API}/visits/{visit['id']}/findings",
        json={
            "finding": "Sin agua en los servicios higiénicos",
            "commitment": "Reparar la cisterna",
            "due_date": days_ahead(10),
        },
        headers=headers,
    )
    assert response.status_code == 201 and response.get_json()["number"] == 1
    listed = client.get(f"{API}/findings", headers=headers).get_json()
    assert [f["finding"] for f in listed["items"]] == ["Sin agua en los servicios higiénicos"]
    response = client.put(
        f"{API}/visits/{visit['id']}/answers",
        json={"version": visit["version"], "answers": [{"item_id": items[0][0], "points": 1}]},
        headers=headers,
    )
    assert response.status_code == 200 and response.get_json()["score"] == "50.0"
    # a second write with the version read before is refused (409), nothing changes
    stale = client.put(
        f"{API}/visits/{visit['id']}/answers",
        json={"version": visit["version"], "answers": [{"item_id": items[0][0], "points": 2}]},
        headers=headers,
    )
    assert stale.status_code == 409
    assert client.get(f"{API}/visits/{visit['id']}", headers=headers).get_json()["score"] == "50.0"


def test_bad_input_names_the_field_in_spanish_and_saves_nothing(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from plugins.monitoring.supervision.models import SupervisionVisit, VisitFinding

    headers = {"Authorization": f"Bearer {api_token(people['team'])}", "Accept-Language": "es"}
    other = fichas["school"]["items"][0][0]
    item, max_points = fichas["health_facility"]["items"][2][0], fichas["health_facility"]["items"][2][2]
    cases = [
        ({"answers": [{"item_id": other, "points": 1}]}, "answers", "no está en la ficha"),
        ({"answers": [{"item_id": item, "points": max_points + 1}]}, "answers", f"entre 0 y {max_points}"),
        ({"answers": [{"item_id": item, "points": -1}]}, "answers", "el puntaje debe estar entre 0"),
        ({"ubigeo": "109999"}, "ubigeo", "no es un ubigeo conocido"),
        ({"ubigeo": "080101"}, "ubigeo", "fuera del territorio"),
        ({"ubigeo": "10010"}, "ubigeo", "6 dígitos"),
        ({"visit_date": days_ahead(1)}, "visit_date", "no puede ser una fecha futura"),
        ({"facility": ""}, "facility", ""),
    ]
    for change, field, words in cases:
        response = client.post(f"{API}/visits", json=visit_body(govs, fichas, **change), headers=headers)
        assert response.status_code == 400, (change, response.get_json())
        error = response.get_json()["error"]
        assert field in error["fields"], (change, error)
        assert words in " ".join(error["fields"][field]), (change, error)
    assert _count(app, SupervisionVisit) == 0

    visit = client.post(
        f"{API}/visits", json=visit_body(govs, fichas, visit_date=days_ago(3)), headers=headers
    ).get_json()
    early = client.post(
        f"{API}/visits/{visit['id']}/findings",
        json={"finding": "Hallazgo", "commitment": "Compromiso", "due_date": days_ago(4)},
        headers=headers,
    )
    assert early.status_code == 400
    assert "es anterior a la visita" in " ".join(early.get_json()["error"]["fields"]["due_date"])
    no_date = client.post(
        f"{API}/visits/{visit['id']}/findings",
        json={"finding": "Hallazgo", "commitment": "Compromiso"},
        headers=headers,
    )
    assert no_date.status_code == 400 and "due_date" in no_date.get_json()["error"]["fields"]
    assert _count(app, VisitFinding) == 0


def test_a_refused_page_form_keeps_the_input_and_says_why(app, client, people, govs, fichas):  # noqa: ANN001
    people.login(client, "team")
    url = "/seguimiento/supervision/visitas/nueva"
    response = client.post(
        url, data={"csrf_token": csrf_from(client, url), **visit_body(govs, fichas, visit_date=days_ahead(2))}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "«Fecha de la visita» no puede ser una fecha futura." in page and "Puesto de Salud Llicua" in page


def test_the_list_reads_in_constant_statements(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    from sqlalchemy import event

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    for n in range(3):
        client.post(f"{API}/visits", json=visit_body(govs, fichas, facility=f"Puesto {n}"), headers=headers)
    people.login(client, "team")

    def statements() -> int:
        seen = []

        def count(*_args) -> None:  # noqa: ANN002
            seen.append(1)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/seguimiento/supervision/").status_code == 200
            assert client.get(f"{API}/visits", headers=headers).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    few = statements()
    for n in range(3, 9):
        client.post(f"{API}/visits", json=visit_body(govs, fichas, facility=f"Puesto {n}"), headers=headers)
    assert statements() == few
