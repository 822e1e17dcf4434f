"""Every training route by role (scoping.py): the region's team reads and writes its events and plans,
its municipality and another region get 404, the auditor reads and gets 403 on every write."""

from __future__ import annotations

from core.testing import route_matrix
from tests.plugins.operations.sessions.scoping import ROLES, allowed
from tests.plugins.operations.training import scoping


def test_every_training_route_by_role(app, client, people, api_token, govs):  # noqa: ANN001
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    event_body = {"government_id": govs["huanuco"], "topic": "Taller", "provider": "mef", "start_date": "2008-06-10"}
    plan_body = {"government_id": govs["huanuco"], "name": "Plan", "year": 2008}
    event = client.post(f"{scoping.API}/events", json=event_body, headers=team).get_json()
    plan = client.post(f"{scoping.API}/plans", json=plan_body, headers=team).get_json()
    records = {"event": event["id"], "plan": plan["id"]}
    action = {"kind": "campaign", "title": "Campaña", "start_date": "2008-09-01"}
    valid = {
        f"{scoping.WEB}/eventos/nuevo": {**event_body, "kind": "training"},
        f"{scoping.API}/events": event_body,
        f"{scoping.WEB}/planes/nuevo": plan_body,
        f"{scoping.API}/plans": plan_body,
        f"{scoping.WEB}/planes/{plan['id']}": {**action, "version": plan["version"]},
        f"{scoping.API}/plans/{plan['id']}/actions": action,
    }
    requests = [(kind, method, template.format(**records)) for kind, method, template in scoping.REQUESTS]
    result = route_matrix(
        client,
        people,
        ROLES,
        [(method, url) for _, method, url in requests],
        data=lambda method, url: valid.get(url, {}) if method != "GET" else {},
        api_token=api_token,
    )
    wrong = [
        f"{role} {method} {url}: {status}"
        for role, statuses in result.items()
        for (kind, method, url), status in zip(requests, statuses, strict=True)
        if not allowed(kind, role, status)
    ]
    assert wrong == []


def test_every_training_route_is_classified(app):  # noqa: ANN001
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("operations_training.") or rule.rule.startswith(scoping.API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(scoping.rule_of(t), m) for _, m, t in scoping.REQUESTS}
