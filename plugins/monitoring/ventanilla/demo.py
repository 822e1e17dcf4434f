"""Demo of the Ventanilla CRECER (``articula demo load``): the regional Ventanilla of Huánuco (virtual and in
person) and the Amarilis one, with entries of every kind and status — one emergency, one escalated when its due
date passed, three recurrent ones about the same program — and Amarilis's registry of the last quarter sent to
the region; all through the operations, as the pages do. Idempotent: a Huánuco office already there leaves
everything alone. Citizens' names are fictitious."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government, Institution, SocialProgram, User
from core.operations import run
from plugins.monitoring.ventanilla import registry
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice

AMARILIS, PILLCO_MARCA = "100102", "100111"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _government(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _program(acronym: str) -> int | None:
    return db.session.scalar(select(SocialProgram.id).where(SocialProgram.acronym == acronym))


def _institution() -> int | None:
    rows = db.session.scalars(select(Institution).order_by(Institution.id)).all()
    juntos = next((i for i in rows if "JUNTOS" in (i.acronym or i.name).upper()), None)
    return (juntos or (rows[0] if rows else None)).id if rows else None


def load(app: Flask) -> None:
    region, amarilis = _government("regional", "100000"), _government("district", AMARILIS)
    regional_team, amarilis_team = _user("equipo.regional@huanuco.demo"), _user("equipo.amarilis@huanuco.demo")
    if None in (region, amarilis, regional_team, amarilis_team):
        return
    if db.session.scalar(select(VentanillaOffice.id).where(VentanillaOffice.government_id == region.id)):
        return
    regional_office = run(
        "monitoring.ventanilla.office.save",
        None,
        {
            "government_id": region.id,
            "channel": "virtual_and_in_person",
            "instrument": "Ordenanza Regional N° 015-2008-CR-GRH",
            "instrument_date": "2008-06-12",
            "unit": "Gerencia Regional de Desarrollo Social",
            "address": "Jr. Calicanto 145, Huánuco",
            "hours": "Lunes a viernes, de 8:00 a 16:45",
        },
    )
    local_office = run(
        "monitoring.ventanilla.office.save",
        None,
        {
            "government_id": amarilis.id,
            "channel": "in_person",
            "instrument": "Resolución de Alcaldía N° 210-2008-MDA",
            "instrument_date": "2008-07-01",
            "unit": "Subgerencia de Desarrollo Social",
            "address": "Plaza de Armas s/n, Paucarbamba",
            "hours": "Lunes a viernes, de 8:00 a 13:00",
            "juntos_support": True,
        },
    )
    run("monitoring.ventanilla.staff.add", None, {"office_id": regional_office.id, "user_id": regional_team.id})
    run("monitoring.ventanilla.staff.add", None, {"office_id": local_office.id, "user_id": amarilis_team.id})

    juntos, institution = _program("JUNTOS"), _institution()

    def submit(**data: object) -> VentanillaEntry:
        return run("monitoring.ventanilla.entry.submit", None, {"place": AMARILIS, **data})

    def act(entry: VentanillaEntry, action: str, user: User, **data: object) -> VentanillaEntry:
        return run(f"monitoring.ventanilla.entry.{action}", user, {"entry_id": entry.id, **data})

    # a consulta answered and closed
    consulta = submit(kind="consulta", description="¿Qué documentos necesito para inscribir a mi hija en el SIS?")
    act(consulta, "answer", amarilis_team, text="Solo el DNI de la niña y el suyo, en el puesto de salud.")
    act(consulta, "close", amarilis_team)
    # an opinion, registered only
    submit(kind="opinion", description="La feria de alimentación del sábado fue muy buena para las madres.")
    # a suggestion, resolved
    sugerencia = submit(kind="sugerencia", description="Que el vaso de leche se reparta también los sábados.")
    act(sugerencia, "resolve", amarilis_team, text="Se coordinó con el comité del Vaso de Leche.")
    # a pedido referred to the program, with its answer, and the citizen answered
    pedido = submit(
        kind="pedido",
        request_kind="no_attention",
        program_id=juntos,
        description="Mi familia dejó de recibir el incentivo de JUNTOS desde marzo.",
        name="María Ccori Huamán",
        phone="962555101",
        consent=True,
    )
    if institution:
        act(pedido, "refer", amarilis_team, institution_id=institution)
        act(pedido, "program_answer", amarilis_team, text="JUNTOS verificó la asistencia escolar; se restituye.")
        act(pedido, "answer", amarilis_team, text="JUNTOS restituye su incentivo desde el próximo pago.")
    # an emergency typed by phone
    run(
        "monitoring.ventanilla.entry.register",
        amarilis_team,
        {
            "office_id": local_office.id,
            "channel": "phone",
            "emergency": True,
            "kind": "pedido",
            "request_kind": "no_attention",
            "place": AMARILIS,
            "description": "Niño de dos años con anemia severa no fue atendido en el puesto de salud.",
        },
    )
    # one referred and left unattended: the sweep escalates it to the region after its due date
    late = submit(kind="pedido", request_kind="inadequate", description="El comedor popular cerró sin aviso.")
    if institution:
        act(late, "refer", amarilis_team, institution_id=institution)
    due = db.session.get(VentanillaEntry, late.id).due_date or date.today()
    run("monitoring.ventanilla.entries.escalate", None, {"today": due + timedelta(days=1)})
    # three about the same program in the same district: recurrent, escalated to the region
    for text in (
        "En el PRONAA no entregaron la ración completa.",
        "Otra vez la ración del PRONAA llegó incompleta.",
        "Las madres reclaman que la ración del PRONAA sigue incompleta.",
    ):
        submit(kind="pedido", request_kind="inadequate", program_id=_program("PRONAA") or juntos, description=text)
    # an online entry for the region itself
    submit(kind="consulta", place=PILLCO_MARCA, description="¿Dónde queda la Ventanilla CRECER regional?")
    db.session.commit()
    # Amarilis's registry of the last quarter that ended, sent to the region
    year, quarter = registry.default_quarter(lima_today())
    content = registry.pdf(registry.build(amarilis, year, quarter))
    db.session.commit()
    run(
        "monitoring.ventanilla.registry.send",
        amarilis_team,
        {"government_id": amarilis.id, "year": year, "quarter": quarter, "content": content},
    )
    db.session.commit()
