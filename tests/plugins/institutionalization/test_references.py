"""No existence leak through messages (core.references): an ordinance's Instancia, a case's or a
submission's government set to another region's id answers exactly like an id that does not exist."""

from __future__ import annotations

from tests.plugins.institutionalization.conftest import make_body

BASE = "/api/v1/institutionalization"
MISSING = 2_000_000_000  # within the id range, names nothing


def answer(response) -> tuple[int, str]:  # noqa: ANN001
    return response.status_code, response.get_json()["error"]["message"]


def test_ordinance_body_of_another_region_reads_like_a_missing_one(app, client, people, api_token, govs):
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    body_id = make_body(app, govs["huanuco"])
    cusco_body = make_body(app, govs["cusco"])
    created = client.post(f"{BASE}/bodies/{body_id}/ordinances", json={"year": 2008}, headers=team)
    assert created.status_code == 201, created.get_json()
    ordinance_id = created.get_json()["id"]

    def patch(value: int):  # noqa: ANN202
        version = client.get(f"/api/v1/cases/{ordinance_id}", headers=team).get_json()["version"]
        return client.patch(
            f"{BASE}/ordinances/{ordinance_id}", json={"version": version, "body_id": value}, headers=team
        )

    foreign, missing = answer(patch(cusco_body)), answer(patch(MISSING))
    assert foreign == missing
    assert foreign[0] == 400
    assert "«body_id» no corresponde a un registro existente a su alcance." in foreign[1]
    assert "otro gobierno" not in foreign[1]


def test_case_and_submission_government_out_of_reach_reads_like_a_missing_one(client, people, api_token, govs):
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    case = {"type": "generic", "year": 2008, "title": "X", "stage": "diagnosis"}
    foreign = answer(client.post("/api/v1/cases", json={**case, "government_id": govs["cusco"]}, headers=team))
    missing = answer(client.post("/api/v1/cases", json={**case, "government_id": MISSING}, headers=team))
    assert foreign == missing == (404, "«government_id» no corresponde a un registro existente a su alcance.")
    submission = {"year": 2008, "document_ids": [1]}
    foreign = answer(
        client.post("/api/v1/submissions", json={**submission, "government_id": govs["cusco"]}, headers=team)
    )
    missing = answer(client.post("/api/v1/submissions", json={**submission, "government_id": MISSING}, headers=team))
    assert foreign == missing == (404, "«government_id» no corresponde a un registro existente a su alcance.")
