"""Participant governments of a case (DESIGN §11): read and act on their part through core.security.

A generic case of the Huánuco region names Amarilis as its counterpart; a test workflow lets the
counterpart's coordinator accept it (``party: counterpart``). Another municipality of the region
(Ambo) gets 404; the participant cannot edit the owner's fields; its auditor reads only.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.cases import CaseError, add_participant
from core.extensions import db
from core.models import Case, Government, WorkflowDefinition
from core.testing import csrf_from, generic_case, login, logout, transition, version_of
from core.workflow import _cache_clear

PARTY_WORKFLOW = """
id: party_test
initial: draft
states:
  draft:    {label: Borrador, edit: [team, coordinator]}
  offered:  {label: Ofrecido, edit: [coordinator]}
  accepted: {label: Aceptado, edit: [], final: true}
transitions:
  offer:  {label: Ofrecer, from: [draft], to: offered, roles: [coordinator]}
  accept: {label: Aceptar, from: [offered], to: accepted, roles: [coordinator], party: counterpart}
"""


@pytest.fixture
def party_case(app, govs):  # noqa: ANN001, ANN201
    """The region's case with Amarilis as counterpart; the test workflow is removed afterwards
    (workflow definitions are reference rows the test harness keeps)."""
    with app.app_context():
        db.session.add(WorkflowDefinition(id="party_test", owner="core", source=PARTY_WORKFLOW, shipped_checksum="-"))
        case = generic_case(govs["huanuco"], title="Acuerdo con Amarilis")
        case.workflow_id = "party_test"
        add_participant(case, db.session.get(Government, govs["amarilis"]), "counterpart")
        db.session.commit()
        case_id = case.id
    yield case_id
    with app.app_context():
        db.session.execute(WorkflowDefinition.__table__.delete().where(WorkflowDefinition.id == "party_test"))
        db.session.commit()
        _cache_clear()


@pytest.fixture
def ambo(app) -> int:  # noqa: ANN001
    """Another municipality of the region: the provincial municipality of Ambo."""
    with app.app_context():
        return db.session.scalar(
            select(Government.id).where(Government.kind == "provincial", Government.ubigeo == "100200")
        )


def test_participant_coordinator_reads_and_accepts_its_part(app, client, people, party_case):  # noqa: ANN001
    people.login(client, "amarilis_coord")
    page = client.get(f"/expedientes/{party_case}")
    assert page.status_code == 200 and "Gobiernos participantes" in page.get_data(as_text=True)
    assert "Acuerdo con Amarilis" in client.get("/expedientes/").get_data(as_text=True)
    # Not yet offered: the counterpart's transition does not leave "draft".
    assert transition(client, app, party_case, "accept").status_code == 303
    people.login(client, "coord")
    assert transition(client, app, party_case, "offer").status_code == 303
    # The owner's coordinator cannot accept on the counterpart's behalf.
    assert transition(client, app, party_case, "accept").status_code == 403
    people.login(client, "amarilis_coord")
    assert transition(client, app, party_case, "accept").status_code == 303
    with app.app_context():
        assert db.session.get(Case, party_case).state == "accepted"


def test_participant_cannot_edit_the_owners_fields(app, client, people, party_case):  # noqa: ANN001
    people.login(client, "amarilis_coord")
    assert client.get(f"/expedientes/{party_case}/editar").status_code == 403
    token = csrf_from(client, f"/expedientes/{party_case}")
    response = client.post(
        f"/expedientes/{party_case}/editar",
        data={"csrf_token": token, "version": version_of(app, party_case), "title": "Cambiado"},
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Case, party_case).title == "Acuerdo con Amarilis"


def test_another_municipality_gets_404(app, client, make_user, api_token, party_case, ambo):  # noqa: ANN001
    user = make_user("coord@ambo.pe", ("coordinator", ambo))
    login(client, "coord@ambo.pe")
    assert client.get(f"/expedientes/{party_case}").status_code == 404
    assert "Acuerdo con Amarilis" not in client.get("/expedientes/").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {api_token(user)}"}
    assert client.get(f"/api/v1/cases/{party_case}", headers=headers).status_code == 404
    listed = client.get("/api/v1/cases", headers=headers).get_json()
    assert party_case not in [c["id"] for c in listed["items"]]


def test_participant_auditor_reads_only(app, client, make_user, api_token, people, govs, party_case):  # noqa: ANN001
    people.login(client, "coord")
    transition(client, app, party_case, "offer")
    logout(client)
    auditor = make_user("auditor@amarilis.pe", ("auditor", govs["amarilis"]))
    login(client, "auditor@amarilis.pe")
    assert client.get(f"/expedientes/{party_case}").status_code == 200
    assert transition(client, app, party_case, "accept").status_code == 403
    headers = {"Authorization": f"Bearer {api_token(auditor)}"}
    assert client.get(f"/api/v1/cases/{party_case}", headers=headers).status_code == 200
    response = client.post(f"/api/v1/cases/{party_case}/transitions/accept", json={}, headers=headers)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Case, party_case).state == "offered"


def test_owner_and_duplicates_are_refused(app, govs, party_case):  # noqa: ANN001
    with app.app_context():
        case = db.session.get(Case, party_case)
        with pytest.raises(CaseError):
            add_participant(case, db.session.get(Government, govs["huanuco"]))
        with pytest.raises(CaseError):
            add_participant(case, db.session.get(Government, govs["amarilis"]))
        db.session.rollback()
