"""The regional team's whole path in the web UI: constitute the IAR, record members, approve and
publish the ordinance, install the body."""

from __future__ import annotations

from core.extensions import db
from tests.plugins.institutionalization.conftest import (
    edit_case,
    regional_body_with_members,
    state_of,
    transition,
)


def test_regional_team_constitutes_installs_and_publishes(app, client, people, govs):
    from plugins.institutionalization.models import Ordinance

    people.login(client, "team")
    body_id = regional_body_with_members(client, app, govs)
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    assert "Luis Alberto Picón Quedo" in page and "Composición" in page or "Composition" in page

    # the team drafts the ordinance from the body: pre-filled
    from tests.conftest import csrf_from

    token = csrf_from(client, f"/expedientes/{body_id}")
    from tests.plugins.institutionalization.conftest import case_id_from, version_of

    response = client.post(
        f"/institucionalizacion/instancias/{body_id}/ordenanza",
        data={"csrf_token": token, "version": version_of(app, body_id), "instrument": "ordinance"},
    )
    ordinance_id = case_id_from(response)
    with app.app_context():
        ordinance = db.session.get(Ordinance, ordinance_id)
        assert ordinance.considerings and ordinance.articles
        assert ordinance.visto
    response = edit_case(client, app, ordinance_id, number="8", session_date="2008-06-26", approval_vote="unanimous")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        assert db.session.get(Ordinance, ordinance_id).number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"
    assert transition(client, ordinance_id, "submit").status_code == 303
    people.login(client, "coord")
    response = edit_case(client, app, ordinance_id, approval_date="2008-06-26")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "approved", client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    edit_case(
        client,
        app,
        ordinance_id,
        promulgation_date="2008-06-30",
        publication_date="2008-07-02",
        publication_medium="Diario Oficial El Peruano",
    )
    transition(client, ordinance_id, "publish")
    assert state_of(app, ordinance_id) == "published"
    transition(client, body_id, "constitute")
    assert state_of(app, body_id) == "constituted"
    edit_case(
        client,
        app,
        body_id,
        installation_date="2008-07-10",
        installation_place="Sede central del Gobierno Regional de Huánuco",
    )
    transition(client, body_id, "install")
    assert state_of(app, body_id) == "installed"
