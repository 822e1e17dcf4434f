"""Demo data (``articula demo load``): Huánuco 2008 — a regional diagnosis with a Ficha for every
district of the region, baselines, actors, coincidences, causes and the production diagnosis
(diagnosis.py); a complete Plan Articulado Regional (the four results, 12 indicators, 25 activities
with budgets) and a Plan Articulado Local for Amarilis with its timetable (plans.py). Idempotent: an
existing case of the same type, government and year is left as it is. Figures are illustrative,
not official.

The cases are created by the case engine (create_case, as the case pages do); everything in them
is written by the plugin's operations, as the pages and the API write it.

The current year (from today's date in Lima) is the cycle in progress: the region's diagnosis and
plan of the year in preparation, and Amarilis's Plan Articulado Local of the year approved by its
Instancia and by ordinance, its timetable running from this month to December, so a newcomer on
any date sees deadlines still ahead.
"""

from __future__ import annotations

from typing import Any

from core.cases import case_types, create_case
from core.cycles import current_year
from core.extensions import db
from core.models import Government
from core.security import scope_for, scope_for_cli
from plugins.diagnosis.demo.common import YEAR, exists, government, user, write
from plugins.diagnosis.demo.diagnosis import regional_diagnosis
from plugins.diagnosis.demo.plans import local_plan, plan_case, regional_plan


def load(app: Any) -> None:
    region = government("regional", "100000")
    amarilis = government("district", "100102")
    if region is None:
        return
    scope = scope_for_cli(None)
    if not exists("diagnosis", region):
        regional_diagnosis(region, scope)
    if not exists("articulated_plan", region):
        regional_plan(region, scope)
    if amarilis is not None and not exists("articulated_plan", amarilis):
        local_plan(amarilis, scope, YEAR)
    year = current_year()
    if year > YEAR:
        _current_year(region, amarilis, year, scope)
    db.session.commit()


def _current_year(region: Government, amarilis: Government | None, year: int, scope: Any) -> None:
    """The cycle in progress: the region's diagnosis and plan in preparation, Amarilis's plan approved."""
    from core.deadlines import lima_today
    from core.workflow import perform

    team = user("equipo.regional@huanuco.demo")
    if not exists("diagnosis", region, year):
        create_case(
            case_types()["diagnosis"],
            region,
            year,
            f"Diagnóstico regional de la desnutrición crónica infantil — Huánuco {year}",
            team,
            scope,
            methodology="Actualización de las Fichas Distritales con el HIS, el SIEN y el padrón nominal.",
        )
        db.session.flush()
    if not exists("articulated_plan", region, year):
        plan_case(
            region,
            year,
            f"Plan Articulado Regional de lucha contra la pobreza y la desnutrición crónica infantil {year}",
            team,
            scope,
            background="Actualización del Plan Articulado Regional con el diagnóstico del año.",
        )
    if amarilis is None or exists("articulated_plan", amarilis, year):
        return
    coordinator = user("coordinador.amarilis@huanuco.demo")
    local_team = user("equipo.amarilis@huanuco.demo")
    today = lima_today()
    plan = local_plan(amarilis, scope, year, first_month=today.month)
    if local_team is None or coordinator is None:
        return
    perform(plan, "send_review", local_team, scope_for(local_team))
    perform(plan, "approve_instancia", coordinator, scope_for(coordinator), "Aprobado en sesión de la Instancia.")
    write(
        "diagnosis.plan.edit",
        coordinator,
        plan,
        approval_instrument="ordinance",
        approval_number=f"009-{year}-MDA",
        approval_date=today.isoformat(),
    )
    perform(plan, "approve_norm", coordinator, scope_for(coordinator))
