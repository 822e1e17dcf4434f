"""``articula audit verify``: walk the chain and name the first altered event."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.audit.chain import verify_chain
from core.extensions import db

# --- CLI, admin, case panel, API -------------------------------------------------------------------


@click.group("audit")
def audit_group() -> None:
    """Registro de auditoría (cadena de hashes)."""


@audit_group.command("verify")
@click.option("--batch-size", default=1000, show_default=True, help="Eventos leídos por lote.")
@with_appcontext
def audit_verify(batch_size: int) -> None:
    """Recorre la cadena y señala el primer evento alterado (código de salida 1 si lo hay)."""
    result = verify_chain(batch_size=max(1, batch_size))
    db.session.rollback()
    click.echo(result.message())
    if not result.ok:
        raise click.exceptions.Exit(1)
