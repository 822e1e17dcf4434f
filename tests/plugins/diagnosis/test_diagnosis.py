"""Diagnosis through the app: Fichas for every district in scope, item (g) privacy, baselines and
their CSV/XLSX import, Mapa de Coincidencias, actors, causes, production, validation, report."""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import Territory
from plugins.diagnosis.models import Baseline, Coverage, Diagnosis, DistrictRecord, NominalChild
from tests.conftest import login
from tests.plugins.diagnosis.conftest import create_case_web, post_form, relogin, render_document_html, transition


def _districts_of_region(app, ubigeo_prefix: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Territory.id)).where(
                Territory.level == "district", Territory.ubigeo.like(f"{ubigeo_prefix}%")
            )
        )


def test_regional_diagnosis_has_a_ficha_for_every_district_of_the_region(app, regional_team, govs):
    case_id = create_case_web(regional_team, "diagnosis", govs["huanuco"], "Diagnóstico regional 2008")
    expected = _districts_of_region(app, "10")
    assert expected > 70
    with app.app_context():
        records = db.session.scalars(select(DistrictRecord).where(DistrictRecord.diagnosis_id == case_id)).all()
        assert len(records) == expected
        assert {r.territory.ubigeo[:2] for r in records} == {"10"}
    page = regional_team.get(f"/diagnosticos/{case_id}/fichas").get_data(as_text=True)
    assert "Amarilis" in page and "Huánuco" in page


def test_local_diagnosis_covers_its_own_district(app, client, make_user, govs):
    make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    login(client, "equipo@amarilis.pe")
    case_id = create_case_web(client, "diagnosis", govs["amarilis"], "Diagnóstico local")
    with app.app_context():
        records = db.session.scalars(select(DistrictRecord).where(DistrictRecord.diagnosis_id == case_id)).all()
        assert [r.territory.ubigeo for r in records] == ["100102"]


def _record_id(app, case_id: int, ubigeo: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(DistrictRecord.id)
            .join(Territory, DistrictRecord.territory_id == Territory.id)
            .where(DistrictRecord.diagnosis_id == case_id, Territory.ubigeo == ubigeo)
        )


def _item_ids(app) -> dict[str, int]:
    from core.models import SocialInfoItem

    with app.app_context():
        return {i.letter: i.id for i in db.session.scalars(select(SocialInfoItem))}


def test_ficha_values_are_saved_and_bad_ones_refused(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    record_id = _record_id(app, case_id, "100102")
    items = _item_ids(app)
    url = f"/diagnosticos/{case_id}/fichas/{record_id}"
    data = {
        f"item_{items['b']}_value": "4200",
        f"item_{items['b']}_source": "INEI",
        f"item_{items['b']}_as_of": "2008-03-31",
        f"item_{items['g']}_value": "1300",
        f"item_{items['g']}_source": "SIEN",
    }
    assert post_form(client, app, case_id, url, data).status_code == 303
    bad = post_form(client, app, case_id, url, {f"item_{items['a']}_value": "muchas", f"item_{items['b']}_value": "-3"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "«a) Valor» debe ser un número" in text and "«b) Valor» no puede ser negativo" in text
    with app.app_context():
        record = db.session.get(DistrictRecord, record_id)
        values = {v.item.letter: v.value for v in record.values}
        assert values == {"b": 4200, "g": 1300}


def test_item_g_nominal_list_is_for_coordinators_only_and_never_leaves(app, client, make_user, govs, api_token, caplog):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    coord = make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    national = make_user("nacional@pcm.pe", ("national", None))
    auditor = make_user("auditor@pe.pe", ("auditor", None))
    make_user("coord.prov@huanuco.pe", ("coordinator", govs["huanuco_prov"]))
    login(client, "coord@huanuco.pe")
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    record_id = _record_id(app, case_id, "100102")
    nominal_url = f"/diagnosticos/{case_id}/fichas/{record_id}/lista-nominal"
    # counts only by default: not even the coordinator gets a list
    assert client.get(nominal_url).status_code == 403
    assert post_form(client, app, case_id, f"/diagnosticos/{case_id}/lista-nominal", {"keep": "1"}).status_code == 303
    with caplog.at_level(logging.INFO):
        response = post_form(
            client,
            app,
            case_id,
            nominal_url,
            {"full_name": "Niña Quispe Ramos", "dni": "71234567", "community": "Llicua"},
        )
        assert response.status_code == 303
        page = client.get(nominal_url)
    assert page.status_code == 200 and "Niña Quispe Ramos" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"].startswith("no-store")
    assert any("lista nominal" in r.getMessage() and "nominal_list_viewed" in r.getMessage() for r in caplog.records)
    assert not any("Quispe" in r.getMessage() for r in caplog.records)  # the log names the access, not the child
    from core.models.audit import AuditEvent

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)).all()
        actions = [e.action for e in events]
        assert "nominal_child_added" in actions and "nominal_list_viewed" in actions
        viewed = next(e for e in events if e.action == "nominal_list_viewed")
        assert viewed.actor_user_id == coord and viewed.government_id == govs["huanuco"]
        every_event = " ".join(f"{e.changes} {e.detail}" for e in db.session.scalars(select(AuditEvent)))
        assert "Quispe" not in every_event and "71234567" not in every_event  # masked personal data
    # others: the team, the province's coordinator, the national supervisor and auditors do not see it
    for email, refusal in (("equipo@huanuco.pe", 403), ("coord.prov@huanuco.pe", 404)):  # 404: outside its scope
        relogin(client, email)
        assert client.get(nominal_url).status_code == refusal
        assert "Quispe" not in client.get(f"/diagnosticos/{case_id}/fichas/{record_id}").get_data(as_text=True)
    for user in (national, auditor, coord):
        headers = {"Authorization": f"Bearer {api_token(user)}"}
        body = client.get(f"/api/v1/diagnoses/{case_id}", headers=headers).get_data(as_text=True)
        assert "Quispe" not in body and "71234567" not in body
        body = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_data(as_text=True)
        assert "Quispe" not in body
    relogin(client, "auditor@pe.pe")
    assert client.get(nominal_url).status_code == 403
    for path in ("/admin/dx_ficha_value/", "/admin/dx_diagnosis/", "/admin/dx_ficha_value/export/csv/"):
        response = client.get(path)
        assert "Quispe" not in response.get_data(as_text=True), path
    html = render_document_html(app, case_id, "diagnostico")
    assert "Quispe" not in html and "71234567" not in html
    assert "Ley N° 29733" not in html  # a 2008 report: the personal-data law dates from 2011
    # stopping the list deletes it
    relogin(client, "coord@huanuco.pe")
    assert post_form(client, app, case_id, f"/diagnosticos/{case_id}/lista-nominal", {"keep": "0"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(NominalChild.id))) == 0


def _csv(rows: list[str]) -> bytes:
    return ("ubigeo;indicador;valor;año;fuente\n" + "\n".join(rows) + "\n").encode()


def test_baseline_import_reports_each_bad_row_and_saves_nothing(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    data = _csv(
        [
            "100000;2;42.8;2007;ENDES",
            "080101;2;30;2007;ENDES",
            "100102;15;3;2007;ENDES",
            "100102;2;abc;2007;SIEN",
            "100102;3;12;207;ENDES",
            "100102;4;12;2007;INVENTADA",
        ]
    )
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"file": (io.BytesIO(data), "lb.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for row, column in ((3, "ubigeo"), (4, "indicador"), (5, "valor"), (6, "año"), (7, "fuente")):
        assert f"<td>{row}</td><td>{column}</td>" in page, (row, column)
    with app.app_context():
        assert db.session.scalar(select(func.count(Baseline.id))) == 0
    good = _csv(["100000;2;42.8;2007;ENDES", "100102;2;38.5;2007;SIEN", "100000;DNI;86.1;2007;RENIEC"])
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"file": (io.BytesIO(good), "lb.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True).split('role="alert"')[-1][:1500]
    with app.app_context():
        rows = db.session.scalars(select(Baseline).order_by(Baseline.value)).all()
        assert [(str(b.value), b.source, b.year) for b in rows] == [
            ("38.5000", "SIEN", 2007),
            ("42.8000", "ENDES", 2007),
            ("86.1000", "RENIEC", 2007),
        ]
    # XLSX works too, and a fake one is refused in Spanish
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Ubigeo", "Indicador", "Valor", "Año", "Fuente"])
    wb.active.append(["100102", 5, 9.5, 2007, "SIEN"])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"file": (io.BytesIO(buffer.getvalue()), "lb.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"file": (io.BytesIO(b"%PDF-1.4 not a workbook"), "lb.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "no es un libro de Excel" in response.get_data(as_text=True)


def test_coincidence_map_shows_gaps_and_imports_all_or_nothing(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    bad = b"ubigeo,programa,beneficiarios\n100102,juntos,350\n100102,programa_fantasma,3\n999999,sis,2\n"
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/coincidencias",
        {"file": (io.BytesIO(bad), "c.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<td>3</td><td>programa</td>" in page and "<td>4</td><td>ubigeo</td>" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Coverage.id))) == 0
    good = b"ubigeo,programa,beneficiarios\n100102,juntos,350\n100101,PVL,si\n"
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/coincidencias",
        {"file": (io.BytesIO(good), "c.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    page = client.get(f"/diagnosticos/{case_id}/coincidencias").get_data(as_text=True)
    assert "Distritos donde ningún programa interviene" in page
    with app.app_context():
        from plugins.diagnosis.instruments import coincidence_matrix

        grid = coincidence_matrix(db.session.get(Diagnosis, case_id))
        assert len(grid.cells) == 2
        assert "Amarilis" not in [d.name for d in grid.uncovered_districts]
        assert len(grid.uncovered_districts) == len(grid.districts) - 2
        sis = next(p for p in grid.programs if p.key == "sis")
        juntos = next(p for p in grid.programs if p.key == "juntos")
        amarilis = next(d for d in grid.districts if d.ubigeo == "100102")
    # the grid: a typed number adds a cell, an emptied unticked cell is removed
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/coincidencias?provincia=1001",
        {f"c_{sis.id}_{amarilis.id}": "120", f"c_{juntos.id}_{amarilis.id}": ""},
    )
    assert response.status_code == 303
    page = client.get(f"/diagnosticos/{case_id}/coincidencias?provincia=1001").get_data(as_text=True)
    assert 'value="120"' in page
    with app.app_context():
        cells = {
            (c.program_id, c.beneficiaries)
            for c in db.session.scalars(select(Coverage).where(Coverage.territory_id == amarilis.id))
        }
        assert cells == {(sis.id, 120)}


def test_instruments_validation_and_report_with_charts(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    assert (
        post_form(
            client,
            app,
            case_id,
            f"/diagnosticos/{case_id}/actores",
            {
                "action": "add_actor",
                "name": "DIRESA Huánuco",
                "kind": "public",
                "level": "regional",
                "programs": ["sis", "juntos"],
            },
        ).status_code
        == 303
    )
    assert (
        post_form(
            client,
            app,
            case_id,
            f"/diagnosticos/{case_id}/actores",
            {"action": "add_actor", "name": "CARITAS", "kind": "church", "level": "regional"},
        ).status_code
        == 303
    )
    bad = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/actores",
        {"action": "add_actor", "name": "X", "kind": "alien", "level": "regional"},
    )
    assert bad.status_code == 400 and "no es una opción válida" in bad.get_data(as_text=True)
    assert (
        post_form(
            client,
            app,
            case_id,
            f"/diagnosticos/{case_id}/causas",
            {"level": "immediate", "description": "Dieta pobre en hierro", "evidence": "ENDES 2007"},
        ).status_code
        == 303
    )
    assert (
        post_form(
            client,
            app,
            case_id,
            f"/diagnosticos/{case_id}/productivo",
            {"action": "add_wealth", "category": "tourist", "name": "Kotosh", "district": "100101"},
        ).status_code
        == 303
    )
    assert (
        post_form(
            client,
            app,
            case_id,
            f"/diagnosticos/{case_id}/productivo",
            {"action": "survey", "district": "100102", "accessibility": "Carretera asfaltada"},
        ).status_code
        == 303
    )
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    rows = [
        {"ubigeo": "100000", "indicator": str(i), "value": "40", "year": 2007, "source": "ENDES"} for i in range(2, 10)
    ]
    # indicator 1: two measures, poverty and extreme poverty
    rows += [
        {"ubigeo": "100000", "indicator": "1", "measure": m, "value": v, "year": 2007, "source": "ENAHO"}
        for m, v in (("pobreza", "64.9"), ("pobreza_extrema", "38.4"))
    ]
    rows += [
        {"ubigeo": "100102", "indicator": "2", "value": "31.2", "year": 2007, "source": "SIEN"},
        {"ubigeo": "100101", "indicator": "2", "value": "45.9", "year": 2007, "source": "SIEN"},
    ]
    from tests.plugins.diagnosis.conftest import version_of

    r = client.post(
        f"/api/v1/diagnoses/{case_id}/baselines",
        json={"version": version_of(app, case_id), "rows": rows},
        headers=headers,
    )
    assert r.status_code == 200, r.get_json()
    # the guard lists what is missing
    assert transition(client, app, case_id, "submit").status_code == 303
    relogin(client, "coord@huanuco.pe")
    transition(client, app, case_id, "validate")
    with app.app_context():
        diagnosis = db.session.get(Diagnosis, case_id)
        assert diagnosis.state == "in_review"
        from plugins.diagnosis.instruments import gaps

        reasons = gaps(diagnosis)
    assert any("faltan los ítems a, b, c" in g for g in reasons)
    assert "Faltan las causas subyacentes de la desnutrición crónica." in reasons
    assert not any("líneas de base" in g for g in reasons)
    pdf = client.get(f"/documentos/vista-previa/{case_id}/diagnostico.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from tests.plugins.diagnosis.test_plan import pdf_text

    text = pdf_text(pdf.data)
    for expected in (
        "DIAGNÓSTICO REGIONAL",
        "Fichas Distritales",
        "Línea de base de los indicadores clave",
        "Mapa de Coincidencias",
        "Mapa de Actores",
        "DIRESA Huánuco",
        "Causas inmediatas",
        "Dieta pobre en hierro",
        "Mapa de la Riqueza",
        "Kotosh",
        "Carretera asfaltada",
    ):
        assert expected in text, expected
    html = render_document_html(app, case_id, "diagnostico")
    for text in (
        "Fichas Distritales",
        "Mapa de Coincidencias",
        "Mapa de Actores",
        "DIRESA Huánuco",
        "Dieta pobre en hierro",
        "Kotosh",
        "Carretera asfaltada",
        "data:image/svg+xml;base64,",
    ):
        assert text in html, text
    import base64
    import re

    svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html).group(1)).decode()
    assert "<svg" in svg and "Amarilis" in svg


def test_permission_matrix(app, client, make_user, govs, api_token):
    """Every page × role × inside/outside the jurisdiction: 200 read, 303 write, 403 read-only, 404 outside."""
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    diag = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    plan = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR")
    record = _record_id(app, diag, "100102")
    with app.app_context():
        from plugins.diagnosis.models import Plan

        result = db.session.get(Plan, plan).results[0].id
    reads = [
        f"/diagnosticos/{diag}/fichas",
        f"/diagnosticos/{diag}/fichas/{record}",
        f"/diagnosticos/{diag}/lineas-de-base",
        f"/diagnosticos/{diag}/actores",
        f"/diagnosticos/{diag}/coincidencias",
        f"/diagnosticos/{diag}/causas",
        f"/diagnosticos/{diag}/productivo",
        f"/planes/{plan}/matriz",
        f"/planes/{plan}/matriz.xlsx",
        f"/api/v1/plans/{plan}",
        f"/api/v1/diagnoses/{diag}",
        f"/expedientes/{plan}",
        f"/expedientes/{diag}",
    ]
    write = (f"/planes/{plan}/resultados/{result}", {"name": "Resultado editado"})
    users = {
        "own team": ("t2@huanuco.pe", ("team", govs["huanuco"])),
        "own coordinator": ("c@huanuco.pe", ("coordinator", govs["huanuco"])),
        "other region": ("t@cusco.pe", ("team", govs["cusco"])),
        "province below": ("t@prov.pe", ("team", govs["huanuco_prov"])),
        "auditor": ("a@pe.pe", ("auditor", None)),
        "national": ("n@pe.pe", ("national", None)),
    }
    expected = {
        "own team": (200, 303),
        "own coordinator": (200, 303),
        "other region": (404, 404),
        "province below": (404, 404),
        "auditor": (200, 403),
        "national": (200, 403),
    }
    for who, (email, membership) in users.items():
        make_user(email, membership)
        relogin(client, email)
        read_status, write_status = expected[who]
        for path in reads:
            assert client.get(path).status_code == read_status, (who, path)
        response = (
            post_form(client, app, plan, write[0], write[1])
            if read_status == 200
            else client.post(
                write[0],
                data={"csrf_token": __import__("tests.conftest", fromlist=["x"]).csrf_from(client, "/"), **write[1]},
            )
        )
        assert response.status_code == write_status, (who, response.status_code)
    # the API refuses writes the same way
    auditor_headers = {"Authorization": f"Bearer {api_token(db_user(app, 'a@pe.pe'))}"}
    r = client.post(
        f"/api/v1/diagnoses/{diag}/causes",
        json={"version": 1, "level": "basic", "description": "x"},
        headers=auditor_headers,
    )
    assert r.status_code == 403
    cusco_headers = {"Authorization": f"Bearer {api_token(db_user(app, 't@cusco.pe'))}"}
    r = client.post(
        f"/api/v1/diagnoses/{diag}/causes",
        json={"version": 1, "level": "basic", "description": "x"},
        headers=cusco_headers,
    )
    assert r.status_code == 404


def db_user(app, email: str) -> int:
    from core.models import User

    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_regional_team_reads_a_local_plan_but_cannot_edit_it(app, client, make_user, govs):
    make_user("equipo@amarilis.pe", ("team", govs["amarilis"]))
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@amarilis.pe")
    plan = create_case_web(client, "articulated_plan", govs["amarilis"], "PAL Amarilis")
    relogin(client, "equipo@huanuco.pe")
    assert client.get(f"/planes/{plan}/matriz").status_code == 200
    with app.app_context():
        from plugins.diagnosis.models import Plan

        result = db.session.get(Plan, plan).results[0].id
    assert post_form(client, app, plan, f"/planes/{plan}/resultados/{result}", {"name": "X"}).status_code == 403


@pytest.mark.demo
def test_demo_data_is_complete_and_idempotent(app):
    from core.database import writing
    from core.demo import load_demo
    from plugins.diagnosis.matrix import gaps, totals
    from plugins.diagnosis.models import Plan, PlanActivity, PlanIndicator, PlanResult

    with app.app_context(), writing():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        plans = db.session.scalars(select(Plan).where(Plan.year == 2008).order_by(Plan.id)).all()
        assert [(p.acronym, p.government.name) for p in plans] == [
            ("PAR", "Gobierno Regional de Huánuco"),
            ("PAL", "Municipalidad Distrital de Amarilis"),
        ]
        par = plans[0]
        assert len(par.results) == 4
        assert sum(len(r.indicators) for r in par.results) == 12
        assert sum(len(r.activities) for r in par.results) == 25
        assert gaps(par) == [] and gaps(plans[1]) == []
        assert totals(par).total > 0
        diagnosis = db.session.scalars(select(Diagnosis).where(Diagnosis.year == 2008)).one()
        assert len(diagnosis.records) == _count_districts("10")
        assert plans[0].diagnosis_id == diagnosis.id  # the plan is linked to its diagnosis
        year_2008 = select(Plan.id).where(Plan.year == 2008)
        indicators = select(func.count(PlanIndicator.id)).join(PlanIndicator.result)
        activities = select(func.count(PlanActivity.id)).join(PlanActivity.result)
        assert db.session.scalar(indicators.where(PlanResult.plan_id.in_(year_2008))) == 12 + 12
        assert db.session.scalar(activities.where(PlanResult.plan_id.in_(year_2008))) == 25 + 8
        # the current year's cycle in progress: Amarilis's plan approved by its installed Instancia
        from core.cycles import current_year

        local = db.session.scalar(
            select(Plan).where(Plan.year == current_year(), Plan.government_id == plans[1].government_id)
        )
        assert local.state == "approved_norm" and local.body_id is not None


def _count_districts(prefix: str) -> int:
    return db.session.scalar(
        select(func.count(Territory.id)).where(Territory.level == "district", Territory.ubigeo.like(f"{prefix}%"))
    )


@pytest.mark.demo
def test_plans_list_dashboard_widget_and_admin_views(app, client, make_user, govs):
    make_user("auditor@pe.pe", ("auditor", None))
    make_user("t@cusco.pe", ("team", govs["cusco"]))
    login(client, "auditor@pe.pe")
    page = client.get("/").get_data(as_text=True)
    assert "Planes Articulados" in page and "PA-001-2008" in page and "S/ " in page
    listing = client.get("/planes/?year=2008").get_data(as_text=True)
    assert "Plan Articulado Local de Amarilis 2008" in listing and "Diagnóstico regional" in listing
    for view in (
        "dx_diagnosis",
        "dx_ficha_value",
        "dx_baseline",
        "dx_coverage",
        "dx_actor",
        "dx_cause",
        "dx_plan",
        "dx_result",
        "dx_indicator",
        "dx_activity",
        "dx_standard_result",
    ):
        response = client.get(f"/admin/{view}/")
        assert response.status_code == 200, view
    assert "Control de crecimiento" in client.get("/admin/dx_activity/").get_data(as_text=True)
    assert client.post("/admin/dx_activity/delete/", data={"id": "1"}).status_code == 400
    relogin(client, "t@cusco.pe")
    assert "Control de crecimiento" not in client.get("/admin/dx_activity/").get_data(as_text=True)
    assert "PA-001-2008" not in client.get("/planes/").get_data(as_text=True)


def test_ficha_through_the_api(app, client, make_user, govs, api_token):
    from tests.plugins.diagnosis.conftest import version_of

    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    created = client.post(
        "/api/v1/cases",
        json={"type": "diagnosis", "government_id": govs["huanuco"], "year": 2008, "title": "Diagnóstico"},
        headers=headers,
    )
    assert created.status_code == 201
    case_id = created.get_json()["id"]
    url = f"/api/v1/diagnoses/{case_id}/fichas/100102"
    bad = client.put(
        url, json={"version": version_of(app, case_id), "items": {"g": {"value": 3, "names": ["x"]}}}, headers=headers
    )
    assert bad.status_code == 400 and "solo se admiten" in bad.get_json()["error"]["message"]
    ok = client.put(
        url,
        json={
            "version": version_of(app, case_id),
            "items": {"b": {"value": 4200, "source": "INEI", "date": "2008-03-31"}},
        },
        headers=headers,
    )
    assert ok.status_code == 200, ok.get_json()
    fichas = client.get(f"/api/v1/diagnoses/{case_id}", headers=headers).get_json()["diagnosis"]["fichas"]
    amarilis = next(f for f in fichas if f["ubigeo"] == "100102")
    assert amarilis["items"] == {"b": {"value": 4200, "source": "INEI", "date": "2008-03-31", "notes": None}}
    assert (
        client.put(
            f"/api/v1/diagnoses/{case_id}/fichas/080101", json={"version": 1, "items": {}}, headers=headers
        ).status_code
        == 404
    )
