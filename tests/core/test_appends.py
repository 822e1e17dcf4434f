"""Adding a child record conflicts with nobody (issue 13, point 12): two people who loaded the same
case both add their member or activity; the version check still guards edits of the case itself
and of an existing child. Through the pages and the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from core.extensions import db
from tests.conftest import csrf_from, login
from tests.plugins.institutionalization.conftest import category_id, edit_case, make_body, version_of


def _client(app, email: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, email)
    return client


def _members(app, body_id: int) -> list[str]:  # noqa: ANN001
    from plugins.institutionalization.models import BodyMember

    with app.app_context():
        return sorted(db.session.scalars(select(BodyMember.full_name).where(BodyMember.body_id == body_id)))


def _member_form(app, token: str, version: int, name: str) -> dict:  # noqa: ANN001
    return {
        "csrf_token": token,
        "version": version,
        "full_name": name,
        "category_id": category_id(app, "regional_officials"),
        "role": "member",
        "active_from": "2008-03-01",
        "institution_id": "",
    }


def test_two_people_add_members_from_the_same_page_and_a_stale_edit_still_conflicts(app, make_user, govs):
    make_user("ana@huanuco.pe", ("team", govs["huanuco"]))
    make_user("beto@huanuco.pe", ("team", govs["huanuco"]))
    body_id = make_body(app, govs["huanuco"])
    ana, beto = _client(app, "ana@huanuco.pe"), _client(app, "beto@huanuco.pe")
    # Both load the case page: same version, each with their form.
    seen = version_of(app, body_id)
    token_a, token_b = csrf_from(ana, f"/expedientes/{body_id}"), csrf_from(beto, f"/expedientes/{body_id}")
    url = f"/institucionalizacion/instancias/{body_id}/miembros/nuevo"
    first = ana.post(url, data=_member_form(app, token_a, seen, "Ana Ríos Salas"))
    second = beto.post(url, data=_member_form(app, token_b, seen, "Beto Cano Vela"))
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert second.status_code == 302, second.get_data(as_text=True)[:2000]
    assert _members(app, body_id) == ["Ana Ríos Salas", "Beto Cano Vela"]
    assert version_of(app, body_id) == seen  # appends leave the case row alone

    # An edit of a parent field is still checked against the version it was read at.
    assert edit_case(ana, app, body_id, title="Instancia Regional de Huánuco (editada)").status_code == 302
    assert version_of(app, body_id) > seen
    stale = {
        "csrf_token": csrf_from(beto, f"/expedientes/{body_id}/editar"),
        "title": "Otro título con la versión vieja",
        "version": seen,
        "origin": "new",
        "direction_kind": "technical_secretariat",
        "direction_unit": "Gerencia Regional de Desarrollo Social",
    }
    assert beto.post(f"/expedientes/{body_id}/editar", data=stale).status_code == 409

    # So is the edit of an existing child record with a stale version.
    from plugins.institutionalization.models import BodyMember

    with app.app_context():
        member_id = db.session.scalar(select(BodyMember.id).where(BodyMember.full_name == "Beto Cano Vela"))
    edit = _member_form(app, csrf_from(beto, f"/expedientes/{body_id}"), seen, "Beto Cano Vela de la Cruz")
    assert beto.post(f"/institucionalizacion/miembros/{member_id}/editar", data=edit).status_code == 409
    assert "Beto Cano Vela de la Cruz" not in _members(app, body_id)


def test_ten_concurrent_appends_all_succeed(app, make_user, govs, api_token):
    """Ten clients add members and plan activities at the same moment through the API: all 201."""
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    token = api_token(team)
    headers = {"Authorization": f"Bearer {token}"}
    body_id = make_body(app, govs["huanuco"])
    setup = app.test_client()
    created = setup.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    plan_id, version = created.get_json()["id"], created.get_json()["version"]
    result_id = created.get_json()["plan"]["results"][0]["id"]
    body_version = version_of(app, body_id)

    statuses: list[tuple[str, int, object]] = []
    barrier = threading.Barrier(20)

    def add_member(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/v1/institutionalization/bodies/{body_id}/members",
            json={
                "version": body_version,
                "full_name": f"Miembro Número {n}",
                "category": "regional_officials",
                "active_from": "2008-03-01",
            },
            headers=headers,
        )
        statuses.append(("member", response.status_code, response.get_json()))

    def add_activity(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/v1/plans/{plan_id}/results/{result_id}/activities",
            json={"version": version, "name": f"Actividad {n}", "budget": "100.00"},
            headers=headers,
        )
        statuses.append(("activity", response.status_code, response.get_json()))

    threads = [threading.Thread(target=add_member, args=(n,)) for n in range(10)]
    threads += [threading.Thread(target=add_activity, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == 20
    assert all(status == 201 for _kind, status, _body in statuses), [s for s in statuses if s[1] != 201]
    assert len(_members(app, body_id)) == 10
    from plugins.diagnosis.models import PlanActivity

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanActivity).where(
            PlanActivity.result_id == result_id)) == 10
