"""Peru's working-day calendar for Ley N° 27444 deadlines: national holidays, decreed days off."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays

#: Peru has one time zone and no daylight saving time.
LIMA = ZoneInfo("America/Lima")

DEFAULT_NON_WORKING_NAME = "Día no laborable"
_DAY = timedelta(days=1)


class WorkingCalendar:
    """Working days in Peru: Monday to Friday, minus national holidays and extra non-working days.

    ``extra_non_working`` is the administrator's table of decreed non-working days
    (días no laborables, regional holidays), already filtered to the jurisdiction;
    pass a mapping date → name to have them named, else they are "Día no laborable".
    """

    def __init__(
        self,
        extra_non_working: Iterable[date] | Mapping[date, str] = (),
        years: Iterable[int] | None = None,
    ) -> None:
        # expand=True (the default) loads any other year on first lookup.
        self._holidays = holidays.country_holidays(
            "PE", language="es", years=list(years) if years is not None else None
        )
        # That lazy load marks the year as loaded before filling it, so concurrent
        # lookups (a calendar shared across Flask threads) could miss holidays.
        self._lock = threading.Lock()
        if isinstance(extra_non_working, Mapping):
            self._extra: dict[date, str] = dict(extra_non_working)
        else:
            self._extra = dict.fromkeys(extra_non_working, DEFAULT_NON_WORKING_NAME)

    def _national(self, d: date) -> str | None:
        with self._lock:
            return self._holidays.get(d)

    def holiday_name(self, d: date) -> str | None:
        """Spanish name of the holiday or day off on ``d``, else None (plain weekends too)."""
        return self._national(d) or self._extra.get(d)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._extra and self._national(d) is None

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the next one."""
        while not self.is_working_day(d):
            d += _DAY
        return d

    def roll_forward(self, d: date) -> date:
        """A deadline falling on a non-working day moves to the next working day (Ley N° 27444)."""
        return self.next_working_day(d)

    def add_working_days(self, start: date, n: int) -> date:
        """Last day of a period of ``n`` working days notified on ``start``.

        Per Ley N° 27444 counting begins on the working day after notification,
        so ``start`` itself never counts; ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        d = start
        while n:
            d += _DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start`` + ``n`` calendar days, rolled forward to a working day."""
        return self.roll_forward(start + timedelta(days=n))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b], negative if b < a; inverse of add_working_days."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
