"""Tests for core.calendar: Peruvian working days and Ley N° 27444 deadlines."""

from datetime import date

import pytest

from core.calendar import DEFAULT_NON_WORKING_NAME, WorkingCalendar


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize(
    ("d", "word"),
    [
        (date(2026, 6, 29), "San Pedro y San Pablo"),
        (date(2026, 7, 28), "Independencia"),
        (date(2026, 7, 29), "Parada Militar"),
        (date(2026, 12, 8), "Inmaculada Concepción"),
    ],
)
def test_national_holidays_have_spanish_names(cal: WorkingCalendar, d: date, word: str) -> None:
    # All four fall on weekdays in 2026 (Mon, Tue, Wed, Tue).
    assert word in (cal.holiday_name(d) or "")
    assert not cal.is_working_day(d)


def test_ordinary_days(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2026, 6, 26))  # Friday
    assert not cal.is_working_day(date(2026, 6, 27))  # Saturday
    assert cal.holiday_name(date(2026, 6, 27)) is None


def test_deadline_on_sunday_rolls_forward(cal: WorkingCalendar) -> None:
    # 30 June 2024 is a Sunday; Monday 1 July 2024 is not a holiday.
    assert cal.roll_forward(date(2024, 6, 30)) == date(2024, 7, 1)
    assert cal.next_working_day(date(2024, 7, 1)) == date(2024, 7, 1)


def test_ten_working_days_skip_san_pedro_y_san_pablo(cal: WorkingCalendar) -> None:
    # Notified Friday 26 June 2026; Sat 27, Sun 28 and Mon 29 (holiday) do not count.
    # Tue 30 = 1, Wed 1 Jul = 2, Thu 2 = 3, Fri 3 = 4, Mon 6 = 5, Tue 7 = 6,
    # Wed 8 = 7, Thu 9 = 8, Fri 10 = 9, Mon 13 = 10.
    assert cal.add_working_days(date(2026, 6, 26), 10) == date(2026, 7, 13)
    assert cal.working_days_between(date(2026, 6, 26), date(2026, 7, 13)) == 10


def test_ten_working_days_without_holidays(cal: WorkingCalendar) -> None:
    # Friday 3 July 2026: two plain weeks, Mon 6 .. Fri 17.
    assert cal.add_working_days(date(2026, 7, 3), 10) == date(2026, 7, 17)


def test_notification_day_never_counts(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(date(2026, 7, 6), 1) == date(2026, 7, 7)
    assert cal.add_working_days(date(2026, 7, 4), 1) == date(2026, 7, 6)  # Saturday → Monday
    assert cal.add_working_days(date(2026, 7, 6), 0) == date(2026, 7, 6)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 7, 6), -1)


def test_extra_non_working_day_moves_due_date() -> None:
    # Same period as above, with Friday 10 July decreed non-working: Mon 13 = 9, Tue 14 = 10.
    cal = WorkingCalendar(extra_non_working=[date(2026, 7, 10)])
    assert cal.add_working_days(date(2026, 6, 26), 10) == date(2026, 7, 14)
    assert cal.holiday_name(date(2026, 7, 10)) == DEFAULT_NON_WORKING_NAME


def test_extra_non_working_days_with_names() -> None:
    cal = WorkingCalendar({date(2026, 7, 10): "Día no laborable (D.S. de prueba)"})
    assert cal.holiday_name(date(2026, 7, 10)) == "Día no laborable (D.S. de prueba)"
    assert cal.roll_forward(date(2026, 7, 10)) == date(2026, 7, 13)


def test_add_calendar_days_rolls_forward(cal: WorkingCalendar) -> None:
    # 1 June 2026 (Mon) + 28 = Mon 29 June, San Pedro y San Pablo → Tue 30 June.
    assert cal.add_calendar_days(date(2026, 6, 1), 28) == date(2026, 6, 30)
    assert cal.add_calendar_days(date(2026, 6, 1), 3) == date(2026, 6, 4)


def test_working_days_between_is_signed(cal: WorkingCalendar) -> None:
    assert cal.working_days_between(date(2026, 7, 13), date(2026, 7, 3)) == -6
    assert cal.working_days_between(date(2026, 7, 3), date(2026, 7, 3)) == 0


def test_years_load_lazily() -> None:
    cal = WorkingCalendar(years=[2008])
    assert "San Pedro" in (cal.holiday_name(date(2030, 6, 29)) or "")
