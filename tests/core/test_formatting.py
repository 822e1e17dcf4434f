"""Tests for core.formatting: Peruvian legal dates and money."""

from datetime import date
from decimal import Decimal

import pytest

from core.formatting import (
    amount_in_words,
    currency_for,
    date_in_words,
    legal_money,
    long_date,
    money,
    month_name,
)

AFTER_SOL = date(2024, 1, 1)
BEFORE_SOL = date(2008, 6, 30)


def test_long_date() -> None:
    assert long_date(date(2008, 6, 30)) == "30 de junio de 2008"
    assert long_date(date(2008, 6, 30), "Huánuco") == "Huánuco, 30 de junio de 2008"


def test_september_is_setiembre() -> None:
    assert long_date(date(2008, 9, 15)) == "15 de setiembre de 2008"
    assert month_name(9) == "setiembre"


def test_first_of_month_is_plain_1() -> None:
    assert long_date(date(2024, 7, 1)) == "1 de julio de 2024"


def test_month_names_lower_case() -> None:
    assert [month_name(m) for m in (1, 6, 12)] == ["enero", "junio", "diciembre"]
    with pytest.raises(ValueError):
        month_name(13)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2008, 6, 30), "a los treinta días del mes de junio del año dos mil ocho"),
        (date(2008, 7, 1), "al primer día del mes de julio del año dos mil ocho"),
        (date(2008, 9, 21), "a los veintiún días del mes de setiembre del año dos mil ocho"),
        (
            date(2021, 12, 31),
            "a los treinta y un días del mes de diciembre del año dos mil veintiuno",
        ),
    ],
)
def test_date_in_words(d: date, expected: str) -> None:
    assert date_in_words(d) == expected


def test_currency_changes_with_ley_30381() -> None:
    assert currency_for(date(2015, 12, 14)) == ("S/.", "Nuevos Soles", "Nuevo Sol")
    assert currency_for(date(2015, 12, 15)) == ("S/", "Soles", "Sol")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "CERO Y 00/100 SOLES"),
        (1, "UNO Y 00/100 SOLES"),
        (21, "VEINTIUNO Y 00/100 SOLES"),
        (100, "CIEN Y 00/100 SOLES"),
        (101, "CIENTO UNO Y 00/100 SOLES"),
        (1000, "MIL Y 00/100 SOLES"),
        (21000, "VEINTIÚN MIL Y 00/100 SOLES"),
        (101000, "CIENTO UN MIL Y 00/100 SOLES"),
        (1000000, "UN MILLÓN Y 00/100 SOLES"),
        (1200000, "UN MILLÓN DOSCIENTOS MIL Y 00/100 SOLES"),
        (2000000, "DOS MILLONES Y 00/100 SOLES"),
        (21000000, "VEINTIÚN MILLONES Y 00/100 SOLES"),
        (
            Decimal("1234567.89"),
            "UN MILLÓN DOSCIENTOS TREINTA Y CUATRO MIL QUINIENTOS SESENTA Y SIETE Y 89/100 SOLES",
        ),
        ("0.5", "CERO Y 50/100 SOLES"),
        ("0.005", "CERO Y 01/100 SOLES"),  # half-up, not banker's rounding
    ],
)
def test_amount_in_words(amount: Decimal | int | str, expected: str) -> None:
    assert amount_in_words(amount, AFTER_SOL) == expected


def test_amount_in_words_before_2016_is_nuevos_soles() -> None:
    assert amount_in_words(1200000, BEFORE_SOL) == "UN MILLÓN DOSCIENTOS MIL Y 00/100 NUEVOS SOLES"


def test_money_table_and_legal_styles() -> None:
    assert money(Decimal("1234567"), AFTER_SOL) == "S/ 1,234,567.00"
    assert money(1200000, AFTER_SOL, style="legal") == "S/ 1 200 000,00"
    assert money("0.125", AFTER_SOL) == "S/ 0.13"
    assert money(-10, AFTER_SOL) == "-S/ 10.00"
    with pytest.raises(ValueError):
        money(1, AFTER_SOL, style="fancy")


def test_money_symbol_before_2016() -> None:
    assert money(1200000, BEFORE_SOL) == "S/. 1,200,000.00"


@pytest.mark.parametrize("bad", [1.5, True])
def test_non_exact_amounts_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        money(bad, AFTER_SOL)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(bad, AFTER_SOL)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["1,200", "abc", "NaN", "Infinity"])
def test_malformed_amounts_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        money(bad, AFTER_SOL)


def test_negative_amount_in_words_rejected() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-1, AFTER_SOL)


def test_legal_money() -> None:
    assert legal_money(1200000, AFTER_SOL) == "UN MILLÓN DOSCIENTOS MIL Y 00/100 SOLES (S/ 1 200 000,00)"
    assert legal_money(1200000, BEFORE_SOL) == "UN MILLÓN DOSCIENTOS MIL Y 00/100 NUEVOS SOLES (S/. 1 200 000,00)"
