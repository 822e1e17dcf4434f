"""The alignment check of §5.2.3 ("verificando su asignación para el cumplimiento de las metas propuestas"):
the budget allocated (PIM) against the budget planned in the Plan Articulado's matrix, per result and per
strategic program, with execution (devengado) per quarter and per source.

A fixed number of SQL statements whatever the number of lines: the plan's matrix (core of
diagnosis.matrix.load_plan) and three aggregates grouped in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.extensions import db
from core.models import Government
from plugins.diagnosis.matrix import load_plan
from plugins.diagnosis.models import Plan
from plugins.operations.budget.models import DEFAULT_MIN_SHARE, AlignmentThreshold, BudgetLine
from plugins.operations.budget.sources import source_keys, source_name

ZERO = Decimal("0")


def min_share(government: Government | None) -> Decimal:
    """The share below which a result is flagged: the government's own, the national default, or 0.8."""
    ids = [None] if government is None else [government.id, None]
    rows = db.session.execute(
        select(AlignmentThreshold.government_id, AlignmentThreshold.share).where(
            (AlignmentThreshold.government_id.in_([i for i in ids if i is not None]))
            | AlignmentThreshold.government_id.is_(None)
        )
    ).all()
    by_gov = dict(rows)
    if government is not None and government.id in by_gov:
        return by_gov[government.id]
    return by_gov.get(None, DEFAULT_MIN_SHARE)


@dataclass
class Figures:
    """Planned, PIA, PIM and accrued of a result, a program or the plan; the share allocated and the flag."""

    name: str
    planned: Decimal = ZERO
    pia: Decimal = ZERO
    pim: Decimal = ZERO
    accrued: Decimal = ZERO
    number: str = ""
    flag: str = ""  # "" | "missing" (no PIM at all) | "under" (below the minimum share)

    @property
    def allocated_share(self) -> Decimal | None:
        """PIM / planned as a percentage (one decimal); None when nothing was planned."""
        if not self.planned:
            return None
        return (self.pim * 100 / self.planned).quantize(Decimal("0.1"))

    @property
    def execution(self) -> Decimal | None:
        """Devengado / PIM as a percentage (one decimal); None without PIM."""
        if not self.pim:
            return None
        return (self.accrued * 100 / self.pim).quantize(Decimal("0.1"))

    def add(self, pia: Decimal, pim: Decimal, accrued: Decimal) -> None:
        self.pia += pia
        self.pim += pim
        self.accrued += accrued

    def judge(self, share: Decimal) -> None:
        if self.planned and not self.pim:
            self.flag = "missing"
        elif self.planned and self.pim < self.planned * share:
            self.flag = "under"

    def as_json(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else format(value, "f")

        return {
            "number": self.number,
            "name": self.name,
            "planned": text(self.planned),
            "pia": text(self.pia),
            "pim": text(self.pim),
            "accrued": text(self.accrued),
            "allocated_percent": text(self.allocated_share),
            "execution_percent": text(self.execution),
            "flag": self.flag or None,
        }


@dataclass
class Alignment:
    plan: Plan
    share: Decimal
    results: list[Figures]
    programs: list[Figures]
    total: Figures
    quarters: dict[int, Figures] = field(default_factory=dict)
    sources: dict[str, Figures] = field(default_factory=dict)
    lines: int = 0

    @property
    def flagged(self) -> list[Figures]:
        return [r for r in self.results if r.flag]

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id,
            "min_share": format(self.share, "f"),
            "lines": self.lines,
            "total": self.total.as_json(),
            "results": [r.as_json() for r in self.results],
            "programs": [p.as_json() for p in self.programs],
            "quarters": [{"quarter": q, **f.as_json()} for q, f in sorted(self.quarters.items())],
            "sources": [{"source": s, **f.as_json()} for s, f in self.sources.items()],
            "flagged": [r.number for r in self.flagged],
        }


def _sums(*group: Any) -> Any:
    return select(
        *group,
        func.coalesce(func.sum(BudgetLine.pia), 0),
        func.coalesce(func.sum(BudgetLine.pim), 0),
        func.coalesce(func.sum(BudgetLine.accrued), 0),
        func.count(BudgetLine.id),
    )


def _money(value: Any) -> Decimal:
    # SQLite's SUM of NUMERIC may come back as float: back to cents through its shortest text.
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(Decimal("0.01"))


def alignment(plan_id: int) -> Alignment | None:
    """The plan's alignment report data (None when the plan does not exist)."""

    plan = load_plan(plan_id)
    if plan is None:
        return None
    share = min_share(plan.government)
    by_activity = {
        row[0]: row[1:]
        for row in db.session.execute(
            _sums(BudgetLine.activity_id).where(BudgetLine.plan_id == plan_id).group_by(BudgetLine.activity_id)
        )
    }
    results, programs, total = [], {}, Figures("Total")
    lines = 0
    for n, result in enumerate(plan.results, start=1):
        figures = Figures(result.name, number=str(n))
        for activity in result.activities:
            pia, pim, accrued, count = (_money(v) for v in by_activity.get(activity.id, (0, 0, 0, 0)))
            lines += int(count)
            planned = activity.budget or ZERO
            figures.planned += planned
            figures.add(pia, pim, accrued)
            program = activity.strategic_program
            key = program.id if program else 0
            if key not in programs:
                programs[key] = Figures(program.name if program else "Sin programa estratégico")
            programs[key].planned += planned
            programs[key].add(pia, pim, accrued)
        figures.judge(share)
        results.append(figures)
        total.planned += figures.planned
        total.add(figures.pia, figures.pim, figures.accrued)
    for figures in programs.values():
        figures.judge(share)
    quarters = {q: Figures(f"Trimestre {q}") for q in (1, 2, 3, 4)}
    for quarter, pia, pim, accrued, _count in db.session.execute(
        _sums(BudgetLine.quarter).where(BudgetLine.plan_id == plan_id).group_by(BudgetLine.quarter)
    ):
        quarters[int(quarter)].add(_money(pia), _money(pim), _money(accrued))
    sources: dict[str, Figures] = {}
    found = {
        row[0]: row[1:]
        for row in db.session.execute(
            _sums(BudgetLine.source).where(BudgetLine.plan_id == plan_id).group_by(BudgetLine.source)
        )
    }
    for key in source_keys():
        if key in found:
            sources[key] = Figures(source_name(key))
            sources[key].add(*(_money(v) for v in found[key][:3]))
    return Alignment(
        plan=plan,
        share=share,
        results=results,
        programs=sorted(programs.values(), key=lambda f: f.name),
        total=total,
        quarters=quarters,
        sources=sources,
        lines=lines,
    )
