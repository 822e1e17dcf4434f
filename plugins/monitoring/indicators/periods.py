"""Periods of a measurement: a year, a quarter or a month, as (year, kind, number) with number 0 for a year."""

from __future__ import annotations

from datetime import date

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTH_NAMES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "setiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


def period_start(year: int, kind: str, number: int) -> date:
    """The first day of the period."""
    if kind == "year":
        return date(year, 1, 1)
    if kind == "quarter":
        return date(year, 3 * (number - 1) + 1, 1)
    if kind == "month":
        return date(year, number, 1)
    raise ValueError(f"unknown period kind: {kind}")


def period_label(year: int, kind: str, number: int) -> str:
    """How documents and tables name the period, in Spanish: "2024", "II trimestre 2024", "setiembre 2024"."""
    if kind == "quarter":
        return f"{QUARTER_NAMES.get(number, number)} trimestre {year}"
    if kind == "month" and 1 <= number <= 12:
        return f"{MONTH_NAMES[number - 1]} {year}"
    return str(year)


def parse_period(text: str) -> tuple[int, str, int]:
    """ "2024" → (2024, "year", 0); "2024-T2" or "2024-Q2" → quarter; "2024-05" → month. ValueError otherwise."""
    text = (text or "").strip().upper()
    year_text, _, rest = text.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4):
        raise ValueError(text)
    year = int(year_text)
    if not rest:
        return year, "year", 0
    if rest[0] in "TQ" and rest[1:].isdigit() and 1 <= int(rest[1:]) <= 4:
        return year, "quarter", int(rest[1:])
    if rest.isdigit() and 1 <= int(rest) <= 12:
        return year, "month", int(rest)
    raise ValueError(text)


def period_code(year: int, kind: str, number: int) -> str:
    """The inverse of :func:`parse_period`: "2024", "2024-T2", "2024-05"."""
    if kind == "quarter":
        return f"{year}-T{number}"
    if kind == "month":
        return f"{year}-{number:02d}"
    return str(year)
