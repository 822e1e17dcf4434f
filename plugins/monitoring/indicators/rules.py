"""The rules a measurement must meet, one place for the form, the API and the import.

A :class:`Checker` is made once per write (or per imported file): it loads what it needs once
(indicators, sources and their valid level, measures, and territories and governments either
one by one or all at once for an import), then checks row after row. Problems come back as
(field, message) pairs: the operation turns them into a refusal naming the field, the import
into a report naming the row and column. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.i18n import reader_list
from core.models import Government, Territory
from core.security import Scope, can
from core.values import ValueProblem, format_number, parse_decimal
from plugins.monitoring.indicators.models import (
    DISAGGREGATIONS,
    LEVELS,
    NATIONAL_UBIGEO,
    PERIOD_KINDS,
    MonitoredIndicator,
)
from plugins.monitoring.indicators.periods import period_code, period_start

WRITE_ACTION = "monitoring.measurement.write"
#: Spanish names of the levels, for messages (the reasons quote Figure 03).
LEVEL_NAMES = {"national": "nacional", "department": "departamental", "province": "provincial", "district": "distrital"}
#: value = numerator / denominator × factor, to this tolerance (values are rounded when reported).
TOLERANCE = Decimal("0.05")
#: The inputs whose checks do not depend on the territory beyond its level (memoized per file).
SHARED = ("indicator", "measure", "year", "period_kind", "period_number", "source", "area", "sex")
NUMBER_FIELDS = ("value", "numerator", "denominator")
FOUR_PLACES = Decimal("0.0001")
GOVERNMENT_KIND = {"department": "regional", "province": "provincial", "district": "district"}


@dataclass(frozen=True)
class Place:
    """A territory a measurement may name (the country has no territory row)."""

    territory_id: int | None
    ubigeo: str
    level: str
    name: str
    government_id: int | None

    @property
    def department(self) -> str:
        return "" if self.level == "national" else self.ubigeo[:2]

    @property
    def province(self) -> str:
        return self.ubigeo[:4] if self.level in ("province", "district") else ""


NATIONAL = Place(None, NATIONAL_UBIGEO, "national", "Perú", None)


def measurement_key(values: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a measurement unique (the table's unique constraint)."""
    return (
        values["indicator_id"],
        values["measure"],
        values["ubigeo"],
        values["period_kind"],
        values["year"],
        values["period_number"],
        values["source"],
        values["area"],
        values["sex"],
    )


class Checker:
    """Checks measurements for one user (``scope``); ``preload`` loads every territory at once (imports)."""

    def __init__(self, scope: Scope, today: date, *, preload: bool = False) -> None:
        from plugins.diagnosis.models import DataSource, IndicatorMeasure

        self.scope, self.today = scope, today
        self.indicators: dict[str, MonitoredIndicator] = {}
        for indicator in db.session.scalars(select(MonitoredIndicator).where(MonitoredIndicator.active.is_(True))):
            self.indicators[str(indicator.number)] = indicator
            self.indicators[indicator.key.lower()] = indicator
        from core.models import KeyIndicator

        for key, acronym in db.session.execute(select(KeyIndicator.key, KeyIndicator.acronym)):
            if acronym and key.lower() in self.indicators:
                self.indicators[acronym.lower()] = self.indicators[key.lower()]
        self.sources = dict(
            db.session.execute(select(DataSource.key, DataSource.lowest_level).where(DataSource.active.is_(True)))
            .tuples()
            .all()
        )
        self.measures: dict[str, dict[str, str]] = {}
        for row in db.session.scalars(select(IndicatorMeasure).where(IndicatorMeasure.active.is_(True))):
            self.measures.setdefault(row.indicator_key, {})[row.key] = row.name
        self.places: dict[str, Place | None] = {NATIONAL_UBIGEO: NATIONAL}
        self.writable: dict[str, bool] = {}
        self._shared: dict[tuple[Any, ...], tuple[dict[str, Any], list[tuple[str, str]]]] = {}
        self._codes: dict[Any, MonitoredIndicator | None] = {}
        if preload:
            self._load_places()

    # --- lookups ----------------------------------------------------------------------------------

    def _load_places(self, ubigeo: str | None = None) -> None:
        query = select(Territory.id, Territory.ubigeo, Territory.level, Territory.name)
        governments = select(Government.territory_id, Government.kind, Government.id)
        if ubigeo is not None:
            query = query.where(Territory.ubigeo == ubigeo)
            governments = governments.where(Government.ubigeo == ubigeo)
        owner = {(t, kind): gid for t, kind, gid in db.session.execute(governments)}
        for territory_id, code, level, name in db.session.execute(query):
            government_id = owner.get((territory_id, GOVERNMENT_KIND.get(level)))
            self.places[code] = Place(territory_id, code, level, name, government_id)

    def place(self, ubigeo: str) -> Place | None:
        if ubigeo not in self.places:
            self._load_places(ubigeo)
            self.places.setdefault(ubigeo, None)
        return self.places[ubigeo]

    def indicator(self, code: Any) -> MonitoredIndicator | None:
        memo = isinstance(code, str | int)  # an import names the same few codes over and over
        if memo and code in self._codes:
            return self._codes[code]
        text = str(code if code is not None else "").strip().lower()
        if text.endswith(".0"):
            text = text[:-2]
        found = self.indicators.get(text)
        if memo:
            self._codes[code] = found
        return found

    def may_write(self, place: Place) -> bool:
        if place.ubigeo not in self.writable:
            self.writable[place.ubigeo] = can(self.scope, WRITE_ACTION, place)
        return self.writable[place.ubigeo]

    # --- one measurement ---------------------------------------------------------------------------

    def check(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """``data``: indicator (number, key or acronym), measure, ubigeo, year, period_kind, period_number,
        source, area, sex, value, numerator, denominator, notes — already typed by the declared fields
        or the import's parsers. Returns the column values and the problems (field, message)."""
        problems: list[tuple[str, str]] = []
        indicator = self.indicator(data.get("indicator"))
        if indicator is None:
            problems.append(
                ("indicator", _("Unknown indicator code «%(code)s» (use 1 to 9).", code=data.get("indicator") or ""))
            )
        ubigeo = str(data.get("ubigeo") or "").strip()
        # the caches read inline: this runs once per imported row
        place = (self.places[ubigeo] if ubigeo in self.places else self.place(ubigeo)) if ubigeo else None
        if place is None:
            problems.append(("ubigeo", _("Unknown ubigeo «%(ubigeo)s».", ubigeo=ubigeo)))
        elif not self.writable.get(ubigeo) and not self.may_write(place):
            problems.append(
                (
                    "ubigeo",
                    _("You cannot record measurements for %(place)s (%(ubigeo)s).", place=place.name, ubigeo=ubigeo),
                )
            )
        # What does not depend on the row's own territory and numbers is the same for many rows of a file
        # (one indicator, period and source for every district): checked once per combination.
        shared_key = (*map(data.get, SHARED), place.level if place else None)
        shared = self._shared.get(shared_key)
        if shared is None:
            shared = self._shared[shared_key] = self._check_shared(data, indicator, place)
        values = {"ubigeo": ubigeo, "place": place, "indicator": indicator, **shared[0]}
        problems += shared[1]
        if indicator is not None:
            values.update(self.numbers(indicator, data, problems))
        notes = data.get("notes")
        values["notes"] = (str(notes).strip()[:2000] or None) if notes is not None else None
        return values, problems

    def _check_shared(
        self, data: dict[str, Any], indicator: MonitoredIndicator | None, place: Place | None
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        values = self._period(data, problems)
        values["source"] = self._source(data.get("source"), place, problems)
        if indicator is not None:
            values["indicator_id"] = indicator.id
            values["measure"] = self.measure(indicator, data.get("measure"), problems)
            values["area"] = self.disaggregation(indicator, "area", data.get("area"), problems)
            values["sex"] = self.disaggregation(indicator, "sexo", data.get("sex"), problems, field="sex")
        return values, problems

    def _period(self, data: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
        year, kind, number = data.get("year"), data.get("period_kind") or "year", data.get("period_number") or 0
        if not isinstance(year, int) or not 1990 <= year <= 2100:
            problems.append(("year", _("«Year» must be a year such as 2024.")))
            return {}
        if kind not in PERIOD_KINDS:
            problems.append(("period_kind", _("«Period» must be a year, a quarter or a month.")))
            return {}
        limit = {"year": 0, "quarter": 4, "month": 12}[kind]
        if (kind == "year" and number not in (0, None)) or (kind != "year" and not 1 <= int(number) <= limit):
            problems.append(
                ("period_number", _("«Period number» must be 1 to %(limit)s for this period.", limit=limit or 1))
            )
            return {}
        start = period_start(year, kind, int(number))
        if start > self.today:
            problems.append(
                ("year", _("The period %(period)s is in the future.", period=period_code(year, kind, number)))
            )
            return {}
        return {"year": year, "period_kind": kind, "period_number": int(number), "period_start": start}

    def _source(self, raw: Any, place: Place | None, problems: list[tuple[str, str]]) -> str | None:
        source = str(raw or "").strip().upper()
        lowest = self.sources.get(source)
        if lowest is None:
            problems.append(
                (
                    "source",
                    _("Unknown source «%(raw)s»: use %(sources)s.", raw=raw or "", sources=", ".join(self.sources)),
                )
            )
            return None
        if place is not None and lowest in LEVELS and LEVELS.index(place.level) > LEVELS.index(lowest):
            valid = [LEVEL_NAMES[level] for level in LEVELS[: LEVELS.index(lowest) + 1]]
            problems.append(
                (
                    "source",
                    _(
                        "The source %(source)s is not valid for the %(level)s level of %(place)s: according to "
                        "Figure N° 03 of the Norma Técnica it infers only at the %(levels)s level.",
                        source=source,
                        level=LEVEL_NAMES[place.level],
                        place=place.name,
                        levels=reader_list(valid),
                    ),
                )
            )
        return source

    def measure(self, indicator: MonitoredIndicator, raw: Any, problems: list[tuple[str, str]]) -> str:
        text = str(raw or "").strip().lower().replace(" ", "_")
        measures = self.measures.get(indicator.key, {})
        if not measures:
            if text:
                problems.append(
                    (
                        "measure",
                        _("The indicator «%(name)s» has one value only: it takes no measure.", name=indicator.name),
                    )
                )
            return ""
        if text not in measures:
            problems.append(
                (
                    "measure",
                    _(
                        "The indicator «%(name)s» is measured separately: give the measure (%(measures)s).",
                        name=indicator.name,
                        measures=", ".join(measures),
                    ),
                )
            )
        return text

    def disaggregation(
        self, indicator: MonitoredIndicator, kind: str, raw: Any, problems: list[tuple[str, str]], field: str = "area"
    ) -> str:
        text = str(raw or "").strip().lower()
        if text in ("", "total"):
            return ""
        allowed = DISAGGREGATIONS[kind] if kind in indicator.disaggregation_list else ()
        if text not in allowed:
            problems.append(
                (
                    field,
                    _(
                        "«%(value)s» is not a disaggregation of this indicator (allowed: %(allowed)s).",
                        value=text,
                        allowed=", ".join(("total", *allowed)),
                    ),
                )
            )
        return text

    def numbers(
        self, indicator: MonitoredIndicator, data: dict[str, Any], problems: list[tuple[str, str]]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in NUMBER_FIELDS:
            raw = data.get(name)
            if raw is None:
                out[name] = None
                continue
            try:
                out[name] = number = raw if isinstance(raw, Decimal) else parse_decimal(raw, name)
            except ValueProblem as problem:
                problems.append((name, str(problem)))
                return {}
            if number is not None and number < 0:
                problems.append((name, _("«%(field)s» cannot be negative.", field=name)))
                return {}
        value, numerator, denominator = out["value"], out["numerator"], out["denominator"]
        factor = indicator.factor
        if (numerator is None) != (denominator is None):
            field = "denominator" if denominator is None else "numerator"
            problems.append((field, _("Give both numerator and denominator, or neither.")))
            return {}
        if denominator is not None:
            if denominator == 0:
                problems.append(("denominator", _("«denominator» must be greater than zero.")))
                return {}
            if numerator > denominator:
                problems.append(("numerator", _("The numerator cannot exceed the denominator.")))
                return {}
            computed = (numerator / denominator * factor).quantize(FOUR_PLACES)
            if value is None:
                value = out["value"] = computed
            elif abs(value - computed) > TOLERANCE:
                problems.append(
                    (
                        "value",
                        _(
                            "The value does not match numerator / denominator × %(factor)s = %(computed)s.",
                            factor=indicator.factor,
                            computed=format_number(computed),
                        ),
                    )
                )
        if value is None:
            problems.append(("value", _("«value» is required (or give numerator and denominator).")))
            return {}
        if value > factor:
            message = (
                _("A percentage cannot be over 100.")
                if indicator.is_percentage
                else _("The value cannot be over %(factor)s (%(unit)s).", factor=indicator.factor, unit=indicator.unit)
            )
            problems.append(("value", message))
        return out
