"""Every evaluation route by role: the region's team reads and writes its evaluation; its municipality and
another region get 404; the auditor reads and gets 403 on every write; every route is classified."""

from __future__ import annotations

from typing import Any

from core.testing import route_matrix
from tests.plugins.monitoring.evaluation import scoping


def test_every_evaluation_route_by_role(app: Any, client: Any, people: Any, api_token: Any, approved_plan: Any) -> None:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    case_id = client.post(scoping.API, json={"plan_id": approved_plan["plan"]}, headers=team).get_json()["id"]
    web, api = f"{scoping.WEB}/{case_id}", f"{scoping.API}/{case_id}"
    requests = [
        ("GET", f"{scoping.WEB}/"),
        ("GET", web),
        ("POST", web),
        ("GET", api),
        ("PATCH", api),
        ("PUT", f"{api}/appraisals/{approved_plan['result']}"),
        ("PUT", f"{api}/adjustments/{approved_plan['indicator']}"),
    ]

    def body(method: str, url: str) -> dict[str, Any]:
        from core.testing import version_of

        version = version_of(app, case_id)
        if url == web:
            return {"form": "lessons", "prefix": "", "version": version, "lessons": "Lección."}
        if url.endswith(f"/appraisals/{approved_plan['result']}"):
            return {"version": version, "efficacy": "Meta alcanzada."}
        if url.endswith(f"/adjustments/{approved_plan['indicator']}"):
            return {"version": version, "target": "20", "justification": "Razón."}
        return {"version": version, "lessons": "Lección."} if method != "GET" else {}

    result = route_matrix(
        client, people, ("team", "amarilis_team", "cusco", "auditor"), requests, data=body, api_token=api_token
    )
    assert result == {
        "team": [200, 200, 303, 200, 200, 200, 200],
        "amarilis_team": [200, 404, 404, 404, 404, 404, 404],
        "cusco": [200, 404, 404, 404, 404, 404, 404],
        "auditor": [200, 200, 403, 200, 403, 403, 403],
    }


def test_every_evaluation_route_is_classified(app: Any) -> None:
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("monitoring_evaluation.") or rule.rule.startswith(scoping.API)
    }
    assert rules == {r for r in scoping.ROUTES if not r.startswith("/admin/")}  # admin: test_admin.py
