"""The plan's matrix as an XLSX workbook (openpyxl): export, and import that replaces the matrix
only when every row of every sheet is valid.

Sheets: «Resultados» (N°, resultado, meta, unidad), «Indicadores» (resultado N°, indicador, fórmula,
fuente, línea de base, meta del indicador), «Actividades» (resultado N°, actividad, presupuesto,
programa estratégico, fuente de financiamiento, instituciones, meses, funcionario, meta física,
unidad, comunidades) and «Totales» (for reading; ignored on import). Catalog values are written
by key (institutions separated by «;»), so an export imports back into the same plan.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from core.extensions import db
from core.spreadsheet import safe_row
from plugins.diagnosis.matrix import (
    MatrixError,
    check_funding,
    clean_text,
    institutions_by_key,
    parse_money,
    parse_months,
    parse_number,
    strategic_program_by_key,
    totals,
)
from plugins.diagnosis.models import Plan, PlanActivity, PlanIndicator, PlanResult, month_list
from plugins.diagnosis.tabular import ImportReport, TableError, _normalize_header, read_sheets

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"S/" #,##0.00'

# (sheet, [(header, field)]) — headers are what people see; fields what the import reads.
RESULT_COLUMNS = [("N°", "n"), ("Resultado", "name"), ("Meta (beneficiarios)", "goal"), ("Unidad de medida", "unit")]
INDICATOR_COLUMNS = [
    ("Resultado N°", "result"),
    ("Indicador", "name"),
    ("Fórmula de cálculo", "formula"),
    ("Fuente", "source"),
    ("Línea de base", "baseline"),
    ("Meta del indicador", "target"),
]
ACTIVITY_COLUMNS = [
    ("Resultado N°", "result"),
    ("Actividad", "name"),
    ("Presupuesto de inversión (S/)", "budget"),
    ("Programa estratégico", "program"),
    ("Fuente de financiamiento", "funding"),
    ("Instituciones responsables", "institutions"),
    ("Meses", "months"),
    ("Funcionario responsable", "official"),
    ("Meta física", "physical_goal"),
    ("Unidad de la meta física", "physical_unit"),
    ("Comunidades focalizadas", "communities"),
]
SHEETS = {"Resultados": RESULT_COLUMNS, "Indicadores": INDICATOR_COLUMNS, "Actividades": ACTIVITY_COLUMNS}


def export_matrix(plan: Plan) -> bytes:
    """The matrix as XLSX bytes (load the plan with matrix.load_plan to keep it to a few queries)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheets = {}
    for index, (title, columns) in enumerate(SHEETS.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append([header for header, _ in columns])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        sheets[title] = sheet
    for number, result in enumerate(plan.results, start=1):
        sheets["Resultados"].append(safe_row([number, result.name, result.goal_value, result.goal_unit]))
        for ind in result.indicators:
            sheets["Indicadores"].append(
                safe_row([number, ind.name, ind.formula, ind.source, ind.baseline, ind.target])
            )
        for act in result.activities:
            sheets["Actividades"].append(
                safe_row(
                    [
                        number,
                        act.name,
                        act.budget,
                        act.strategic_program.key if act.strategic_program else None,
                        act.funding_source,
                        "; ".join(i.key for i in act.institutions) or None,
                        ",".join(str(m) for m in month_list(act.months)) or None,
                        act.official,
                        act.physical_goal,
                        act.physical_unit,
                        act.communities,
                    ]
                )
            )
    for row in sheets["Actividades"].iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = MONEY_FORMAT
    summary = workbook.create_sheet("Totales")
    summary.append(["Concepto", "Presupuesto (S/)"])
    figures = totals(plan)
    for result, amount in figures.by_result:
        summary.append(safe_row([f"Resultado: {result.name}", amount]))
    for name, amount in figures.by_program:
        summary.append(safe_row([f"Programa estratégico: {name}", amount]))
    summary.append(["TOTAL", figures.total])
    for cell in summary[1]:
        cell.font = bold
    for row in summary.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = MONEY_FORMAT
    for sheet in workbook.worksheets:
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_rows(sheets: dict, title: str, columns: list[tuple[str, str]], report: ImportReport) -> list:
    """Rows of one sheet with fields named as in ``columns``; a missing sheet or column is reported."""
    if title not in sheets:
        raise TableError(f"Falta la hoja «{title}» (descargue la matriz en Excel para ver el formato).")
    headers, rows = sheets[title]
    by_header = {_normalize_header(header): name for header, name in columns}
    missing = [header for header, _name in columns if _normalize_header(header) not in headers]
    if missing:
        raise TableError(f"Hoja «{title}»: faltan las columnas " + ", ".join(f"«{m}»" for m in missing) + ".")
    shown = {name: header for header, name in columns}
    out = []
    for number, raw in rows:
        out.append((number, {by_header[h]: v for h, v in raw.items() if h in by_header}))
    report.rows += len(out)
    return [(number, values, shown) for number, values in out]


def _check(report: ImportReport, sheet: str, number: int, column: str, fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except MatrixError as error:
        report.add(number, column, str(error), sheet)
        return None


def import_matrix(plan: Plan, data: bytes) -> ImportReport:
    """Replace the plan's results, indicators and activities by the workbook's — only if every row of
    every sheet is valid; otherwise nothing changes and the report names each row and column."""
    report = ImportReport()
    sheets = read_sheets(data)
    results_rows = _sheet_rows(sheets, "Resultados", RESULT_COLUMNS, report)
    indicator_rows = _sheet_rows(sheets, "Indicadores", INDICATOR_COLUMNS, report)
    activity_rows = _sheet_rows(sheets, "Actividades", ACTIVITY_COLUMNS, report)

    new_results: dict[int, PlanResult] = {}
    for number, row, shown in results_rows:
        sheet = "Resultados"
        n = _check(report, sheet, number, shown["n"], parse_number, row.get("n"), "N°", integer=True)
        if n is not None and n in new_results:
            report.add(number, shown["n"], f"El resultado N° {n} está repetido.", sheet)
            n = None
        name = _check(report, sheet, number, shown["name"], clean_text, row.get("name"), "Resultado", required=True)
        goal = _check(report, sheet, number, shown["goal"], parse_number, row.get("goal"), "Meta", integer=True)
        unit = _check(report, sheet, number, shown["unit"], clean_text, row.get("unit"), "Unidad de medida")
        if n is not None and name:
            new_results[n] = PlanResult(name=name, position=n, goal_value=goal, goal_unit=unit)
    if not results_rows:
        report.add(1, "Resultado", "La hoja no tiene resultados.", "Resultados")

    def result_for(sheet: str, number: int, column: str, raw: Any) -> PlanResult | None:
        n = _check(report, sheet, number, column, parse_number, raw, "Resultado N°", integer=True)
        if n is None:
            if raw is None or str(raw).strip() == "":
                report.add(number, column, "Indique el N° del resultado.", sheet)
            return None
        if n not in new_results:
            report.add(number, column, f"No hay un resultado N° {n} en la hoja «Resultados».", sheet)
            return None
        return new_results[n]

    for position, (number, row, shown) in enumerate(indicator_rows, start=1):
        sheet = "Indicadores"
        result = result_for(sheet, number, shown["result"], row.get("result"))
        name = _check(report, sheet, number, shown["name"], clean_text, row.get("name"), "Indicador", required=True)
        formula = _check(report, sheet, number, shown["formula"], clean_text, row.get("formula"), "Fórmula", limit=2000)
        source = _check(report, sheet, number, shown["source"], clean_text, row.get("source"), "Fuente")
        baseline = _check(report, sheet, number, shown["baseline"], parse_number, row.get("baseline"), "Línea de base")
        target = _check(report, sheet, number, shown["target"], parse_number, row.get("target"), "Meta del indicador")
        if result is not None and name:
            result.indicators.append(
                PlanIndicator(
                    name=name, position=position, formula=formula, source=source, baseline=baseline, target=target
                )
            )

    for position, (number, row, shown) in enumerate(activity_rows, start=1):
        sheet = "Actividades"
        result = result_for(sheet, number, shown["result"], row.get("result"))
        name = _check(report, sheet, number, shown["name"], clean_text, row.get("name"), "Actividad", required=True)
        budget = _check(report, sheet, number, shown["budget"], parse_money, row.get("budget"), "Presupuesto")
        program = _check(report, sheet, number, shown["program"], strategic_program_by_key, row.get("program"))
        funding = _check(report, sheet, number, shown["funding"], check_funding, row.get("funding"))
        raw_inst = str(row.get("institutions") or "")
        institutions = _check(
            report, sheet, number, shown["institutions"], institutions_by_key, raw_inst.replace(",", ";").split(";")
        )
        months = _check(report, sheet, number, shown["months"], parse_months, row.get("months"))
        official = _check(report, sheet, number, shown["official"], clean_text, row.get("official"), "Funcionario")
        physical = _check(
            report, sheet, number, shown["physical_goal"], parse_number, row.get("physical_goal"), "Meta física"
        )
        physical_unit = _check(
            report, sheet, number, shown["physical_unit"], clean_text, row.get("physical_unit"), "Unidad"
        )
        communities = _check(
            report, sheet, number, shown["communities"], clean_text, row.get("communities"), "Comunidades", limit=2000
        )
        if result is not None and name:
            result.activities.append(
                PlanActivity(
                    name=name,
                    position=position,
                    budget=budget,
                    strategic_program=program,
                    funding_source=funding,
                    institutions=institutions or [],
                    months=months or [],
                    official=official,
                    physical_goal=Decimal(physical) if physical is not None else None,
                    physical_unit=physical_unit,
                    communities=communities,
                )
            )

    if not report.ok:
        # The new objects were never added to the session: dropping them leaves the plan untouched.
        for result in new_results.values():
            for act in result.activities:
                act.institutions = []
        return report
    with db.session.no_autoflush:
        for old in list(plan.results):
            plan.results.remove(old)
        db.session.flush()
        for n in sorted(new_results):
            plan.results.append(new_results[n])
    db.session.flush()
    report.saved = len(new_results)
    return report
