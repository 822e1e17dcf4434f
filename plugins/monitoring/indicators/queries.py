"""Reading the key indicators: latest value, series, aggregation by territorial level, targets, baselines.

The dashboards, the quarterly report and the evaluation read through these functions (their signatures
stay stable; new ones are added). They read data only: the caller applies the user's scope
(:func:`readable_measurements` is the condition for measurement queries).

Aggregation (issue 9 item 3): a province's, department's or the country's value is computed from its
districts' values **only** from their numerators and denominators (Σ numerators / Σ denominators ×
factor), never by averaging percentages; values reported at that level are shown beside it, each
labelled with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import ColumnElement

from core.extensions import db
from core.models import Government, KeyIndicator, Territory
from core.security import Scope, readable_clause
from plugins.monitoring.indicators.models import (
    NATIONAL_UBIGEO,
    Measurement,
    MonitoredIndicator,
    NationalGoal,
    Target,
)

#: Levels whose value can be computed from district values, and the column that groups the districts.
GROUP_COLUMN = {"province": Measurement.province, "department": Measurement.department, "national": None}


@dataclass(frozen=True)
class ShownValue:
    """A value a page or report shows for a territory and period: reported by a source at that level
    (``computed`` False) or computed from district numerators and denominators (``computed`` True)."""

    ubigeo: str
    level: str
    source: str
    value: Decimal
    computed: bool
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    districts: int = 0  # districts whose numerator and denominator entered the computation
    districts_left_out: int = 0  # district values without numerator or denominator (not used)


# --- catalog -----------------------------------------------------------------------------------------


def indicators(active_only: bool = True) -> list[MonitoredIndicator]:
    """The key indicators in Figure 05 order."""
    query = select(MonitoredIndicator).order_by(MonitoredIndicator.number)
    if active_only:
        query = query.where(MonitoredIndicator.active.is_(True))
    return list(db.session.scalars(query))


def indicator_by_code(code: str | int) -> MonitoredIndicator | None:
    """An indicator by its number ("1"–"9"), its key, or its core catalog acronym ("IRA")."""
    text = str(code).strip()
    if text.isdigit():
        return db.session.scalar(select(MonitoredIndicator).where(MonitoredIndicator.number == int(text)))
    found = db.session.scalar(select(MonitoredIndicator).where(MonitoredIndicator.key == text))
    if found is None:
        acronym = select(KeyIndicator.key).where(func.upper(KeyIndicator.acronym) == text.upper())
        found = db.session.scalar(select(MonitoredIndicator).where(MonitoredIndicator.key.in_(acronym)))
    return found


def measures_of(indicator: MonitoredIndicator) -> list[tuple[str, str]]:
    """(key, name) of the indicator's measures (indicator 1: pobreza, pobreza extrema); [] for one value."""
    from plugins.diagnosis.models import IndicatorMeasure

    rows = db.session.scalars(
        select(IndicatorMeasure)
        .where(IndicatorMeasure.indicator_key == indicator.key, IndicatorMeasure.active.is_(True))
        .order_by(IndicatorMeasure.position)
    )
    return [(row.key, row.name) for row in rows]


def source_levels() -> dict[str, str]:
    """Each active source's key → the lowest territorial level it is valid at (Figure 03)."""
    from plugins.diagnosis.models import DataSource

    rows = db.session.execute(select(DataSource.key, DataSource.lowest_level).where(DataSource.active.is_(True)))
    return {key: level for key, level in rows}


# --- measurements ------------------------------------------------------------------------------------


def readable_measurements(scope: Scope) -> ColumnElement[bool]:
    """Measurements the scope reads: national values (no government) for every signed-in user with a
    scope, and those of the governments it reaches (a region its local governments; national all)."""
    if scope.everything:
        return Measurement.id.isnot(None)
    national = Measurement.government_id.is_(None) if (scope.direct or scope.is_admin) else None
    reachable = readable_clause(scope, Measurement.government_id)
    return or_(reachable, national) if national is not None else reachable


def _period_filter(year: int, period_kind: str, period_number: int) -> list[ColumnElement[bool]]:
    return [
        Measurement.year == year,
        Measurement.period_kind == period_kind,
        Measurement.period_number == period_number,
    ]


def latest_value(
    indicator_id: int,
    ubigeo: str,
    measure: str = "",
    *,
    source: str | None = None,
    area: str = "",
    sex: str = "",
) -> Measurement | None:
    """The most recent measurement reported for the territory (any period kind; latest period start,
    a year before a quarter or month that starts the same day)."""
    query = (
        select(Measurement)
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.measure == measure,
            Measurement.ubigeo == ubigeo,
            Measurement.area == area,
            Measurement.sex == sex,
        )
        .order_by(Measurement.period_start.desc(), Measurement.period_kind.desc(), Measurement.id.desc())
        .limit(1)
    )
    if source:
        query = query.where(Measurement.source == source)
    return db.session.scalar(query)


def series(
    indicator_id: int,
    ubigeo: str,
    measure: str = "",
    *,
    period_kind: str = "year",
    source: str | None = None,
    area: str = "",
    sex: str = "",
) -> list[Measurement]:
    """The measurements of a territory over time, one period kind, oldest first (every source unless given)."""
    query = (
        select(Measurement)
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.measure == measure,
            Measurement.ubigeo == ubigeo,
            Measurement.period_kind == period_kind,
            Measurement.area == area,
            Measurement.sex == sex,
        )
        .order_by(Measurement.period_start, Measurement.source)
    )
    if source:
        query = query.where(Measurement.source == source)
    return list(db.session.scalars(query))


def aggregate(
    indicator: MonitoredIndicator,
    level: str,
    year: int,
    *,
    measure: str = "",
    period_kind: str = "year",
    period_number: int = 0,
    area: str = "",
    sex: str = "",
    within: str | None = None,
) -> list[ShownValue]:
    """Values computed for every territory of ``level`` ("province", "department" or "national") from its
    districts' numerators and denominators, one per source, in ubigeo order. ``within``: a department
    ("10") or province ("1001") ubigeo prefix to restrict to. One query, whatever the number of rows."""
    if level not in GROUP_COLUMN:
        raise ValueError(f"cannot aggregate to level {level!r}")
    group = GROUP_COLUMN[level]
    has_both = and_(Measurement.numerator.isnot(None), Measurement.denominator.isnot(None))
    columns = [
        Measurement.source,
        func.sum(Measurement.numerator).filter(has_both),
        func.sum(Measurement.denominator).filter(has_both),
        func.count().filter(has_both),
        func.count(),
    ]
    query = select(*([group] if group is not None else []), *columns).where(
        Measurement.indicator_id == indicator.id,
        Measurement.measure == measure,
        Measurement.level == "district",
        *_period_filter(year, period_kind, period_number),
        Measurement.area == area,
        Measurement.sex == sex,
    )
    if within:
        query = query.where(Measurement.ubigeo.startswith(within))
    group_by = ([group] if group is not None else []) + [Measurement.source]
    query = query.group_by(*group_by).order_by(*group_by)
    shown = []
    for row in db.session.execute(query):
        if group is not None:
            code, source, numerator, denominator, used_count, total = row
        else:
            (source, numerator, denominator, used_count, total), code = row, ""
        ubigeo = code.ljust(6, "0") if code else NATIONAL_UBIGEO
        if not used_count or not denominator:
            continue  # no district brought its numerator and denominator: nothing is computed
        value = (Decimal(numerator) / Decimal(denominator) * indicator.factor).quantize(Decimal("0.01"))
        shown.append(
            ShownValue(
                ubigeo,
                level,
                source,
                value,
                True,
                Decimal(numerator),
                Decimal(denominator),
                used_count,
                total - used_count,
            )
        )
    return shown


def reported_values(
    indicator_id: int,
    ubigeo: str,
    year: int,
    *,
    measure: str = "",
    period_kind: str = "year",
    period_number: int = 0,
    area: str = "",
    sex: str = "",
) -> list[ShownValue]:
    """The values reported at the territory itself for the period, one per source."""
    rows = db.session.scalars(
        select(Measurement)
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.measure == measure,
            Measurement.ubigeo == ubigeo,
            *_period_filter(year, period_kind, period_number),
            Measurement.area == area,
            Measurement.sex == sex,
        )
        .order_by(Measurement.source)
    )
    return [
        ShownValue(row.ubigeo, row.level, row.source, row.value, False, row.numerator, row.denominator) for row in rows
    ]


def values_at(
    indicator: MonitoredIndicator,
    ubigeo: str,
    year: int,
    *,
    measure: str = "",
    period_kind: str = "year",
    period_number: int = 0,
    area: str = "",
    sex: str = "",
) -> list[ShownValue]:
    """What a territory shows for a period: the values reported there (labelled with their source) and,
    above the district, the values computed from its districts' numerators and denominators."""
    level = level_of(ubigeo)
    period = {"measure": measure, "period_kind": period_kind, "period_number": period_number, "area": area, "sex": sex}
    shown = reported_values(indicator.id, ubigeo, year, **period)
    if level in GROUP_COLUMN:
        within = {"province": ubigeo[:4], "department": ubigeo[:2], "national": None}[level]
        shown += aggregate(indicator, level, year, within=within, **period)
    return shown


def level_of(ubigeo: str) -> str:
    """The territorial level an ubigeo names: "000000" national, "100000" department, "100100" province."""
    if ubigeo == NATIONAL_UBIGEO:
        return "national"
    if ubigeo.endswith("0000"):
        return "department"
    if ubigeo.endswith("00"):
        return "province"
    return "district"


def government_for_territory(territory: Territory | None) -> Government | None:
    """The government whose territory it is: the regional government of a department, the provincial
    municipality of a province, the district municipality of a district (None for the country)."""
    if territory is None:
        return None
    kind = {"department": "regional", "province": "provincial", "district": "district"}[territory.level]
    return db.session.scalar(
        select(Government).where(Government.territory_id == territory.id, Government.kind == kind).limit(1)
    )


# --- targets and baselines ---------------------------------------------------------------------------

#: Which target wins for the same goal: an adjustment in evaluation, then the plan, then the national goal.
ORIGIN_RANK = {"adjustment": 0, "plan": 1, "national": 2}


def targets_for(government_id: int, year: int) -> list[Target | NationalGoal]:
    """The targets in force for a government and year: for each goal (indicator, measure and area, or a
    plan result), the latest adjustment if any, else the plan's, else the national goal of that year
    (a :class:`NationalGoal`, read like a Target: ``origin`` "national", no government)."""
    rows: list[Target | NationalGoal] = list(
        db.session.scalars(select(NationalGoal).where(NationalGoal.year == year).order_by(NationalGoal.position))
    )
    rows += db.session.scalars(
        select(Target).where(Target.year == year, Target.government_id == government_id).order_by(Target.id)
    )
    chosen: dict[tuple[Any, ...], Target | NationalGoal] = {}
    for row in rows:
        goal = (row.indicator_id, row.measure, row.area) if row.indicator_id else ("result", row.plan_result_id)
        current = chosen.get(goal)
        if current is None or _precedes(row, current):
            chosen[goal] = row
    return sorted(chosen.values(), key=lambda t: (t.indicator_id is None, t.indicator_id or 0, t.measure, t.area))


def _precedes(candidate: Target | NationalGoal, current: Target | NationalGoal) -> bool:
    """Lower origin rank wins; between two of the same origin, the later one (approved later, or newer)."""
    rank = (ORIGIN_RANK.get(candidate.origin, 9), ORIGIN_RANK.get(current.origin, 9))
    if rank[0] != rank[1]:
        return rank[0] < rank[1]
    return _recency(candidate) > _recency(current)


def _recency(target: Target | NationalGoal) -> tuple[Any, int]:
    created = getattr(target, "created_at", None)
    return (target.approved_on or (created.date() if created else None) or date.min, target.id)


def target_for(
    government_id: int, year: int, indicator_id: int, measure: str = "", area: str = ""
) -> Target | NationalGoal | None:
    """The target in force for one indicator (and measure, area) of a government and year, or None."""
    for target in targets_for(government_id, year):
        if (target.indicator_id, target.measure, target.area) == (indicator_id, measure, area):
            return target
    return None


def baseline_for(government: Government, indicator: MonitoredIndicator, measure: str = "") -> Any:
    """The government's baseline of the indicator from its diagnosis (diagnosis.models.Baseline), the most
    recent year; None when the diagnosis has none."""
    from plugins.diagnosis.models import Baseline, Diagnosis

    return db.session.scalar(
        select(Baseline)
        .join(Diagnosis, Diagnosis.id == Baseline.diagnosis_id)
        .join(KeyIndicator, KeyIndicator.id == Baseline.indicator_id)
        .where(
            Diagnosis.government_id == government.id,
            Baseline.territory_id == government.territory_id,
            KeyIndicator.key == indicator.key,
            Baseline.measure == measure,
        )
        .order_by(Baseline.year.desc(), Baseline.id.desc())
        .limit(1)
    )
