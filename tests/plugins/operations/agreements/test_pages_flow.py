"""Through the pages: the region drafts a convenio with two municipalities, each coordinator accepts on its
side (the last acceptance makes it «Acordado»), the region signs and starts it, a municipality files its
evidence and reports progress, the region evaluates it (Informe de Evaluación) and resolves another."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import KeyIndicator, User
from core.models.attachments import Attachment
from core.operations import run
from core.testing import csrf_from, pdf_text
from plugins.operations.agreements.models import Agreement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, url: str, data: dict, **kwargs):  # noqa: ANN001, ANN003, ANN201
    token = csrf_from(client, "/operaciones/")
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def _indicator(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(KeyIndicator.id).order_by(KeyIndicator.id).limit(1))


def _state(app, aid: int) -> str:  # noqa: ANN001
    with app.app_context():
        return db.session.get(Agreement, aid).state


def _transition(client, app, aid: int, name: str, comment: str = ""):  # noqa: ANN001, ANN201
    with app.app_context():
        version = db.session.get(Agreement, aid).version
    data = {"version": str(version)}
    if comment:
        data["comment"] = comment
    return _post(client, f"/expedientes/{aid}/transiciones/{name}", data)


def test_the_region_drafts_and_the_municipalities_accept_on_their_side(app, client, people, govs):  # noqa: ANN001
    today = date.today()
    people.login(client, "coord")
    assert client.get("/operaciones/convenios/nuevo").status_code == 200
    response = _post(
        client,
        "/operaciones/convenios/nuevo",
        {
            "government_id": str(govs["huanuco"]),
            "title": "Convenio de Gestión 2026",
            "kind": "management",
            "object": "Reducir la desnutrición crónica infantil.",
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=330)).isoformat(),
            "counterparts": [str(govs["huanuco_prov"]), str(govs["amarilis"])],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    aid = int(re.search(r"/convenios/(\d+)$", response.headers["Location"]).group(1))
    with app.app_context():
        version = db.session.get(Agreement, aid).version
    assert (
        _post(
            client,
            f"/operaciones/convenios/{aid}/metas/nueva",
            {
                "version": str(version),
                "description": "Niños con CRED",
                "plan_result_id": "",
                "key_indicator_id": str(_indicator(app)),
                "target": "60",
                "baseline": "40",
            },
        ).status_code
        == 303
    )
    due = (today + timedelta(days=60)).isoformat()
    response = _post(
        client,
        f"/operaciones/convenios/{aid}/compromisos/nuevo",
        {
            "version": str(version),
            "party": str(govs["amarilis"]),
            "what": "Instalar el padrón nominal",
            "who": "Oficina de Desarrollo Social",
            "due_date": due,
        },
    )
    assert response.status_code == 303
    # A support measure with three decimals is refused beside the field, the input kept, nothing saved.
    response = _post(
        client,
        f"/operaciones/convenios/{aid}/apoyos/nuevo",
        {"version": str(version), "kind": "funds", "description": "Fondos", "amount": "10.123"},
    )
    assert response.status_code == 400 and "10.123" in response.get_data(as_text=True)
    assert _transition(client, app, aid, "negotiate").status_code == 303
    assert _state(app, aid) == "negotiation"

    people.login(client, "amarilis_coord")
    page = client.get(f"/operaciones/convenios/{aid}").get_data(as_text=True)
    assert "Aceptar el convenio en nombre de mi municipalidad" in page
    assert _post(client, f"/operaciones/convenios/{aid}/aceptar", {}).status_code == 303
    assert _state(app, aid) == "negotiation"  # the province has not accepted yet
    people.login(client, "prov_coord")
    assert _post(client, f"/operaciones/convenios/{aid}/aceptar", {}).status_code == 303
    assert _state(app, aid) == "agreed"

    people.login(client, "coord")
    with app.app_context():
        version = db.session.get(Agreement, aid).version
    assert (
        _post(
            client,
            f"/operaciones/convenios/{aid}/editar",
            {"version": str(version), "title": "Convenio de Gestión 2026", "signed_on": today.isoformat()},
        ).status_code
        == 303
    )
    assert _transition(client, app, aid, "sign").status_code == 303
    assert _transition(client, app, aid, "start").status_code == 303
    assert _state(app, aid) == "execution"
    # Signed: the terms are fixed.
    with app.app_context():
        version = db.session.get(Agreement, aid).version
    response = _post(
        client,
        f"/operaciones/convenios/{aid}/compromisos/nuevo",
        {"version": str(version), "party": "region", "what": "x", "who": "y", "due_date": due},
    )
    assert response.status_code == 409 and "no pueden cambiar" in response.get_data(as_text=True)

    people.login(client, "amarilis_coord")
    with app.app_context():
        commitment_id = db.session.get(Agreement, aid).commitments[0].id
        goal_id = db.session.get(Agreement, aid).goals[0].id
    response = _post(
        client,
        f"/operaciones/convenios/compromisos/{commitment_id}/evidencia",
        {"file": (io.BytesIO(PDF), "padron.pdf"), "description": "Padrón nominal instalado"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        attachment = db.session.scalar(select(Attachment).where(Attachment.case_id == aid))
        attachment_id = attachment.id
    assert client.get(f"/adjuntos/{attachment_id}").status_code == 200  # the participant downloads it
    assert (
        _post(
            client, f"/operaciones/convenios/{aid}/avances", {"period": "2026-S1", f"value_{goal_id}": "52"}
        ).status_code
        == 303
    )
    assert (
        _post(
            client, f"/operaciones/convenios/compromisos/{commitment_id}/cumplido", {"fulfilled_on": today.isoformat()}
        ).status_code
        == 303
    )
    page = client.get(f"/operaciones/convenios/{aid}").get_data(as_text=True)
    assert "padron.pdf" in page and "2026-S1" in page

    people.login(client, "coord")
    assert _transition(client, app, aid, "evaluate").status_code == 303
    with app.app_context():
        evaluation = db.session.scalar(
            select(IssuedDocument).where(
                IssuedDocument.case_id == aid, IssuedDocument.template_key == "agreement_evaluation"
            )
        )
        text = pdf_text(evaluation.content)
    assert "INFORME DE EVALUACIÓN DEL CONVENIO" in text
    assert "Niños con CRED" in text and "52" in text and "Cumplido el" in text


def test_a_signed_agreement_is_resolved_with_a_reason(app, client, people, govs):  # noqa: ANN001
    with app.app_context():
        coord = db.session.get(User, people["coord"])
        agreement = run(
            "operations.agreement.create",
            coord,
            {
                "government_id": govs["huanuco"],
                "year": 2026,
                "title": "Convenio con la UNHEVAL",
                "kind": "inter_institutional",
                "external_name": "Universidad Nacional Hermilio Valdizán",
                "external_kind": "university",
                "object": "Practicantes",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
            },
        )
        aid = agreement.id
        run(
            "operations.agreement.goal.add",
            coord,
            {"agreement_id": aid, "description": "Practicantes", "target": "30", "key_indicator_id": _indicator(app)},
        )
        run(
            "operations.agreement.commitment.add",
            coord,
            {
                "agreement_id": aid,
                "party": "external",
                "what": "Destacar practicantes",
                "who": "Facultad",
                "due_date": "2026-06-30",
            },
        )
    people.login(client, "coord")
    assert _transition(client, app, aid, "negotiate").status_code == 303
    assert _transition(client, app, aid, "accept").status_code == 403  # no municipality: not a counterpart's act
    assert _transition(client, app, aid, "record_agreement").status_code == 303
    with app.app_context():
        version = db.session.get(Agreement, aid).version
    _post(
        client,
        f"/operaciones/convenios/{aid}/editar",
        {"version": str(version), "title": "Convenio con la UNHEVAL", "signed_on": "2026-01-05"},
    )
    assert _transition(client, app, aid, "sign").status_code == 303
    assert _transition(client, app, aid, "resolve").status_code == 303  # the reason is required
    assert _state(app, aid) == "signed"
    assert _transition(client, app, aid, "resolve", "La universidad no destacó a los practicantes.").status_code == 303
    assert _state(app, aid) == "resolved"
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == aid))
        text = pdf_text(document.content)
    assert "Universidad Nacional Hermilio Valdizán" in text and "Representante legal" in text
