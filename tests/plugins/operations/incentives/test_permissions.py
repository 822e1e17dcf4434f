"""Every route of the contests by role (scoping.py): the region's team reads and writes its contest, a
municipality that has not applied and another region get 404, the auditor reads and gets 403 on every
write, and a juror's acts (declaration, scores) are refused to whoever is not a juror."""

from __future__ import annotations

from core.testing import route_matrix
from tests.plugins.operations.incentives import scoping

CONTEST = {
    "title": "Concurso de prueba",
    "purpose": "Reconocer buenas prácticas.",
    "eligibility": "Municipalidades y organizaciones comunales de la región.",
    "budget_cap": "10000",
    "reception_deadline": "2008-09-30",
    "evaluation_deadline": "2008-10-31",
    "results_date": "2008-11-14",
}


def test_every_contest_route_by_role(app, client, people, govs, api_token):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    contest = client.post(scoping.API, json={"government_id": govs["huanuco"], **CONTEST}, headers=team).get_json()
    cid = contest["id"]
    criteria = [{"name": "Resultados", "weight": 60}, {"name": "Articulación", "weight": 40}]
    response = client.put(
        f"{scoping.API}/{cid}/criteria", json={"version": contest["version"], "criteria": criteria}, headers=team
    )
    assert response.status_code == 200, response.get_json()
    version = response.get_json()["version"]
    prizes = [{"description": "Primer puesto", "amount": "5000"}]
    response = client.put(f"{scoping.API}/{cid}/prizes", json={"version": version, "prizes": prizes}, headers=team)
    assert response.status_code == 200, response.get_json()
    response = client.post(f"/api/v1/cases/{cid}/transitions/call", json={}, headers=coord)
    assert response.status_code == 200, response.get_json()
    application = client.post(
        f"{scoping.API}/{cid}/applications",
        json={
            "applicant_kind": "community_organization",
            "organization_name": "Comité de Vaso de Leche",
            "practice": "Sesiones demostrativas",
            "evidence": "Registro de asistencia.",
            "submitted_on": "2008-09-01",
        },
        headers=team,
    ).get_json()
    records = {"contest": cid, "application": application["id"]}
    valid = {
        f"{scoping.WEB}/nuevo": {"government_id": govs["huanuco"], **CONTEST},
        scoping.API: {"government_id": govs["huanuco"], **CONTEST},
        f"{scoping.API}/{cid}/jurors": {"email": "equipo@huanuco.pe"},
        f"{scoping.API}/applications/{application['id']}/scores": {"scores": {"1": 5}},
        f"{scoping.API}/{cid}/declaration": {"no_conflict": True},
    }
    requests = [(kind, method, template.format(**records)) for kind, method, template in scoping.REQUESTS]
    result = route_matrix(
        client,
        people,
        scoping.ROLES,
        [(method, url) for _, method, url in requests],
        data=lambda method, url: valid.get(url, {}) if method != "GET" else {},
        api_token=api_token,
    )
    wrong = [
        f"{role} {method} {url}: {status}"
        for role, statuses in result.items()
        for (kind, method, url), status in zip(requests, statuses, strict=True)
        if not scoping.allowed(kind, role, status)
    ]
    assert wrong == []


def test_every_contest_route_is_classified(app):  # noqa: ANN001
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("operations_contests.") or rule.rule.startswith(scoping.API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(scoping.rule_of(t), m) for _, m, t in scoping.REQUESTS}
