"""Demo data (``articula demo load``): Huánuco 2008 — a regional diagnosis with a Ficha for every
district of the region, baselines, actors, coincidences, causes and the production diagnosis; a
complete Plan Articulado Regional (the four results, 12 indicators, 25 activities with budgets);
and a Plan Articulado Local for Amarilis with its timetable. Idempotent: an existing case of the
same type, government and year is left as it is. Figures are illustrative, not official.

The current year (from today's date in Lima) is the cycle in progress: the region's diagnosis and
plan of the year in preparation, and Amarilis's Plan Articulado Local of the year approved by its
Instancia and by ordinance, its timetable running from this month to December, so a newcomer on
any date sees deadlines still ahead.

Longer than ~400 lines: it is data (the Huánuco 2008 example, row by row), read top to bottom.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.cases import case_types, create_case
from core.cycles import current_year
from core.extensions import db
from core.models import Case, Government, Institution, SocialProgram, StrategicProgram, User
from core.security import scope_for_cli
from plugins.diagnosis import instruments
from plugins.diagnosis.models import (
    Actor,
    ActorRelation,
    Baseline,
    Cause,
    Coverage,
    Diagnosis,
    Plan,
    PlanActivity,
    PlanIndicator,
    SurveyAnswer,
    WealthItem,
)

YEAR = 2008


def _n(seed: str, low: int, high: int) -> int:
    """A stable pseudo-random number: the demo is the same on every machine."""
    return low + int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % (high - low + 1)


def _gov(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _exists(case_type: str, government: Government, year: int = YEAR) -> bool:
    return bool(
        db.session.scalar(
            select(Case.id).where(Case.type == case_type, Case.government_id == government.id, Case.year == year)
        )
    )


def load(app: Any) -> None:
    region = _gov("regional", "100000")
    amarilis = _gov("district", "100102")
    if region is None:
        return
    scope = scope_for_cli(None)
    if not _exists("diagnosis", region):
        _diagnosis(region, scope)
    if not _exists("articulated_plan", region):
        _regional_plan(region, scope)
    if amarilis is not None and not _exists("articulated_plan", amarilis):
        _local_plan(amarilis, scope)
    db.session.flush()
    year = current_year()
    if year > YEAR:
        _current_year(region, amarilis, year, scope)
    db.session.commit()


# --- the current year's cycle in progress -----------------------------------------------------------------


def _current_year(region: Government, amarilis: Government | None, year: int, scope: Any) -> None:
    from core.deadlines import lima_today
    from core.workflow import perform

    team = _user("equipo.regional@huanuco.demo")
    if not _exists("diagnosis", region, year):
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
    if not _exists("articulated_plan", region, year):
        create_case(
            case_types()["articulated_plan"],
            region,
            year,
            f"Plan Articulado Regional de lucha contra la pobreza y la desnutrición crónica infantil {year}",
            team,
            scope,
            background="Actualización del Plan Articulado Regional con el diagnóstico del año.",
        )
        db.session.flush()
    if amarilis is None or _exists("articulated_plan", amarilis, year):
        return
    local_team = _user("equipo.amarilis@huanuco.demo")
    coordinator = _user("coordinador.amarilis@huanuco.demo")
    today = lima_today()
    plan: Plan = create_case(
        case_types()["articulated_plan"],
        amarilis,
        year,
        f"Plan Articulado Local de Amarilis {year}",
        local_team,
        scope,
        background="La Municipalidad Distrital de Amarilis instaló su Instancia de Articulación Local este año.",
        justification="Uno de cada cuatro niños menores de cinco años del distrito presenta desnutrición crónica.",
        specific_objectives="Reducir la desnutrición crónica en los asentamientos humanos y caseríos de Amarilis.",
        alignment_pdc="Plan de Desarrollo Concertado del distrito de Amarilis.",
        alignment_participatory_budget=f"Presupuesto Participativo {year} de Amarilis.",
        alignment_institutional=f"POI {year} de la municipalidad y de la Microrred de Salud Amarilis.",
    )
    db.session.flush()
    first = today.month  # the timetable runs from this month: its deadlines are still ahead
    _fill_matrix(
        plan,
        months_for=lambda position: list(range(first, 13 if position % 2 else min(12, first + 2) + 1)),
        official="Gerente de Desarrollo Social de la Municipalidad Distrital de Amarilis",
    )
    for result in plan.results:
        for extra in result.activities[2:]:
            result.activities.remove(extra)
        for activity in result.activities:
            activity.budget = (activity.budget / 20).quantize(Decimal("0.01"))
    db.session.flush()
    if local_team is None or coordinator is None:
        return
    from core.security import scope_for

    perform(plan, "send_review", local_team, scope_for(local_team))
    perform(plan, "approve_instancia", coordinator, scope_for(coordinator), "Aprobado en sesión de la Instancia.")
    plan.approval_instrument = "ordinance"
    plan.approval_number = f"009-{year}-MDA"
    plan.approval_date = today
    db.session.flush()
    perform(plan, "approve_norm", coordinator, scope_for(coordinator))


# --- the regional diagnosis --------------------------------------------------------------------------


def _diagnosis(region: Government, scope: Any) -> None:
    user = _user("equipo.regional@huanuco.demo")
    diagnosis: Diagnosis = create_case(
        case_types()["diagnosis"],
        region,
        YEAR,
        "Diagnóstico regional de la desnutrición crónica infantil — Huánuco 2008",
        user,
        scope,
        summary=(
            "La región Huánuco presenta una de las tasas de desnutrición crónica infantil más altas del país, "
            "concentrada en las provincias andinas y amazónicas con mayor pobreza rural. La oferta de servicios de "
            "salud y educación es dispersa y la cobertura de los programas sociales es desigual entre distritos."
        ),
        methodology="Fichas Distritales con información de los establecimientos de salud (HIS, SIEN) y del INEI.",
    )
    db.session.flush()
    items = instruments.social_items()
    for record in diagnosis.records:
        ubigeo = record.territory.ubigeo
        children = _n(ubigeo + "b", 300, 6000)
        for item in items:
            value = {
                "a": children // 3,
                "b": children,
                "c": children // 10,
                "d": children // _n(ubigeo + "d", 12, 40),
                "e": children // 5,
                "f": _n(ubigeo + "f", 150, 3000),
                "g": children * _n(ubigeo + "g", 25, 55) // 100,
                "h": children // 2,
                "i": children // 8,
                "j": children // 4,
                "k": children // 2,
            }.get(item.letter, 0)
            source = "INEI, Censo 2007" if item.letter in "abcf" else "DIRESA Huánuco (HIS/SIEN)"
            instruments.set_record_value(record, item, value, source, date(2008, 3, 31), None)
    # Baselines: the region and each district of the province of Huánuco.
    indicators = instruments.key_indicators()
    regional_values = {1: "64.9", 2: "42.8", 3: "17", 4: "51.2", 5: "8.1", 6: "78.4", 7: "24.5", 8: "17.9", 9: "86.1"}
    sources = {1: "ENAHO", 2: "ENDES", 3: "ENDES", 4: "ENDES", 5: "SIEN", 6: "ENDES", 7: "HIS", 8: "HIS", 9: "RENIEC"}
    for indicator in indicators:
        pos = indicator.position
        db.session.add(
            Baseline(
                diagnosis_id=diagnosis.id,
                territory_id=region.territory_id,
                indicator_id=indicator.id,
                measure="pobreza" if pos == 1 else "",
                value=Decimal(regional_values.get(pos, "10")),
                year=2007,
                source=sources.get(pos, "ENDES"),
            )
        )
        if pos == 1:  # indicator 1 holds two measures: poverty (above) and extreme poverty
            db.session.add(
                Baseline(
                    diagnosis_id=diagnosis.id,
                    territory_id=region.territory_id,
                    indicator_id=indicator.id,
                    measure="pobreza_extrema",
                    value=Decimal("38.4"),
                    year=2007,
                    source="ENAHO",
                )
            )
    province_districts = [r.territory for r in diagnosis.records if r.territory.ubigeo.startswith("1001")]
    for district in province_districts:
        for indicator in indicators[:2]:
            base = Decimal(regional_values[indicator.position])
            db.session.add(
                Baseline(
                    diagnosis_id=diagnosis.id,
                    territory_id=district.id,
                    indicator_id=indicator.id,
                    measure="pobreza" if indicator.position == 1 else "",
                    value=base + Decimal(_n(district.ubigeo + indicator.key, -120, 120)) / 10,
                    year=2007,
                    # Figure 03: surveys (ENAHO) do not reach the district; the census-based poverty map does
                    source="SIEN" if indicator.position == 2 else "CENSO",
                )
            )
    # Mapa de Coincidencias: a few national programs in part of the region, leaving gaps.
    programs = {p.key: p for p in db.session.scalars(select(SocialProgram))}
    for record in diagnosis.records:
        ubigeo = record.territory.ubigeo
        for key in ("vaso_de_leche", "juntos", "pronaa", "sis", "wawa_wasi", "foncodes"):
            program = programs.get(key)
            if program and _n(ubigeo + key, 0, 9) < (9 if key in ("vaso_de_leche", "sis") else 4):
                db.session.add(
                    Coverage(
                        diagnosis_id=diagnosis.id,
                        program_id=program.id,
                        territory_id=record.territory_id,
                        beneficiaries=_n(ubigeo + key + "n", 40, 1500),
                    )
                )
    # Mapa de Actores.
    actors = []
    for name, kind, level, role, program_keys in (
        (
            "Dirección Regional de Salud Huánuco",
            "public",
            "regional",
            "Atención integral de salud materno-infantil",
            ["diresa", "sis"],
        ),
        (
            "Dirección Regional de Educación Huánuco",
            "public",
            "regional",
            "Educación inicial y alfabetización",
            ["dre"],
        ),
        ("Programa JUNTOS — sede Huánuco", "public", "national", "Transferencias condicionadas", ["juntos"]),
        ("Municipalidad Provincial de Huánuco", "public", "local", "Vaso de Leche y saneamiento", ["vaso_de_leche"]),
        ("CARITAS Huánuco", "church", "regional", "Seguridad alimentaria en comunidades altoandinas", []),
        ("Mesa de Concertación para la Lucha contra la Pobreza", "civil_society", "regional", "Vigilancia social", []),
        ("Cooperación técnica internacional", "cooperation", "national", "Asistencia técnica en nutrición", []),
    ):
        actor = Actor(diagnosis_id=diagnosis.id, name=name, kind=kind, level=level, role=role)
        actor.programs = [programs[k] for k in program_keys if k in programs]
        db.session.add(actor)
        actors.append(actor)
    db.session.flush()
    for source, target, kind in (
        (0, 3, "coordination"),
        (2, 0, "service"),
        (4, 3, "technical_assistance"),
        (5, 0, "oversight"),
    ):
        db.session.add(
            ActorRelation(
                diagnosis_id=diagnosis.id, source_id=actors[source].id, target_id=actors[target].id, kind=kind
            )
        )
    for level, description, evidence in (
        (
            "immediate",
            "Ingesta alimentaria insuficiente en cantidad y calidad",
            "ENDES 2007: baja diversidad de la dieta",
        ),
        ("immediate", "Alta incidencia de infecciones respiratorias y diarreicas", "HIS 2007"),
        ("underlying", "Acceso limitado a agua segura y saneamiento", "Censo 2007"),
        ("underlying", "Prácticas inadecuadas de lactancia y alimentación complementaria", "ENDES 2007"),
        ("basic", "Pobreza y bajo nivel educativo de las madres", "ENAHO 2007"),
    ):
        db.session.add(Cause(diagnosis_id=diagnosis.id, level=level, description=description, evidence=evidence))
    capital = next((r.territory for r in diagnosis.records if r.territory.ubigeo == "100101"), None)
    for category, name in (
        ("natural", "Bosques de neblina de Carpish"),
        ("productive", "Papa nativa y frutales de valle"),
        ("tourist", "Complejo arqueológico de Kotosh"),
        ("social", "Organizaciones de base de mujeres"),
    ):
        db.session.add(
            WealthItem(
                diagnosis_id=diagnosis.id, category=category, name=name, territory_id=capital.id if capital else None
            )
        )
    if capital is not None:
        db.session.add(
            SurveyAnswer(
                diagnosis_id=diagnosis.id,
                territory_id=capital.id,
                section="accessibility",
                content="Carretera Central asfaltada hasta la capital; trochas a los caseríos altos.",
            )
        )


# --- the regional plan -------------------------------------------------------------------------------

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


def _institutions(keys: list[str]) -> list[Institution]:
    rows = db.session.scalars(select(Institution).where(Institution.key.in_(keys))).all()
    if rows:
        return list(rows)
    return list(db.session.scalars(select(Institution).order_by(Institution.position).limit(1)))


def _fill_matrix(plan: Plan, months_for: Any = None, official: str | None = None) -> None:
    programs = {p.key: p for p in db.session.scalars(select(StrategicProgram))}
    for result, (goal, unit, indicators, activities) in zip(plan.results, PAR_MATRIX, strict=False):
        result.goal_value = goal
        result.goal_unit = unit
        for position, (name, formula, source) in enumerate(indicators, start=1):
            result.indicators.append(PlanIndicator(name=name, formula=formula, source=source, position=position))
        for position, (name, budget, program, institutions) in enumerate(activities, start=1):
            activity = PlanActivity(
                name=name,
                position=position,
                budget=Decimal(budget),
                strategic_program=programs.get(program),
                funding_source="RO" if position % 3 else "DyT",
                institutions=_institutions(institutions),
            )
            if months_for is not None:
                activity.months = months_for(position)
                activity.official = official
                activity.physical_goal = Decimal(_n(name, 2, 40))
                activity.physical_unit = "acciones"
                activity.communities = "Llicua, Pillco Mozo, San Luis, Paucarbamba"
            result.activities.append(activity)


def _regional_plan(region: Government, scope: Any) -> None:
    plan: Plan = create_case(
        case_types()["articulated_plan"],
        region,
        YEAR,
        "Plan Articulado Regional de lucha contra la pobreza y la desnutrición crónica infantil 2008",
        _user("equipo.regional@huanuco.demo"),
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
    db.session.flush()
    _fill_matrix(plan)


def _local_plan(amarilis: Government, scope: Any) -> None:
    plan: Plan = create_case(
        case_types()["articulated_plan"],
        amarilis,
        YEAR,
        "Plan Articulado Local de Amarilis 2008",
        _user("equipo.amarilis@huanuco.demo"),
        scope,
        background="La Municipalidad Distrital de Amarilis instaló su Instancia de Articulación Local en 2008.",
        justification="Uno de cada tres niños menores de cinco años del distrito presenta desnutrición crónica.",
        specific_objectives="Reducir la desnutrición crónica en los asentamientos humanos y caseríos de Amarilis.",
        alignment_pdc="Plan de Desarrollo Concertado del distrito de Amarilis.",
        alignment_participatory_budget="Presupuesto Participativo 2008 de Amarilis.",
        alignment_institutional="POI 2008 de la municipalidad y de la Microrred de Salud Amarilis.",
    )
    db.session.flush()
    _fill_matrix(
        plan,
        months_for=lambda position: list(range(2 + position % 4, 6 + position % 6)),
        official="Gerente de Desarrollo Social de la Municipalidad Distrital de Amarilis",
    )
    # A local plan is smaller: keep its first two activities per result, with local budgets.
    for result in plan.results:
        for extra in result.activities[2:]:
            result.activities.remove(extra)
        for activity in result.activities:
            activity.budget = (activity.budget / 20).quantize(Decimal("0.01"))
