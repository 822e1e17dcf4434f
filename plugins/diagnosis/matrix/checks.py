"""What the Plan Articulado adds up to and what keeps it from approval: budget totals by result,
strategic program and funding source, and the gaps, each a sentence naming where it is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from plugins.diagnosis.models import Plan, PlanResult, month_list


@dataclass
class Totals:
    total: Decimal = Decimal("0.00")
    by_result: list[tuple[PlanResult, Decimal]] = field(default_factory=list)
    by_program: list[tuple[str, Decimal]] = field(default_factory=list)  # (program name, total), catalog order
    by_funding: list[tuple[str, Decimal]] = field(default_factory=list)
    activities: int = 0


def totals(plan: Plan) -> Totals:
    """Budget totals by result, by strategic program (PpR) and by funding source."""
    result = Totals()
    per_program: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    per_funding: dict[str, Decimal] = defaultdict(Decimal)
    for res in plan.results:
        subtotal = Decimal("0.00")
        for act in res.activities:
            amount = act.budget or Decimal("0.00")
            subtotal += amount
            result.activities += 1
            program = act.strategic_program
            key = (program.position, program.name) if program else (999, "Sin programa estratégico")
            per_program[key] += amount
            per_funding[act.funding_source or "—"] += amount
        result.by_result.append((res, subtotal))
        result.total += subtotal
    result.by_program = [(name, amount) for (_pos, name), amount in sorted(per_program.items())]
    result.by_funding = sorted(per_funding.items())
    return result


def gaps(plan: Plan) -> list[str]:
    """What keeps the plan from approval, each gap a Spanish sentence naming where it is.

    Every result needs: an indicator with formula and source, a goal with its unit, an activity;
    every activity a non-negative budget and a responsible institution. A local plan also needs
    its timetable and responsible official per activity (§5.1.2). Sections must be written.
    """
    problems: list[str] = []
    for name, label in (
        ("background", "Antecedentes"),
        ("justification", "Justificación"),
        ("general_objective", "Objetivo General"),
        ("specific_objectives", "Objetivos Específicos"),
    ):
        if not (getattr(plan, name) or "").strip():
            problems.append(_("The section «%(section)s» is missing.", section=label))
    if not plan.results:
        problems.append(_("The plan has no results."))
    local = not plan.is_regional
    for number, res in enumerate(plan.results, start=1):
        where = _("Result %(number)s «%(name)s»", number=number, name=_short(res.name))
        if not res.indicators:
            problems.append(_("%(where)s: it has no indicators.", where=where))
        for i, ind in enumerate(res.indicators, start=1):
            if not (ind.formula or "").strip():
                problems.append(
                    _(
                        "%(where)s, indicator %(number)s «%(name)s»: the calculation formula is missing.",
                        where=where,
                        number=i,
                        name=_short(ind.name),
                    )
                )
            if not (ind.source or "").strip():
                problems.append(
                    _(
                        "%(where)s, indicator %(number)s «%(name)s»: the source is missing.",
                        where=where,
                        number=i,
                        name=_short(ind.name),
                    )
                )
        if res.goal_value is None:
            problems.append(_("%(where)s: the goal (number of beneficiaries) is missing.", where=where))
        if not (res.goal_unit or "").strip():
            problems.append(_("%(where)s: the goal's unit of measure is missing.", where=where))
        if not res.activities:
            problems.append(_("%(where)s: it has no activities.", where=where))
        for a, act in enumerate(res.activities, start=1):
            there = _("%(where)s, activity %(number)s «%(name)s»", where=where, number=a, name=_short(act.name))
            if act.budget is None:
                problems.append(_("%(where)s: the budget is missing.", where=there))
            elif act.budget < 0:
                problems.append(_("%(where)s: the budget cannot be negative.", where=there))
            if not act.institutions:
                problems.append(_("%(where)s: the responsible institution is missing.", where=there))
            if local:
                if not month_list(act.months):
                    problems.append(_("%(where)s: its schedule (months of the year) is missing.", where=there))
                if not (act.official or "").strip():
                    problems.append(_("%(where)s: the responsible official is missing.", where=there))
    return problems


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
