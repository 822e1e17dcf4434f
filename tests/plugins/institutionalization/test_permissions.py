"""Who may do what, on pages, API and admin: the team edits its own government's body, the
coordinator approves, the auditor and the national supervisor read only, the region reads its
municipalities without writing, another region gets nothing (404, not even a confirmation)."""

from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from tests.conftest import csrf_from
from tests.plugins.institutionalization import scoping
from tests.plugins.institutionalization.conftest import make_body, make_ordinance, version_of

MEMBERS = [
    ("regional_president", "Ricardo Valdivia", {"role": "president"}),
    ("regional_offices", "Carmen Tello", {}),
]


@pytest.fixture
def records(app, govs) -> dict[str, int]:  # noqa: ANN001
    body = make_body(app, govs["huanuco"], MEMBERS, title="IAR de Huánuco")
    ordinance = make_ordinance(app, body)
    provincial = make_body(app, govs["huanuco_prov"], [("local_mayor", "Teodoro Ambrosio", {"role": "president"})])
    from plugins.institutionalization.models import ArticulationBody, Ordinance

    with app.app_context():
        members = [m.id for m in db.session.get(ArticulationBody, body).members]
        clauses = [c.id for c in db.session.get(Ordinance, ordinance).articles]
    return {
        "body": body,
        "ordinance": ordinance,
        "member": members[0],
        "member2": members[1],
        "clause": clauses[0],
        "clause2": clauses[1],
        "provincial": provincial,
    }


def _reads(client, r: dict[str, int]) -> list[int]:  # noqa: ANN001
    return [
        client.get(f"/expedientes/{r['body']}").status_code,
        client.get(f"/expedientes/{r['ordinance']}").status_code,
        client.get(f"/institucionalizacion/instancias/{r['body']}/relacion").status_code,
    ]


def _writes(client, app, r: dict[str, int]) -> list[int]:  # noqa: ANN001
    token = csrf_from(client, "/")
    body_version = version_of(app, r["body"])
    return [
        client.get(f"/institucionalizacion/instancias/{r['body']}/miembros/nuevo").status_code,
        client.post(
            f"/institucionalizacion/miembros/{r['member']}/eliminar",
            data={"csrf_token": token, "version": body_version},
        ).status_code,
        client.get(f"/institucionalizacion/clausulas/{r['clause']}/editar").status_code,
        client.post(
            f"/institucionalizacion/instancias/{r['body']}/ordenanza",
            data={"csrf_token": token, "version": body_version},
        ).status_code,
    ]


@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [
        ("team", [200, 200, 200], [200, 303, 200, 303]),
        ("auditor", [200, 200, 200], [403, 403, 403, 403]),
        ("national", [200, 200, 200], [403, 403, 403, 403]),
        ("cusco", [404, 404, 404], [404, 404, 404, 404]),
        ("prov_team", [404, 404, 404], [404, 404, 404, 404]),  # a province does not reach its region
    ],
)
def test_pages_by_role(app, client, people, records, who, reads, writes):
    people.login(client, who)
    assert _reads(client, records) == reads
    assert _writes(client, app, records) == writes


def test_region_reads_its_municipalities_without_writing(app, client, people, records):
    people.login(client, "team")
    assert client.get(f"/expedientes/{records['provincial']}").status_code == 200
    assert client.get(f"/institucionalizacion/instancias/{records['provincial']}/miembros/nuevo").status_code == 403
    index = client.get("/institucionalizacion/").get_data(as_text=True)
    assert "IAR de Huánuco" in index and "IA-001-2008-MPH" in index
    people.login(client, "cusco")
    index = client.get("/institucionalizacion/").get_data(as_text=True)
    assert "IAR de Huánuco" not in index and "IA-001-2008-MPH" not in index


def test_only_the_coordinator_approves(app, client, people, records):
    from tests.plugins.institutionalization.conftest import perform_as_admin, state_of, transition

    with app.app_context():
        from plugins.institutionalization.models import Ordinance

        o = db.session.get(Ordinance, records["ordinance"])
        o.number, o.session_date, o.approval_vote, o.approval_date = (
            "8",
            date(2008, 6, 26),
            "unanimous",
            date(2008, 6, 26),
        )
        db.session.commit()
    perform_as_admin(app, records["ordinance"], "submit")
    people.login(client, "team")
    assert transition(client, records["ordinance"], "approve").status_code == 403
    people.login(client, "auditor")
    assert transition(client, records["ordinance"], "approve").status_code == 403
    people.login(client, "cusco")
    assert transition(client, records["ordinance"], "approve").status_code == 404
    assert state_of(app, records["ordinance"]) == "in_review"
    people.login(client, "coord")
    assert transition(client, records["ordinance"], "approve").status_code == 303
    assert state_of(app, records["ordinance"]) == "approved"


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [("team", 200, 201), ("auditor", 200, 403), ("national", 200, 403), ("cusco", 404, 404)],
)
def test_api_by_role(app, client, people, api_token, records, who, read, write):
    headers = {"Authorization": f"Bearer {api_token(people[who])}"}
    base = "/api/v1/institutionalization"
    assert client.get(f"{base}/bodies/{records['body']}", headers=headers).status_code == read
    assert client.get(f"{base}/bodies/{records['body']}/members", headers=headers).status_code == read
    assert client.get(f"{base}/members/{records['member']}", headers=headers).status_code == read
    response = client.post(
        f"{base}/bodies/{records['body']}/members",
        json={
            "version": version_of(app, records["body"]),
            "full_name": "Carmen Tello",
            "category": "regional_offices",
            "active_from": "2008-03-01",
        },
        headers=headers,
    )
    assert response.status_code == write
    listing = client.get(f"{base}/bodies", headers=headers).get_json()
    ids = {item["id"] for item in listing["items"]}
    assert (records["body"] in ids) == (read == 200)


def test_admin_views_are_scoped_and_read_only(app, client, people, records):
    people.login(client, "auditor")
    for endpoint in scoping.ADMIN_VIEWS + scoping.REFERENCE_ADMIN_VIEWS:
        assert client.get(f"/admin/{endpoint}/").status_code == 200, endpoint
        assert client.get(f"/admin/{endpoint}/export/csv/").status_code == 200, endpoint
    page = client.get("/admin/inst_member/").get_data(as_text=True)
    assert "Ricardo Valdivia" in page and "Teodoro Ambrosio" in page
    assert client.get("/admin/inst_member/new/").status_code == 302
    people.login(client, "cusco")
    page = client.get("/admin/inst_member/").get_data(as_text=True)
    assert "Ricardo Valdivia" not in page
    page = client.get("/admin/inst_body/").get_data(as_text=True)
    assert "IAR de Huánuco" not in page
    assert client.get(f"/admin/inst_member/details/?id={records['member']}").status_code == 302
    # even an administrator changes members through the case pages, where the version is checked
    people.login(client, "admin")
    assert client.get("/admin/inst_member/").status_code == 200
    assert client.get(f"/admin/inst_member/edit/?id={records['member']}").status_code == 302
    # the categories are a catalog the administrator edits
    assert client.get("/admin/inst_member_category/new/").status_code == 200


def test_every_plugin_route_is_classified(app):
    """Pages and API endpoints, and the reads of the scoped admin views, are in scoping.py; nothing else
    (admin writes are administrators' only, checked by the core's matrix through scoping.ADMIN_VIEWS)."""
    rules = set()
    for rule in app.url_map.iter_rules():
        view, _, method = rule.endpoint.partition(".")
        if view == "institutionalization" or rule.rule.startswith(scoping.API):
            rules |= {(rule.rule, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
        elif view in scoping.ADMIN_VIEWS and method in ("index_view", "details_view", "export"):
            rules.add((rule.rule, "GET"))
    admin_reads = {(path, "GET") for path, kind in scoping.ROUTES.items() if kind == "plugin: scoped admin read"}
    assert rules == {(scoping.rule_of(t), m) for _, m, t in scoping.REQUESTS} | admin_reads
    views = {r.endpoint.partition(".")[0] for r in app.url_map.iter_rules() if r.rule.startswith("/admin/inst_")}
    assert views == set(scoping.ADMIN_VIEWS) | set(scoping.REFERENCE_ADMIN_VIEWS)


#: What each role gets on a record of the Huánuco region: reads, and writes (None: allowed — the
#: answer depends on the payload, but it is neither 403 nor 404).
MATRIX = {"team": (200, None), "auditor": (200, 403), "national": (200, 403), "cusco": (404, 404)}
#: What the team (allowed) gets on each write route, in the order scoping.REQUESTS sends them with the
#: matrix's scant payload: forms open (200), empty forms are refused (400), the web's version-less
#: posts redirect (303), the API's moves and deletes answer 200/201/204 or 409 where an earlier
#: request of the sequence already changed the record.
ALLOWED_WRITES = {
    ("GET", "/institucionalizacion/instancias/<int:case_id>/miembros/nuevo"): 200,
    ("POST", "/institucionalizacion/instancias/<int:case_id>/miembros/nuevo"): 400,
    ("GET", "/institucionalizacion/miembros/<int:member_id>/editar"): 200,
    ("POST", "/institucionalizacion/miembros/<int:member_id>/editar"): 400,
    ("GET", "/institucionalizacion/ordenanzas/<int:case_id>/clausulas/nueva"): 200,
    ("POST", "/institucionalizacion/ordenanzas/<int:case_id>/clausulas/nueva"): 400,
    ("GET", "/institucionalizacion/clausulas/<int:clause_id>/editar"): 200,
    ("POST", "/institucionalizacion/clausulas/<int:clause_id>/editar"): 400,
    ("POST", "/institucionalizacion/clausulas/<int:clause_id>/mover"): 303,
    ("POST", "/institucionalizacion/ordenanzas/<int:case_id>/actualizar-articulos"): 303,
    ("POST", "/institucionalizacion/instancias/<int:case_id>/ordenanza"): 303,
    ("PATCH", "/api/v1/institutionalization/bodies/<int:case_id>"): 400,
    ("POST", "/api/v1/institutionalization/bodies/<int:case_id>/members"): 400,
    ("PATCH", "/api/v1/institutionalization/members/<int:member_id>"): 400,
    ("POST", "/api/v1/institutionalization/bodies/<int:case_id>/ordinances"): 201,
    ("PATCH", "/api/v1/institutionalization/ordinances/<int:case_id>"): 400,
    ("POST", "/api/v1/institutionalization/ordinances/<int:case_id>/clauses"): 400,
    ("PATCH", "/api/v1/institutionalization/clauses/<int:clause_id>"): 400,
    ("POST", "/api/v1/institutionalization/clauses/<int:clause_id>/move"): 200,
    ("POST", "/api/v1/institutionalization/ordinances/<int:case_id>/refresh-articles"): 409,
    ("POST", "/institucionalizacion/clausulas/<int:clause_id>/eliminar"): 303,
    ("DELETE", "/api/v1/institutionalization/clauses/<int:clause_id>"): 409,
    ("POST", "/institucionalizacion/miembros/<int:member_id>/eliminar"): 303,
    ("DELETE", "/api/v1/institutionalization/members/<int:member_id>"): 204,
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_every_record_route_by_role(app, client, people, api_token, records, who):
    read, write = MATRIX[who]
    people.login(client, who)
    headers = {"Authorization": f"Bearer {api_token(people[who])}"}
    token = csrf_from(client, "/")
    for kind, method, template in scoping.REQUESTS:
        if kind in ("list", "reference"):
            continue
        url, rule = template.format(**records), scoping.rule_of(template)
        if url.startswith("/api/"):
            payload = {"version": version_of(app, records["body"]), "text": "X", "direction": "down"}
            response = client.open(url, method=method, json=payload, headers=headers)
        elif method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, "version": "0", "direction": "down"})
        expected = read if kind in ("read", "pdf") else write
        if expected is None:
            expected = ALLOWED_WRITES[method, rule]
        assert response.status_code == expected, (rule, method, response.status_code)
    from plugins.institutionalization.models import BodyMember, OrdinanceClause

    # what the deletions did: the web's posts carry version 0, so they are refused as stale (a flashed
    # conflict behind the 303) and keep their record; only the team's API delete of member2 took effect
    with app.app_context():
        kept = {
            key: db.session.get(BodyMember if key.startswith("member") else OrdinanceClause, records[key]) is not None
            for key in ("member", "member2", "clause", "clause2")
        }
    assert kept == {"member": True, "member2": who != "team", "clause": True, "clause2": True}, who
