"""Demo sessions (``articula demo load``): two ordinary sessions of Huánuco's regional Instancia.

The first (15 April 2008) has its attendance, three agreements — two cumplidas (one late), one
left pendiente past its due date, so it shows as vencido — and its Acta de Sesión approved and
issued. The second, two weeks ago, is held, with two agreements due in the coming months.
Everything goes through the operations and the workflow, as the pages do. Idempotent: a body that
already has sessions is left alone. Names are the institutionalization demo's (fictitious).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.institutionalization.composition import roster
from plugins.institutionalization.models import ArticulationBody
from plugins.operations.sessions.models import InstanciaSession

FIRST = date(2008, 4, 15)
ABSENT = {"Víctor Raúl Huaranga Céspedes": "absent", "Julio César Vásquez Lino": "excused"}


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _regional_body() -> ArticulationBody | None:
    government = db.session.scalar(
        select(Government).where(Government.kind == "regional", Government.ubigeo == "100000")
    )
    if government is None:
        return None
    return db.session.scalar(
        select(ArticulationBody).where(ArticulationBody.government_id == government.id).order_by(ArticulationBody.id)
    )


def _member(body: ArticulationBody, on: date, role: str | None = None, name: str | None = None) -> int:
    members = roster(body, on)
    found = next((m for m in members if (role and m.role == role) or (name and m.full_name == name)), members[0])
    return found.id


def _session(
    team: User, body: ArticulationBody, number: int, on: date, agenda: list[str], place: str
) -> InstanciaSession:
    session = run(
        "operations.sessions.session.create",
        team,
        {
            "body_id": body.id,
            "kind": "ordinary",
            "number": number,
            "session_date": on.isoformat(),
            "start_time": "09:30",
            "end_time": "12:45",
            "place": place,
            "agenda": "\n".join(agenda),
        },
    )
    members = roster(body, on)
    run(
        "operations.sessions.attendance.record",
        team,
        {
            "session_id": session.id,
            "version": session.version,
            "attendance": [{"member_id": m.id, "status": ABSENT.get(m.full_name, "present")} for m in members],
        },
    )
    return db.session.get(InstanciaSession, session.id)


def _agreement(
    team: User,
    session: InstanciaSession,
    text: str,
    responsible: int,
    due: date,
    status: str | None = None,
    done_on: date | None = None,
) -> None:
    agreement = run(
        "operations.sessions.agreement.add",
        team,
        {"session_id": session.id, "text": text, "responsible_id": responsible, "due_date": due.isoformat()},
    )
    if status:
        version = db.session.get(InstanciaSession, session.id).version
        run(
            "operations.sessions.agreement.follow_up",
            team,
            {"agreement_id": agreement.id, "version": version, "status": status}
            | ({"done_on": done_on.isoformat()} if done_on else {}),
        )


def _first(team: User, coordinator: User, body: ArticulationBody) -> None:
    session = _session(
        team,
        body,
        1,
        FIRST,
        [
            "Informe de la Secretaría Técnica sobre el diagnóstico regional de la desnutrición crónica infantil.",
            "Cronograma de formulación del Plan Articulado Regional 2008.",
            "Conformación de equipos de apoyo a las Instancias de Articulación Local.",
        ],
        "Sala de sesiones del Gobierno Regional de Huánuco",
    )
    secretary = _member(body, FIRST, role="technical_secretary")
    health = _member(body, FIRST, name="Hernán Augusto Lozano Meza")
    education = _member(body, FIRST, name="Nelly Esther Cabrera Malpartida")
    _agreement(
        team,
        session,
        "Presentar el diagnóstico regional consolidado a la Instancia.",
        secretary,
        date(2008, 5, 15),
        "done",
    )
    _agreement(
        team,
        session,
        "Remitir el padrón de niños menores de 5 años de los distritos priorizados.",
        health,
        date(2008, 5, 30),
        "done",
        date(2008, 6, 4),  # a week late: its deadline shows as met late
    )
    _agreement(
        team,
        session,
        "Coordinar con las UGEL la incorporación de la alimentación saludable en la currícula regional.",
        education,
        date(2008, 6, 30),
    )
    session = db.session.get(InstanciaSession, session.id)
    perform(session, "hold", team, scope_for(team))
    perform(session, "approve_minutes", coordinator, scope_for(coordinator), "Acta aprobada por los asistentes.")
    db.session.commit()


def _second(team: User, body: ArticulationBody) -> None:
    today = lima_today()
    on = today - timedelta(days=14)
    session = _session(
        team,
        body,
        2 if on.year == FIRST.year else 1,
        on,
        ["Seguimiento de los acuerdos de la sesión anterior.", "Avance del Plan Articulado Regional."],
        "Auditorio de la Gerencia Regional de Desarrollo Social",
    )
    secretary = _member(body, on, role="technical_secretary")
    _agreement(
        team,
        session,
        "Informar el avance físico y financiero de las actividades del Plan Articulado Regional.",
        secretary,
        today + timedelta(days=45),
    )
    _agreement(
        team,
        session,
        "Convocar a las municipalidades provinciales al taller de seguimiento de convenios.",
        secretary,
        today + timedelta(days=90),
        "in_progress",
    )
    perform(db.session.get(InstanciaSession, session.id), "hold", team, scope_for(team))
    db.session.commit()


def load(app: Flask) -> None:
    """Called by the operations plugin's ``demo_data`` hook, after the institutionalization demo."""
    team, coordinator = _user("equipo.regional@huanuco.demo"), _user("coordinador.regional@huanuco.demo")
    body = _regional_body()
    if team is None or coordinator is None or body is None or not roster(body, FIRST):
        return
    if db.session.scalar(select(InstanciaSession.id).where(InstanciaSession.body_id == body.id).limit(1)):
        return
    _first(team, coordinator, body)
    _second(team, body)
