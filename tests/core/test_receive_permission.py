"""Receiving a submission is the receiver's act (core.security's ``receive``): the ST-CIAS (``national``) for
submissions to the national level, the regional team for submissions to a region; nobody else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models.submissions import Submission
from tests.conftest import csrf_from, login
from tests.core.test_submissions import _issued_document, _send


@pytest.fixture
def to_st_cias(app, client, make_user, govs) -> int:  # noqa: ANN001
    """A submission of the Huánuco region to the ST-CIAS, not yet received."""
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    document_id = _issued_document(app, govs["huanuco"], "equipo@huanuco.pe")
    sender = app.test_client()
    login(sender, "equipo@huanuco.pe")
    assert _send(sender, govs["huanuco"], 2027, [document_id]).status_code == 302
    with app.app_context():
        return db.session.scalar(select(Submission.id))


def received(app, submission_id: int) -> bool:  # noqa: ANN001
    with app.app_context():
        return db.session.get(Submission, submission_id).received_at is not None


def test_the_national_role_receives_through_the_web_and_sees_the_permission(app, client, make_user, to_st_cias):
    national = make_user("supervisor@stcias.pe", ("national", None))
    login(client, "supervisor@stcias.pe")
    token = csrf_from(client, f"/envios/{to_st_cias}")
    assert client.post(f"/envios/{to_st_cias}/recibido", data={"csrf_token": token}).status_code == 302
    assert received(app, to_st_cias)
    with app.app_context():
        assert db.session.get(Submission, to_st_cias).received_by_id == national


def test_the_national_role_receives_through_the_api(app, client, make_user, api_token, to_st_cias):
    headers = {"Authorization": f"Bearer {api_token(make_user('supervisor@stcias.pe', ('national', None)))}"}
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["permissions"] == ["read", "receive"]
    assert me["read_only"] is True  # it edits no record: receiving is its one write
    response = client.post(f"/api/v1/submissions/{to_st_cias}/receipt", headers=headers)
    assert response.status_code == 200 and response.get_json()["received_at"]


@pytest.mark.parametrize(
    ("email", "role", "government", "permissions", "refusal"),
    [  # refusal: 403 for whoever sees the submission, 404 for another region (it does not exist for it)
        ("auditor@articula.pe", "auditor", None, ["read"], 403),
        ("auditor@huanuco.pe", "auditor", "huanuco", ["read"], 403),
        ("coord@huanuco.pe", "coordinator", "huanuco", ["read", "edit", "approve", "receive"], 403),
        ("equipo@cusco.pe", "team", "cusco", ["read", "edit", "receive"], 404),
    ],
)
def test_nobody_else_receives_for_the_st_cias(
    app, client, make_user, govs, api_token, to_st_cias, email, role, government, permissions, refusal
):
    user = make_user(email, (role, govs[government] if government else None))
    headers = {"Authorization": f"Bearer {api_token(user)}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["permissions"] == permissions
    assert client.post(f"/api/v1/submissions/{to_st_cias}/receipt", headers=headers).status_code == refusal
    login(client, email)
    page = client.get(f"/envios/{to_st_cias}")
    if page.status_code == 200:
        token = csrf_from(client, f"/envios/{to_st_cias}")
    else:
        token = csrf_from(client, "/perfil")
    assert client.post(f"/envios/{to_st_cias}/recibido", data={"csrf_token": token}).status_code == refusal
    assert not received(app, to_st_cias)


def test_the_regional_team_receives_what_its_local_governments_send(app, client, make_user, govs, api_token):
    make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    document_id = _issued_document(app, govs["amarilis"], "equipo@amarilis.pe")
    login(client, "equipo@amarilis.pe")
    assert _send(client, govs["amarilis"], 2026, [document_id]).status_code == 302
    with app.app_context():
        submission_id = db.session.scalar(select(Submission.id))
    national = {"Authorization": f"Bearer {api_token(make_user('supervisor@stcias.pe', ('national', None)))}"}
    assert client.post(f"/api/v1/submissions/{submission_id}/receipt", headers=national).status_code == 403
    regional = {"Authorization": f"Bearer {api_token(make_user('equipo@huanuco.pe', ('team', govs['huanuco'])))}"}
    assert client.post(f"/api/v1/submissions/{submission_id}/receipt", headers=regional).status_code == 200
    assert received(app, submission_id)
