"""One parser per value type, and the one number formatter.

Every path that reads a value typed by a person or sent by a program (pages, API, spreadsheet
imports, custom fields, declared fields) parses it here, so "S/ 1,200.50" means the same
everywhere. Parsers return Python values (``Decimal`` for money and decimals, never a float)
or raise :class:`ValueProblem` with a translated message naming the field.

:func:`format_number` is the one way numbers are printed (pages, exports, documents): never in
scientific notation (``Decimal("2E+1")`` prints "20"), thousands separated by commas, the
decimals a value has and no trailing zeros.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

#: The range of PostgreSQL's ``integer``, the type of every id column (SQLite stores more, but the
#: same limit on both databases keeps behaviour identical).
DB_INT_MAX = 2**31 - 1

CENT = Decimal("0.01")
MONEY_MAX = Decimal("999999999999.99")  # Numeric(14, 2), the money columns' size
DNI_RE = re.compile(r"^\d{8}$")
UBIGEO_RE = re.compile(r"^\d{6}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class ValueProblem(ValueError):
    """A value that does not fit its type; the message is translated and names the field."""


def is_empty(raw: Any) -> bool:
    """None, blank text and empty collections are "no value"."""
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == [] or raw == {}


# --- numbers ---------------------------------------------------------------------------------------------


def _number_text(raw: Any, label: str) -> str:
    if isinstance(raw, bool):
        raise ValueProblem(_("«%(label)s» must be a number.", label=label))
    if isinstance(raw, float):
        raw = repr(raw)  # shortest repr: 1234.5 stays 1234.5, not 1234.499999…
    return _SPACES.sub("", str(raw)).strip()


def _separators(text: str) -> str:
    """Peruvian ("1 200,50", "19,2") and international ("1,200.50", "19.2") forms → "1200.50".

    With both separators the last one is the decimal mark. With only commas, one comma followed
    by one or two digits is a decimal comma ("1200,50", "19,2"); otherwise commas group thousands.
    """
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    if "," in text:
        head, _sep, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) in (1, 2):
            return f"{head}.{tail}"
        if all(len(group) == 3 for group in text.split(",")[1:]):
            return text.replace(",", "")
    return text


def decimal_text(raw: Any, *, percent: bool = False) -> str:
    """A typed number as ``Decimal``-ready text ("1.234.567,50" → "1234567.50"); with ``percent`` a
    trailing "%" is dropped ("19,2 %" → "19.2")."""
    text = _number_text(raw, "")
    if percent:
        text = text.removesuffix("%")
    return _separators(text)


def _to_decimal(text: str, raw: Any, label: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(_("«%(label)s» must be a number, not «%(value)s».", label=label, value=raw)) from None
    if not value.is_finite():
        raise ValueProblem(_("«%(label)s» must be a number.", label=label))
    return value


def check_limits(value: Decimal | int, label: str, minimum: Any = None, maximum: Any = None) -> None:
    """A number within a declared field's limits (either may be None); the message names the field
    and the limits as pages print numbers."""
    low = None if minimum is None else Decimal(str(minimum))
    high = None if maximum is None else Decimal(str(maximum))
    if (low is None or value >= low) and (high is None or value <= high):
        return
    if low is not None and high is not None:
        raise ValueProblem(
            _(
                "«%(label)s» must be between %(low)s and %(high)s.",
                label=label,
                low=format_number(low),
                high=format_number(high),
            )
        )
    if high is not None:
        raise ValueProblem(_("«%(label)s» must be at most %(maximum)s.", label=label, maximum=format_number(high)))
    raise ValueProblem(_("«%(label)s» must be at least %(minimum)s.", label=label, minimum=format_number(low)))


def parse_decimal(
    raw: Any,
    label: str,
    *,
    required: bool = False,
    places: int | None = None,
    negative: bool = False,
    minimum: Any = None,
    maximum: Any = None,
) -> Decimal | None:
    """A decimal number in the Peruvian or international form ("19,2", "19.2", "1 200,5"); None when empty.

    ``minimum`` / ``maximum``: the field's limits (see :func:`check_limits`)."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    value = _to_decimal(_separators(_number_text(raw, label)), raw, label)
    if value < 0 and not negative:
        raise ValueProblem(_("«%(label)s» cannot be negative.", label=label))
    check_limits(value, label, minimum, maximum)
    if places is not None and value.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueProblem(_("«%(label)s» admits at most %(places)s decimals.", label=label, places=places))
    return value


def parse_integer(
    raw: Any,
    label: str,
    *,
    required: bool = False,
    negative: bool = False,
    minimum: Any = None,
    maximum: Any = None,
) -> int | None:
    """A whole number ("1,200" and "1 200" too) within ``minimum`` / ``maximum``; None when empty."""
    value = parse_decimal(raw, label, required=required, negative=negative, minimum=minimum, maximum=maximum)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueProblem(_("«%(label)s» must be a whole number.", label=label))
    return int(value)


def parse_money(
    raw: Any,
    label: str,
    *,
    required: bool = False,
    negative: bool = False,
    minimum: Any = None,
    maximum: Any = None,
) -> Decimal | None:
    """Soles as ``Decimal`` with two places: "S/ 1,200.50", "S/. 1200,50", "1 200,50", "1200.5"; None when empty.

    At most two decimals (a cent is the smallest amount), never negative unless ``negative``, never
    over what a money column holds (MONEY_MAX); ``minimum`` / ``maximum``: the field's own limits.
    """
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    text = _number_text(raw, label)
    if text.upper().startswith("S/"):
        text = text[2:].lstrip(".")
    try:
        value = Decimal(_separators(text))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueProblem(
            _(
                "«%(label)s» must be an amount in soles (for example 1,234,567.50), not «%(value)s».",
                label=label,
                value=raw,
            )
        )
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueProblem(_("«%(label)s»: an amount admits at most two decimals.", label=label))
    if value < 0 and not negative:
        raise ValueProblem(_("«%(label)s» cannot be negative.", label=label))
    if abs(value) > MONEY_MAX:
        raise ValueProblem(_("«%(label)s» exceeds the largest amount admitted.", label=label))
    check_limits(value, label, minimum, maximum)
    return value.quantize(CENT)


def parse_percentage(
    raw: Any, label: str, *, required: bool = False, places: int = 2, minimum: Any = None, maximum: Any = None
) -> Decimal | None:
    """A percentage 0–100 (or within the field's narrower ``minimum`` / ``maximum``): "45", "45,5",
    "45.5 %", "45%"; None when empty."""
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%").strip()
    value = parse_decimal(raw, label, required=required, places=places)
    if value is not None and value > 100:
        raise ValueProblem(_("«%(label)s» must be a percentage between 0 and 100.", label=label))
    if value is not None:
        check_limits(value, label, minimum, maximum)
    return value


# --- dates, identifiers, text ----------------------------------------------------------------------------


def parse_date(raw: Any, label: str, *, required: bool = False) -> date | None:
    """A date as ISO ("2008-06-30") or as Peru writes it ("30/06/2008"); None when empty."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        if "/" in text:
            return datetime.strptime(text, "%d/%m/%Y").date()
        return date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(
            _("«%(label)s» must be a date (YYYY-MM-DD or DD/MM/YYYY), not «%(value)s».", label=label, value=raw)
        ) from None


def parse_time(raw: Any, label: str, *, required: bool = False) -> time | None:
    """A time of day on the 24-hour clock ("10:00", "10:00:00"); None when empty."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    if isinstance(raw, time):
        return raw
    text = str(raw).strip()
    try:
        if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
            raise ValueError(text)
        return time.fromisoformat(text if len(text.split(":")[0]) == 2 else "0" + text)
    except ValueError:
        raise ValueProblem(
            _("«%(label)s» must be a time HH:MM (24-hour clock), not «%(value)s».", label=label, value=raw)
        ) from None


def parse_dni(raw: Any, label: str = "DNI", *, required: bool = False) -> str | None:
    """A DNI: exactly 8 digits; None when empty."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    text = str(raw).strip()
    if not DNI_RE.match(text):
        raise ValueProblem(_("The DNI has exactly 8 digits, no letters."))
    return text


def parse_ubigeo(raw: Any, label: str = "Ubigeo", *, required: bool = False) -> str | None:
    """An INEI ubigeo code: exactly 6 digits (whether it exists is the caller's question)."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    text = str(raw).strip()
    if not UBIGEO_RE.match(text):
        raise ValueProblem(_("«%(label)s» must be a ubigeo of 6 digits.", label=label))
    return text


def parse_boolean(raw: Any, label: str) -> bool:
    """Yes/no from a checkbox, JSON or a spreadsheet ("sí", "no", "1", "0", true, false)."""
    if isinstance(raw, bool):
        return raw
    if is_empty(raw):
        return False
    text = str(raw).strip().lower()
    if text in ("1", "true", "y", "yes", "si", "sí", "on", "x"):
        return True
    if text in ("0", "false", "n", "no", "off"):
        return False
    raise ValueProblem(_("«%(label)s» must be yes or no.", label=label))


def parse_text(raw: Any, label: str, *, required: bool = False, limit: int | None = None) -> str | None:
    """Trimmed text within ``limit`` characters (longer text is refused, never truncated); None when empty."""
    if is_empty(raw):
        if required:
            raise ValueProblem(_("«%(label)s» is required.", label=label))
        return None
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise ValueProblem(_("«%(label)s» must be a text.", label=label))
    text = str(raw).strip()
    if limit is not None and len(text) > limit:
        raise ValueProblem(_("«%(label)s» admits at most %(limit)s characters.", label=label, limit=limit))
    return text


def parse_email(raw: Any, label: str, *, required: bool = False) -> str | None:
    text = parse_text(raw, label, required=required, limit=200)
    if text is not None and not EMAIL_RE.match(text):
        raise ValueProblem(_("Enter a valid e-mail address."))
    return text


# --- the one number formatter --------------------------------------------------------------------------


def format_number(value: Decimal | int | str | None, places: int | None = None, empty: str = "") -> str:
    """A number as pages, exports and documents print it: 20, 1,000,000, 19.2 — never "2E+1".

    ``places`` fixes the decimals (money: 2); without it the value keeps the decimals it has,
    without trailing zeros. Floats are refused: a float reaching display code is a bug upstream.
    """
    if value is None or value == "":
        return empty
    if isinstance(value, (float, bool)):
        raise TypeError(f"numbers to print must be Decimal, int or str, not {type(value).__name__}")
    number = Decimal(value) if not isinstance(value, Decimal) else value
    if not number.is_finite():
        return str(number)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{number:,.{places}f}"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    # "f" formatting never uses an exponent; strip the zeros a quantized column adds ("19.2000").
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
