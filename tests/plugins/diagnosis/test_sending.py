"""Sending the year's approved policy documents to the ST-CIAS (supplementary provision 8):
one path to send (an identical resubmission is refused, the year defaults to the documents'),
the 30 June rule met only by the approved Plan Articulado and the documents the government marks
as its policy documents, and one status vocabulary on the Envíos and Plazos overviews."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import func, select

from core.extensions import db
from core.models.submissions import Submission
from tests.conftest import csrf_from, login
from tests.plugins.diagnosis.conftest import create_case_web, installed_body, relogin, transition, version_of
from tests.plugins.diagnosis.test_plan import api_headers, db_user_id, fill_plan

YEAR = 2027  # a cycle whose 30 June is still ahead: what is sent today is on time


def _approved_plan(app, client, govs, api_token) -> tuple[int, int]:
    """Huánuco's PAR of YEAR approved by ordinance (its PDF issued): (plan id, document id)."""
    from core.documents.models import IssuedDocument

    relogin(client, "equipo@huanuco.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], f"PAR {YEAR}", year=YEAR)
    fill_plan(client, app, plan_id, api_headers(api_token, db_user_id(app, "equipo@huanuco.pe")))
    installed_body(app, govs["huanuco"], YEAR)
    assert transition(client, app, plan_id, "send_review").status_code == 303
    relogin(client, "coord@huanuco.pe")
    coordinator = api_headers(api_token, db_user_id(app, "coord@huanuco.pe"))
    response = client.patch(
        f"/api/v1/plans/{plan_id}/sections",
        json={
            "version": version_of(app, plan_id),
            "approval_instrument": "ordinance",
            "approval_number": f"005-{YEAR}-GRH/CR",
            "approval_date": f"{YEAR - 1}-11-20",
        },
        headers=coordinator,
    )
    assert response.status_code == 200, response.get_json()
    for name in ("approve_instancia", "approve_norm"):
        assert transition(client, app, plan_id, name).status_code == 303
    with app.app_context():
        document_id = db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.case_id == plan_id))
    assert document_id is not None
    return plan_id, document_id


def _summary_document(app, client, govs) -> tuple[int, int]:
    """A generic case of YEAR with its «Ficha del expediente» issued: (case id, document id)."""
    from core.documents.models import IssuedDocument

    case_id = create_case_web(
        client, "generic", govs["huanuco"], "Agenda regional de política social", year=YEAR, stage="diagnosis"
    )
    token = csrf_from(client, f"/expedientes/{case_id}")
    issued = client.post(f"/expedientes/{case_id}/documentos/case_summary", data={"csrf_token": token})
    assert issued.status_code == 303
    with app.app_context():
        return case_id, db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.case_id == case_id))


def _send(client, gov_id: int, document_ids: list[int], year: str = ""):
    path = f"/envios/nuevo?government={gov_id}"
    return client.post(
        path,
        data={
            "csrf_token": csrf_from(client, path),
            "year": year,
            "rule": "core.regional_submission",
            "note": "",
            "documents": [str(i) for i in document_ids],
        },
        follow_redirects=True,
    )


def _statuses(page: str) -> dict[str, str]:
    """Region name → status code of the shared national overview table."""
    return dict(re.findall(r"<td>([^<]+)</td><td class=\"submission-(\w+)\"", page))


def _counts(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-status="(\w+)">[^<:]+: (\d+)<', page))


def _overviews(client) -> tuple[str, str]:
    envios = client.get(f"/envios/?view=national&year={YEAR}").get_data(as_text=True)
    plazos = client.get(f"/plazos/?view=national&year={YEAR}&rule=core.regional_submission").get_data(as_text=True)
    return envios, plazos


def _submissions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Submission.id)))


def _met(app, gov_id: int):  # noqa: ANN202
    from core.deadlines.models import Deadline, DeadlineRule

    with app.app_context():
        return db.session.scalar(
            select(Deadline.met_on)
            .join(DeadlineRule)
            .where(
                DeadlineRule.key == "core.regional_submission", Deadline.government_id == gov_id, Deadline.year == YEAR
            )
        )


def test_the_30_june_rule_needs_the_approved_plan_and_the_marked_policy_documents(
    app, client, make_user, govs, api_token
):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    make_user("supervisor@stcias.pe", ("national", None))
    login(client, "equipo@huanuco.pe")
    agenda_id, agenda_pdf = _summary_document(app, client, govs)

    # the team marks the agenda as one of its policy documents (an auditor may not)
    relogin(client, "auditor@huanuco.pe")
    token = csrf_from(client, f"/expedientes/{agenda_id}")
    assert (
        client.post(
            f"/expedientes/{agenda_id}/politica", data={"csrf_token": token, "policy_document": "1"}
        ).status_code
        == 403
    )
    relogin(client, "equipo@huanuco.pe")
    token = csrf_from(client, f"/expedientes/{agenda_id}")
    response = client.post(
        f"/expedientes/{agenda_id}/politica",
        data={"csrf_token": token, "version": version_of(app, agenda_id), "policy_document": "1"},
    )
    assert response.status_code == 303

    # only the agenda: accepted, the year taken from the document (YEAR), but the rule is not met
    page = _send(client, govs["huanuco"], [agenda_pdf]).get_data(as_text=True)
    assert f"ENV-{YEAR}-" in page
    assert f"falta enviar: Plan Articulado Regional {YEAR} aprobado (aún no aprobado: sin documento emitido)" in page
    assert _met(app, govs["huanuco"]) is None
    relogin(client, "supervisor@stcias.pe")
    envios, plazos = _overviews(client)
    assert _statuses(envios)["Gobierno Regional de Huánuco"] == "not_sent"
    assert f"Plan Articulado Regional {YEAR} aprobado (aún no aprobado" in envios.split("Huánuco</td>")[1]
    assert _statuses(envios) == _statuses(plazos) and len(_statuses(envios)) == 25
    assert _counts(envios) == _counts(plazos) == {"on_time": "0", "late": "0", "overdue": "0", "not_sent": "25"}
    assert "Sin enviar" in envios and "Sin enviar" in plazos

    # the plan approved by ordinance and sent: now the rule is met, on time
    plan_id, plan_pdf = _approved_plan(app, client, govs, api_token)
    relogin(client, "equipo@huanuco.pe")
    page = _send(client, govs["huanuco"], [plan_pdf]).get_data(as_text=True)
    assert "Aún no se cumple el plazo" not in page
    assert _met(app, govs["huanuco"]) is not None
    relogin(client, "supervisor@stcias.pe")
    envios, plazos = _overviews(client)
    assert (
        _statuses(envios)["Gobierno Regional de Huánuco"]
        == "on_time"
        == _statuses(plazos)["Gobierno Regional de Huánuco"]
    )
    assert _statuses(envios) == _statuses(plazos)
    assert _counts(envios) == _counts(plazos) == {"on_time": "1", "late": "0", "overdue": "0", "not_sent": "24"}
    assert "A tiempo: 1" in plazos

    # the export lists the same statuses with the same labels
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/envios/resumen-nacional.csv?year={YEAR}").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    by_region = {row[0]: row[1] for row in rows[1:]}
    assert (
        by_region["Gobierno Regional de Huánuco"] == "A tiempo"
        and by_region["Gobierno Regional de Cusco"] == "Sin enviar"
    )
    xlsx = client.get(f"/envios/resumen-nacional.xlsx?year={YEAR}")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert ["Gobierno Regional de Huánuco", "A tiempo"] in [[c.value for c in row[:2]] for row in sheet.iter_rows()]

    # one path to send: the same plan again is refused with the reason, and the form warns before
    relogin(client, "equipo@huanuco.pe")
    before = _submissions(app)
    form = client.get(f"/envios/nuevo?government={govs['huanuco']}").get_data(as_text=True)
    assert f"Ya enviado a ST-CIAS para {YEAR} en ENV-{YEAR}-" in form
    response = _send(client, govs["huanuco"], [plan_pdf])
    assert response.status_code == 409
    assert f"Estos documentos ya se enviaron a ST-CIAS para {YEAR} (envío ENV-{YEAR}-" in response.get_data(
        as_text=True
    )
    # "Remitir el plan aprobado" goes through the same operation: no second record of the same plan
    relogin(client, "coord@huanuco.pe")
    assert transition(client, app, plan_id, "submit").status_code == 303
    with app.app_context():
        from plugins.diagnosis.models import Plan

        assert db.session.get(Plan, plan_id).state == "submitted"
    assert _submissions(app) == before
