"""The images of a government's letterhead: its crest and the national coat of arms.

Each government uploads its own (the coordinator of that government or an administrator, from
the government's page); until it does, documents print no image at all, never a placeholder.
An upload is accepted only when its *content* is a PNG or JPEG image that Pillow can decode,
within ``EMBLEM_MAX_BYTES``; SVG is refused because it can carry scripts and external
references. The bytes live in the database (``GovernmentEmblem``) and reach the PDF as a
``data:`` URI, so the renderer's fetcher never loads anything from outside the project.
"""

from __future__ import annotations

import base64
import hashlib
import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from core.extensions import db
from core.models import Government
from core.models.documents import EMBLEM_KINDS, GovernmentEmblem
from core.security import APPROVE, can, current_scope, ensure

DEFAULT_MAX_BYTES = 1024 * 1024  # a letterhead image larger than 1 MB is a photo, not a crest
#: Magic numbers of the accepted types; the browser's Content-Type is never trusted.
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
EMBLEM_LABELS = {"crest": _l("Crest of the government"), "national": _l("National coat of arms")}

bp = Blueprint("emblems", __name__, url_prefix="/gobiernos")


class EmblemError(ValueError):
    """An upload that cannot be a letterhead image (Spanish message)."""


def sniff(content: bytes) -> str | None:
    """The image type the bytes really are ("image/png", "image/jpeg") or None."""
    for signature, mime in _SIGNATURES.items():
        if content.startswith(signature):
            return mime
    return None


def validate(content: bytes, max_bytes: int) -> str:
    """The MIME type of an acceptable emblem, or EmblemError saying why not."""
    if not content:
        raise EmblemError(_("Select an image file (PNG or JPEG)."))
    if len(content) > max_bytes:
        raise EmblemError(_("The image exceeds the maximum size of %(size)s KB.", size=max_bytes // 1024))
    mime = sniff(content)
    if mime is None:
        raise EmblemError(_("The file is not a PNG or JPEG image (its content is checked, not its name)."))
    from PIL import Image  # WeasyPrint's own dependency

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()  # a truncated or forged file fails here, not in the PDF renderer
    except Exception as error:  # noqa: BLE001 — any decoding failure means "not an image"
        raise EmblemError(_("The file is damaged or is not a valid image.")) from error
    return mime


def emblem_uris(government_id: int) -> dict[str, str]:
    """``{"crest": "data:image/png;base64,…", "national": …}`` for the images the government uploaded."""
    rows = db.session.execute(
        select(GovernmentEmblem.kind, GovernmentEmblem.mime, GovernmentEmblem.content).where(
            GovernmentEmblem.government_id == government_id
        )
    ).all()
    return {row.kind: f"data:{row.mime};base64,{base64.b64encode(row.content).decode()}" for row in rows}


def panel_context(government: Government) -> dict[str, Any]:
    """What the government's page shows of its letterhead images (as data: URIs, like the PDF)."""
    return {
        "emblems": emblem_uris(government.id),
        "emblem_labels": EMBLEM_LABELS,
        "emblem_kinds": EMBLEM_KINDS,
        "can_edit_emblems": can(current_scope(), APPROVE, government),
    }


def _government(government_id: int, action: str) -> Government:
    government = db.session.get(Government, government_id)
    if government is None:
        abort(404)
    ensure(action, government)
    return government


@bp.route("/<int:government_id>/emblemas/<kind>", methods=["POST"])
@login_required
def upload(government_id: int, kind: str):
    """Upload (or replace) the crest or the national coat of arms: the government's coordinator or an admin."""
    from flask import current_app

    from core.database import writing

    if kind not in EMBLEM_KINDS:
        abort(404)
    government = _government(government_id, APPROVE)
    file = request.files.get("file")
    content = file.read() if file else b""
    try:
        mime = validate(content, int(current_app.config.get("EMBLEM_MAX_BYTES", DEFAULT_MAX_BYTES)))
    except EmblemError as error:
        flash(str(error), "error")
        return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)
    with writing():
        emblem = db.session.scalar(
            select(GovernmentEmblem).where(
                GovernmentEmblem.government_id == government.id, GovernmentEmblem.kind == kind
            )
        ) or GovernmentEmblem(government_id=government.id, kind=kind)
        emblem.mime, emblem.content, emblem.size = mime, content, len(content)
        emblem.sha256 = hashlib.sha256(content).hexdigest()
        emblem.uploaded_by_id = current_user.id
        from core.models.user import utcnow

        emblem.uploaded_at = utcnow()
        db.session.add(emblem)
        db.session.commit()
    flash(_("The image was saved; documents issued from now on print it."), "success")
    return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)


@bp.route("/<int:government_id>/emblemas/<kind>/eliminar", methods=["POST"])
@login_required
def remove(government_id: int, kind: str):
    from core.database import writing

    if kind not in EMBLEM_KINDS:
        abort(404)
    government = _government(government_id, APPROVE)
    with writing():
        emblem = db.session.scalar(
            select(GovernmentEmblem).where(
                GovernmentEmblem.government_id == government.id, GovernmentEmblem.kind == kind
            )
        )
        if emblem is not None:
            db.session.delete(emblem)
        db.session.commit()
    flash(_("The image was removed; documents print no image in its place."), "success")
    return redirect(url_for("governments.detail", government_id=government.id, _anchor="emblems"), 303)
