"""Attachment files: settings, names and sniffed types, content-addressed storage outside the database.

- The type is sniffed from the bytes (``filetype``; office documents are zip files, so their
  ``[Content_Types].xml`` or ``mimetype`` entry decides), never taken from the extension or the
  browser. A name whose extension lies about the content is refused.
- Files are content-addressed under ATTACHMENTS_DIR: ``ab/cd/<sha256>``, written to a temporary
  file and renamed into place (atomic; identical files are stored once). A refused upload leaves
  nothing behind; a download re-checks the sha256 before serving a byte.
- Settings: ATTACHMENTS_DIR (default instance/attachments), ATTACHMENT_MAX_BYTES (default 20 MB;
  MAX_CONTENT_LENGTH is set a little above it, so Flask cuts bigger requests off with a 413) and
  ATTACHMENTS_ALLOWED_TYPES (MIME types; see KNOWN_TYPES).

``core.attachments.service`` attaches stored files to cases.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from core.extensions import db
from core.models.attachments import Attachment

CHUNK = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Room for the multipart envelope and the other form fields above the file limit.
REQUEST_OVERHEAD = 1024 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

#: MIME type → (name shown in messages, accepted extensions; the first is added to a bare name). The
#: names are lazy (the reader's language): ``str()`` them, or use ``type_name`` / ``allowed_names``.
KNOWN_TYPES: dict[str, tuple[str | LazyString, tuple[str, ...]]] = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/png": ("PNG", (".png",)),
    "image/jpeg": ("JPEG", (".jpg", ".jpeg")),
    DOCX: ("Word (DOCX)", (".docx",)),
    XLSX: ("Excel (XLSX)", (".xlsx",)),
    ODT: (_l("OpenDocument text (ODT)"), (".odt",)),
    ODS: (_l("OpenDocument spreadsheet (ODS)"), (".ods",)),
    PPTX: ("PowerPoint (PPTX)", (".pptx",)),
}
DEFAULT_ALLOWED_TYPES = ("application/pdf", "image/png", "image/jpeg", DOCX, XLSX, ODT, ODS)

#: Main parts of Office Open XML packages, as declared in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    b"application/vnd.ms-word.document.macroEnabled.main+xml": "application/vnd.ms-word.document.macroEnabled.12",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml": "application/vnd.ms-excel.sheet.macroEnabled.12",
}


class AttachmentError(ValueError):
    """A refused upload or download; the message is Spanish, ready to show."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


class AttachmentCorrupt(AttachmentError):
    def __init__(self, attachment: Attachment) -> None:
        super().__init__(
            _(
                "The stored file of «%(filename)s» is damaged or missing (its sha256 does not match the "
                "one recorded at upload), so it is not delivered. Tell the administrator.",
                filename=attachment.filename,
            ),
            status=500,
        )


# --- settings ----------------------------------------------------------------------------------------


def storage_dir() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def allowed_types() -> tuple[str, ...]:
    value = current_app.config.get("ATTACHMENTS_ALLOWED_TYPES") or DEFAULT_ALLOWED_TYPES
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return tuple(value)


def type_name(mime: str, fallback: str | None = None) -> str:
    """The name of a file type in the reader's language ("PDF", "Word (DOCX)"…); unknown: ``fallback``."""
    known = KNOWN_TYPES.get(mime)
    return str(known[0]) if known else (fallback if fallback is not None else mime)


def allowed_names() -> str:
    """The accepted types, named in the reader's language: "PDF, PNG, …"."""
    return ", ".join(type_name(t) for t in allowed_types())


def human_size(size: int) -> str:
    """Sizes as people say them: "20 MB", "1,5 MB", "830 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{size} bytes"


# --- names and types -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]')


def sanitize_filename(name: str | None) -> str:
    """A display and download name: no path, no control or shell-special characters, ≤ 150 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, ext = os.path.splitext(name)
    if len(ext) > 10:
        stem, ext = name, ""
    name = stem[: 150 - len(ext)].rstrip(" .") + ext.lower()
    return name if stem.strip(" ._") else "adjunto" + ext.lower()


def sniff(path: Path) -> tuple[str | None, str]:
    """(MIME type or None, description) of a file, from its bytes alone."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    kind = filetype.guess(head)
    if kind is None:
        return None, _("unknown")
    return kind.mime, type_name(kind.mime, f"{kind.mime} (.{kind.extension})")


def _sniff_zip(path: Path) -> tuple[str | None, str]:
    # Office documents are zip packages: their own manifest says which kind. Read at most 1 MB
    # of it, so a zip bomb cannot make us inflate gigabytes.
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(200).decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared, type_name(declared, f"OpenDocument ({declared})")
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    manifest = entry.read(1024 * 1024)
                for part, mime in OOXML_MAIN_PARTS.items():
                    if part in manifest:
                        return mime, type_name(mime, _("Office with macros (%(mime)s)", mime=mime))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None, _("damaged ZIP file")
    return "application/zip", _("ZIP compressed file")


def check_type(filename: str, mime: str | None, description: str) -> str:
    """The name to keep for a file of type ``mime``, or AttachmentError when name or type is refused."""
    ext = os.path.splitext(filename)[1].lower()
    claimed = next((t for t, (_name, exts) in KNOWN_TYPES.items() if ext in exts), None)
    allowed = allowed_types()
    if mime is None:
        raise AttachmentError(
            _(
                "The content of «%(filename)s» is not recognised. Accepted: %(allowed)s.",
                filename=filename,
                allowed=allowed_names(),
            )
        )
    if mime not in allowed:
        if claimed is not None and claimed != mime:
            raise AttachmentError(
                _(
                    "«%(filename)s» claims to be %(claimed)s by its extension, but its content is %(kind)s: "
                    "the file was rejected.",
                    filename=filename,
                    claimed=type_name(claimed),
                    kind=description,
                )
            )
        raise AttachmentError(
            _(
                "Files of type %(kind)s are not accepted. Accepted: %(allowed)s.",
                kind=description,
                allowed=allowed_names(),
            )
        )
    label, extensions = type_name(mime, description), KNOWN_TYPES.get(mime, ("", ()))[1]
    if not ext:
        return filename + (extensions[0] if extensions else "")
    if ext not in extensions:
        suggestion = os.path.splitext(filename)[0] + (extensions[0] if extensions else "")
        raise AttachmentError(
            _(
                "The extension of «%(filename)s» does not match its content (%(kind)s): the file was "
                "rejected. If the content is right, rename it to «%(suggestion)s» and upload it again.",
                filename=filename,
                kind=label,
                suggestion=suggestion,
            )
        )
    return filename


# --- storage -------------------------------------------------------------------------------------------


@dataclass
class StoredFile:
    sha256: str
    size: int
    key: str
    content_type: str
    filename: str
    created: bool  # False: an identical file was already stored


def key_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _file_sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def store(stream: IO[bytes], filename: str | None) -> StoredFile:
    """Check and store an upload; on any refusal nothing is left on disk."""
    name = sanitize_filename(filename)
    limit = max_bytes()
    root = storage_dir()
    tmp_dir = root / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="subida-")
    tmp = Path(tmp_name)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, "wb") as out:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                size += len(chunk)
                if size > limit:
                    raise AttachmentError(
                        _(
                            "«%(name)s» exceeds the maximum size of %(size)s for an attachment.",
                            name=name,
                            size=human_size(limit),
                        ),
                        status=413,
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise AttachmentError(_("«%(name)s» is empty.", name=name))
        mime, description = sniff(tmp)
        name = check_type(name, mime, description)
        sha = digest.hexdigest()
        key = key_for(sha)
        final = root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        created = True
        if final.exists():
            with final.open("rb") as existing:
                if _file_sha256(existing) == sha:
                    created = False  # the same bytes are already stored: keep one copy
        if created:
            os.chmod(tmp, 0o640)
            os.replace(tmp, final)  # atomic: readers see the old file or the whole new one
        return StoredFile(sha, size, key, mime, name, created)
    finally:
        tmp.unlink(missing_ok=True)


def discard(stored: StoredFile) -> None:
    """Remove a file stored for an upload whose transaction failed, unless a saved attachment uses it."""
    if not stored.created:
        return
    if db.session.scalar(select(Attachment.id).where(Attachment.sha256 == stored.sha256).limit(1)) is None:
        (storage_dir() / stored.key).unlink(missing_ok=True)


def open_verified(attachment: Attachment) -> IO[bytes]:
    """The stored file, opened and checked against its sha256 (the same handle is then served)."""
    try:
        fh = (storage_dir() / attachment.storage_key).open("rb")
    except OSError as error:
        current_app.logger.error("adjunto %s: falta el archivo %s", attachment.id, attachment.storage_key)
        raise AttachmentCorrupt(attachment) from error
    if _file_sha256(fh) != attachment.sha256:
        fh.close()
        current_app.logger.error("adjunto %s: sha256 no coincide (%s)", attachment.id, attachment.storage_key)
        raise AttachmentCorrupt(attachment)
    fh.seek(0)
    return fh


def configure(app: Flask) -> None:
    """The attachment settings' defaults; MAX_CONTENT_LENGTH a little above the largest attachment."""
    app.config.setdefault("ATTACHMENTS_DIR", str(Path(app.instance_path) / "attachments"))
    app.config.setdefault("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    app.config.setdefault("ATTACHMENTS_ALLOWED_TYPES", DEFAULT_ALLOWED_TYPES)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = int(app.config["ATTACHMENT_MAX_BYTES"]) + REQUEST_OVERHEAD
