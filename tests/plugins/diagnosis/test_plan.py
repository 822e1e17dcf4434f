"""Plan Articulado through the app: seeding, matrix editing and validation, totals, bad input,
workflow to submission, documents, XLSX round trip and refused imports, next cycle, API."""

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.testing import pdf_text
from plugins.diagnosis.matrix import CRECER_OBJECTIVE
from plugins.diagnosis.models import Plan, PlanActivity, PlanIndicator, PlanResult
from tests.conftest import login
from tests.plugins.diagnosis.conftest import (
    create_case_web,
    installed_body,
    post_form,
    relogin,
    render_document_html,
    transition,
    version_of,
)

SECTIONS = {
    "background": "Antecedentes de la región: política regional aprobada.",
    "justification": "La desnutrición crónica afecta a 4 de cada 10 niños.",
    "specific_objectives": "1. Atención integral. 2. Comunidades saludables.",
}


def api_headers(api_token, user_id: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(user_id)}"}


def fill_plan(client, app, plan_id: int, headers: dict[str, str], budget: str = "1000.50") -> None:
    """Complete every result of the plan through the API: sections, goal, indicator, activity."""
    version = version_of(app, plan_id)
    response = client.patch(f"/api/v1/plans/{plan_id}/sections", json={"version": version, **SECTIONS}, headers=headers)
    assert response.status_code == 200, response.get_json()
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    version = plan["version"]
    for n, result in enumerate(plan["plan"]["results"], start=1):
        rid = result["id"]
        r = client.patch(
            f"/api/v1/plans/{plan_id}/results/{rid}",
            json={"version": version, "goal_value": 1000 * n, "goal_unit": "niños y niñas"},
            headers=headers,
        )
        version = r.get_json()["version"]
        r = client.post(
            f"/api/v1/plans/{plan_id}/results/{rid}/indicators",
            json={"version": version, "name": f"Indicador {n}", "formula": "A / B × 100", "source": "ENDES"},
            headers=headers,
        )
        assert r.status_code == 201, r.get_json()
        version = r.get_json()["version"]
        r = client.post(
            f"/api/v1/plans/{plan_id}/results/{rid}/activities",
            json={
                "version": version,
                "name": f"Actividad {n}",
                "budget": budget,
                "strategic_program": "pan" if n % 2 else "smn",
                "funding_source": "RO",
                "institutions": ["diresa", "minsa"],
                "months": [3, 4, 5],
                "official": "Gerente de Desarrollo Social",
            },
            headers=headers,
        )
        assert r.status_code == 201, r.get_json()
        version = r.get_json()["version"]


def test_new_plan_starts_with_the_crecer_objective_and_the_four_results(app, regional_team, govs):
    plan_id = create_case_web(regional_team, "articulated_plan", govs["huanuco"], "PAR 2008")
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert plan.general_objective == CRECER_OBJECTIVE
        assert "9 puntos porcentuales al año 2011" in plan.general_objective
        assert [r.name for r in plan.results] == [
            "Atención integral a mujeres en edad fértil y niños y niñas menores de cinco años",
            "Comunidades y municipios saludables",
            "Mejorar la alimentación y nutrición con base en productos regionales",
            "Articulación y armonización programática y operativa de los agentes estatales y no estatales "
            "para optimizar la inversión social",
        ]
        assert plan.acronym == "PAR"
    page = regional_team.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    assert "Comunidades y municipios saludables" in page
    assert "no tiene indicadores" in page  # the gaps are listed


def test_matrix_editing_validation_and_totals_through_the_web(app, regional_team, govs):
    client = regional_team
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR 2008", **SECTIONS)
    with app.app_context():
        result_ids = [r.id for r in db.session.get(Plan, plan_id).results]
    r1, r2 = result_ids[0], result_ids[1]
    assert (
        post_form(
            client,
            app,
            plan_id,
            f"/planes/{plan_id}/resultados/{r1}",
            {"name": "Atención integral", "goal_value": "12000", "goal_unit": "niños"},
        ).status_code
        == 303
    )
    assert (
        post_form(
            client,
            app,
            plan_id,
            f"/planes/{plan_id}/resultados/{r1}/indicadores",
            {"name": "Prevalencia de DCI", "formula": "", "source": "ENDES"},
        ).status_code
        == 303
    )
    for name, budget, program in (("CRED", "1234567.5", "pan"), ("Vacunas", "100000", "smn"), ("DNI", "0", "")):
        response = post_form(
            client,
            app,
            plan_id,
            f"/planes/{plan_id}/resultados/{r1}/actividades/nueva",
            {
                "name": name,
                "budget": budget,
                "strategic_program": program,
                "funding_source": "RO",
                "institutions": ["diresa"],
                "official": "Gerente",
            },
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/resultados/{r2}/actividades/nueva",
        {"name": "Agua segura", "budget": "250000.25", "strategic_program": "pan"},
    )

    page = client.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    assert "S/ 1,334,567.50" in page  # result 1
    assert "S/ 1,584,567.75" in page  # the plan
    assert "S/ 1,484,567.75" in page  # Programa Articulado Nutricional
    assert "falta la fórmula de cálculo" in page
    assert "actividad 1 «Agua segura»: falta la institución responsable" in page
    with app.app_context():
        from plugins.diagnosis.matrix import gaps, totals

        plan = db.session.get(Plan, plan_id)
        figures = totals(plan)
        assert figures.total == Decimal("1584567.75")
        assert [t for _r, t in figures.by_result] == [Decimal("1334567.50"), Decimal("250000.25"), 0, 0]
        assert dict(figures.by_program) == {
            "Programa Articulado Nutricional": Decimal("1484567.75"),
            "Salud Materno Neonatal": Decimal("100000.00"),
            "Sin programa estratégico": Decimal("0.00"),
        }
        reasons = gaps(plan)
        assert (
            "Resultado 1 «Atención integral», indicador 1 «Prevalencia de DCI»: falta la fórmula de cálculo." in reasons
        )
        assert any("Resultado 2" in r and "falta la meta" in r for r in reasons)
        assert any("Resultado 3" in r and "no tiene actividades" in r for r in reasons)
        assert not any("Resultado 1" in r and "falta la meta" in r for r in reasons)


def test_bad_money_and_huge_text_are_refused_with_nothing_saved(app, regional_team, govs):
    client = regional_team
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR 2008")
    with app.app_context():
        rid = db.session.get(Plan, plan_id).results[0].id
    url = f"/planes/{plan_id}/resultados/{rid}/actividades/nueva"
    for budget, message in (
        ("-5", "no puede ser negativo"),
        ("mil soles", "debe ser un monto en soles"),
        ("10.555", "como máximo dos decimales"),
    ):
        response = post_form(client, app, plan_id, url, {"name": "X", "budget": budget})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    huge = "x" * (10 * 1024 * 1024)
    response = post_form(client, app, plan_id, f"/planes/{plan_id}/resultados/{rid}", {"name": huge})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 0
        assert db.session.get(PlanResult, rid).name.startswith("Atención integral")


def test_api_refuses_bad_values_stale_versions_and_other_regions(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = api_headers(api_token, team)
    created = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["id"]
    assert len(created.get_json()["plan"]["results"]) == 4
    rid = created.get_json()["plan"]["results"][0]["id"]
    version = created.get_json()["version"]
    bad = client.post(
        f"/api/v1/plans/{plan_id}/results/{rid}/activities",
        json={"version": version, "name": "A", "budget": "12.345", "institutions": ["no-existe"]},
        headers=headers,
    )
    assert bad.status_code == 400
    message = bad.get_json()["error"]["message"]
    assert "dos decimales" in message and "Institución desconocida" in message
    big = client.patch(
        f"/api/v1/plans/{plan_id}/sections", json={"version": version, "background": "x" * 10_000_000}, headers=headers
    )
    assert big.status_code == 400
    ok = client.post(
        f"/api/v1/plans/{plan_id}/results/{rid}/activities",
        json={"version": version, "name": "A", "budget": 100},
        headers=headers,
    )
    assert ok.status_code == 201
    activity_url = f"/api/v1/plans/{plan_id}/activities/{ok.get_json()['id']}"
    edited = client.patch(activity_url, json={"version": version, "name": "A1"}, headers=headers)
    assert edited.status_code == 200, edited.get_json()
    stale = client.patch(activity_url, json={"version": version, "name": "B"}, headers=headers)
    assert stale.status_code == 409
    other = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    assert client.get(f"/api/v1/plans/{plan_id}", headers=api_headers(api_token, other)).status_code == 404
    auditor = make_user("auditor@pe.pe", ("auditor", None))
    assert client.get(f"/api/v1/plans/{plan_id}", headers=api_headers(api_token, auditor)).status_code == 200
    refused = client.post(
        f"/api/v1/plans/{plan_id}/results",
        json={"version": version_of(app, plan_id), "name": "Nuevo"},
        headers=api_headers(api_token, auditor),
    )
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 1


def test_workflow_guard_approval_and_submission(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    diagnosis_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico 2008")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR 2008")
    with app.app_context():
        assert db.session.get(Plan, plan_id).diagnosis_id == diagnosis_id  # the plan is based on it
    headers = api_headers(api_token, team)
    fill_plan(client, app, plan_id, headers)
    # one formula left empty, and no installed Instancia: the Instancia cannot approve
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    indicator_id = plan["plan"]["results"][0]["indicators"][0]["id"]
    client.patch(
        f"/api/v1/plans/{plan_id}/indicators/{indicator_id}",
        json={"version": plan["version"], "formula": ""},
        headers=headers,
    )
    assert transition(client, app, plan_id, "send_review").status_code == 303
    relogin(client, "coord@huanuco.pe")
    transition(client, app, plan_id, "approve_instancia")
    page = client.get(f"/expedientes/{plan_id}").get_data(as_text=True)
    assert "falta la fórmula de cálculo" in page
    assert "Gobierno Regional de Huánuco no tiene una Instancia de Articulación Regional instalada" in page
    with app.app_context():
        assert db.session.get(Plan, plan_id).state == "technical_review"
    body_id = installed_body(app, govs["huanuco"])
    # the coordinator completes it (edit allowed in technical review) and approves
    token = {"Authorization": f"Bearer {api_token(db_user_id(app, 'coord@huanuco.pe'))}"}
    r = client.patch(
        f"/api/v1/plans/{plan_id}/indicators/{indicator_id}",
        json={"version": version_of(app, plan_id), "formula": "A/B"},
        headers=token,
    )
    assert r.status_code == 200, r.get_json()
    assert transition(client, app, plan_id, "approve_instancia").status_code == 303
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert plan.state == "approved_instancia" and plan.body_id == body_id  # approved by that Instancia
    # approval by norm needs its number and date
    transition(client, app, plan_id, "approve_norm")
    with app.app_context():
        assert db.session.get(Plan, plan_id).state == "approved_instancia"
    r = client.patch(
        f"/api/v1/plans/{plan_id}/sections",
        json={
            "version": version_of(app, plan_id),
            "approval_instrument": "ordinance",
            "approval_number": "005-2008-GRH/CR",
            "approval_date": "2008-06-20",
        },
        headers=token,
    )
    assert r.status_code == 200, r.get_json()
    assert transition(client, app, plan_id, "approve_norm").status_code == 303
    # the approval by norm issued the plan's PDF: its extracted text has every part of the plan
    from core.documents.models import IssuedDocument

    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == plan_id))
        assert document is not None and document.template_key == "plan_articulado"
        document_id = document.id
    response = client.get(f"/documentos/{document_id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    for expected in (
        "PLAN ARTICULADO REGIONAL",
        "Gobierno Regional de Huánuco".upper(),
        "Antecedentes",
        "Justificación",
        "Objetivo General",
        "Objetivos Específicos",
        SECTIONS["background"],
        "9 puntos porcentuales",
        "Atención integral a mujeres en edad fértil",
        "Comunidades y municipios saludables",
        "Mejorar la alimentación y nutrición",
        "Articulación y armonización",
        "Indicador 1",
        "Indicador 4",
        "A / B × 100",
        "ENDES",
        "S/. 1,000.50",  # a 2008 plan: Nuevos Soles
        "S/. 4,002.00",
        "Programa Articulado Nutricional",
        "Salud Materno Neonatal",
        "Ordenanza N° 005-2008-GRH/CR",
        "Gerente de Desarrollo Social",
        "Presidente del Gobierno Regional de Huánuco",  # the signature block, by the plan's date
    ):
        assert expected in text, expected
    assert "S/ 1,000.50" not in text
    assert transition(client, app, plan_id, "submit").status_code == 303
    with app.app_context():
        from core.deadlines.models import Deadline, DeadlineRule
        from core.models.submissions import Submission

        plan = db.session.get(Plan, plan_id)
        assert plan.state == "submitted"
        assert plan.approval_number == "005-2008-GRH/CR"
        submission = db.session.scalar(select(Submission).where(Submission.government_id == govs["huanuco"]))
        assert submission.recipient_government_id is None  # a regional plan goes to the ST-CIAS
        assert submission.receipt_number.startswith("ENV-2008-") and submission.rule_key == "core.regional_submission"
        assert [item.document_id for item in submission.items] == [document_id]
        deadline = db.session.scalar(
            select(Deadline)
            .join(DeadlineRule)
            .where(
                DeadlineRule.key == "core.regional_submission",
                Deadline.government_id == govs["huanuco"],
                Deadline.year == 2008,
            )
        )
        assert deadline.met_at is not None
    # no more edits once approved
    r = client.patch(
        f"/api/v1/plans/{plan_id}/sections",
        json={"version": version_of(app, plan_id), "background": "cambio"},
        headers=token,
    )
    assert r.status_code == 403


def test_local_plan_timetable_becomes_deadlines_and_goes_to_the_region(app, client, make_user, govs, api_token):
    team = make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    make_user("coord@amarilis.pe", ("coordinator", govs["amarilis"]))
    login(client, "coord@amarilis.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["amarilis"], "PAL Amarilis 2008")
    fill_plan(client, app, plan_id, api_headers(api_token, team))
    installed_body(app, govs["amarilis"])
    coordinator = api_headers(api_token, db_user_id(app, "coord@amarilis.pe"))
    client.patch(
        f"/api/v1/plans/{plan_id}/sections",
        json={
            "version": version_of(app, plan_id),
            "approval_instrument": "ordinance",
            "approval_number": "012-2008-MDA",
            "approval_date": "2008-05-15",
        },
        headers=coordinator,
    )
    for name in ("send_review", "approve_instancia", "approve_norm"):
        assert transition(client, app, plan_id, name).status_code == 303, name
    with app.app_context():
        from core.deadlines.models import Deadline

        plan = db.session.get(Plan, plan_id)
        assert plan.state == "approved_norm", plan.state
        rows = db.session.scalars(select(Deadline).where(Deadline.case_id == plan_id).order_by(Deadline.period)).all()
        assert len(rows) == 4
        assert {d.due_date.isoformat() for d in rows} == {"2008-06-02"}  # 31 May 2008 was a Saturday
        assert rows[0].label == "PAL 2008: Actividad 1"
    page = client.get("/plazos/?year=2008").get_data(as_text=True)
    assert "PAL 2008: Actividad 1" in page
    assert transition(client, app, plan_id, "submit").status_code == 303
    with app.app_context():
        from core.models.submissions import Submission

        submission = db.session.scalar(select(Submission).where(Submission.government_id == govs["amarilis"]))
        assert submission.recipient_government_id == govs["huanuco"]
        assert db.session.get(Plan, plan_id).state == "submitted"


def db_user_id(app, email: str) -> int:
    from core.models import User

    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_local_plan_pdf_has_sections_results_timetable_and_totals(app, client, make_user, govs, api_token):
    team = make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    login(client, "equipo@amarilis.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["amarilis"], "PAL Amarilis 2008")
    fill_plan(client, app, plan_id, api_headers(api_token, team), budget="1234567.00")
    html = render_document_html(app, plan_id, "plan_articulado")
    assert "@page landscape" in html and 'class="landscape"' in html  # the matrix on landscape pages
    response = client.get(f"/documentos/vista-previa/{plan_id}/plan_articulado.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(response.data)).pages
    assert any(float(p.mediabox.width) > float(p.mediabox.height) for p in pages)  # landscape pages exist
    assert float(pages[0].mediabox.width) < float(pages[0].mediabox.height)  # the cover is portrait
    text = pdf_text(response.data)
    for expected in (
        "PLAN ARTICULADO LOCAL",
        "Antecedentes",
        "Justificación",
        "Objetivo General",
        "Objetivos Específicos",
        SECTIONS["background"],
        "9 puntos porcentuales",
        "Comunidades y municipios saludables",
        "Indicador 3",
        "A / B × 100",
        "S/. 1,234,567.00",  # a 2008 plan: Nuevos Soles (Ley N° 30381 came in 2015)
        "S/. 4,938,268.00",
        "Cronograma de actividades 2008",
        "Ene Feb Mar",
        "Gerente de Desarrollo Social",
        "Alcalde de la Municipalidad Distrital de Amarilis",  # the signature block
    ):
        assert expected in text, expected
    assert "S/ 1,234,567.00" not in text


def test_plan_text_is_escaped_in_the_document(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    plan_id = create_case_web(
        client, "articulated_plan", govs["huanuco"], "PAR", background="<script>alert(1)</script>"
    )
    html = render_document_html(app, plan_id, "plan_articulado")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    del team


def test_xlsx_round_trip_gives_the_same_plan(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    headers = api_headers(api_token, team)
    source_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR origen")
    fill_plan(client, app, source_id, headers, budget="98765.43")
    exported = client.get(f"/planes/{source_id}/matriz.xlsx")
    assert exported.status_code == 200
    assert exported.data.startswith(b"PK")
    target_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR copia")
    response = post_form(
        client,
        app,
        target_id,
        f"/planes/{target_id}/matriz/importar",
        {"file": (io.BytesIO(exported.data), "matriz.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    source = client.get(f"/api/v1/plans/{source_id}", headers=headers).get_json()["plan"]
    target = client.get(f"/api/v1/plans/{target_id}", headers=headers).get_json()["plan"]

    def shape(plan):
        return [
            (
                r["name"],
                r["goal_value"],
                r["goal_unit"],
                [(i["name"], i["formula"], i["source"], i["baseline"], i["target"]) for i in r["indicators"]],
                [{k: v for k, v in a.items() if k != "id"} for a in r["activities"]],
            )
            for r in plan["results"]
        ]

    assert shape(target) == shape(source)
    assert target["totals"]["total"] == source["totals"]["total"] == "395061.72"


def _workbook(rows_activities: list[list]) -> bytes:
    from openpyxl import Workbook

    from plugins.diagnosis.workbook import ACTIVITY_COLUMNS, INDICATOR_COLUMNS, RESULT_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "Resultados"
    ws.append([h for h, _ in RESULT_COLUMNS])
    ws.append([1, "Resultado uno", 100, "niños"])
    ws = wb.create_sheet("Indicadores")
    ws.append([h for h, _ in INDICATOR_COLUMNS])
    ws.append([1, "Indicador", "A/B", "ENDES", None, None])
    ws = wb.create_sheet("Actividades")
    ws.append([h for h, _ in ACTIVITY_COLUMNS])
    for row in rows_activities:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_bad_xlsx_import_names_row_and_column_and_saves_nothing(app, regional_team, govs):
    client = regional_team
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR")
    version_before = version_of(app, plan_id)
    data = _workbook(
        [
            [1, "Bien", "100.00", "pan", "RO", "diresa", "3,4", None, None, None, None],
            [1, "Negativa", "-1", "pan", "RO", "diresa", None, None, None, None, None],
            [1, "Institución rara", "5", "pan", "RO", "ministerio_de_la_magia", None, None, None, None, None],
            [1, "Programa raro", "5", "xyz", "RO", "diresa", None, None, None, None, None],
            [7, "Sin resultado", "5", "pan", "RO", "diresa", None, None, None, None, None],
        ]
    )
    response = post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/matriz/importar",
        {"file": (io.BytesIO(data), "m.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<h2>Importación rechazada: no se guardó nada</h2>" in page
    for text in (
        "<td>3</td><td>Presupuesto de inversión (S/)</td>",
        "no puede ser negativo",
        "<td>4</td><td>Instituciones responsables</td>",
        "ministerio_de_la_magia",
        "<td>5</td><td>Programa estratégico</td>",
        "<td>6</td><td>Resultado N°</td>",
    ):
        assert text in page, text
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert len(plan.results) == 4 and plan.results[0].name.startswith("Atención integral")
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 0
    assert version_of(app, plan_id) == version_before
    # a file that is not an XLSX
    response = post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/matriz/importar",
        {"file": (io.BytesIO(b"resultado;meta\n1;2\n"), "matriz.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "no es un libro de Excel (.xlsx) válido" in response.get_data(as_text=True)


def test_api_xlsx_import_reports_rows_as_json(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = api_headers(api_token, team)
    plan_id = client.post(
        "/api/v1/cases",
        json={"type": "articulated_plan", "government_id": govs["huanuco"], "year": 2008, "title": "PAR"},
        headers=headers,
    ).get_json()["id"]
    data = _workbook([[1, "Mala", "1.234", "pan", "RO", "diresa", "13", None, None, None, None]])
    response = client.put(
        f"/api/v1/plans/{plan_id}/matrix.xlsx",
        data={"version": str(version_of(app, plan_id)), "file": (io.BytesIO(data), "m.xlsx")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert {(e["sheet"], e["row"], e["column"]) for e in errors} == {
        ("Actividades", 2, "Presupuesto de inversión (S/)"),
        ("Actividades", 2, "Meses"),
    }
    good = _workbook([[1, "Buena", "1234.5", "pan", "RO", "diresa; minsa", "1-3", "Jefe", "4", "talleres", "Llicua"]])
    response = client.put(
        f"/api/v1/plans/{plan_id}/matrix.xlsx",
        data={"version": str(version_of(app, plan_id)), "file": (io.BytesIO(good), "m.xlsx")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["plan"]
    assert [r["name"] for r in plan["results"]] == ["Resultado uno"]
    activity = plan["results"][0]["activities"][0]
    assert activity["budget"] == "1234.50" and activity["months"] == [1, 2, 3]
    assert activity["institutions"] == ["minsa", "diresa"]  # in the order the matrix lists them


def test_next_cycle_copies_structure_and_leaves_goals_to_update(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR 2008")
    fill_plan(client, app, plan_id, api_headers(api_token, team))
    token = __import__("tests.conftest", fromlist=["csrf_from"]).csrf_from(client, f"/expedientes/{plan_id}")
    response = client.post(f"/planes/{plan_id}/siguiente-ciclo", data={"csrf_token": token})
    assert response.status_code == 303
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        old, new = db.session.get(Plan, plan_id), db.session.get(Plan, new_id)
        assert new.year == 2009 and new.previous_plan_id == old.id and new.state == "draft"
        assert [r.name for r in new.results] == [r.name for r in old.results]
        assert all(r.goal_value is None for r in new.results)
        assert [a.name for r in new.results for a in r.activities] == [
            a.name for r in old.results for a in r.activities
        ]
        assert (
            db.session.scalar(
                select(func.count(PlanIndicator.id)).where(PlanIndicator.result_id.in_([r.id for r in new.results]))
            )
            == 4
        )
        from plugins.diagnosis.matrix import gaps

        assert any("falta la meta" in g for g in gaps(new))
    again = client.post(f"/planes/{plan_id}/siguiente-ciclo", data={"csrf_token": token})
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/expedientes/{new_id}")


def test_matrix_page_query_count_does_not_grow_with_rows(app, client, make_user, govs, api_token):
    from core.database import QueryCounter

    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    headers = api_headers(api_token, team)
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR")
    fill_plan(client, app, plan_id, headers)
    client.get(f"/planes/{plan_id}/matriz")
    with app.app_context(), QueryCounter(db.engine) as small:
        assert client.get(f"/planes/{plan_id}/matriz").status_code == 200
    fill_plan(client, app, plan_id, headers)
    fill_plan(client, app, plan_id, headers)
    with app.app_context(), QueryCounter(db.engine) as large:
        assert client.get(f"/planes/{plan_id}/matriz").status_code == 200
    assert large.count == small.count, (small.count, large.count)
