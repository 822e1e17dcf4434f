"""Every route of the sessions by role (scoping.py): the region's team reads and writes its sessions,
its municipality and another region get 404, the auditor reads and gets 403 on every write."""

from __future__ import annotations

from core.testing import route_matrix
from tests.plugins.operations.sessions import scoping


def test_every_session_route_by_role(app, client, people, api_token, instancia):  # noqa: ANN001
    m = instancia["members"]
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    session = client.post(
        f"{scoping.API}/sessions",
        json={"body_id": instancia["body_id"], "number": 1, "session_date": "2008-04-15"},
        headers=team,
    ).get_json()
    agreement = client.post(
        f"{scoping.API}/sessions/{session['id']}/agreements",
        json={"text": "Acuerdo", "responsible_id": m["Carmen Tello Alvarado"], "due_date": "2008-06-30"},
        headers=team,
    ).get_json()
    records = {"session": session["id"], "agreement": agreement["id"]}
    valid = {
        f"{scoping.WEB}/nueva": {"body_id": instancia["body_id"], "number": 9, "session_date": "2008-09-01"},
        f"{scoping.API}/sessions": {"body_id": instancia["body_id"], "number": 9, "session_date": "2008-09-01"},
        f"{scoping.WEB}/{session['id']}/acuerdos": {
            "text": "Otro acuerdo",
            "responsible_id": m["Carmen Tello Alvarado"],
            "due_date": "2008-07-30",
        },
        f"{scoping.API}/sessions/{session['id']}/agreements": {
            "text": "Otro acuerdo",
            "responsible_id": m["Carmen Tello Alvarado"],
            "due_date": "2008-07-30",
        },
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


def test_every_session_route_is_classified(app):  # noqa: ANN001
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("operations_sessions.") or rule.rule.startswith(scoping.API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(scoping.rule_of(t), m) for _, m, t in scoping.REQUESTS}
