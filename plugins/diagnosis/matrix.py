"""The Plan Articulado's matrix (Appendix 5): parse and validate values, pre-seed, check before
approval, total, copy into next year's plan, and load the whole matrix in a fixed number of queries.

Everything here raises or returns Spanish messages; callers (web, API, XLSX import) commit.

Longer than ~400 lines: the matrix's parsers, row editors, totals and gap checks are one set of rules
that the pages, the API and the XLSX import share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import values
from core.extensions import db
from core.models import Institution, StrategicProgram
from core.refusals import Refusal
from plugins.diagnosis.models import (
    FUNDING_SOURCES,
    MAX_NAME,
    MAX_TEXT,
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanResult,
    StandardResult,
    month_list,
)

#: Appendix 5, "Objetivo General": the CRECER objective every plan starts from.
CRECER_OBJECTIVE = (
    "Contribuir a reducir la desnutrición crónica en niños y niñas menores de cinco años en 9 puntos "
    "porcentuales al año 2011, con prioridad en los menores de tres años en situación de vulnerabilidad y "
    "pobreza, con enfoque de derechos, protección del capital humano, desarrollo social y corresponsabilidad "
    "(Estrategia Nacional CRECER)."
)
MONEY_MAX = Decimal("999999999999.99")  # Numeric(14, 2)
NUMBER_MAX = Decimal("999999999")


class MatrixError(Refusal, ValueError):
    """A value refused (400); the message names the field. A Refusal, so an operation that raises
    it is refused like any other (core.operations); still a ValueError for the parsers' callers."""


# --- parsing values (shared by forms, API and XLSX import) ---------------------------------------------


def parse_money(raw: Any, label: str = "Presupuesto", required: bool = False) -> Decimal | None:
    """Soles as Decimal (core.values.parse_money, the one money parser): non-negative, two decimals."""
    try:
        return values.parse_money(raw, label, required=required, maximum=MONEY_MAX)
    except values.ValueProblem as problem:
        raise MatrixError(str(problem)) from None


def parse_number(raw: Any, label: str, *, integer: bool = False, places: int = 4) -> Decimal | int | None:
    """A non-negative number (goal, physical goal, baseline), None when empty (core.values parsers)."""
    try:
        if isinstance(raw, str):
            raw = raw.strip().removesuffix("%").strip()  # a goal typed as "15 %"
        if integer:
            number = values.parse_integer(raw, label)
        else:
            number = values.parse_decimal(raw, label, places=places)
        if number is not None and number > NUMBER_MAX:
            raise values.ValueProblem(_("«%(label)s» is too large.", label=label))
        return number
    except values.ValueProblem as problem:
        raise MatrixError(str(problem)) from None


def clean_text(raw: Any, label: str, *, required: bool = False, limit: int = MAX_NAME) -> str | None:
    """Trimmed text within ``limit`` characters (a 10 MB field is refused, not truncated)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if required:
            raise MatrixError(_("«%(label)s» is required.", label=label))
        return None
    if len(text) > limit:
        raise MatrixError(
            _(
                "«%(label)s» takes %(limit)s characters at most (it has %(length)s).",
                label=label,
                limit=limit,
                length=len(text),
            )
        )
    return text


def parse_months(raw: Any) -> list[int]:
    """Months of the timetable: a list of 1..12, or text such as "3,4,5" or "3-5"."""
    if raw is None or raw == "" or raw == []:
        return []
    items: list[Any]
    if isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        items = []
        for part in str(raw).replace(";", ",").split(","):
            part = part.strip()
            if "-" in part:
                start, _sep, end = part.partition("-")
                if not (start.strip().isdigit() and end.strip().isdigit()):
                    raise MatrixError(_("Months: «%(part)s» is not a valid range (for example 3-5).", part=part))
                items += list(range(int(start), int(end) + 1))
            elif part:
                items.append(part)
    months = set()
    for item in items:
        text = str(item).strip()
        if not text.isdigit() or not 1 <= int(text) <= 12:
            raise MatrixError(_("Months: «%(item)s» is not a month (1 to 12).", item=item))
        months.add(int(text))
    return sorted(months)


def fold(text: Any) -> str:
    """Case-, accent- and spacing-insensitive form used to match what people type to catalog values."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def funding_label(code: str | None) -> str:
    """A funding source as a Spanish spreadsheet shows it: «Recursos Ordinarios (RO)»."""
    from plugins.diagnosis.labels import SPANISH

    if not code:
        return ""
    name = SPANISH["funding"].get(code, code)
    return name if code == "OTHER" else f"{name} ({code})"


def _choose(raw: str, options: list[tuple[list[str], Any]], label: str, valid: list[str]) -> Any:
    """The option whose key or one of whose labels matches ``raw`` (see fold); else an error that names
    the column and lists the valid values."""
    wanted = fold(raw)
    for names, value in options:
        if any(wanted == fold(name) for name in names if name):
            return value
    raise MatrixError(
        _(
            "«%(label)s»: «%(raw)s» is not a valid value. Valid values: %(valid)s.",
            label=label,
            raw=raw,
            valid="; ".join(valid),
        )
    )


def _institution_options() -> tuple[list[tuple[list[str], Institution]], list[str]]:
    rows = db.session.scalars(
        select(Institution).where(Institution.active.is_(True)).order_by(Institution.position, Institution.id)
    ).all()
    return [([i.key, i.label, i.name, i.acronym, i.short_name, str(i)], i) for i in rows], [i.label for i in rows]


def institutions_by_key(keys: list[str]) -> list[Institution]:
    """Institutions of the catalog (Appendix 2) by key, acronym, short or full name; an unknown one is an
    error that lists the valid values."""
    wanted = [k.strip() for k in keys if k and k.strip()]
    if not wanted:
        return []
    options, valid = _institution_options()
    found, unknown = [], []
    for key in wanted:
        try:
            found.append(_choose(key, options, "Instituciones responsables", valid))
        except MatrixError:
            unknown.append(key)
    if unknown:
        raise MatrixError(
            _(
                "Institution not in the catalogue: %(unknown)s. Valid values: %(valid)s.",
                unknown=", ".join(f"«{u}»" for u in unknown),
                valid="; ".join(valid),
            )
        )
    return list(dict.fromkeys(found))


def institutions_from_text(raw: Any) -> list[Institution]:
    """Institutions written in one cell or field, separated by «;» (or by commas, as long as a full
    name that itself holds a comma — «Ministerio de Vivienda, Construcción y Saneamiento» — still
    counts as one)."""
    if isinstance(raw, (list, tuple)):
        return institutions_by_key([str(k) for k in raw])
    parts = [p.strip() for p in str(raw or "").replace("\n", ";").split(";") if p.strip()]
    if not parts:
        return []
    options, valid = _institution_options()

    def known(text: str) -> bool:
        try:
            _choose(text, options, "Instituciones responsables", valid)
            return True
        except MatrixError:
            return False

    keys: list[str] = []
    for part in parts:
        pieces = part.split(",")
        start = 0
        while start < len(pieces):
            # the longest run of comma-separated pieces that names an institution, else one piece
            # (reported as unknown by institutions_by_key)
            end = next((e for e in range(len(pieces), start, -1) if known(",".join(pieces[start:e]))), start + 1)
            keys.append(",".join(pieces[start:end]))
            start = end
    return institutions_by_key(keys)


def strategic_program_by_key(key: str | None) -> StrategicProgram | None:
    """A strategic program by key, acronym or name (as the spreadsheet's drop-down lists it)."""
    if not key or not str(key).strip():
        return None
    rows = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position, StrategicProgram.id)).all()
    options = [([p.key, p.name, p.acronym, p.short_name, str(p)], p) for p in rows]
    return _choose(str(key).strip(), options, "Programa estratégico", [p.name for p in rows])


def check_funding(code: str | None) -> str | None:
    """A funding source's code, given its code or its label («Recursos Ordinarios (RO)»)."""
    if code is None or not str(code).strip():
        return None
    from plugins.diagnosis.labels import SPANISH

    options = [([c, funding_label(c), SPANISH["funding"].get(c)], c) for c in FUNDING_SOURCES]
    return _choose(str(code).strip(), options, "Fuente de financiamiento", [funding_label(c) for c in FUNDING_SOURCES])


# --- loading -----------------------------------------------------------------------------------------


def load_plan(plan_id: int) -> Plan | None:
    """The plan with its whole matrix in a fixed number of queries, whatever its size."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.results).selectinload(PlanResult.indicators),
            selectinload(Plan.results)
            .selectinload(PlanResult.activities)
            .options(selectinload(PlanActivity.institutions), selectinload(PlanActivity.strategic_program)),
        )
        .execution_options(populate_existing=True)
    )


# --- seeding and next cycle --------------------------------------------------------------------------


def seed_new_plan(plan: Plan) -> None:
    """A new plan: the CRECER general objective and the four results of Appendix 5."""
    if not plan.general_objective:
        plan.general_objective = CRECER_OBJECTIVE
    standard = db.session.scalars(
        select(StandardResult).where(StandardResult.active.is_(True)).order_by(StandardResult.position)
    ).all()
    for position, item in enumerate(standard, start=1):
        plan.results.append(PlanResult(name=item.name, position=position, standard_key=item.key))


def copy_structure(source: Plan, target: Plan) -> None:
    """Next year's plan from this one: sections, results, indicators and activities copied; the goals
    (beneficiaries per result, indicator targets, physical goals) left empty, to be updated."""
    for name in (
        "background",
        "justification",
        "general_objective",
        "specific_objectives",
        "alignment_pdc",
        "alignment_participatory_budget",
        "alignment_institutional",
    ):
        setattr(target, name, getattr(source, name))
    target.previous_plan_id = source.id
    for result in source.results:
        new_result = PlanResult(
            name=result.name, position=result.position, goal_unit=result.goal_unit, standard_key=result.standard_key
        )
        for ind in result.indicators:
            new_result.indicators.append(
                PlanIndicator(
                    name=ind.name, position=ind.position, formula=ind.formula, source=ind.source, baseline=ind.target
                )
            )
        for act in result.activities:
            new_result.activities.append(
                PlanActivity(
                    name=act.name,
                    position=act.position,
                    budget=act.budget,
                    strategic_program_id=act.strategic_program_id,
                    funding_source=act.funding_source,
                    months=list(act.months or []),
                    official=act.official,
                    physical_unit=act.physical_unit,
                    communities=act.communities,
                    institutions=list(act.institutions),
                )
            )
        target.results.append(new_result)


# --- editing one row (web forms and API share these) ---------------------------------------------------


def apply_sections(plan: Plan, data: dict[str, Any]) -> None:
    """The plan's text sections and approval data, from a form or JSON (only the keys present)."""
    from plugins.diagnosis.models import APPROVAL_INSTRUMENTS

    for name, label in (
        ("background", "Antecedentes"),
        ("justification", "Justificación"),
        ("general_objective", "Objetivo General"),
        ("specific_objectives", "Objetivos Específicos"),
        ("alignment_pdc", "Plan de Desarrollo Concertado"),
        ("alignment_participatory_budget", "Presupuesto Participativo"),
        ("alignment_institutional", "Planes institucionales"),
    ):
        if name in data:
            setattr(plan, name, clean_text(data[name], label, limit=MAX_TEXT))
    if "approval_instrument" in data:
        value = clean_text(data["approval_instrument"], "Aprobado por")
        if value is not None and value not in APPROVAL_INSTRUMENTS:
            raise MatrixError(_("«Approved by» must be ordinance or resolution."))
        plan.approval_instrument = value
    if "approval_number" in data:
        plan.approval_number = clean_text(data["approval_number"], "Número de la norma", limit=120)
    if "approval_date" in data:
        from plugins.diagnosis.instruments import parse_as_of

        plan.approval_date = parse_as_of(data["approval_date"], "Fecha de aprobación")


def apply_result(result: PlanResult, data: dict[str, Any]) -> None:
    if "name" in data or result.name is None:
        result.name = clean_text(data.get("name"), "Resultado", required=True)
    if "goal_value" in data:
        result.goal_value = parse_number(data.get("goal_value"), "Meta (beneficiarios)", integer=True)
    if "goal_unit" in data:
        result.goal_unit = clean_text(data.get("goal_unit"), "Unidad de medida")


def apply_indicator(indicator: PlanIndicator, data: dict[str, Any]) -> None:
    if "name" in data or indicator.name is None:
        indicator.name = clean_text(data.get("name"), "Indicador", required=True)
    if "formula" in data:
        indicator.formula = clean_text(data.get("formula"), "Fórmula de cálculo", limit=2000)
    if "source" in data:
        indicator.source = clean_text(data.get("source"), "Fuente")
    if "baseline" in data:
        indicator.baseline = parse_number(data.get("baseline"), "Línea de base")
    if "target" in data:
        indicator.target = parse_number(data.get("target"), "Meta del indicador")


def apply_activity(activity: PlanActivity, data: dict[str, Any]) -> None:
    """Every field is checked before any is set, so a refused edit changes nothing."""
    values: dict[str, Any] = {}
    problems: list[str] = []

    def take(name: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        if name not in data and not (name == "name" and activity.name is None):
            return
        try:
            values[name] = fn(data.get(name), *args, **kwargs)
        except MatrixError as error:
            problems.append(str(error))

    take("name", clean_text, "Actividad", required=True)
    take("budget", parse_money, "Presupuesto")
    take("strategic_program", lambda v: strategic_program_by_key(v))
    take("funding_source", check_funding)
    take("months", parse_months)
    take("official", clean_text, "Funcionario responsable", limit=200)
    take("physical_goal", parse_number, "Meta física")
    take("physical_unit", clean_text, "Unidad de la meta física", limit=120)
    take("communities", clean_text, "Comunidades focalizadas", limit=2000)
    if "institutions" in data:
        try:
            values["institutions"] = institutions_from_text(data.get("institutions"))
        except MatrixError as error:
            problems.append(str(error))
    if problems:
        raise MatrixError(" ".join(problems))
    for name, value in values.items():
        setattr(activity, name, value)


# --- validation and totals ---------------------------------------------------------------------------


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


__all__ = [
    "CRECER_OBJECTIVE",
    "MAX_TEXT",
    "MatrixError",
    "Totals",
    "check_funding",
    "clean_text",
    "copy_structure",
    "fold",
    "funding_label",
    "gaps",
    "institutions_by_key",
    "institutions_from_text",
    "load_plan",
    "parse_money",
    "parse_months",
    "parse_number",
    "seed_new_plan",
    "strategic_program_by_key",
    "totals",
]
