"""``articula attachments verify``: every attachment is on disk with its sha256."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from core.attachments.storage import AttachmentCorrupt, open_verified
from core.extensions import db
from core.models.attachments import Attachment


@click.group("attachments")
def attachments_group() -> None:
    """Adjuntos de los expedientes."""


@attachments_group.command("verify")
@with_appcontext
def attachments_verify() -> None:
    """Comprueba que cada adjunto exista en disco con su sha256 (código de salida 1 si alguno falla)."""
    checked, bad = 0, []
    last_id = 0
    while True:
        batch = db.session.scalars(select(Attachment).where(Attachment.id > last_id).order_by(Attachment.id).limit(500))
        rows = list(batch)
        if not rows:
            break
        for attachment in rows:
            checked += 1
            try:
                open_verified(attachment).close()
            except AttachmentCorrupt:
                bad.append(attachment)
        last_id = rows[-1].id
        db.session.expunge_all()
    for attachment in bad:
        click.echo(
            _(
                "Damaged or missing: attachment #%(id)s «%(filename)s» (%(storage_key)s)",
                id=attachment.id,
                filename=attachment.filename,
                storage_key=attachment.storage_key,
            )
        )
    click.echo(
        _(
            "%(checked)s attachments checked, %(problems)s with problems.",
            checked=checked,
            problems=len(bad),
        )
    )
    if bad:
        raise click.exceptions.Exit(1)
