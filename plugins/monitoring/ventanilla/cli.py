"""``articula ventanilla escalate | remind | retention``: the Ventanilla's sweeps, meant for cron (daily)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from core.database import writing
from core.extensions import db
from core.operations import Refusal, run


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(_("use the format YYYY-MM-DD")) from error


@click.group("ventanilla")
def ventanilla_cli() -> None:
    """Ventanilla CRECER: elevación de entradas vencidas, recordatorios y retención de datos personales."""


@ventanilla_cli.command("escalate")
@click.option("--today", "today_text", default=None, help="AAAA-MM-DD (por defecto, hoy en Lima).")
@with_appcontext
def escalate_command(today_text: str | None) -> None:
    """Eleva a la Ventanilla regional las entradas locales vencidas sin atender."""
    try:
        moved = run("monitoring.ventanilla.entries.escalate", None, {"today": _day(today_text)})
    except Refusal as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(_("%(n)s entries escalated to the regional Ventanilla.", n=moved))


@ventanilla_cli.command("remind")
@click.option("--today", "today_text", default=None, help="AAAA-MM-DD (por defecto, hoy en Lima).")
@with_appcontext
def remind_command(today_text: str | None) -> None:
    """Recuerda al personal cada entrada vencida (una vez por entrada)."""
    try:
        sent = run("monitoring.ventanilla.entries.remind", None, {"today": _day(today_text)})
    except Refusal as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(_("%(n)s overdue entries reminded.", n=sent))


@ventanilla_cli.command("retention")
@with_appcontext
def retention_command() -> None:
    """Borra los datos personales de las entradas cerradas hace más de VENTANILLA_RETENTION_MONTHS meses."""
    from plugins.monitoring.ventanilla.sweeps import erase_personal_data

    with writing():
        cleared = erase_personal_data()
        db.session.commit()
    click.echo(_("Personal data erased from %(n)s closed entries.", n=cleared))
