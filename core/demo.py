"""Demo data: users for every role around the Huánuco region, then each plugin's demo records."""

from __future__ import annotations

import click
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Government, Membership, User
from core.plugins import plugin_registry

DEMO_PASSWORD = "crecer-demo-2008"

# (e-mail, name, role, government: (kind, ubigeo) or None for national roles)
DEMO_USERS = [
    ("equipo.regional@huanuco.demo", "Rosa Huamán Quispe", "team", ("regional", "100000")),
    ("coordinador.regional@huanuco.demo", "Julio Tarazona Ponce", "coordinator", ("regional", "100000")),
    ("equipo.provincial@huanuco.demo", "Elena Cárdenas Ruiz", "team", ("provincial", "100100")),
    ("coordinador.provincial@huanuco.demo", "Marco Espinoza Tello", "coordinator", ("provincial", "100100")),
    ("equipo.amarilis@huanuco.demo", "Luz Ayala Berrospi", "team", ("district", "100102")),
    ("coordinador.amarilis@huanuco.demo", "Pedro Rojas Villanueva", "coordinator", ("district", "100102")),
    ("auditor@articula.demo", "Carmen Salazar Díaz", "auditor", None),
    ("supervisor@stcias.demo", "Andrés Villar Gómez", "national", None),
    ("admin@articula.demo", "Administración Articula", "admin", None),
]


class DemoError(RuntimeError):
    """Demo data refused (production mode, or territory not loaded)."""


def load_demo(app: Flask) -> None:
    """Create the demo users and memberships (idempotent), then call each plugin's ``demo_data``."""
    if app.config["PRODUCTION"]:
        raise DemoError(_("Production mode: the demo data is not loaded."))
    for email, name, role, where in DEMO_USERS:
        government_id = None
        if where is not None:
            kind, ubigeo = where
            government_id = db.session.scalar(
                select(Government.id).where(Government.kind == kind, Government.ubigeo == ubigeo)
            )
            if government_id is None:
                raise DemoError(_("Load the territory first: articula territories load"))
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, locale="es", active=True)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
        exists = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.role == role,
                Membership.government_id.is_(None)
                if government_id is None
                else Membership.government_id == government_id,
            )
        )
        if not exists:
            db.session.add(Membership(user_id=user.id, role=role, government_id=government_id))
    db.session.commit()

    plugin_registry(app).call_in_order("demo_data", app=app)
    db.session.commit()


def print_logins() -> None:
    """The demo logins, as ``make run`` prints them."""
    click.echo(_("\nDemo accounts (password for all: %(password)s):", password=DEMO_PASSWORD))
    for email, _name, role, where in DEMO_USERS:
        place = _("the whole country")
        if where:
            gov = db.session.scalar(
                select(Government.name).where(Government.kind == where[0], Government.ubigeo == where[1])
            )
            place = gov or where[1]
        click.echo(f"  {email:<38} {role:<12} {place}")
    click.echo("")
