"""Demo training (``articula demo load``): three events — one given by the Huánuco region for its
municipalities, one by the MEF to the region, one by the CENAN in Amarilis (count by sex unknown) —
and the region's educational-communication plan of 2008 with three actions. Through the operations
and the workflow; idempotent (a government that already has events is left alone)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from core.extensions import db
from core.models import Government, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.operations.training.models import CommunicationPlan, TrainingEvent

EVENTS = [
    (
        ("regional", "100000"),
        "equipo.regional@huanuco.demo",
        {
            "topic": "Formulación del Plan Articulado Local y articulación con la Estrategia Nacional CRECER",
            "provider": "region",
            "kind": "training",
            "audience": "Equipos técnicos de las municipalidades provinciales y distritales de la región Huánuco",
            "start_date": "2008-06-10",
            "end_date": "2008-06-11",
            "place": "Auditorio del Gobierno Regional de Huánuco",
            "participants_women": 18,
            "participants_men": 14,
            "participants_total": 32,
        },
    ),
    (
        ("regional", "100000"),
        "equipo.regional@huanuco.demo",
        {
            "topic": "Presupuesto por Resultados: programas estratégicos Articulado Nutricional y Materno Neonatal",
            "provider": "mef",
            "kind": "technical_assistance",
            "audience": "Gerencia Regional de Planeamiento y Presupuesto; equipo técnico de la IAR",
            "start_date": "2008-07-22",
            "place": "Gerencia Regional de Planeamiento, Presupuesto y Acondicionamiento Territorial",
            "participants_women": 6,
            "participants_men": 5,
            "participants_total": 11,
        },
    ),
    (
        ("district", "100102"),
        "equipo.amarilis@huanuco.demo",
        {
            "topic": "Vigilancia comunitaria del crecimiento y desarrollo infantil",
            "provider": "cenan",
            "kind": "training",
            "audience": "Agentes comunitarios de salud y promotoras del Programa JUNTOS",
            "start_date": "2008-08-05",
            "end_date": "2008-08-07",
            "place": "Local comunal de Paucarbamba, Amarilis",
            "participants_total": 25,
        },
    ),
]

ACTIONS = [
    {
        "kind": "campaign",
        "title": "Campaña regional «Lávate las manos, crece sano»",
        "audience": "Madres y padres de niños menores de 5 años",
        "reach": 12000,
        "start_date": "2008-09-01",
        "end_date": "2008-09-30",
        "medium": "Radio, afiches y ferias en los distritos priorizados",
    },
    {
        "kind": "contest",
        "title": "Concurso de loncheras saludables en instituciones educativas iniciales",
        "audience": "Instituciones educativas iniciales y familias",
        "reach": 1500,
        "start_date": "2008-10-06",
        "end_date": "2008-10-31",
    },
    {
        "kind": "dissemination",
        "title": "Difusión de la experiencia exitosa de cocinas mejoradas de Amarilis",
        "audience": "Alcaldes y equipos técnicos de las municipalidades de la región",
        "reach": 300,
        "start_date": "2008-11-12",
        "medium": "Encuentro regional y boletín virtual",
    },
]


def _government(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _events() -> None:
    for (kind, ubigeo), email, data in EVENTS:
        government, user = _government(kind, ubigeo), _user(email)
        if government is None or user is None:
            continue
        exists = db.session.scalar(
            select(TrainingEvent.id).where(
                TrainingEvent.government_id == government.id, TrainingEvent.title == data["topic"]
            )
        )
        if exists:
            continue
        event = run("operations.training.event.create", user, {"government_id": government.id, **data})
        perform(db.session.get(TrainingEvent, event.id), "hold", user, scope_for(user))
        db.session.commit()


def _plan() -> None:
    government, team = _government("regional", "100000"), _user("equipo.regional@huanuco.demo")
    coordinator = _user("coordinador.regional@huanuco.demo")
    if government is None or team is None or coordinator is None:
        return
    if db.session.scalar(select(CommunicationPlan.id).where(CommunicationPlan.government_id == government.id)):
        return
    plan = run(
        "operations.training.plan.create",
        team,
        {
            "government_id": government.id,
            "name": "Plan Regional de Comunicación Educativa CRECER 2008",
            "year": 2008,
            "objective": "Promover prácticas saludables de alimentación, higiene y cuidado infantil en las familias.",
        },
    )
    for action in ACTIONS:
        run("operations.training.action.add", team, {"plan_id": plan.id, **action})
    perform(db.session.get(CommunicationPlan, plan.id), "approve", coordinator, scope_for(coordinator))
    db.session.commit()


def load(app: Flask) -> None:
    """Called by the operations plugin's ``demo_data`` hook."""
    _events()
    _plan()
