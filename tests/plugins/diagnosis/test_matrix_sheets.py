"""The plan's matrix as people work with it: the XLSX speaks labels (with drop-down lists and total
formulas) and imports back unchanged, labels or codes; refused forms keep what was typed; indicators
are edited; "19,2" and "%" are numbers; every responsible institution shows in the matrix."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from core.extensions import db
from core.values import decimal_text
from plugins.diagnosis.matrix import parse_money, parse_number
from plugins.diagnosis.models import Plan, PlanIndicator
from plugins.diagnosis.workbook import ACTIVITY_COLUMNS, INDICATOR_COLUMNS, RESULT_COLUMNS
from tests.plugins.diagnosis.conftest import create_case_web, post_form

# DIRESA and MINSA have acronyms; «Gobiernos Regionales» has none and «Corredor Puno-Cusco» only a
# short name: the matrix column used to drop the last two once any institution had an acronym.
INSTITUTIONS = ["diresa", "gobiernos_regionales", "corredor_puno_cusco", "minsa"]
LABELS = ["DIRESA", "Gobiernos Regionales", "Corredor Puno-Cusco", "MINSA"]


def _plan_with_activity(app, client, govs) -> tuple[int, int]:
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR 2008")
    with app.app_context():
        result_id = db.session.get(Plan, plan_id).results[0].id
    response = post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/resultados/{result_id}/actividades/nueva",
        {
            "name": "Sesiones demostrativas",
            "budget": "12500,50",
            "strategic_program": "smn",
            "funding_source": "RDR",
            "institutions": INSTITUTIONS,
            "months": ["3", "4"],
            "official": "Gerente",
            "physical_goal": "20",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/resultados/{result_id}/indicadores",
        {"name": "Anemia", "formula": "A/B", "source": "ENDES", "baseline": "60", "target": "100"},
    )
    return plan_id, result_id


def _matrix_shape(app, plan_id: int) -> list:
    with app.app_context():
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        return [
            (
                r.name,
                r.goal_value,
                r.goal_unit,
                [(i.name, i.formula, i.source, i.baseline, i.target) for i in r.indicators],
                [
                    (
                        a.name,
                        a.budget,
                        a.strategic_program.key if a.strategic_program else None,
                        a.funding_source,
                        sorted(i.key for i in a.institutions),
                        list(a.months or []),
                        a.official,
                        a.physical_goal,
                    )
                    for a in r.activities
                ],
            )
            for r in plan.results
        ]


def _import(client, app, plan_id: int, data: bytes):
    return post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/matriz/importar",
        {"file": (io.BytesIO(data), "matriz.xlsx")},
        content_type="multipart/form-data",
    )


def test_matrix_page_shows_every_responsible_institution(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    page = regional_team.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    row = next(line for line in page.splitlines() if "DIRESA" in line and "<td>" in line)
    for label in LABELS:
        assert label in row, (label, row)
    # and the funding source as its label, not the code alone
    assert "Recursos Directamente Recaudados (RDR)" in page


def test_xlsx_exports_labels_with_drop_downs_and_total_formulas(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    response = regional_team.get(f"/planes/{plan_id}/matriz.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    activities = workbook["Actividades"]
    headers = [c.value for c in activities[1]]
    row = dict(zip(headers, [c.value for c in activities[2]], strict=False))
    assert row["Programa estratégico"] == "Salud Materno Neonatal"
    assert row["Fuente de financiamiento"] == "Recursos Directamente Recaudados (RDR)"
    assert sorted(row["Instituciones responsables"].split("; ")) == sorted(LABELS)
    # drop-down lists on the catalog columns, fed by the hidden «Listas» sheet
    lists = workbook["Listas"]
    assert lists.sheet_state == "hidden"
    validations = {str(v.sqref).split(":")[0][0]: v for v in activities.data_validations.dataValidation}
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    program_list = validations[letter["Programa estratégico"]]
    assert program_list.type == "list" and program_list.formula1.startswith("Listas!$A$2")
    assert "Salud Materno Neonatal" in [c.value for c in lists["A"]]
    assert validations[letter["Fuente de financiamiento"]].formula1.startswith("Listas!$B$2")
    assert "Recursos Directamente Recaudados (RDR)" in [c.value for c in lists["B"]]
    assert validations[letter["Instituciones responsables"]].formula1.startswith("Listas!$C$2")
    assert "Gobiernos Regionales" in [c.value for c in lists["C"]]
    # totals are formulas over the activities
    totals = {r[0].value: r[1].value for r in workbook["Totales"].iter_rows(min_row=2)}
    assert totals["TOTAL"].startswith("=SUM(Actividades!$C$2:$C$")
    assert totals["Programa estratégico: Salud Materno Neonatal"].startswith("=SUMIFS(Actividades!$C$2:$C$")
    assert '"Salud Materno Neonatal"' in totals["Programa estratégico: Salud Materno Neonatal"]
    assert any(str(k).startswith("Resultado 1: ") and str(v).startswith("=SUMIFS(") for k, v in totals.items())


def test_xlsx_export_then_import_changes_nothing(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    before = _matrix_shape(app, plan_id)
    exported = regional_team.get(f"/planes/{plan_id}/matriz.xlsx").data
    response = _import(regional_team, app, plan_id, exported)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert _matrix_shape(app, plan_id) == before
    assert before[0][4][0][1] == Decimal("12500.50")


def _workbook(activity: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Resultados"
    ws.append([h for h, _ in RESULT_COLUMNS])
    ws.append([1, "Resultado uno", 100, "niños"])
    ws = wb.create_sheet("Indicadores")
    ws.append([h for h, _ in INDICATOR_COLUMNS])
    ws.append([1, "Indicador", "A/B", "ENDES", "19,2", "25 %"])
    ws = wb.create_sheet("Actividades")
    ws.append([h for h, _ in ACTIVITY_COLUMNS])
    ws.append(activity)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_accepts_codes_or_labels(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    by_codes = _workbook([1, "A", "10", "smn", "RDR", "minsa; gobiernos_regionales", "3", "X", None, None, None])
    assert _import(regional_team, app, plan_id, by_codes).status_code == 303
    from_codes = _matrix_shape(app, plan_id)
    by_labels = _workbook(
        [
            1,
            "A",
            "10",
            "salud materno neonatal",  # case and accents do not matter
            "Recursos Directamente Recaudados (RDR)",
            "MINSA; Gobiernos Regionales",
            "3",
            "X",
            None,
            None,
            None,
        ]
    )
    assert _import(regional_team, app, plan_id, by_labels).status_code == 303
    assert _matrix_shape(app, plan_id) == from_codes
    activity = from_codes[0][4][0]
    assert activity[2:5] == ("smn", "RDR", ["gobiernos_regionales", "minsa"])
    assert from_codes[0][3][0][3:] == (Decimal("19.2000"), Decimal("25.0000"))
    # a full name holding a comma, next to another after a comma
    comma = _workbook(
        [
            1,
            "A",
            "10",
            None,
            None,
            "Ministerio de Vivienda, Construcción y Saneamiento, MINSA",
            None,
            None,
            None,
            None,
            None,
        ]
    )
    assert _import(regional_team, app, plan_id, comma).status_code == 303
    assert _matrix_shape(app, plan_id)[0][4][0][4] == ["minsa", "vivienda"]


def test_xlsx_import_error_names_row_column_and_valid_values(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    before = _matrix_shape(app, plan_id)
    bad = _workbook(
        [
            1,
            "A",
            "10",
            "Salud Materna",
            "Recursos propios",
            "MINSA; Ministerio de la Magia",
            None,
            None,
            None,
            None,
            None,
        ]
    )
    response = _import(regional_team, app, plan_id, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<td>2</td><td>Programa estratégico</td>" in page
    assert (
        "«Salud Materna» no es un valor válido. "
        "Valores válidos: Programa Articulado Nutricional; Salud Materno Neonatal;" in page
    )
    assert "<td>2</td><td>Fuente de financiamiento</td>" in page
    assert "Valores válidos: Recursos Ordinarios (RO); Recursos Directamente Recaudados (RDR);" in page
    assert "<td>2</td><td>Instituciones responsables</td>" in page
    assert "«Ministerio de la Magia». Valores válidos: PCM; CIAS; JUNTOS;" in page
    assert _matrix_shape(app, plan_id) == before


def test_decimal_forms():
    assert decimal_text("19,2") == "19.2"
    assert decimal_text("1.234.567,50") == "1234567.50"
    assert decimal_text("1,234,567.50") == "1234567.50"
    assert decimal_text("1 234 567,50") == "1234567.50"
    assert parse_number("19,2 %", "Meta") == Decimal("19.2")
    assert parse_number("0,5", "Meta") == Decimal("0.5")
    assert parse_money("S/ 1.234,50") == Decimal("1234.50")
    assert parse_money("1,234,567.00") == Decimal("1234567.00")


def test_refused_indicator_keeps_what_was_typed_and_indicators_are_edited(app, regional_team, govs):
    client = regional_team
    plan_id, result_id = _plan_with_activity(app, client, govs)
    typed = {
        "_form": f"indicator-new-{result_id}",
        "name": "Tasa de anemia en gestantes",
        "formula": "Gestantes con anemia / gestantes × 100",
        "source": "ENDES",
        "baseline": "diecinueve",
        "target": "15 %",
    }
    response = post_form(client, app, plan_id, f"/planes/{plan_id}/resultados/{result_id}/indicadores", typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "«Línea de base» debe ser un número, no «diecinueve»." in page
    for name in ("name", "formula", "source", "baseline", "target"):  # the declared fields' inputs
        assert f'id="inew-{result_id}-{name}"' in page
    assert f'name="_form" value="indicator-new-{result_id}">' in page
    for value in typed.values():
        if not value.startswith("indicator-new"):
            assert f'value="{value}"' in page.replace("&lt;", "<"), value
    assert "<details open><summary>Agregar un indicador</summary>" in page
    # the same values, corrected, are accepted: "19,2" and "15 %"
    typed["baseline"] = "19,2"
    response = post_form(client, app, plan_id, f"/planes/{plan_id}/resultados/{result_id}/indicadores", typed)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    with app.app_context():
        indicator = db.session.query(PlanIndicator).filter_by(name="Tasa de anemia en gestantes").one()
        indicator_id = indicator.id
        assert (indicator.baseline, indicator.target) == (Decimal("19.2"), Decimal("15"))
    # edited from the matrix page: the form is there with the stored values, and saves
    page = client.get(f"/planes/{plan_id}/matriz").get_data(as_text=True)
    assert f'id="i{indicator_id}-baseline" inputmode="decimal" name="baseline" type="text" value="19.2"' in page
    edit = {"_form": f"indicator-{indicator_id}", "name": "Anemia en gestantes", "formula": "G/T", "source": "SIEN"}
    response = post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/resultados/{result_id}/indicadores/{indicator_id}",
        edit | {"baseline": "18,5", "target": ""},
    )
    assert response.status_code == 303
    with app.app_context():
        indicator = db.session.get(PlanIndicator, indicator_id)
        assert (indicator.name, indicator.source, indicator.baseline, indicator.target) == (
            "Anemia en gestantes",
            "SIEN",
            Decimal("18.5"),
            None,
        )
    # a refused edit shows that form open with what was typed
    response = post_form(
        client,
        app,
        plan_id,
        f"/planes/{plan_id}/resultados/{result_id}/indicadores/{indicator_id}",
        edit | {"baseline": "x"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="i{indicator_id}-baseline" inputmode="decimal" name="baseline" type="text" value="x"' in page


def test_refused_diagnosis_form_keeps_what_was_typed(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico 2008")
    typed = {"_form": "cause", "level": "basic", "description": "", "evidence": "Informe ENDES 2007", "source": "INEI"}
    response = post_form(client, app, case_id, f"/diagnosticos/{case_id}/causas", typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "«Causa» es obligatorio." in page
    assert ">\r\nInforme ENDES 2007</textarea>" in page  # WTForms opens a text area with a line break
    assert 'value="INEI"' in page
    assert '<option selected value="basic">' in page


def test_xlsx_import_names_an_activity_of_a_result_the_sheet_lacks(app, regional_team, govs):
    plan_id, _result_id = _plan_with_activity(app, regional_team, govs)
    before = _matrix_shape(app, plan_id)
    row = [7, "A", "10", "Programa Articulado Nutricional", "Recursos Ordinarios (RO)", "MINSA", None, None, None]
    response = _import(regional_team, app, plan_id, _workbook([*row, None, None]))
    assert response.status_code == 400
    assert "No hay un resultado N° 7 en la hoja «Resultados»." in response.get_data(as_text=True)
    assert _matrix_shape(app, plan_id) == before
