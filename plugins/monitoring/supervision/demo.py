"""Demo supervision round (``articula demo load``), through the operations and the workflow as the pages do:

- Huánuco's regional government supervises a health facility and a school (visits with answers, findings
  and commitments); the first visit is closed, which issues its Ficha de Supervisión;
- Amarilis registers two community organizations with their reports: one consolidated, one turned into
  a supervision visit of the municipality (the finding-action seam).

Dates are counted back from today, so the commitments are due in the coming weeks. Idempotent: a region
that already has visits is left alone. Names and places are illustrative (fictitious people).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.monitoring.supervision.models import SupervisionChecklist, SupervisionVisit


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _government(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _checklist(key: str) -> SupervisionChecklist | None:
    return db.session.scalar(select(SupervisionChecklist).where(SupervisionChecklist.key == key))


def _answers(checklist: SupervisionChecklist, points: list[Any]) -> list[dict[str, Any]]:
    items = [item for item in checklist.items if item.active]
    return [{"item_id": item.id, "points": p} for item, p in zip(items, points, strict=False)]


def _visit(user: User, government: Government, checklist: SupervisionChecklist, days_ago: int, **data: Any) -> Any:
    on = lima_today() - timedelta(days=days_ago)
    return run(
        "monitoring.supervision.visit.create",
        user,
        {"government_id": government.id, "checklist_id": checklist.id, "visit_date": on.isoformat(), **data},
    )


def _finding(user: User, visit_id: int, text: str, commitment: str, responsible: str, due_in: int) -> None:
    run(
        "monitoring.supervision.finding.add",
        user,
        {
            "visit_id": visit_id,
            "finding": text,
            "commitment": commitment,
            "responsible": responsible,
            "due_date": (lima_today() + timedelta(days=due_in)).isoformat(),
        },
    )


def _regional_round(team: User, region: Government) -> None:
    health, school = _checklist("health_facility"), _checklist("school")
    if health is None or school is None:
        return
    visit = _visit(
        team,
        region,
        health,
        21,
        ubigeo="100102",
        facility="Puesto de Salud Llicua",
        supervisor="Rosa Elvira Ponce Ticse",
        answers=_answers(health, [1, 1, 1, 2, 0, 1]),
        notes="Visita del equipo regional en el marco del Programa Articulado Nutricional.",
    )
    _finding(
        team,
        visit.id,
        "Las historias clínicas de 12 de 30 niñas y niños revisados no registran el DNI.",
        "Registrar el DNI en todas las historias clínicas de menores de cinco años.",
        "Jefe del Puesto de Salud Llicua",
        30,
    )
    _finding(
        team,
        visit.id,
        "La cadena de frío funciona, pero el termómetro de la refrigeradora no tiene registro diario.",
        "Llevar el registro diario de temperatura de la refrigeradora de vacunas.",
        "Responsable de inmunizaciones",
        15,
    )
    closed = db.session.get(SupervisionVisit, visit.id)
    perform(closed, "close", team, scope_for(team))
    db.session.commit()
    visit = _visit(
        team,
        region,
        school,
        12,
        ubigeo="100101",
        facility="Institución Educativa N° 32004 San Pedro",
        supervisor="Rosa Elvira Ponce Ticse",
        answers=_answers(school, [2, 0, 1, "na", 1]),
    )
    _finding(
        team,
        visit.id,
        "Los servicios higiénicos del nivel primaria no tienen agua desde hace dos semanas.",
        "Gestionar con la EPS la reposición del servicio de agua y reparar la cisterna.",
        "Director de la institución educativa",
        45,
    )


ORGANIZATIONS = [
    ("Comité de Vigilancia Comunal de Llicua", "surveillance_committee", "Teodoro Malpartida Céspedes", 120),
    ("Club de Madres Señor de los Milagros de Paucarbamba", "women", "Delia Espinoza Rojas", 90),
]


def _community(team: User, amarilis: Government) -> None:
    organizations = []
    for name, kind, representative, days_ago in ORGANIZATIONS:
        organizations.append(
            run(
                "monitoring.supervision.organization.register",
                team,
                {
                    "government_id": amarilis.id,
                    "name": name,
                    "kind": kind,
                    "ubigeo": "100102",
                    "representative": representative,
                    "registered_on": (lima_today() - timedelta(days=days_ago)).isoformat(),
                },
            )
        )
    first = run(
        "monitoring.supervision.community_report.submit",
        team,
        {
            "organization_id": organizations[0].id,
            "report_date": (lima_today() - timedelta(days=20)).isoformat(),
            "program": "Vaso de Leche",
            "ubigeo": "100102",
            "place": "Local comunal de Llicua",
            "observation": "La entrega del mes se hizo con diez días de retraso y las raciones fueron menores.",
        },
    )
    run(
        "monitoring.supervision.community_report.consolidate",
        team,
        {"report_id": first.id, "note": "Se comunicó al comité de administración del Vaso de Leche."},
    )
    second = run(
        "monitoring.supervision.community_report.submit",
        team,
        {
            "organization_id": organizations[1].id,
            "report_date": (lima_today() - timedelta(days=9)).isoformat(),
            "program": "Comedor popular",
            "ubigeo": "100102",
            "place": "Comedor Popular Virgen de Fátima, Paucarbamba",
            "observation": "Los alimentos se guardan en el suelo, junto a productos de limpieza.",
        },
    )
    checklist = _checklist("program_point")
    if checklist is not None:
        run(
            "monitoring.supervision.community_report.act",
            team,
            {
                "report_id": second.id,
                "action": "supervision_visit",
                "checklist_id": checklist.id,
                "visit_date": (lima_today() - timedelta(days=5)).isoformat(),
                "facility": "Comedor Popular Virgen de Fátima",
                "supervisor": "Jorge Luis Albornoz Tucto",
            },
        )


def load(app: Flask) -> None:
    """Called by the monitoring plugin's ``demo_data`` hook, after the other plugins' demos (users exist)."""
    team, local_team = _user("equipo.regional@huanuco.demo"), _user("equipo.amarilis@huanuco.demo")
    region, amarilis = _government("regional", "100000"), _government("district", "100102")
    if None in (team, local_team, region, amarilis):
        return
    if db.session.scalar(select(SupervisionVisit.id).where(SupervisionVisit.government_id == region.id).limit(1)):
        return
    _regional_round(team, region)
    _community(local_team, amarilis)
    db.session.commit()
