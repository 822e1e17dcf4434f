"""Submissions: a government sends issued documents to the level above; the 30 June rule; overview."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.deadlines.models import Deadline, DeadlineRule
from core.extensions import db
from core.models import Case, User
from core.models.submissions import Submission
from tests.conftest import csrf_from, login


def _issued_document(app, gov_id: int, email: str, title: str = "Plan de prueba") -> int:
    """A generic case of the government with its "Ficha del expediente" issued (a real PDF)."""
    from core.cases import case_types, create_case
    from core.documents import issue_document
    from core.models import Government
    from core.security import scope_for

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        case = create_case(
            case_types()["generic"],
            db.session.get(Government, gov_id),
            2026,
            title,
            user,
            scope_for(user),
            stage="diagnosis",
        )
        document = issue_document(case, "case_summary", user)
        db.session.commit()
        return document.id


def _send(client, gov_id: int, year: int, document_ids: list[int], rule: str = ""):
    path = f"/envios/nuevo?government={gov_id}&year={year}"
    token = csrf_from(client, path)
    return client.post(
        path,
        data={
            "csrf_token": token,
            "year": year,
            "rule": rule,
            "note": "Remitido",
            "documents": [str(i) for i in document_ids],
        },
    )


def test_regional_submission_to_st_cias_meets_the_30_june_rule(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("supervisor@stcias.pe", ("national", None))
    document_id = _issued_document(app, govs["huanuco"], "equipo@huanuco.pe")
    login(client, "equipo@huanuco.pe")

    response = _send(client, govs["huanuco"], 2027, [document_id], rule="core.regional_submission")
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.recipient_government_id is None  # the ST-CIAS
        assert re.fullmatch(r"ENV-2027-\d{6}", submission.receipt_number)
        assert submission.on_time is True and submission.due_date.isoformat() == "2027-06-30"
        assert [i.document_id for i in submission.items] == [document_id]
        rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "core.regional_submission"))
        deadline = db.session.scalar(
            select(Deadline).where(
                Deadline.rule_id == rule.id, Deadline.year == 2027, Deadline.government_id == govs["huanuco"]
            )
        )
        # SP 8: a document that is not the approved Plan Articulado does not meet the rule by itself
        assert deadline.met_at is None
        submission_id = submission.id
    page = client.get(f"/envios/{submission_id}").get_data(as_text=True)
    assert "ST-CIAS" in page and "30 de junio de 2027" in page
    assert "Aún no se cumple el plazo del 30 de junio: falta enviar: Plan Articulado Regional 2027 aprobado" in page

    # a submission for 2026, sent after its 30 June, is recorded; the rule is still not met
    assert _send(client, govs["huanuco"], 2026, [document_id]).status_code == 302
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "supervisor@stcias.pe")
    overview = client.get("/envios/?view=national&year=2026").get_data(as_text=True)
    huanuco_row = re.search(r"Gobierno Regional de Huánuco</td><td class=\"submission-(\w+)\"", overview)
    cusco_row = re.search(r"Gobierno Regional de Cusco</td><td class=\"submission-(\w+)\"", overview)
    assert huanuco_row.group(1) == "overdue" and cusco_row.group(1) == "overdue"
    received = client.get("/envios/?view=received&year=2027").get_data(as_text=True)
    assert "ENV-2027-" in received
    token = csrf_from(client, f"/envios/{submission_id}")
    assert client.post(f"/envios/{submission_id}/recibido", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Submission, submission_id).received_at is not None


def test_local_submission_goes_to_its_region_and_stays_in_scope(app, client, make_user, govs):
    make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    document_id = _issued_document(app, govs["amarilis"], "equipo@amarilis.pe")
    login(client, "equipo@amarilis.pe")
    assert _send(client, govs["amarilis"], 2026, [document_id]).status_code == 302
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.recipient_government_id == govs["huanuco"] and submission.rule_key is None
        submission_id = submission.id
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "coord@huanuco.pe")
    assert "Municipalidad Distrital de Amarilis" in client.get("/envios/?view=received&year=2026").get_data(
        as_text=True
    )
    assert client.get(f"/envios/{submission_id}").status_code == 200
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "equipo@cusco.pe")
    assert client.get(f"/envios/{submission_id}").status_code == 404
    assert "ENV-2026" not in client.get("/envios/?view=received&year=2026").get_data(as_text=True)


def test_bad_submissions_change_nothing(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    auditor = make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    own = _issued_document(app, govs["huanuco"], "equipo@huanuco.pe")
    foreign = _issued_document(app, govs["cusco"], "equipo@cusco.pe")
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    body = {"government_id": govs["huanuco"], "year": 2026}

    no_documents = client.post("/api/v1/submissions", json={**body, "document_ids": []}, headers=headers)
    assert no_documents.status_code == 400 and "al menos un documento" in no_documents.get_json()["error"]["message"]
    other = client.post("/api/v1/submissions", json={**body, "document_ids": [own, foreign]}, headers=headers)
    assert other.status_code == 400 and "propio gobierno" in other.get_json()["error"]["message"]
    bad_rule = client.post(
        "/api/v1/submissions", json={**body, "document_ids": [own], "rule": "no.existe"}, headers=headers
    )
    assert bad_rule.status_code == 400
    by_auditor = client.post(
        "/api/v1/submissions",
        json={**body, "document_ids": [own]},
        headers={"Authorization": f"Bearer {api_token(auditor)}"},
    )
    assert by_auditor.status_code == 403
    cusco = client.post(
        "/api/v1/submissions",
        json={"government_id": govs["cusco"], "year": 2026, "document_ids": [foreign]},
        headers=headers,
    )
    assert cusco.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Submission.id)) is None

    ok = client.post("/api/v1/submissions", json={**body, "document_ids": [own]}, headers=headers)
    assert ok.status_code == 201 and ok.get_json()["recipient"] == "ST-CIAS"
    assert client.get("/api/v1/submissions/overview?year=2026", headers=headers).status_code == 403


def test_superseded_document_cannot_be_sent(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    first = _issued_document(app, govs["huanuco"], "equipo@huanuco.pe")
    from core.documents import issue_document

    with app.app_context():
        case = db.session.scalar(select(Case))
        user = db.session.get(User, team)
        second = issue_document(case, "case_summary", user)
        db.session.commit()
        assert second.supersedes_id == first
    response = client.post(
        "/api/v1/submissions",
        json={"government_id": govs["huanuco"], "year": 2026, "document_ids": [first]},
        headers={"Authorization": f"Bearer {api_token(team)}"},
    )
    assert response.status_code == 400 and "reemplazado" in response.get_json()["error"]["message"]
