"""Due dates under Ley N° 27444: working calendars per region from the non-working-day table,
the nominal dates of a rule's year and the due date a rule gives."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.calendar import WorkingCalendar
from core.deadlines.models import Deadline, DeadlineRule, NonWorkingDay
from core.deadlines.rules import parse_quarter_dates
from core.deadlines.settings import QUARTER_ENDS, QUARTER_NAMES, QUARTER_NAMES_EN, DeadlineError
from core.extensions import db
from core.i18n import reads_english
from core.models import Government

# --- calendars and due dates ---------------------------------------------------------------------


class Calendars:
    """Working calendars per region, built from one read of the non-working-day table."""

    def __init__(self, rows: Iterable[tuple[date, str, int | None]]) -> None:
        self._national: dict[date, str] = {}
        self._regional: dict[int, dict[date, str]] = defaultdict(dict)
        for day, name, region_id in rows:
            if region_id is None:
                self._national[day] = name
            else:
                self._regional[region_id][day] = name
        self._cache: dict[int | None, WorkingCalendar] = {}

    @classmethod
    def load(cls) -> Calendars:
        return cls(db.session.execute(select(NonWorkingDay.date, NonWorkingDay.name, NonWorkingDay.region_id)).all())

    def for_region(self, region_id: int | None) -> WorkingCalendar:
        """The calendar of the governments of a region (None: national days only)."""
        if region_id not in self._cache:
            extra = dict(self._national)
            if region_id is not None:
                extra.update(self._regional.get(region_id, {}))
            self._cache[region_id] = WorkingCalendar(extra)
        return self._cache[region_id]


def calendar_for(government: Government) -> WorkingCalendar:
    return Calendars.load().for_region(government.region_id)


def nominal_dates(rule: DeadlineRule, year: int) -> list[tuple[int, date]]:
    """(period, date before rolling to a working day) of a fixed-yearly or quarterly rule."""
    if rule.kind == "fixed_yearly":
        return [(0, date(year, int(rule.month), int(rule.day)))]
    if rule.kind == "quarterly":
        if rule.quarter_dates:
            result = []
            for q, (month, day) in enumerate(parse_quarter_dates(rule.quarter_dates), start=1):
                candidate = date(year, month, day)
                # A date before the quarter's end belongs to the next year (Q4 → "01-15").
                if candidate < date(year, *QUARTER_ENDS[q]):
                    candidate = date(year + 1, month, day)
                result.append((q, candidate))
            return result
        # a rule in working days (``days``) is counted from the quarter's end by due_date_for
        offset = timedelta(days=0 if rule.days else int(rule.quarter_offset_days or 0))
        return [(q, date(year, *QUARTER_ENDS[q]) + offset) for q in (1, 2, 3, 4)]
    raise DeadlineError(_("The rule «%(key)s» is counted from an event, not by year.", key=rule.key))


def due_date_for(
    rule: DeadlineRule, year: int, period: int, start_date: date | None, calendar: WorkingCalendar
) -> date:
    """The due date of one deadline under Ley N° 27444."""
    if rule.kind == "working_days_after":
        return calendar.add_working_days(start_date, int(rule.days))
    if rule.kind == "calendar_days_after":
        return calendar.add_calendar_days(start_date, int(rule.days))
    nominal = dict(nominal_dates(rule, year))[period]
    if rule.kind == "quarterly" and rule.days and not rule.quarter_dates:
        # working days counted from the quarter's last day (its nominal date has no offset then)
        return calendar.add_working_days(nominal, int(rule.days))
    return calendar.roll_forward(nominal)


def deadline_label(rule: DeadlineRule, year: int, period: int) -> str:
    if rule.kind == "quarterly" and period:
        return f"{rule.label} ({QUARTER_NAMES[period]} {year})"[:300]
    return rule.label


def deadline_label_en(rule: DeadlineRule, year: int, period: int) -> str | None:
    """The English form of ``deadline_label`` (None: the rule has no ``label_en``)."""
    if not rule.label_en:
        return None
    if rule.kind == "quarterly" and period:
        return f"{rule.label_en} ({QUARTER_NAMES_EN[period]} {year})"[:300]
    return rule.label_en


def rule_reader_label(rule: DeadlineRule) -> str:
    """A rule's name in the language being rendered (``label_en`` for an English reader, if any)."""
    return rule.label_en if rule.label_en and reads_english() else rule.label


# --- labels in the reader's language ----------------------------------------------------------------
#: The language a deadline's stored ``label`` is written in (search, sorting, rows from before 0005).
STORED_LANGUAGE = "es"


def set_label(deadline: Deadline, msgid: str, **params: str | int) -> None:
    """Give a deadline a label composed by a plugin: ``msgid`` an English msgid marked with
    ``core.i18n.N_`` (translated in the plugin's catalog), ``params`` its ``%(name)s`` values —
    user-entered text (a commitment, a case title) goes in as typed. The label is shown in each
    reader's language (pages, calendar feed, reminders, API ``label_en``); ``label`` keeps the
    Spanish rendering."""
    deadline.label_msgid = msgid
    deadline.label_params = dict(params)
    deadline.label = _render(msgid, deadline.label_params, STORED_LANGUAGE) or msgid[:300]


def _render(msgid: str, params: dict | None, language: str | None = None) -> str | None:
    """``msgid`` translated into ``language`` (None: the language being rendered) with its
    parameters; None when a changed catalog no longer fits the stored parameters."""
    try:
        if language is None:
            return _(msgid, **(params or {}))[:300]
        with force_locale(language):
            return _(msgid, **(params or {}))[:300]
    except (KeyError, ValueError, TypeError):
        return None


def english_label(deadline: Deadline) -> str | None:
    """The deadline's English label: a plugin's composed label (``set_label``) in English, or, when
    its label is its rule's own (a plugin that wrote a label of its own and no msgid keeps it), the
    rule's ``label_en``; else None."""
    if deadline.label_msgid:
        return _render(deadline.label_msgid, deadline.label_params, "en")
    rule = deadline.rule
    if not rule.label_en or deadline.label != deadline_label(rule, deadline.year, deadline.period):
        return None
    return deadline_label_en(rule, deadline.year, deadline.period)


def reader_label(deadline: Deadline) -> str:
    """The deadline's label in the language being rendered: the rule's English label for an English
    reader when there is one (``english_label``), else the stored (Spanish) label; a label a plugin
    composed (``set_label``) in the reader's language. Load ``Deadline.rule`` with the rows."""
    if deadline.label_msgid:
        return _render(deadline.label_msgid, deadline.label_params) or deadline.label
    if reads_english():
        return english_label(deadline) or deadline.label
    return deadline.label
