# Over 400 lines on purpose: the one read model of the three dashboards (periods, lines, cells, their queries).
"""What the dashboards show, read in a fixed number of statements: the lines (each key indicator, or each
measure of one), and per government its baseline, target, values by period, latest value, gap and status.

Values are the totals (no area or sex disaggregation). A government's value for a period is the one
reported for its ubigeo; where none is, a province or region gets the value computed from its districts'
numerators and denominators (weighted, never an average of percentages — the indicators sub-package's
rule). Several sources for one period: the latest recorded wins. Baselines come from the diagnosis
(the territory's latest), targets from the indicators sub-package's ``Target`` rows: the government's
goal for the year viewed or the next one (an evaluation's adjustment before the plan's), else the
national goal to 2011 the standard states (``NationalGoal``, seed data). The tables of many governments
(region, country) read only each indicator's latest year with data, found through an index: their cost
does not grow with the years stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import Government, KeyIndicator
from plugins.diagnosis.models import Baseline, IndicatorMeasure
from plugins.monitoring.dashboards.status import elapsed_share, gap_to_target, status_of
from plugins.monitoring.indicators.models import Measurement, MonitoredIndicator, NationalGoal, Target

_KIND_ORDER = {"month": 0, "quarter": 1, "year": 2}
_ORIGIN_ORDER = {"adjustment": 0, "plan": 1, "national": 2}


@dataclass(frozen=True, order=True)
class Period:
    """A measured period: a year, a quarter or a month of ``year`` (ordered by when it ends)."""

    end: date
    kind_order: int
    year: int
    kind: str
    number: int

    @classmethod
    def of(cls, year: int, kind: str, number: int) -> Period:
        if kind == "quarter":
            end = date(year, 3 * number, 1)
        elif kind == "month":
            end = date(year, number, 1)
        else:
            end = date(year, 12, 1)
        return cls(end, _KIND_ORDER.get(kind, 3), year, kind, number)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}-T{self.number}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def quarter(self) -> int | None:
        """The quarter the period ends in (None for a whole year): what the status rule counts time by."""
        if self.kind == "quarter":
            return self.number
        if self.kind == "month":
            return (self.number - 1) // 3 + 1
        return None


@dataclass(frozen=True)
class Line:
    """A row of a dashboard: a key indicator, or one measure of it (indicator 1: pobreza, pobreza extrema)."""

    indicator_id: int
    key: str
    number: int
    name: str
    measure: str
    measure_name: str
    unit: str
    factor: int
    direction: str

    @property
    def code(self) -> str:
        """ "2", or "1:pobreza_extrema": what the API, the sort parameter and the CSV call the line."""
        return f"{self.number}:{self.measure}" if self.measure else str(self.number)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}" + (f" — {self.measure_name}" if self.measure else "")


@dataclass
class Cell:
    """One government's figures for one line."""

    baseline: Decimal | None = None
    baseline_year: int | None = None
    target: Decimal | None = None
    target_year: int | None = None
    points: dict[Period, tuple[Decimal, str, bool]] = field(default_factory=dict)  # value, source, computed
    status: str = "no_data"

    @property
    def latest(self) -> tuple[Period, Decimal, str, bool] | None:
        if not self.points:
            return None
        period = max(self.points)
        return (period, *self.points[period])

    @property
    def value(self) -> Decimal | None:
        latest = self.latest
        return latest[1] if latest else None

    @property
    def period(self) -> Period | None:
        latest = self.latest
        return latest[0] if latest else None

    @property
    def gap(self) -> Decimal | None:
        return gap_to_target(self.target, self.value)

    def series(self) -> list[tuple[Period, Decimal]]:
        return [(period, self.points[period][0]) for period in sorted(self.points)]

    def rate(self) -> None:
        """Set the status by the documented rule (status.py)."""
        period = self.period
        expected = Decimal(1)
        if period is not None and self.baseline_year is not None and self.target_year is not None:
            expected = elapsed_share(self.baseline_year, self.target_year, period.year, period.quarter)
        self.status = status_of(self.baseline, self.target, self.value, expected)


@dataclass
class Board:
    """The lines and, per government id, a cell per line code."""

    lines: list[Line]
    governments: list[Government]
    cells: dict[int, dict[str, Cell]]
    year: int | None

    def cell(self, government_id: int, line: Line) -> Cell:
        return self.cells.get(government_id, {}).get(line.code) or Cell()


def lines() -> list[Line]:
    """The active key indicators in catalog order, an indicator with measures as one line per measure."""
    indicators = db.session.scalars(
        select(MonitoredIndicator)
        .where(MonitoredIndicator.active.is_(True))
        .order_by(MonitoredIndicator.position, MonitoredIndicator.number)
    ).all()
    measures: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, indicator_key, name in db.session.execute(
        select(IndicatorMeasure.key, IndicatorMeasure.indicator_key, IndicatorMeasure.name)
        .where(IndicatorMeasure.active.is_(True), IndicatorMeasure.indicator_key.in_([i.key for i in indicators]))
        .order_by(IndicatorMeasure.position, IndicatorMeasure.id)
    ):
        measures[indicator_key].append((key, name))
    result = []
    for indicator in indicators:
        for measure, measure_name in measures.get(indicator.key) or [("", "")]:
            result.append(
                Line(
                    indicator.id,
                    indicator.key,
                    indicator.number,
                    indicator.short_name or indicator.name,
                    measure,
                    measure_name,
                    indicator.unit or "",
                    indicator.factor or 1,
                    indicator.direction,
                )
            )
    return result


def _line_map(all_lines: Iterable[Line]) -> dict[tuple[int, str], Line]:
    return {(line.indicator_id, line.measure): line for line in all_lines}


_TOTAL = and_(Measurement.area == "", Measurement.sex == "")


def _add_reported(
    cells: dict[int, dict[str, Cell]], by_ubigeo: dict[str, int], rows: Iterable[Any], known: Any
) -> None:
    # rows ordered by id: a later record of the same period (another source) replaces an earlier one
    for ubigeo, indicator_id, measure, year, kind, number, source, value in rows:
        line = known.get((indicator_id, measure))
        if line is None or ubigeo not in by_ubigeo:
            continue
        cell = cells[by_ubigeo[ubigeo]].setdefault(line.code, Cell())
        cell.points[Period.of(year, kind, number)] = (value, source, False)


def _add_computed(
    cells: dict[int, dict[str, Cell]], government_id: int, line: Line, period: Period, num: Any, den: Any
) -> None:
    if not num or not den:
        return
    cell = cells[government_id].setdefault(line.code, Cell())
    if period not in cell.points:  # a reported value wins over the computed one
        value = (Decimal(num) / Decimal(den) * line.factor).quantize(Decimal("0.01"))
        cell.points[period] = (value, "", True)


def _baselines(cells: dict[int, dict[str, Cell]], governments: list[Government], all_lines: list[Line]) -> None:
    by_territory = {g.territory_id: g.id for g in governments}
    by_key = {(line.key, line.measure): line for line in all_lines}
    rows = db.session.execute(
        select(Baseline.territory_id, KeyIndicator.key, Baseline.measure, Baseline.value, Baseline.year)
        .join(KeyIndicator, KeyIndicator.id == Baseline.indicator_id)
        .where(Baseline.territory_id.in_(list(by_territory)))
        .order_by(Baseline.year, Baseline.id)  # the latest baseline last: it wins
    )
    for territory_id, key, measure, value, year in rows:
        line = by_key.get((key, measure))
        if line is not None:
            cell = cells[by_territory[territory_id]].setdefault(line.code, Cell())
            cell.baseline, cell.baseline_year = value, year


def _targets(
    cells: dict[int, dict[str, Cell]], governments: list[Government], all_lines: list[Line], year: int
) -> None:
    known = _line_map(all_lines)
    ids = [g.id for g in governments]
    rows = db.session.execute(
        select(
            Target.government_id,
            Target.indicator_id,
            Target.measure,
            Target.year,
            Target.origin,
            Target.id,
            Target.value,
        ).where(
            Target.indicator_id.is_not(None),
            Target.area == "",
            or_(Target.government_id.in_(ids), Target.government_id.is_(None)),
        )
    ).all()
    # the national goals to 2011 the standard states (seed data, NationalGoal): every government's fallback,
    # read as targets of no government (one statement, whatever the number of governments)
    rows += db.session.execute(
        select(
            null().label("government_id"),
            NationalGoal.indicator_id,
            NationalGoal.measure,
            NationalGoal.year,
            literal("national").label("origin"),
            NationalGoal.id,
            NationalGoal.value,
        ).where(NationalGoal.area == "")
    ).all()

    def rank(row: Any) -> tuple[int, int, int, int, int]:
        # the year viewed or the next goal first (then the latest expired one), the government's own
        # before the national goal, an adjustment before the plan, the latest recorded first
        ahead = row.year >= year
        return (
            0 if ahead else 1,
            row.year if ahead else -row.year,
            row.government_id is None,
            _ORIGIN_ORDER.get(row.origin, 3),
            -row.id,
        )

    best: dict[tuple[int | None, str], Any] = {}
    for row in rows:
        line = known.get((row.indicator_id, row.measure))
        if line is not None:
            slot = (row.government_id, line.code)
            if slot not in best or rank(row) < rank(best[slot]):
                best[slot] = row
    for government_id in ids:
        for line in all_lines:
            row = best.get((government_id, line.code)) or best.get((None, line.code))
            if row is not None:
                cell = cells[government_id].setdefault(line.code, Cell())
                cell.target, cell.target_year = row.value, row.year


def _finish(board: Board) -> Board:
    _baselines(board.cells, board.governments, board.lines)
    _targets(board.cells, board.governments, board.lines, board.year or date.today().year)
    for row in board.cells.values():
        for cell in row.values():
            cell.rate()
    return board


def _prefix_column(government: Government) -> Any:
    return Measurement.department if government.kind == "regional" else Measurement.province


def _prefix(government: Government) -> str:
    return government.ubigeo[:2] if government.kind == "regional" else government.ubigeo[:4]


def government_board(government: Government, year: int | None = None) -> Board:
    """Every period up to the end of ``year`` (all, if None) of one government: its trend charts."""
    all_lines = lines()
    known = _line_map(all_lines)
    cells: dict[int, dict[str, Cell]] = {government.id: {}}
    up_to = [Measurement.year <= year] if year else []
    reported = db.session.execute(
        select(
            Measurement.ubigeo,
            Measurement.indicator_id,
            Measurement.measure,
            Measurement.year,
            Measurement.period_kind,
            Measurement.period_number,
            Measurement.source,
            Measurement.value,
        )
        .where(Measurement.ubigeo == government.ubigeo, _TOTAL, *up_to)
        .order_by(Measurement.id)
    )
    _add_reported(cells, {government.ubigeo: government.id}, reported, known)
    if government.kind != "district":
        computed = db.session.execute(
            select(
                Measurement.indicator_id,
                Measurement.measure,
                Measurement.year,
                Measurement.period_kind,
                Measurement.period_number,
                func.sum(Measurement.numerator),
                func.sum(Measurement.denominator),
            )
            .where(
                _prefix_column(government) == _prefix(government),
                Measurement.level == "district",
                _TOTAL,
                Measurement.numerator.is_not(None),
                Measurement.denominator.is_not(None),
                *up_to,
            )
            .group_by(
                Measurement.indicator_id,
                Measurement.measure,
                Measurement.year,
                Measurement.period_kind,
                Measurement.period_number,
            )
        )
        for indicator_id, measure, y, kind, number, num, den in computed:
            line = known.get((indicator_id, measure))
            if line is not None:
                _add_computed(cells, government.id, line, Period.of(y, kind, number), num, den)
    if year is None:
        periods = [p for row in cells.values() for c in row.values() for p in c.points]
        year = max(periods).year if periods else None
    return _finish(Board(all_lines, [government], cells, year))


def _latest_years(all_lines: list[Line], department: str | None) -> dict[int, int]:
    """Each indicator's latest year with data (in a department, or anywhere): one statement whose
    subqueries are answered from an index (ix_monitoring_measurement_year_totals / _dept_latest)."""
    indicator_ids = sorted({line.indicator_id for line in all_lines})
    if not indicator_ids:
        return {}
    # ORDER BY … LIMIT 1 rather than max(): SQLite answers it from the end of the index, as PostgreSQL does
    latest = (
        select(Measurement.year)
        .where(Measurement.indicator_id == MonitoredIndicator.id)
        .order_by(Measurement.year.desc())
        .limit(1)
    )
    if department is not None:
        latest = latest.where(Measurement.department == department)
    rows = db.session.execute(
        select(MonitoredIndicator.id, latest.scalar_subquery()).where(MonitoredIndicator.id.in_(indicator_ids))
    )
    return {indicator_id: year for indicator_id, year in rows if year is not None}


def _latest_clause(latest: dict[int, int]) -> Any:
    return or_(*[and_(Measurement.indicator_id == i, Measurement.year == y) for i, y in latest.items()])


def _department_sums(latest: dict[int, int]) -> Any:
    """Per department and period, the sums of the district numerators and denominators of each indicator's
    latest year: one SELECT per indicator (a UNION ALL, one statement), each an equality range of
    ix_monitoring_measurement_year_totals read in its GROUP BY order — no table rows, no sort, and
    nothing of the other years stored is touched (an OR of the pairs made SQLite sort every row)."""
    parts = [
        select(
            Measurement.department,
            Measurement.indicator_id,
            Measurement.measure,
            Measurement.year,
            Measurement.period_kind,
            Measurement.period_number,
            func.sum(Measurement.numerator),
            func.sum(Measurement.denominator),
        )
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.year == year,
            Measurement.level == "district",
            _TOTAL,
            Measurement.numerator.is_not(None),
            Measurement.denominator.is_not(None),
        )
        # the index's order; indicator and year are fixed but PostgreSQL wants every selected column grouped
        .group_by(
            Measurement.indicator_id,
            Measurement.year,
            Measurement.department,
            Measurement.measure,
            Measurement.period_kind,
            Measurement.period_number,
        )
        for indicator_id, year in sorted(latest.items())
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def region_board(region: Government) -> Board:
    """The region, its provinces and its districts side by side: each one's latest value per line."""
    governments = db.session.scalars(
        select(Government)
        .where(Government.region_id == region.id)
        .options(joinedload(Government.territory))  # the dot map reads each district's coordinates
        .order_by(Government.kind != "regional", Government.kind != "provincial", Government.ubigeo)
    ).all()
    all_lines = lines()
    known = _line_map(all_lines)
    cells: dict[int, dict[str, Cell]] = {g.id: {} for g in governments}
    department = region.ubigeo[:2]
    latest = _latest_years(all_lines, department)
    if latest:
        rows = db.session.execute(
            select(
                Measurement.ubigeo,
                Measurement.indicator_id,
                Measurement.measure,
                Measurement.year,
                Measurement.period_kind,
                Measurement.period_number,
                Measurement.source,
                Measurement.value,
                Measurement.level,
                Measurement.numerator,
                Measurement.denominator,
            )
            # IN lists, not the OR of pairs: SQLite then searches the whole index (department, indicator,
            # year) instead of scanning the department's years; the pairs are kept below
            .where(
                Measurement.department == department,
                Measurement.indicator_id.in_(list(latest)),
                Measurement.year.in_(sorted(set(latest.values()))),
                _TOTAL,
            )
            .order_by(Measurement.id)
        ).all()
        rows = [row for row in rows if latest.get(row[1]) == row[3]]
        by_ubigeo = {g.ubigeo: g.id for g in governments}
        _add_reported(cells, by_ubigeo, [row[:8] for row in rows], known)
        sums: dict[tuple[str, Line, Period], list[Decimal]] = {}
        for ubigeo, indicator_id, measure, y, kind, number, _s, _v, level, num, den in rows:
            line = known.get((indicator_id, measure))
            if level != "district" or line is None or num is None or den is None:
                continue
            period = Period.of(y, kind, number)
            for prefix in (ubigeo[:2], ubigeo[:4]):  # the region and the province it adds to
                total = sums.setdefault((prefix, line, period), [Decimal(0), Decimal(0)])
                total[0] += num
                total[1] += den
        prefix_of = {g.id: _prefix(g) for g in governments if g.kind != "district"}
        for (prefix, line, period), (num, den) in sums.items():
            for government_id, own in prefix_of.items():
                if own == prefix:
                    _add_computed(cells, government_id, line, period, num, den)
    year = max(latest.values()) if latest else None
    return _finish(Board(all_lines, list(governments), cells, year))


def national_board() -> Board:
    """The 25 regions × the lines: each region's latest value (reported, or computed from its districts)."""
    regions = db.session.scalars(
        select(Government).where(Government.kind == "regional").order_by(Government.name)
    ).all()
    all_lines = lines()
    known = _line_map(all_lines)
    cells: dict[int, dict[str, Cell]] = {g.id: {} for g in regions}
    latest = _latest_years(all_lines, None)
    if latest:
        reported = db.session.execute(
            select(
                Measurement.ubigeo,
                Measurement.indicator_id,
                Measurement.measure,
                Measurement.year,
                Measurement.period_kind,
                Measurement.period_number,
                Measurement.source,
                Measurement.value,
            )
            .where(_latest_clause(latest), Measurement.level == "department", _TOTAL)
            .order_by(Measurement.id)
        )
        _add_reported(cells, {g.ubigeo: g.id for g in regions}, reported, known)
        computed = db.session.execute(_department_sums(latest))
        by_department = {g.ubigeo[:2]: g.id for g in regions}
        for department, indicator_id, measure, y, kind, number, num, den in computed:
            line = known.get((indicator_id, measure))
            if line is not None and department in by_department:
                _add_computed(cells, by_department[department], line, Period.of(y, kind, number), num, den)
    year = max(latest.values()) if latest else None
    return _finish(Board(all_lines, list(regions), cells, year))
