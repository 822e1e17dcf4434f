"""The plan's matrix as an XLSX workbook (openpyxl): export, and import that replaces the matrix
only when every row of every sheet is valid.

Sheets: «Resultados» (N°, resultado, meta, unidad), «Indicadores» (resultado N°, indicador, fórmula,
fuente, línea de base, meta del indicador), «Actividades» (resultado N°, actividad, presupuesto,
programa estratégico, fuente de financiamiento, instituciones, meses, funcionario, meta física,
unidad, comunidades), «Totales» (formulas; ignored on import) and the hidden «Listas» (values of
the drop-down lists). Catalog values are written as labels (institutions separated by «;»); the
import accepts labels or keys, so an export imports back into the same plan unchanged.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from core.extensions import db
from core.spreadsheet import safe_cell
from core.values import ValueProblem
from plugins.diagnosis.fields import ACTIVITY, INDICATOR, MATRIX_NUMBER, RESULT, parse_value
from plugins.diagnosis.matrix import MatrixError, funding_label
from plugins.diagnosis.models import FUNDING_SOURCES, Plan, PlanActivity, PlanIndicator, PlanResult, month_list
from plugins.diagnosis.tabular import ImportReport, TableError, _normalize_header, read_sheets

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"S/" #,##0.00'

# (sheet, [(header, field)]) — headers are what people see; fields what the import reads: the declared
# fields of the row (fields.py), which parse the cells, and the numbers that tie rows to results.
RESULT_COLUMNS = [
    ("N°", "n"),
    ("Resultado", "name"),
    ("Meta (beneficiarios)", "goal_value"),
    ("Unidad de medida", "goal_unit"),
]
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
    ("Programa estratégico", "strategic_program"),
    ("Fuente de financiamiento", "funding_source"),
    ("Instituciones responsables", "institutions"),
    ("Meses", "months"),
    ("Funcionario responsable", "official"),
    ("Meta física", "physical_goal"),
    ("Unidad de la meta física", "physical_unit"),
    ("Comunidades focalizadas", "communities"),
]
SHEETS = {"Resultados": RESULT_COLUMNS, "Indicadores": INDICATOR_COLUMNS, "Actividades": ACTIVITY_COLUMNS}


LISTS_SHEET = "Listas"


def cell_value(value: Any) -> Any:
    """Every value written to the workbook (typed by a person or read from a catalog) passes through
    here: user text that would run as a formula is neutralised (core.spreadsheet.safe_cell). Formulas
    of our own use ``put_formula``."""
    return safe_cell(value)


def put_row(sheet: Any, values: list[Any]) -> None:
    sheet.append([cell_value(v) for v in values])


def put_formula(cell: Any, formula: str) -> None:
    """A formula of our own (totals), never built from user text except as a quoted criterion."""
    cell.value = formula


def _quoted(text: str) -> str:
    """A text as a formula string literal (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def export_matrix(plan: Plan) -> bytes:
    """The matrix as XLSX bytes (load the plan with matrix.load_plan to keep it to a few queries).

    Catalog columns hold labels as the pages show them (program name, «Recursos Ordinarios (RO)»,
    institution acronyms), each with a drop-down list read from the hidden «Listas» sheet; the
    «Totales» sheet computes its figures with formulas over «Actividades», so edits re-total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from core.models import Institution, StrategicProgram

    workbook = Workbook()
    bold = Font(bold=True)
    sheets = {}
    for index, (title, columns) in enumerate(SHEETS.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        put_row(sheet, [header for header, _name in columns])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        sheets[title] = sheet
    for number, result in enumerate(plan.results, start=1):
        put_row(sheets["Resultados"], [number, result.name, result.goal_value, result.goal_unit])
        for ind in result.indicators:
            put_row(sheets["Indicadores"], [number, ind.name, ind.formula, ind.source, ind.baseline, ind.target])
        for act in result.activities:
            put_row(
                sheets["Actividades"],
                [
                    number,
                    act.name,
                    act.budget,
                    act.strategic_program.name if act.strategic_program else None,
                    funding_label(act.funding_source) or None,
                    "; ".join(i.label for i in act.institutions) or None,
                    ",".join(str(m) for m in month_list(act.months)) or None,
                    act.official,
                    act.physical_goal,
                    act.physical_unit,
                    act.communities,
                ],
            )
    activities = sheets["Actividades"]
    last = max(activities.max_row, 2) + 500  # drop-downs and totals also cover rows people add
    for row in activities.iter_rows(min_row=2, max_row=last, min_col=3, max_col=3):
        row[0].number_format = MONEY_FORMAT

    # Drop-down lists: catalog values on a hidden sheet, referenced by range (an inline list is
    # limited to 255 characters).
    programs = db.session.scalars(
        select(StrategicProgram).order_by(StrategicProgram.position, StrategicProgram.id)
    ).all()
    institutions = db.session.scalars(
        select(Institution).where(Institution.active.is_(True)).order_by(Institution.position, Institution.id)
    ).all()
    lists = workbook.create_sheet(LISTS_SHEET)
    columns = {
        "A": ("Programa estratégico", [p.name for p in programs]),
        "B": ("Fuente de financiamiento", [funding_label(c) for c in FUNDING_SOURCES]),
        "C": ("Instituciones responsables", [i.label for i in institutions]),
    }
    for letter, (header, values) in columns.items():
        lists[f"{letter}1"] = cell_value(header)
        for offset, value in enumerate(values, start=2):
            lists[f"{letter}{offset}"] = cell_value(value)
    lists.sheet_state = "hidden"
    header_of = {field: index for index, (_h, field) in enumerate(ACTIVITY_COLUMNS, start=1)}
    for letter, field, strict in (
        ("A", "strategic_program", True),
        ("B", "funding_source", True),
        ("C", "institutions", False),
    ):
        count = len(columns[letter][1])
        validation = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${count + 1}",  # as Excel stores it: no "="
            allow_blank=True,
            # Several institutions go in one cell («MINSA; DIRESA»): the list helps, it does not forbid.
            showErrorMessage=strict,
            errorTitle=columns[letter][0],
            error="Elija un valor de la lista.",
        )
        target = get_column_letter(header_of[field])
        validation.add(f"{target}2:{target}{last}")
        activities.add_data_validation(validation)

    # Totals as formulas over the «Actividades» sheet.
    summary = workbook.create_sheet("Totales")
    put_row(summary, ["Concepto", "Presupuesto (S/)"])
    budget = f"Actividades!$C$2:$C${last}"
    result_col = f"Actividades!$A$2:$A${last}"
    program_col = f"Actividades!$D$2:$D${last}"
    for number, result in enumerate(plan.results, start=1):
        put_row(summary, [f"Resultado {number}: {result.name}", None])
        put_formula(summary.cell(summary.max_row, 2), f"=SUMIFS({budget},{result_col},{number})")
    for program in programs:
        put_row(summary, [f"Programa estratégico: {program.name}", None])
        put_formula(summary.cell(summary.max_row, 2), f"=SUMIFS({budget},{program_col},{_quoted(program.name)})")
    put_row(summary, ["Sin programa estratégico", None])
    put_formula(summary.cell(summary.max_row, 2), f'=SUMIFS({budget},{program_col},"")')
    put_row(summary, ["TOTAL", None])
    put_formula(summary.cell(summary.max_row, 2), f"=SUM({budget})")
    for cell in summary[1]:
        cell.font = bold
    summary.cell(summary.max_row, 1).font = bold
    for row in summary.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = MONEY_FORMAT
    for sheet in workbook.worksheets:
        for column in sheet.iter_cols():
            # Formulas are not what a reader sees: they do not widen the column.
            width = max(
                (len(str(c.value)) for c in column if c.value is not None and not str(c.value).startswith("=")),
                default=0,
            )
            sheet.column_dimensions[column[0].column_letter].width = min(max(14, width + 2), 60)
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_rows(sheets: dict, title: str, columns: list[tuple[str, str]], report: ImportReport) -> list:
    """Rows of one sheet with fields named as in ``columns``; a missing sheet or column is reported."""
    if title not in sheets:
        raise TableError(
            _("The sheet «%(title)s» is missing (download the matrix in Excel to see the format).", title=title)
        )
    headers, rows = sheets[title]
    by_header = {_normalize_header(header): name for header, name in columns}
    missing = [header for header, _name in columns if _normalize_header(header) not in headers]
    if missing:
        raise TableError(
            _(
                "Sheet «%(title)s»: missing columns %(columns)s.",
                title=title,
                columns=", ".join(f"«{m}»" for m in missing),
            )
        )
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


def _cells(report: ImportReport, sheet: str, number: int, shown: dict[str, str], fields: Any, row: dict) -> dict:
    """The row's cells of declared fields (fields.py), each parsed by its declaration; a refused one is
    reported at its column (naming the field) and read as empty."""
    values: dict[str, Any] = {}
    for f in fields.inputs:
        try:
            values[f.name] = f.parse(row.get(f.name), label=str(f.label))
        except ValueProblem as problem:
            report.add(number, shown[f.name], str(problem), sheet)
            values[f.name] = None
    return values


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
        n = _check(report, sheet, number, shown["n"], parse_value, MATRIX_NUMBER, row.get("n"), "N°")
        if n is not None and n in new_results:
            report.add(number, shown["n"], _("Result No. %(number)s is repeated.", number=n), sheet)
            n = None
        values = _cells(report, sheet, number, shown, RESULT, row)
        if n is not None and values["name"]:
            new_results[n] = PlanResult(position=n, **values)
    if not results_rows:
        report.add(1, "Resultado", _("The sheet has no results."), "Resultados")

    def result_for(sheet: str, number: int, column: str, raw: Any) -> PlanResult | None:
        n = _check(report, sheet, number, column, parse_value, MATRIX_NUMBER, raw, "Resultado N°")
        if n is None:
            if raw is None or str(raw).strip() == "":
                report.add(number, column, _("Give the result's No."), sheet)
            return None
        if n not in new_results:
            report.add(
                number, column, _("There is no result No. %(number)s in the «Resultados» sheet.", number=n), sheet
            )
            return None
        return new_results[n]

    for position, (number, row, shown) in enumerate(indicator_rows, start=1):
        sheet = "Indicadores"
        result = result_for(sheet, number, shown["result"], row.get("result"))
        values = _cells(report, sheet, number, shown, INDICATOR, row)
        if result is not None and values["name"]:
            result.indicators.append(PlanIndicator(position=position, **values))

    for position, (number, row, shown) in enumerate(activity_rows, start=1):
        sheet = "Actividades"
        result = result_for(sheet, number, shown["result"], row.get("result"))
        values = _cells(report, sheet, number, shown, ACTIVITY, row)
        if result is not None and values["name"]:
            values["institutions"] = values["institutions"] or []
            values["months"] = values["months"] or []
            result.activities.append(PlanActivity(position=position, **values))

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
