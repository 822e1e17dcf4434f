"""Every route of supervision and community monitoring by role (scoping.py): the region's team reads and
writes its visits, its municipality and another region get 404, the auditor reads and gets 403 on every
write; Amarilis's community records are read by the region, written only by Amarilis."""

from __future__ import annotations

from core.testing import route_matrix
from tests.plugins.monitoring.supervision import scoping
from tests.plugins.monitoring.supervision.conftest import days_ago, days_ahead, visit_body


def test_every_supervision_route_by_role(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    local = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    visit = client.post(f"{scoping.API}/visits", json=visit_body(govs, fichas), headers=team)
    assert visit.status_code == 201, visit.get_json()
    visit = visit.get_json()
    finding = client.post(
        f"{scoping.API}/visits/{visit['id']}/findings",
        json={"finding": "Falta el registro", "commitment": "Registrar", "due_date": days_ahead(20)},
        headers=team,
    ).get_json()
    organization_body = {
        "government_id": govs["amarilis"],
        "name": "Comité de Vigilancia de Llicua",
        "kind": "surveillance_committee",
        "ubigeo": "100102",
        "registered_on": days_ago(60),
    }
    organization = client.post(f"{scoping.COMMUNITY_API}/organizations", json=organization_body, headers=local)
    organization = organization.get_json()
    report_body = {
        "organization_id": organization["id"],
        "report_date": days_ago(5),
        "program": "Vaso de Leche",
        "ubigeo": "100102",
        "place": "Local comunal",
        "observation": "Entrega con retraso",
    }
    report = client.post(f"{scoping.COMMUNITY_API}/reports", json=report_body, headers=local).get_json()
    records = {
        "visit": visit["id"],
        "finding": finding["id"],
        "checklist": fichas["health_facility"]["id"],
        "organization": organization["id"],
        "report": report["id"],
        "government": govs["huanuco"],
    }
    valid = {
        f"{scoping.WEB}/visitas/nueva": visit_body(govs, fichas),
        f"{scoping.API}/visits": visit_body(govs, fichas),
        f"{scoping.API}/checklists/{fichas['health_facility']['id']}/issue": {"government_id": govs["huanuco"]},
        f"{scoping.API}/report/issue": {"government_id": govs["huanuco"]},
        f"{scoping.COMMUNITY_API}/reports": report_body,
        f"{scoping.COMMUNITY}/organizaciones/nueva": {**organization_body, "name": "Junta Vecinal de Paucarbamba"},
        f"{scoping.COMMUNITY_API}/organizations": {**organization_body, "name": "Club de Madres de Llicua"},
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


def test_every_supervision_route_is_classified(app):  # noqa: ANN001
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("monitoring_supervision.", "monitoring_community."))
        or rule.rule.startswith((scoping.API, scoping.COMMUNITY_API))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(scoping.rule_of(t), m) for _, m, t in scoping.REQUESTS}


def test_admin_lists_are_scoped(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    visit = client.post(f"{scoping.API}/visits", json=visit_body(govs, fichas), headers=team).get_json()
    client.post(
        f"{scoping.API}/visits/{visit['id']}/findings",
        json={"finding": "Hallazgo de Llicua", "commitment": "Compromiso", "due_date": days_ahead(5)},
        headers=team,
    )
    for role, sees in (("team", True), ("auditor", True), ("cusco", False), ("amarilis_team", False)):
        people.login(client, role)
        for view in ("mon_supervision_visit", "mon_visit_finding"):
            page = client.get(f"/admin/{view}/")
            assert page.status_code == 200, (role, view)
            assert (
                visit["reference"] in page.get_data(as_text=True) or "Hallazgo de Llicua" in page.get_data(as_text=True)
            ) == sees, (role, view)
