"""Helpers of the diagnosis plugin's tests: create cases through the web and render the plugin's
documents' HTML; posting forms, transitions and logins come from the test kit (core/testing.py)."""

from __future__ import annotations

from typing import Any

import pytest

from core.extensions import db
from core.models import Case
from core.testing import csrf_from, login, logout, post_form, relogin, transition, version_of  # noqa: F401


def create_case_web(client: Any, tipo: str, gov_id: int, title: str = "Caso de prueba", **fields: Any) -> int:
    path = f"/expedientes/nuevo?tipo={tipo}"
    data = {"csrf_token": csrf_from(client, path), "government": gov_id, "year": 2008, "title": title, **fields}
    response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


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
