"""The demo's Plans Articulados: Huánuco's regional plan (the four results of Appendix 5, 12
indicators, 25 activities with budgets) and Amarilis's local plan (two activities per result, with
its timetable and responsible official). The rows are written by the matrix's operations; most of
this file is the regional matrix's data (PAR_MATRIX), row by row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.cases import case_types, create_case
from core.extensions import db
from core.models import Government, Institution, StrategicProgram, User
from plugins.diagnosis.demo.common import YEAR, stable_number, user, write
from plugins.diagnosis.matrix import load_plan
from plugins.diagnosis.models import Plan

PAR_MATRIX = [
    (
        12000,
        "niños y niñas menores de cinco años y gestantes atendidos",
        [
            (
                "Proporción de niños menores de 5 años con desnutrición crónica",
                "N° de niños < 5 años con talla/edad < -2 DE / N° de niños < 5 años evaluados × 100",
                "SIEN",
            ),
            (
                "Proporción de gestantes con 6 controles prenatales",
                "N° de gestantes con 6 CPN / N° de gestantes × 100",
                "HIS",
            ),
            (
                "Cobertura de CRED en menores de 1 año",
                "N° de niños < 1 año con CRED completo / N° de niños < 1 año × 100",
                "HIS",
            ),
        ],
        [
            (
                "Control de crecimiento y desarrollo (CRED) en establecimientos de salud",
                "850000",
                "pan",
                ["diresa", "minsa"],
            ),
            ("Suplementación con hierro y vitamina A a niños y gestantes", "420000", "pan", ["diresa"]),
            (
                "Equipamiento de centros de salud para atención materno neonatal",
                "1250000",
                "smn",
                ["diresa", "gobiernos_regionales"],
            ),
            ("Casas de espera materna en redes de salud rurales", "380000", "smn", ["diresa"]),
            ("Vacunación completa de menores de cinco años", "300000", "pan", ["minsa"]),
            ("Inscripción de nacimientos y DNI de menores", "150000", "acceso_identidad", ["reniec"]),
            ("Capacitación del personal de salud en consejería nutricional", "120000", "pan", ["diresa"]),
        ],
    ),
    (
        150,
        "comunidades y municipios saludables acreditados",
        [
            (
                "Comunidades con agua clorada y saneamiento",
                "N° de comunidades con agua segura / N° de comunidades × 100",
                "DIRESA",
            ),
            ("Municipios saludables acreditados", "N° de municipios acreditados", "DIRESA"),
            ("Viviendas saludables implementadas", "N° de viviendas con cocina mejorada y letrina", "Municipalidades"),
        ],
        [
            (
                "Instalación de sistemas de agua y desagüe rurales",
                "2400000",
                "acceso_servicios_basicos_mercado",
                ["vivienda", "gobiernos_regionales"],
            ),
            ("Cocinas mejoradas y viviendas saludables", "650000", "pan", ["foncodes"]),
            ("Centros de vigilancia comunal del crecimiento", "210000", "pan", ["diresa"]),
            ("Capacitación de agentes comunitarios de salud", "95000", "pan", ["diresa"]),
            ("Acreditación de municipios saludables", "60000", "pan", ["diresa"]),
            ("Educación sanitaria en instituciones educativas", "80000", "logros_aprendizaje", ["dre"]),
        ],
    ),
    (
        8000,
        "familias que mejoran su alimentación con productos regionales",
        [
            (
                "Familias con biohuertos familiares",
                "N° de familias con biohuerto / N° de familias focalizadas × 100",
                "DIRESA",
            ),
            (
                "Consumo de alimentos de origen animal en niños de 6 a 36 meses",
                "N° de niños que consumen / N° de niños × 100",
                "ENDES",
            ),
            ("Programas alimentarios que compran productos locales", "N° de programas con compras locales", "PRONAA"),
        ],
        [
            (
                "Biohuertos familiares y crianza de animales menores",
                "540000",
                "acceso_servicios_basicos_mercado",
                ["minag"],
            ),
            ("Sesiones demostrativas de preparación de alimentos", "130000", "pan", ["diresa"]),
            (
                "Compras locales de alimentos para programas sociales",
                "900000",
                "acceso_servicios_basicos_mercado",
                ["pronaa"],
            ),
            (
                "Capacitación a productores en cadenas productivas",
                "310000",
                "acceso_servicios_basicos_mercado",
                ["minag"],
            ),
            ("Papillas y canastas con productos regionales", "460000", "pan", ["pronaa"]),
            (
                "Ferias de productos nutritivos regionales",
                "45000",
                "acceso_servicios_basicos_mercado",
                ["gobiernos_regionales"],
            ),
        ],
    ),
    (
        84,
        "gobiernos locales con Instancia de Articulación operativa",
        [
            (
                "Instancias de Articulación Local instaladas",
                "N° de IAL con ordenanza / N° de distritos",
                "Gobierno Regional",
            ),
            ("Planes Articulados Locales aprobados", "N° de PAL aprobados / N° de distritos", "Gobierno Regional"),
            (
                "Proyectos de inversión pública en nutrición viables",
                "N° de PIP en nutrición declarados viables",
                "Banco de Proyectos del SNIP",
            ),
        ],
        [
            ("Asistencia técnica a municipalidades para instalar la IAL", "180000", "pan", ["gobiernos_regionales"]),
            ("Formulación de PIP en nutrición", "420000", "pan", ["gobiernos_regionales"]),
            ("Sistema regional de información y seguimiento", "250000", "pan", ["gobiernos_regionales", "inei"]),
            ("Ventanilla CRECER regional", "90000", "acceso_identidad", ["gobiernos_regionales"]),
            ("Talleres de articulación con programas sociales", "70000", "pan", ["pcm"]),
            ("Evaluación anual del Plan Articulado", "60000", "pan", ["gobiernos_regionales"]),
        ],
    ),
]


def plan_case(government: Government, year: int, title: str, author: User | None, scope: Any, **sections: Any) -> Plan:
    """A new plan (seeded with the CRECER objective and the four standard results, lifecycle.py)."""
    plan = create_case(case_types()["articulated_plan"], government, year, title, author, scope, **sections)
    db.session.flush()
    return plan


def _known(model: type, keys: list[str]) -> list[str]:
    # The demo names catalog entries by key; a catalog without one of them (a trimmed seed) skips it.
    have = set(db.session.scalars(select(model.key).where(model.key.in_(keys))))
    return [key for key in keys if key in have]


def fill_matrix(
    plan: Plan,
    author: User | None,
    *,
    activities_per_result: int | None = None,
    budget_share: int = 1,
    months_for: Callable[[int], list[int]] | None = None,
    official: str | None = None,
) -> None:
    """The matrix of PAR_MATRIX through the operations: each standard result's goal, its indicators
    and its activities (the first ``activities_per_result``, budgets divided by ``budget_share``)."""
    first_institution = db.session.scalar(select(Institution.key).order_by(Institution.position).limit(1))
    results = [(r.id, r.position) for r in load_plan(plan.id).results]
    for (result_id, _position), (goal, unit, indicators, activities) in zip(results, PAR_MATRIX, strict=False):
        write("diagnosis.result.edit", author, plan, result_id=result_id, goal_value=goal, goal_unit=unit)
        for name, formula, source in indicators:
            write(
                "diagnosis.indicator.add", author, plan, result_id=result_id, name=name, formula=formula, source=source
            )
        for position, (name, budget, program, institutions) in enumerate(activities[:activities_per_result], start=1):
            activity = {
                "name": name,
                "budget": str((Decimal(budget) / budget_share).quantize(Decimal("0.01"))),
                "strategic_program": next(iter(_known(StrategicProgram, [program])), None),
                "funding_source": "RO" if position % 3 else "DyT",
                "institutions": _known(Institution, institutions) or [first_institution],
            }
            if months_for is not None:
                activity |= {
                    "months": months_for(position),
                    "official": official,
                    "physical_goal": stable_number(name, 2, 40),
                    "physical_unit": "acciones",
                    "communities": "Llicua, Pillco Mozo, San Luis, Paucarbamba",
                }
            write("diagnosis.activity.add", author, plan, result_id=result_id, **activity)


def regional_plan(region: Government, scope: Any) -> Plan:
    team = user("equipo.regional@huanuco.demo")
    plan = plan_case(
        region,
        YEAR,
        "Plan Articulado Regional de lucha contra la pobreza y la desnutrición crónica infantil 2008",
        team,
        scope,
        background=(
            "El Gobierno Regional de Huánuco aprobó su política regional de lucha contra la desnutrición crónica "
            "infantil e instaló la Instancia de Articulación Regional, que reúne a los sectores, los programas "
            "sociales, las municipalidades y la sociedad civil."
        ),
        justification=(
            "La desnutrición crónica afecta a cuatro de cada diez niños y niñas menores de cinco años de la región, "
            "con daños irreversibles en su desarrollo; su reducción exige intervenciones articuladas y focalizadas."
        ),
        specific_objectives=(
            "1. Mejorar la atención integral de la gestante y del niño menor de cinco años.\n"
            "2. Promover comunidades y municipios saludables.\n"
            "3. Mejorar la alimentación con productos regionales.\n"
            "4. Articular la inversión social de los agentes estatales y no estatales."
        ),
        alignment_pdc="Eje social del Plan de Desarrollo Regional Concertado Huánuco al 2021.",
        alignment_participatory_budget="Proyectos priorizados en el Presupuesto Participativo Regional 2008.",
        alignment_institutional="POI 2008 de la DIRESA, la DRE y la Gerencia Regional de Desarrollo Social.",
    )
    fill_matrix(plan, team)
    return plan


def local_plan(amarilis: Government, scope: Any, year: int, first_month: int | None = None) -> Plan:
    """Amarilis's plan of ``year``: smaller than the region's (two activities per result, local
    budgets), with its timetable — from ``first_month`` to December for the cycle in progress."""
    team = user("equipo.amarilis@huanuco.demo")
    current = first_month is not None
    plan = plan_case(
        amarilis,
        year,
        f"Plan Articulado Local de Amarilis {year}",
        team,
        scope,
        background=(
            "La Municipalidad Distrital de Amarilis instaló su Instancia de Articulación Local "
            + ("este año." if current else f"en {year}.")
        ),
        justification=(
            f"Uno de cada {'cuatro' if current else 'tres'} niños menores de cinco años del distrito presenta "
            "desnutrición crónica."
        ),
        specific_objectives="Reducir la desnutrición crónica en los asentamientos humanos y caseríos de Amarilis.",
        alignment_pdc="Plan de Desarrollo Concertado del distrito de Amarilis.",
        alignment_participatory_budget=f"Presupuesto Participativo {year} de Amarilis.",
        alignment_institutional=f"POI {year} de la municipalidad y de la Microrred de Salud Amarilis.",
    )
    if first_month is not None:
        first = first_month  # the timetable runs from this month: its deadlines are still ahead

        def months_for(position: int) -> list[int]:
            return list(range(first, 13 if position % 2 else min(12, first + 2) + 1))
    else:

        def months_for(position: int) -> list[int]:
            return list(range(2 + position % 4, 6 + position % 6))

    fill_matrix(
        plan,
        team,
        activities_per_result=2,
        budget_share=20,
        months_for=months_for,
        official="Gerente de Desarrollo Social de la Municipalidad Distrital de Amarilis",
    )
    return plan
