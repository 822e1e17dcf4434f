"""Verification codes: making one, reading one as typed, showing one, the public address it prints."""

from __future__ import annotations

import re
import secrets

from core.documents.environment import base_url

#: Unambiguous characters for verification codes (no 0/O, 1/I/L): 31 symbols, 12 of them ≈ 59 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def verify_url(code: str) -> str:
    """The public verification address printed on a document: ``BASE_URL`` + ``/verificar/<code>``."""
    return f"{base_url()}/verificar/{code}"


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- issuing --------------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed (any case, with dashes or spaces) → its stored form, or None if malformed."""
    code = re.sub(r"[\s-]+", "", text or "").upper()
    return code if CODE_RE.match(code) else None
