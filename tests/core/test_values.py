"""One parser per value type and the one number formatter (core.values)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core import values
from core.values import ValueProblem, format_number


@pytest.mark.parametrize(
    "typed", ["S/ 1,200.50", "S/. 1 200,50", "1200,50", "1 200,50", "1,200.50", "1.200,50", "1200.5", 1200.5]
)
def test_money_accepts_the_glossary_forms(typed):
    assert values.parse_money(typed, "Presupuesto") == Decimal("1200.50")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("10.555", "two decimals"),
        ("-5", "cannot be negative"),
        ("mil soles", "must be an amount in soles"),
        ("1e9999", "exceeds the largest amount"),
        ("NaN", "must be an amount in soles"),
        (True, "must be a number"),
    ],
)
def test_money_refusals_name_the_field(typed, problem):
    with pytest.raises(ValueProblem, match=problem) as refused:
        values.parse_money(typed, "Presupuesto")
    assert "«Presupuesto»" in str(refused.value)


def test_money_negative_only_when_allowed_and_empty_is_none_unless_required():
    assert values.parse_money("-1,50", "Saldo", negative=True) == Decimal("-1.50")
    assert values.parse_money("  ", "Saldo") is None
    with pytest.raises(ValueProblem, match="is required"):
        values.parse_money("", "Saldo", required=True)


@pytest.mark.parametrize(("typed", "number"), [("19,2", "19.2"), ("19.2", "19.2"), ("1 200,5", "1200.5"), (7, "7")])
def test_decimals_in_peruvian_and_international_form(typed, number):
    assert values.parse_decimal(typed, "Valor") == Decimal(number)


def test_percentages_accept_the_sign_and_stay_between_0_and_100():
    assert values.parse_percentage("45,5 %", "Avance") == Decimal("45.5")
    assert values.parse_percentage("100%", "Avance") == Decimal("100")
    with pytest.raises(ValueProblem, match="between 0 and 100"):
        values.parse_percentage("101", "Avance")
    with pytest.raises(ValueProblem, match="cannot be negative"):
        values.parse_percentage("-1", "Avance")


def test_dates_iso_and_as_peru_writes_them():
    assert values.parse_date("2008-06-30", "Fecha") == date(2008, 6, 30)
    assert values.parse_date("30/06/2008", "Fecha") == date(2008, 6, 30)
    with pytest.raises(ValueProblem, match="must be a date"):
        values.parse_date("31/06/2008", "Fecha")


def test_dni_and_ubigeo_digits():
    assert values.parse_dni(" 22418530 ") == "22418530"
    for bad in ("2241853", "2241853X", "224185301"):
        with pytest.raises(ValueProblem, match="8 digits"):
            values.parse_dni(bad)
    assert values.parse_ubigeo("100102") == "100102"
    with pytest.raises(ValueProblem, match="6 digits"):
        values.parse_ubigeo("10010")


def test_integers_refuse_fractions():
    assert values.parse_integer("1,200", "N°") == 1200
    with pytest.raises(ValueProblem, match="whole number"):
        values.parse_integer("1.5", "N°")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2E+1"), "20"),
        (Decimal("60.0000"), "60"),
        (Decimal("1E+2"), "100"),
        (100, "100"),
        (Decimal("1000000"), "1,000,000"),
        (Decimal("1E+6"), "1,000,000"),
        (Decimal("19.2000"), "19.2"),
        (Decimal("0.0000"), "0"),
        ("19.25", "19.25"),
        (None, ""),
    ],
)
def test_one_number_formatter_never_prints_exponents(value, shown):
    assert format_number(value) == shown


def test_number_formatter_with_fixed_places_and_no_floats():
    assert format_number(Decimal("1234.5"), 2) == "1,234.50"
    with pytest.raises(TypeError):
        format_number(0.1)
