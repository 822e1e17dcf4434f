"""Case engine through the app: create, edit with version check, transitions, workflow edits, custom fields."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.extensions import db
from core.models import Case, CaseTransition, CustomField, WorkflowDefinition
from tests.conftest import csrf_from, login


def _create_generic(client, gov_id: int, title: str = "Expediente de prueba", **extra) -> int:
    token = csrf_from(client, "/expedientes/nuevo?tipo=generic")
    data = {"csrf_token": token, "government": gov_id, "year": 2008, "stage": "diagnosis", "title": title, **extra}
    response = client.post("/expedientes/nuevo?tipo=generic", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _transition(client, case_id: int, name: str, **extra):
    token = csrf_from(client, f"/expedientes/{case_id}")
    return client.post(f"/expedientes/{case_id}/transiciones/{name}", data={"csrf_token": token, **extra})


def test_case_lifecycle_through_the_web(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.state == "draft" and case.reference == "EXP-0001-2008-GRH" and case.version == 1
    page = client.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "EXP-0001-2008-GRH" in page and "Expediente de prueba" in page

    # the team cannot approve; it can submit
    response = _transition(client, case_id, "approve")
    assert response.status_code == 403
    assert _transition(client, case_id, "submit").status_code == 303
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "coord@huanuco.pe")
    # "return" requires a comment: refused without one, state unchanged
    _transition(client, case_id, "return")
    with app.app_context():
        assert db.session.get(Case, case_id).state == "in_review"
    _transition(client, case_id, "approve")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.state == "approved"
        history = db.session.scalars(select(CaseTransition).where(CaseTransition.case_id == case_id)).all()
        assert [(h.from_state, h.to_state) for h in history] == [("draft", "in_review"), ("in_review", "approved")]


def test_stale_edit_is_refused_and_nothing_lost(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    page = client.get(f"/expedientes/{case_id}/editar").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    first = client.post(f"/expedientes/{case_id}/editar", data={"csrf_token": token, "version": "1", "title": "Uno"})
    assert first.status_code == 302
    stale = client.post(f"/expedientes/{case_id}/editar", data={"csrf_token": token, "version": "1", "title": "Dos"})
    assert stale.status_code == 409
    assert "Recargue" in stale.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.title == "Uno" and case.version == 2


def test_api_patch_conflict_is_409(app, client, make_user, govs, api_token):
    user = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(user)}"}
    created = client.post(
        "/api/v1/cases",
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "Por API",
            "stage": "operations",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]
    assert (
        client.patch(f"/api/v1/cases/{case_id}", json={"version": 1, "title": "A"}, headers=headers).status_code == 200
    )
    conflict = client.patch(f"/api/v1/cases/{case_id}", json={"version": 1, "title": "B"}, headers=headers)
    assert conflict.status_code == 409
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()["title"] == "A"
    # another region's team gets nothing
    other = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    assert (
        client.get(f"/api/v1/cases/{case_id}", headers={"Authorization": f"Bearer {api_token(other)}"}).status_code
        == 404
    )


def test_admin_adds_revision_legal_state_without_code(app, client, make_user, govs):
    make_user("admin@articula.pe", ("admin", None))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    login(client, "admin@articula.pe")
    with app.app_context():
        source = db.session.get(WorkflowDefinition, "generic").source
    new_source = source.replace(
        "  approve: {label: {es: Aprobar, en: Approve}, from: [in_review], to: approved,",
        "  legal:   {label: Enviar a revisión legal, from: [in_review], to: legal_review, roles: [coordinator]}\n"
        "  approve: {label: {es: Aprobar, en: Approve}, from: [legal_review], to: approved,",
    ).replace(
        "  approved:  {label:",
        "  legal_review: {label: Revisión legal, edit: [coordinator]}\n  approved:  {label:",
    )
    assert "legal_review" in new_source
    edit_url = "/admin/workflowdefinition/edit/?id=generic"
    token = csrf_from(client, edit_url)
    response = client.post(edit_url, data={"csrf_token": token, "source": new_source})
    assert response.status_code == 302
    with app.app_context():
        assert "Revisión legal" in db.session.get(WorkflowDefinition, "generic").source
    # an invalid edit is refused and the stored one kept
    bad = new_source.replace("to: approved,", "to: nowhere,")
    client.post(edit_url, data={"csrf_token": csrf_from(client, edit_url), "source": bad})
    with app.app_context():
        assert "to: nowhere" not in db.session.get(WorkflowDefinition, "generic").source
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "coord@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    for name in ("submit", "legal", "approve"):
        assert _transition(client, case_id, name).status_code == 303
    with app.app_context():
        states = [
            h.to_state
            for h in db.session.scalars(
                select(CaseTransition).where(CaseTransition.case_id == case_id).order_by(CaseTransition.id)
            )
        ]
        assert states == ["in_review", "legal_review", "approved"]
        # restore the shipped workflow for other tests
        row = db.session.get(WorkflowDefinition, "generic")
        row.source, row.edited = source, False
        db.session.commit()


def test_custom_field_in_form_api_and_validation(app, client, make_user, govs, api_token):
    make_user("admin@articula.pe", ("admin", None))
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "admin@articula.pe")
    token = csrf_from(client, "/admin/customfield/new/")
    response = client.post(
        "/admin/customfield/new/",
        data={
            "csrf_token": token,
            "case_type": "generic",
            "name": "monto_pip",
            "label": "Monto del PIP",
            "field_type": "money",
            "required": "y",
            "position": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    login(client, "equipo@huanuco.pe")
    assert "Monto del PIP" in client.get("/expedientes/nuevo?tipo=generic").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    bad = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "X",
            "stage": "operations",
            "custom": {"monto_pip": "12.345"},
        },
    )
    assert bad.status_code == 400 and "dos decimales" in bad.get_json()["error"]["message"]
    ok = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "X",
            "stage": "operations",
            "custom": {"monto_pip": "1200000"},
        },
    )
    assert ok.status_code == 201 and ok.get_json()["custom"]["monto_pip"] == "1200000.00"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "monto_pip" in spec["components"]["schemas"]["CaseCustom_generic"]["properties"]
    case_id = ok.get_json()["id"]
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    # …and in the admin: the details page and the CSV export carry the field, formatted
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "auditor@huanuco.pe")
    details = client.get(f"/admin/case/details/?id={case_id}").get_data(as_text=True)
    assert "Monto del PIP" in details and "S/ 1,200,000.00" in details
    export = client.get("/admin/case/export/csv/").get_data(as_text=True)
    header, *rows = export.splitlines()
    assert "Monto del PIP" in header and any("S/ 1,200,000.00" in row for row in rows)
    with app.app_context():
        assert db.session.scalar(select(CustomField).where(CustomField.name == "monto_pip")) is not None
