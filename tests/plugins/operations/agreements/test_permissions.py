"""Route × role matrix of the agreements (core.testing.route_matrix): the region writes, the participant
municipality reads and acts only on its part, the province above it reads, another region gets 404,
auditors and the national supervisor read only and write nothing."""

from __future__ import annotations

from core.extensions import db
from core.models import User
from core.operations import run
from core.testing import csrf_from, route_matrix
from plugins.operations.agreements.models import Agreement

ROLES = ("coord", "team", "amarilis_coord", "prov_team", "cusco", "auditor", "national")


def _agreement(app, people, govs) -> int:  # noqa: ANN001
    with app.app_context():
        user = db.session.get(User, people["coord"])
        agreement = run(
            "operations.agreement.create",
            user,
            {
                "government_id": govs["huanuco"],
                "year": 2008,
                "title": "Convenio de Gestión con Amarilis",
                "start_date": "2008-07-01",
                "end_date": "2009-06-30",
                "counterparts": [govs["amarilis"]],
            },
        )
        return agreement.id


def test_route_role_matrix(app, client, people, govs, api_token):  # noqa: ANN001
    aid = _agreement(app, people, govs)
    requests = [
        ("GET", f"/operaciones/convenios/{aid}"),
        ("GET", f"/api/v1/operations/agreements/{aid}"),
        ("GET", "/operaciones/convenios/"),
        ("GET", f"/operaciones/convenios/{aid}/editar"),
        ("POST", f"/api/v1/operations/agreements/{aid}/supports"),
        ("POST", f"/operaciones/convenios/{aid}/aceptar"),
        ("GET", "/operaciones/"),
    ]

    def data(method: str, url: str) -> dict:
        return {"kind": "training", "description": "Taller de CRED"} if url.endswith("/supports") else {}

    result = route_matrix(client, people, ROLES, requests, data=data, api_token=api_token)
    assert result == {
        "coord": [200, 200, 200, 200, 201, 403, 200],
        "team": [200, 200, 200, 200, 201, 403, 200],
        # The participant reads; it may not edit the region's fields; accepting in "draft" is refused
        # with a message (the page redirects back to the agreement).
        "amarilis_coord": [200, 200, 200, 403, 403, 303, 200],
        "prov_team": [200, 200, 200, 403, 403, 403, 200],  # the province reaches its district's part, read-only
        "cusco": [404, 404, 200, 404, 404, 404, 200],
        "auditor": [200, 200, 200, 403, 403, 403, 200],
        "national": [200, 200, 200, 403, 403, 403, 200],
    }
    with app.app_context():
        assert len(db.session.get(Agreement, aid).supports) == 2  # the region's two, nobody else's


def test_admin_lists_in_scope_participants_included(app, client, people, govs):  # noqa: ANN001
    _agreement(app, people, govs)
    for who, shown in (("auditor", True), ("amarilis_coord", True), ("prov_team", True), ("cusco", False)):
        people.login(client, who)
        response = client.get("/admin/ops_agreement/")
        assert response.status_code == 200, who
        assert ("Convenio de Gestión con Amarilis" in response.get_data(as_text=True)) is shown, who
        token = csrf_from(client, "/")
        assert client.post("/admin/ops_agreement/new/", data={"csrf_token": token}).status_code == 403, who
