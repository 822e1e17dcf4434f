"""Reading uploaded tables (CSV or XLSX) row by row, and the per-row error report of an import.

An import validates every row first and saves nothing if any row is wrong; the report names
the row (as the spreadsheet numbers it) and the column of each problem.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from flask_babel import gettext as _

from core.refusals import Refusal

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class TableError(Refusal, ValueError):
    """The file as a whole cannot be read (400): a Refusal, like MatrixError."""


class ImportRefused(Refusal):
    """An import with problems in its rows: nothing is saved, and the report says what to fix.

    The report is part of the refusal so that the API answers it (as_json) and the page shows it."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("Import refused: nothing was saved."), 400)
        self.report = report

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), **self.report.as_dict()}


@dataclass
class RowProblem:
    row: int  # as the spreadsheet shows it (header is row 1)
    column: str
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"Hoja «{self.sheet}», fila {self.row}" if self.sheet else f"Fila {self.row}"
        return f"{where}, columna «{self.column}»: {self.message}"


@dataclass
class ImportReport:
    """The outcome of an import: rows read, rows saved, and every problem found."""

    rows: int = 0
    saved: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, column: str, message: str, sheet: str | None = None) -> None:
        self.problems.append(RowProblem(row, column, message, sheet))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "saved": self.saved,
            "errors": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
                for p in self.problems
            ],
        }


def _normalize_header(value: Any) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().strip().lower()
    return "_".join(text.replace("/", " ").replace("-", " ").split())


def is_xlsx(data: bytes) -> bool:
    """An XLSX is a ZIP holding xl/workbook.xml; anything else (CSV renamed, a PDF, an old .xls) is not."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_sheets(data: bytes, max_rows: int = MAX_ROWS) -> dict[str, tuple[list[str], list[tuple[int, dict[str, Any]]]]]:
    """Every sheet of an XLSX: name → (normalized headers, [(row number, {header: value})]).

    The workbook is checked as a ZIP first (size, compression ratio, declared sheet dimensions) and then
    parsed in a separate process with a time limit (core.spreadsheet): a crafted file is refused fast."""
    from core.spreadsheet import SpreadsheetRefused, check_xlsx, parse_bounded

    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is too large (5 MB at most)."))
    if not is_xlsx(data):
        raise TableError(_("The file is not a valid Excel workbook (.xlsx)."))
    limits = xlsx_limits()
    try:
        check_xlsx(data, limits)
        return parse_bounded(partial(parse_sheets, max_rows=max_rows), data, limits.timeout)
    except SpreadsheetRefused as error:
        raise TableError(str(error)) from error


def xlsx_limits():  # noqa: ANN201
    """The configured bounds (defaults outside an application, e.g. in the parsing process)."""
    from flask import current_app, has_app_context

    from core.spreadsheet import XlsxLimits

    if not has_app_context():
        return XlsxLimits()
    config = current_app.config
    return XlsxLimits(
        max_uncompressed=int(config["XLSX_MAX_UNCOMPRESSED_BYTES"]),
        max_ratio=float(config["XLSX_MAX_RATIO"]),
        max_cells=int(config["XLSX_MAX_CELLS"]),
        timeout=float(config["XLSX_PARSE_TIMEOUT"]),
    )


def parse_sheets(
    data: bytes, max_rows: int = MAX_ROWS
) -> dict[str, tuple[list[str], list[tuple[int, dict[str, Any]]]]]:
    """The parse itself (runs in the bounded process: module level, picklable result)."""
    from openpyxl import load_workbook

    from core.spreadsheet import restore_cell

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — any parsing failure is the same answer for the user
        raise TableError(_("The file is not a valid Excel workbook (.xlsx).")) from error
    sheets = {}
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            header = next(rows, None) or ()
            headers = [_normalize_header(h) for h in header]
            out = []
            for number, values in enumerate(rows, start=2):
                if number > max_rows + 1:
                    raise TableError(
                        _("The sheet «%(sheet)s» has more than %(rows)s rows.", sheet=worksheet.title, rows=max_rows)
                    )
                if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                out.append((number, {h: restore_cell(v) for h, v in zip(headers, values, strict=False) if h}))
            sheets[worksheet.title] = (headers, out)
    finally:
        workbook.close()
    return sheets


def read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The first sheet of an XLSX (see read_sheets)."""
    sheets = read_sheets(data, max_rows)
    if not sheets:
        raise TableError(_("The workbook has no sheets."))
    headers, rows = next(iter(sheets.values()))
    if not headers:
        raise TableError(_("The sheet is empty: its first row must have the column names."))
    return headers, rows


def read_csv(data: bytes, max_rows: int = MAX_ROWS) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    from core.spreadsheet import restore_cell

    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is too large (5 MB at most)."))
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise TableError(_("The file is not a text CSV."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise TableError(_("The file is empty: its first row must have the column names."))
    headers = [_normalize_header(h) for h in header]
    out = []
    for number, values in enumerate(reader, start=2):
        if number > max_rows + 1:
            raise TableError(_("The file has more than %(rows)s rows.", rows=max_rows))
        if not any(v.strip() for v in values):
            continue
        out.append((number, {h: (restore_cell(v.strip()) or None) for h, v in zip(headers, values, strict=False) if h}))
    return headers, out


def read_table(
    filename: str, data: bytes, max_rows: int = MAX_ROWS
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """A CSV or XLSX upload by its content (an .xlsx name on a non-XLSX file is refused); ``max_rows``:
    the most data rows accepted (an indicator's measurements for every district run to tens of thousands)."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return read_csv(data, max_rows)
    if name.endswith(".xlsx") or data.startswith(b"PK"):
        return read_xlsx(data, max_rows)
    raise TableError(_("Upload an .xlsx (Excel) or .csv file."))


def require_columns(headers: list[str], needed: dict[str, str]) -> None:
    """``needed``: normalized name → name shown in the message."""
    missing = [shown for name, shown in needed.items() if name not in headers]
    if missing:
        raise TableError(_("Missing columns: %(columns)s.", columns=", ".join(f"«{m}»" for m in missing)))
