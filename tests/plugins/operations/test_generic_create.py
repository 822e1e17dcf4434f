"""Bug (issue 11): the operations' own record types (convenio, session, training event, communication plan) were
offered on the core's generic "new case" page, where creating one failed (their own fields — parties, dates, a
provider — are not on that form). A case type now names its own create page (``CaseType.create_endpoint``): the
inbox and the cycle page link there, the generic page sends the user there and creates nothing, and
POST /api/v1/cases refuses such a type with a clear message."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.models import Case
from core.testing import csrf_from

OWN_PAGES = {
    "agreement": "/operaciones/convenios/nuevo",
    "instancia_session": "/operaciones/sesiones/nueva",
    "training_event": "/operaciones/capacitacion/eventos/nuevo",
    "communication_plan": "/operaciones/capacitacion/planes/nuevo",
}


def _cases(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_the_generic_page_sends_own_types_to_their_page_and_creates_nothing(app, client, people, govs):  # noqa: ANN001
    people.login(client, "coord")
    for key, own in OWN_PAGES.items():
        response = client.get(f"/expedientes/nuevo?tipo={key}")
        assert response.status_code == 303 and response.headers["Location"].endswith(own), key
        assert client.get(own).status_code == 200, own
    token = csrf_from(client, "/expedientes/nuevo")
    posted = client.post(
        "/expedientes/nuevo?tipo=training_event",
        data={"csrf_token": token, "government": govs["huanuco"], "year": "2026", "title": "Taller"},
    )
    assert posted.status_code == 303 and _cases(app) == 0
    assert client.get("/expedientes/nuevo?tipo=generic").status_code == 200  # the generic type keeps its form

    inbox = client.get("/expedientes/").get_data(as_text=True)
    cycle = client.get(f"/ciclos/{govs['huanuco']}/2026").get_data(as_text=True)
    for page in (inbox, cycle):
        assert 'href="/operaciones/convenios/nuevo"' in page
        assert "tipo=agreement" not in page and "tipo=training_event" not in page
        assert "tipo=generic" in page


def test_the_api_refuses_own_types_and_says_which_are_generic(app, client, people, govs, api_token):  # noqa: ANN001
    headers = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    body = {"type": "training_event", "government_id": govs["huanuco"], "year": 2026, "title": "Taller"}
    refused = client.post("/api/v1/cases", json=body, headers=headers)
    assert refused.status_code == 400
    assert (
        "training_event" in refused.get_json()["error"]["message"]
        and "propio" in refused.get_json()["error"]["message"]
    )
    assert _cases(app) == 0
    types = {t["key"]: t["generic_create"] for t in client.get("/api/v1/case-types", headers=headers).get_json()}
    assert types["generic"] is True and types["articulated_plan"] is True
    assert not any(types[key] for key in OWN_PAGES)
    created = client.post("/api/v1/cases", json={**body, "type": "generic", "stage": "operations"}, headers=headers)
    assert created.status_code == 201, created.get_json()
