"""The core API helpers the plugins' endpoints share: ``scoped_page`` (a page of the rows within the
caller's reach, integer filters, constant statements per page) and ``json_object`` (the JSON body as
an object, 400 otherwise). Exercised through endpoints that use them (training events, investment)."""

from __future__ import annotations

from core.database import QueryCounter
from core.extensions import db

TRAINING = "/api/v1/operations/training/events"


def _bearer(api_token, user_id: int) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {api_token(user_id)}"}


def _event(client, headers, government_id: int, topic: str) -> int:  # noqa: ANN001
    body = {"government_id": government_id, "topic": topic, "provider": "cenan", "start_date": "2008-08-05"}
    created = client.post(TRAINING, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def test_scoped_page_reach_filters_pages_and_constant_statements(app, client, people, api_token, govs):
    region = _bearer(api_token, people["team"])
    amarilis = _bearer(api_token, people["amarilis_team"])
    cusco = _bearer(api_token, people["cusco"])
    ours = [_event(client, amarilis, govs["amarilis"], f"Taller {n}") for n in range(2)]
    regional = _event(client, region, govs["huanuco"], "Taller regional")
    _event(client, cusco, govs["cusco"], "Taller del Cusco")

    listed = client.get(TRAINING, headers=region).get_json()
    assert {e["id"] for e in listed["items"]} == {*ours, regional}  # Cusco's is out of reach
    assert listed["total"] == 3 and listed["pages"] == 1
    only = client.get(f"{TRAINING}?government_id={govs['amarilis']}", headers=region).get_json()
    assert sorted(e["id"] for e in only["items"]) == sorted(ours)
    paged = client.get(f"{TRAINING}?per_page=2&page=2", headers=region).get_json()
    assert (paged["page"], paged["pages"], len(paged["items"])) == (2, 2, 1)
    refused = client.get(f"{TRAINING}?government_id=uno", headers=region)
    assert refused.status_code == 400 and "government_id" in refused.get_json()["error"]["message"]
    assert client.get(f"{TRAINING}?gobierno=1", headers=region).status_code == 400  # undeclared filter

    def statements() -> int:
        with app.app_context(), QueryCounter(db.engine) as counter:
            assert client.get(TRAINING, headers=region).status_code == 200
        return counter.count

    before = statements()
    for n in range(6):
        _event(client, amarilis, govs["amarilis"], f"Más talleres {n}")
    assert statements() == before


def test_json_object_refuses_a_missing_body_and_keeps_the_path_ids(app, client, people, api_token):
    headers = _bearer(api_token, people["team"])
    empty = client.post(TRAINING, headers=headers)
    assert empty.status_code == 400
    assert empty.get_json()["error"]["message"] == "El cuerpo debe ser un objeto JSON."
    as_text = client.post(TRAINING, data="government_id=1", headers=headers, content_type="text/plain")
    assert as_text.status_code == 400
    not_an_object = client.post(TRAINING, json=[1, 2], headers=headers)
    assert not_an_object.status_code == 400  # core.validation, before the view
