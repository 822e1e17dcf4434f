"""The demo's regional diagnosis of Huánuco 2008: a Ficha for every district of the region, the
baselines of the region and of the province of Huánuco's districts, the Mapa de Coincidencias, the
Mapa de Actores, the causes, and the production diagnosis — each written by its operation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.cases import case_types, create_case
from core.extensions import db
from core.models import Government
from plugins.diagnosis import instruments
from plugins.diagnosis.demo.common import YEAR, stable_number, user, write
from plugins.diagnosis.models import Diagnosis

REGIONAL_VALUES = {1: "64.9", 2: "42.8", 3: "17", 4: "51.2", 5: "8.1", 6: "78.4", 7: "24.5", 8: "17.9", 9: "86.1"}
SOURCES = {1: "ENAHO", 2: "ENDES", 3: "ENDES", 4: "ENDES", 5: "SIEN", 6: "ENDES", 7: "HIS", 8: "HIS", 9: "RENIEC"}
PROGRAMS = ("vaso_de_leche", "juntos", "pronaa", "sis", "wawa_wasi", "foncodes")
ACTORS = (
    (
        "Dirección Regional de Salud Huánuco",
        "public",
        "regional",
        "Atención integral de salud materno-infantil",
        ["diresa", "sis"],
    ),
    ("Dirección Regional de Educación Huánuco", "public", "regional", "Educación inicial y alfabetización", ["dre"]),
    ("Programa JUNTOS — sede Huánuco", "public", "national", "Transferencias condicionadas", ["juntos"]),
    ("Municipalidad Provincial de Huánuco", "public", "local", "Vaso de Leche y saneamiento", ["vaso_de_leche"]),
    ("CARITAS Huánuco", "church", "regional", "Seguridad alimentaria en comunidades altoandinas", []),
    ("Mesa de Concertación para la Lucha contra la Pobreza", "civil_society", "regional", "Vigilancia social", []),
    ("Cooperación técnica internacional", "cooperation", "national", "Asistencia técnica en nutrición", []),
)
RELATIONS = ((0, 3, "coordination"), (2, 0, "service"), (4, 3, "technical_assistance"), (5, 0, "oversight"))
CAUSES = (
    ("immediate", "Ingesta alimentaria insuficiente en cantidad y calidad", "ENDES 2007: baja diversidad de la dieta"),
    ("immediate", "Alta incidencia de infecciones respiratorias y diarreicas", "HIS 2007"),
    ("underlying", "Acceso limitado a agua segura y saneamiento", "Censo 2007"),
    ("underlying", "Prácticas inadecuadas de lactancia y alimentación complementaria", "ENDES 2007"),
    ("basic", "Pobreza y bajo nivel educativo de las madres", "ENAHO 2007"),
)
WEALTH = (
    ("natural", "Bosques de neblina de Carpish"),
    ("productive", "Papa nativa y frutales de valle"),
    ("tourist", "Complejo arqueológico de Kotosh"),
    ("social", "Organizaciones de base de mujeres"),
)


def _ficha_items(ubigeo: str, letters: list[str]) -> dict[str, dict[str, Any]]:
    """A district's Ficha: counts derived from its number of children (illustrative figures)."""
    children = stable_number(ubigeo + "b", 300, 6000)
    value = {
        "a": children // 3,
        "b": children,
        "c": children // 10,
        "d": children // stable_number(ubigeo + "d", 12, 40),
        "e": children // 5,
        "f": stable_number(ubigeo + "f", 150, 3000),
        "g": children * stable_number(ubigeo + "g", 25, 55) // 100,
        "h": children // 2,
        "i": children // 8,
        "j": children // 4,
        "k": children // 2,
    }
    return {
        letter: {
            "value": value.get(letter, 0),
            "source": "INEI, Censo 2007" if letter in "abcf" else "DIRESA Huánuco (HIS/SIEN)",
            "date": "2008-03-31",
        }
        for letter in letters
    }


def _baselines(region: Government, districts: list[Any]) -> list[dict[str, Any]]:
    """The region's nine indicators (1 with its two measures), and indicators 1–2 of the province's districts."""
    rows: list[dict[str, Any]] = []
    indicators = instruments.key_indicators()
    for indicator in indicators:
        pos = indicator.position
        common = {"ubigeo": region.territory.ubigeo, "indicator": str(pos), "year": 2007}
        rows.append(
            common
            | {
                "measure": "pobreza" if pos == 1 else "",
                "value": REGIONAL_VALUES.get(pos, "10"),
                "source": SOURCES.get(pos, "ENDES"),
            }
        )
        if pos == 1:  # indicator 1 holds two measures: poverty (above) and extreme poverty
            rows.append(common | {"measure": "pobreza_extrema", "value": "38.4", "source": "ENAHO"})
    for district in districts:
        for indicator in indicators[:2]:
            pos = indicator.position
            variation = Decimal(stable_number(district.ubigeo + indicator.key, -120, 120)) / 10
            rows.append(
                {
                    "ubigeo": district.ubigeo,
                    "indicator": str(pos),
                    "measure": "pobreza" if pos == 1 else "",
                    "value": str(Decimal(REGIONAL_VALUES[pos]) + variation),
                    "year": 2007,
                    # Figure 03: surveys (ENAHO) do not reach the district; the census-based poverty map does
                    "source": "SIEN" if pos == 2 else "CENSO",
                }
            )
    return rows


def regional_diagnosis(region: Government, scope: Any) -> Diagnosis:
    team = user("equipo.regional@huanuco.demo")
    diagnosis: Diagnosis = create_case(
        case_types()["diagnosis"],
        region,
        YEAR,
        "Diagnóstico regional de la desnutrición crónica infantil — Huánuco 2008",
        team,
        scope,
        summary=(
            "La región Huánuco presenta una de las tasas de desnutrición crónica infantil más altas del país, "
            "concentrada en las provincias andinas y amazónicas con mayor pobreza rural. La oferta de servicios de "
            "salud y educación es dispersa y la cobertura de los programas sociales es desigual entre distritos."
        ),
        methodology="Fichas Distritales con información de los establecimientos de salud (HIS, SIEN) y del INEI.",
    )
    db.session.flush()
    letters = [item.letter for item in instruments.social_items()]
    districts = [record.territory for record in diagnosis.records]
    for district in districts:
        write(
            "diagnosis.ficha.edit",
            team,
            diagnosis,
            ubigeo=district.ubigeo,
            items=_ficha_items(district.ubigeo, letters),
        )
    province = [d for d in districts if d.ubigeo.startswith("1001")]
    write("diagnosis.baselines.save", team, diagnosis, rows=_baselines(region, province))
    # Mapa de Coincidencias: a few national programs in part of the region, leaving gaps.
    coverage = [
        {"program": key, "ubigeo": d.ubigeo, "beneficiaries": stable_number(d.ubigeo + key + "n", 40, 1500)}
        for d in districts
        for key in PROGRAMS
        if stable_number(d.ubigeo + key, 0, 9) < (9 if key in ("vaso_de_leche", "sis") else 4)
    ]
    known = instruments.program_lookup()
    write("diagnosis.coverage.set", team, diagnosis, rows=[row for row in coverage if row["program"] in known])
    actor_ids = []
    for name, kind, level, role, programs in ACTORS:
        programs = [key for key in programs if key in known]
        actor = write(
            "diagnosis.actor.add", team, diagnosis, name=name, kind=kind, level=level, role=role, programs=programs
        )
        actor_ids.append(actor.id)
    for source, target, kind in RELATIONS:
        write(
            "diagnosis.relation.add",
            team,
            diagnosis,
            source_id=actor_ids[source],
            target_id=actor_ids[target],
            kind=kind,
        )
    for level, description, evidence in CAUSES:
        write("diagnosis.cause.add", team, diagnosis, level=level, description=description, evidence=evidence)
    capital = next((d for d in districts if d.ubigeo == "100101"), None)
    for category, name in WEALTH:
        write(
            "diagnosis.wealth.add",
            team,
            diagnosis,
            category=category,
            name=name,
            district=capital.ubigeo if capital else "",
        )
    if capital is not None:
        write(
            "diagnosis.survey.set",
            team,
            diagnosis,
            district=capital.ubigeo,
            accessibility="Carretera Central asfaltada hasta la capital; trochas a los caseríos altos.",
        )
    return diagnosis
