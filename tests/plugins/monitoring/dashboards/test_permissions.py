"""Every dashboards route by role (scoping.py): the region reads its own dashboards and reports, its
municipality and another region get 404, the national table is the ST-CIAS's (and auditors'), auditors
and the ST-CIAS write nothing (403)."""

from __future__ import annotations

from typing import Any

from core.testing import route_matrix
from tests.plugins.monitoring.dashboards import scoping


def test_every_dashboards_route_by_role(app: Any, client: Any, people: Any, api_token: Any, govs: Any) -> None:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    api = scoping.API
    report = client.post(
        f"{api}/quarterly-reports", json={"government_id": govs["huanuco"], "year": 2009, "quarter": 1}, headers=team
    ).get_json()
    records = {"region": govs["huanuco"], "report": report["id"]}
    quarters = iter(range(2, 5))

    def body(method: str, url: str) -> dict[str, Any]:
        if method == "GET":
            return {}
        if url.endswith("/nuevo") or url.endswith("/quarterly-reports"):
            return {"government_id": govs["huanuco"], "year": 2010, "quarter": next(quarters, 1)}
        from core.testing import version_of

        return {"version": version_of(app, report["id"]), "comments": "Comentario."}

    requests = [(method, template.format(**records)) for _, method, template, _ in scoping.REQUESTS]
    result = route_matrix(client, people, scoping.ROLES, requests, data=body, api_token=api_token)
    wrong = [
        f"{role} {method} {url}: {status} (expected {expected[role]})"
        for role, statuses in result.items()
        for (_kind, method, _t, expected), (_m, url), status in zip(scoping.REQUESTS, requests, statuses, strict=True)
        if status != expected[role]
    ]
    assert wrong == []


def test_every_dashboards_route_is_classified(app: Any) -> None:
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("monitoring_dashboards.")
        or rule.rule.startswith(f"{scoping.API}/dashboards")
        or rule.rule.startswith(f"{scoping.API}/quarterly-reports")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(scoping.rule_of(t), m) for _, m, t, _ in scoping.REQUESTS}
