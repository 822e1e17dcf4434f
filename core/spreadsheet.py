"""Spreadsheets in and out: what every export writes and what every import must check first.

Out: :func:`safe_cell` neutralises text a spreadsheet would run as a formula (OWASP "CSV injection"):
every CSV and XLSX the platform produces passes its cells through it.
In: :func:`check_xlsx` inspects an uploaded XLSX as a ZIP, before any XML parser sees it, so a small
file that inflates to gigabytes or declares a million-row sheet is refused in milliseconds; then
:func:`parse_bounded` parses it in a separate process with a time and memory limit.
"""

from __future__ import annotations

import concurrent.futures
import io
import multiprocessing
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

# --- exports --------------------------------------------------------------------------------------

#: A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: …unless it is just a number, which must stay a number ("-12,5" is a value, not a formula).
PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d ]*([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as an export cell: text that would run as a formula gets a leading ``'``; numbers,
    dates and ordinary text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + str(value)  # str(): a Markup value would escape the quote
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def restore_cell(value: Any) -> Any:
    """The inverse on import: a cell we neutralised on export reads back as the user's text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# --- imports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XlsxLimits:
    """Bounds for an uploaded workbook (settings XLSX_MAX_UNCOMPRESSED_BYTES, XLSX_MAX_RATIO,
    XLSX_MAX_CELLS, XLSX_PARSE_TIMEOUT)."""

    max_uncompressed: int = 50 * 1024 * 1024
    max_ratio: float = 100.0
    max_cells: int = 200_000
    timeout: float = 20.0


class SpreadsheetRefused(ValueError):
    """A workbook refused before or while parsing; the message is Spanish and meant for the user."""


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def declared_cells(head: bytes) -> int | None:
    """Cells a worksheet declares in its ``<dimension ref="A1:Z900">`` (None when it declares none)."""
    match = DIMENSION.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    return max(rows, 1) * max(columns, 1)


def check_xlsx(data: bytes, limits: XlsxLimits) -> None:
    """Refuse a workbook whose ZIP inflates too much or whose sheets declare too many cells; reads only
    the ZIP directory and the first few KB of each sheet (the ``<dimension>`` element comes first)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SpreadsheetRefused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    with archive:
        entries = archive.infolist()
        total = sum(entry.file_size for entry in entries)
        compressed = sum(entry.compress_size for entry in entries) or 1
        if total > limits.max_uncompressed:
            raise SpreadsheetRefused(
                _(
                    "The uncompressed workbook takes %(size)s MB; the maximum accepted is %(max)s MB.",
                    size=total // (1024 * 1024),
                    max=limits.max_uncompressed // (1024 * 1024),
                )
            )
        if total / compressed > limits.max_ratio:
            raise SpreadsheetRefused(
                _(
                    "The workbook is compressed abnormally (it expands more than %(max_ratio)s times); it is "
                    "not processed. Save it again from Excel or LibreOffice.",
                    max_ratio=f"{limits.max_ratio:g}",
                )
            )
        for entry in entries:
            if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
                continue
            with archive.open(entry) as sheet:
                cells = declared_cells(sheet.read(4096))
            if cells is not None and cells > limits.max_cells:
                raise SpreadsheetRefused(
                    _(
                        "A sheet of the workbook declares %(cells)s cells; the maximum accepted is %(max_cells)s.",
                        cells=f"{cells:,}",
                        max_cells=f"{limits.max_cells:,}",
                    ).replace(",", " ")
                )


def _context() -> multiprocessing.context.BaseContext:
    # "spawn": a fresh interpreter, no copy of the web worker's state (or its locks and connections).
    return multiprocessing.get_context("spawn")


def parse_bounded(function: Callable[[bytes], Any], data: bytes, timeout: float) -> Any:
    """``function(data)`` in a separate process, killed after ``timeout`` seconds. The function must be
    importable (module level) and its result picklable; its exceptions are raised here."""
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=_context())
    try:
        future = executor.submit(function, data)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()  # a runaway parse must not keep a core busy after we answered
            raise SpreadsheetRefused(
                _(
                    "Reading the workbook took more than %(timeout)s seconds and was cancelled; check that it "
                    "has no huge or empty formatted sheets.",
                    timeout=f"{timeout:g}",
                )
            ) from None
        except concurrent.futures.process.BrokenProcessPool:
            raise SpreadsheetRefused(_("The workbook could not be read (the reading process ended).")) from None
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
