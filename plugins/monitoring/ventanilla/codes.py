"""Tracking codes: 8 characters drawn with ``secrets`` from 30 symbols (Crockford base32 without the ones
read aloud ambiguously: 0/O, 1/I/L, U), ≈ 2^39 codes, shown grouped as "VC-7KQ3-M9TX"."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
PREFIX = "VC"
_NOISE = re.compile(r"[\s\-_.]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    return f"{PREFIX}-{code[:4]}-{code[4:]}"


def normalize(raw: str | None) -> str | None:
    """What a person typed ("vc 7kq3-m9tx", "7KQ3M9TX") → the stored code, or None when it cannot be one."""
    text = _NOISE.sub("", (raw or "").upper())
    if len(text) == LENGTH + len(PREFIX) and text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text
