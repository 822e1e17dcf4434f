"""Spanish (Peru) formatting helpers for legal documents: dates, dates in words, soles."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import format_date, get_month_names
from num2words import num2words

from core.values import format_number

_LOCALE = "es_PE"
_CENT = Decimal("0.01")
# Ley N° 30381 renamed the Nuevo Sol (S/.) to Sol (S/); in force from 15 December 2015.
SOL_SINCE = date(2015, 12, 15)
MONEY_STYLES = ("table", "legal")

# num2words writes the full "uno"/"veintiuno" everywhere; Spanish shortens it before
# mil/millón/... ("veintiún mil") and before a noun ("treinta y un días").
_UNO = r"\b(veinti)?uno"
_SCALE = r" (?:mil|millón|millones|billón|billones)\b"
_BEFORE_SCALE = re.compile(_UNO + f"(?={_SCALE})")
_BEFORE_NOUN = re.compile(_UNO + f"(?={_SCALE}|$)")


def _setiembre(text: str) -> str:
    # Peruvian official usage is "setiembre"; CLDR data may give "septiembre".
    return text.replace("septiembre", "setiembre")


def _cardinal(n: int, *, before_noun: bool = False) -> str:
    pattern = _BEFORE_NOUN if before_noun else _BEFORE_SCALE
    return pattern.sub(lambda m: "veintiún" if m.group(1) else "un", num2words(n, lang="es"))


def month_name(month: int) -> str:
    """Spanish month name in lower case ("setiembre" for 9)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return _setiembre(str(get_month_names("wide", locale=_LOCALE)[month]).lower())


def long_date(d: date, place: str | None = None) -> str:
    """Long date: "30 de junio de 2008", or "Huánuco, 30 de junio de 2008" with a place."""
    text = _setiembre(format_date(d, "d 'de' MMMM 'de' y", locale=_LOCALE))
    return f"{place}, {text}" if place else text


def date_in_words(d: date) -> str:
    """Closing-formula date: "a los treinta días del mes de junio del año dos mil ocho"."""
    tail = f"del mes de {month_name(d.month)} del año {_cardinal(d.year)}"
    if d.day == 1:
        return f"al primer día {tail}"
    return f"a los {_cardinal(d.day, before_noun=True)} días {tail}"


def currency_for(d: date) -> tuple[str, str, str]:
    """(symbol, unit plural, unit singular) in force on date ``d``."""
    if d >= SOL_SINCE:
        return ("S/", "Soles", "Sol")
    return ("S/.", "Nuevos Soles", "Nuevo Sol")


def _to_decimal(amount: Decimal | int | str) -> Decimal:
    # Floats cannot hold most cents exactly: one reaching money code is a bug upstream.
    if isinstance(amount, (float, bool)) or not isinstance(amount, (Decimal, int, str)):
        raise TypeError(f"money amounts must be Decimal, int or str, not {type(amount).__name__}")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | int | str, d: date | None = None, style: str = "table") -> str:
    """Amount in figures: "table" → "S/ 1,234,567.00"; "legal" → "S/ 1 234 567,00".

    The symbol follows the date (default today): "S/." before 15 Dec 2015.
    """
    value = _to_decimal(amount)
    figures = f"{abs(value):,.2f}"
    if style == "legal":
        figures = figures.replace(",", " ").replace(".", ",")
    elif style != "table":
        raise ValueError(f"style must be one of {MONEY_STYLES}, got {style!r}")
    sign = "-" if value < 0 else ""
    return f"{sign}{currency_for(d or date.today())[0]} {figures}"


def amount_in_words(amount: Decimal | int | str, d: date | None = None) -> str:
    """Amount in words as Peruvian documents write it: "UN MILLÓN DOSCIENTOS MIL Y 00/100 SOLES".

    The unit is always plural and the integer part keeps its full form, since it is
    followed by "Y NN/100", not by the noun: 1 → "UNO Y 00/100 SOLES",
    21 → "VEINTIUNO Y 00/100 SOLES", but 21 000 → "VEINTIÚN MIL Y 00/100 SOLES".
    """
    value = _to_decimal(amount)
    if value < 0:
        raise ValueError("amounts in words must not be negative")
    units, cents = divmod(int(value * 100), 100)
    unit = currency_for(d or date.today())[1]
    return f"{_cardinal(units)} y {cents:02d}/100 {unit}".upper()


def legal_money(amount: Decimal | int | str, d: date | None = None) -> str:
    """Words and figures: "UN MILLÓN DOSCIENTOS MIL Y 00/100 SOLES (S/ 1 200 000,00)"."""
    d = d or date.today()
    return f"{amount_in_words(amount, d)} ({money(amount, d, style='legal')})"


def number(value: Decimal | int | str | None, places: int | None = None) -> str:
    """The one number formatter as the ``number`` template filter of pages and documents:
    20, 1,000,000, 19.2 — never "2E+1" (see core.values.format_number)."""
    return format_number(value, places)


def safe_filename(text: str, limit: int = 100) -> str:
    """ASCII letters, digits, dot, dash and underscore only: safe in any Content-Disposition."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-.")
    return cleaned[:limit] or "documento"
