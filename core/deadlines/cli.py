"""``articula deadlines generate | remind | recompute``."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.database import writing
from core.deadlines.generation import generate_deadlines, recompute_due_dates
from core.deadlines.models import Deadline
from core.deadlines.reminders import send_reminders
from core.deadlines.settings import lima_today
from core.extensions import db

# --- command line ----------------------------------------------------------------------------------


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(_("use the format YYYY-MM-DD")) from error


@click.group("deadlines")
def deadlines_cli() -> None:
    """Plazos: generación anual, recordatorios (para cron) y recálculo."""


@deadlines_cli.command("generate")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="Año (por defecto, el actual).")
@with_appcontext
def generate_command(year: int | None) -> None:
    """Crea los plazos de fecha fija y trimestrales del año para cada gobierno (idempotente)."""
    year = year or lima_today().year
    with writing():
        created = generate_deadlines(year)
        db.session.commit()
    total = db.session.scalar(select(func.count(Deadline.id)).where(Deadline.year == year, Deadline.case_id.is_(None)))
    click.echo(
        _("Deadlines %(year)s: %(created)s created; %(total)s in total.", year=year, created=created, total=total)
    )


@deadlines_cli.command("remind")
@click.option("--today", "today_text", default=None, help="Fecha de referencia AAAA-MM-DD (por defecto, hoy en Lima).")
@with_appcontext
def remind_command(today_text: str | None) -> None:
    """Envía los recordatorios pendientes (por vencer y vencidos); cada uno una sola vez."""
    today = _parse_day(today_text) or lima_today()
    with writing():
        result = send_reminders(today)
    click.echo(
        _(
            "Reminders on %(day)s: %(email)s by e-mail, %(in_app)s in the application%(failed)s",
            day=today.isoformat(),
            email=result.email,
            in_app=result.in_app,
            failed=_(", %(count)s recipients with errors.", count=len(result.failures)) if result.failures else ".",
        )
    )
    for failure in result.failures:
        click.echo(f"  error: {failure}", err=True)
    if result.failures:
        raise SystemExit(1)


@deadlines_cli.command("recompute")
@with_appcontext
def recompute_command() -> None:
    """Recalcula las fechas de vencimiento de los plazos no cumplidos (tras editar el calendario)."""
    with writing():
        changed = recompute_due_dates()
        db.session.commit()
    click.echo(_("%(num)s due dates recomputed.", num=changed))
