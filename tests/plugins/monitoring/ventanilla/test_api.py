"""The API: the public JSON submission and tracking without a token (same limits and refusals as the page), the
staff's registry and entry with personal data only for the holding office, and their place in the OpenAPI
document."""

from __future__ import annotations

from typing import Any

from tests.plugins.monitoring.ventanilla.conftest import AMARILIS

API = "/api/v1/ventanilla"


def test_public_json_submit_and_track(client: Any, offices: Any) -> None:
    sent = client.post(
        f"{API}/public/entries",
        json={"kind": "sugerencia", "place": AMARILIS, "description": "Más horarios de atención."},
    )
    assert sent.status_code == 201
    body = sent.get_json()
    assert body["status"] == "registered" and body["code"].startswith("VC-")
    tracked = client.get(f"{API}/public/entries/{body['code']}").get_json()
    assert tracked["status_label"] == "Registrada" and "name" not in tracked
    bad = client.post(
        f"{API}/public/entries", json={"kind": "consulta", "place": AMARILIS, "description": "", "dni": "12"}
    )
    assert bad.status_code == 400
    errors = bad.get_json()["error"]["fields"]
    assert "«Descripción» es obligatorio." in errors["description"] and "8 dígitos" in errors["dni"][0]
    assert client.get(f"{API}/public/entries/VC-2222-2222").status_code == 404


def test_public_json_is_rate_limited_per_address(client: Any, offices: Any) -> None:
    for _ in range(5):
        assert (
            client.post(
                f"{API}/public/entries", json={"kind": "consulta", "place": AMARILIS, "description": "Hola."}
            ).status_code
            == 201
        )
    flood = client.post(f"{API}/public/entries", json={"kind": "consulta", "place": AMARILIS, "description": "Hola."})
    assert flood.status_code == 429 and "Demasiadas entradas" in flood.get_json()["error"]["message"]


def test_staff_api_scopes_and_masks(client: Any, people: Any, api_token: Any, offices: Any) -> None:
    code = client.post(
        f"{API}/public/entries",
        json={
            "kind": "consulta",
            "place": AMARILIS,
            "description": "Hola.",
            "name": "Rosa Huamán Ccori",
            "consent": True,
        },
    ).get_json()["code"]

    def get(role: str, url: str) -> Any:
        return client.get(url, headers={"Authorization": f"Bearer {api_token(people[role])}"})

    listed = get("amarilis_team", f"{API}/entries?kind=consulta").get_json()
    assert [e["code"] for e in listed["items"]] == [code]
    entry_id = listed["items"][0]["id"]
    assert get("amarilis_team", f"{API}/entries/{entry_id}").get_json()["name"] == "Rosa Huamán Ccori"
    assert get("auditor", f"{API}/entries/{entry_id}").get_json()["name"] is None
    assert get("team", f"{API}/entries/{entry_id}").get_json()["name"] is None
    assert get("cusco", f"{API}/entries/{entry_id}").status_code == 404
    assert get("cusco", f"{API}/entries").get_json()["total"] == 0
    note = client.post(
        f"{API}/entries/{entry_id}/note",
        json={"text": "Revisado."},
        headers={"Authorization": f"Bearer {api_token(people['auditor'])}"},
    )
    assert note.status_code == 403


def test_the_endpoints_are_in_the_openapi_document(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {
        f"{API}/entries",
        f"{API}/entries/{{entry_id}}",
        f"{API}/entries/{{entry_id}}/{{action}}",
        f"{API}/public/entries",
        f"{API}/public/entries/{{code}}",
    } <= set(paths)
    assert "429" in paths[f"{API}/public/entries"]["post"]["responses"]
