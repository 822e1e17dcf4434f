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
import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.documents.models import GovernmentEmblem
from core.extensions import db

DEFAULT_MAX_BYTES = 1024 * 1024  # a letterhead image larger than 1 MB is a photo, not a crest
#: Magic numbers of the accepted types; the browser's Content-Type is never trusted.
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
EMBLEM_LABELS = {"crest": _l("Crest of the government"), "national": _l("National coat of arms")}


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
