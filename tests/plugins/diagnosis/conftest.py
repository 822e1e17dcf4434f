"""Helpers of the diagnosis plugin's tests: create cases through the web, post child-record forms
with the case version and a CSRF token taken from a page, render the plugin's documents' HTML."""

from __future__ import annotations

from typing import Any

import pytest

from core.extensions import db
from core.models import Case
from tests.conftest import csrf_from, login


def create_case_web(client: Any, tipo: str, gov_id: int, title: str = "Caso de prueba", **fields: Any) -> int:
    path = f"/expedientes/nuevo?tipo={tipo}"
    data = {"csrf_token": csrf_from(client, path), "government": gov_id, "year": 2008, "title": title, **fields}
    response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def version_of(app: Any, case_id: int) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).version


def post_form(client: Any, app: Any, case_id: int, url: str, data: dict[str, Any] | None = None, **kwargs: Any):
    """POST a plugin form the way the browser does: CSRF token from the case page, current version."""
    token = csrf_from(client, f"/expedientes/{case_id}")
    payload = {"csrf_token": token, "version": str(version_of(app, case_id)), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def transition(client: Any, app: Any, case_id: int, name: str, comment: str | None = None):
    token = csrf_from(client, f"/expedientes/{case_id}")
    data = {"csrf_token": token, "version": str(version_of(app, case_id))}
    if comment:
        data["comment"] = comment
    return client.post(f"/expedientes/{case_id}/transiciones/{name}", data=data)


def logout(client: Any) -> None:
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})


def relogin(client: Any, email: str) -> None:
    logout(client)
    login(client, email)


def render_document_html(app: Any, case_id: int, key: str) -> str:
    """The document's HTML as core.documents renders it for the PDF."""
    from core.documents import render_html, spec_for

    with app.test_request_context():
        case = db.session.get(Case, case_id)
        return render_html(case, spec_for(case, key))


@pytest.fixture
def regional_team(make_user, govs, client):  # noqa: ANN001, ANN201
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    return client


def installed_body(app: Any, gov_id: int, year: int = 2008) -> int:
    """An installed Instancia de Articulación in the government (plans are approved by one).

    Set up as fixture data: its installation path (ordinance, constitution, installation) is
    tested in the institutionalization plugin; here only its state matters."""
    from core.cases import case_types, create_case
    from core.models import Government
    from core.security import scope_for_cli

    with app.app_context():
        body = create_case(
            case_types()["articulation_body"],
            db.session.get(Government, gov_id),
            year,
            "Instancia de Articulación",
            None,
            scope_for_cli(None),
        )
        db.session.flush()
        body._transition_in_progress = True  # the engine's own flag: a state set up for the test
        body.state = "installed"
        body._transition_in_progress = False
        db.session.commit()
        return body.id
