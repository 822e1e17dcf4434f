"""The funding sources of the public budget (seed list plugins/operations/data/budget_sources.yaml):
their codes, Spanish names, and how an imported «Consulta Amigable» cell names them."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "budget_sources.yaml"


@cache
def sources() -> tuple[dict[str, Any], ...]:
    """Every source, in the classifier's order: ``{key, mef, name, aliases}``."""
    with DATA.open(encoding="utf-8") as handle:
        return tuple(yaml.safe_load(handle))


def source_keys() -> tuple[str, ...]:
    return tuple(s["key"] for s in sources())


def source_name(key: str | None) -> str:
    """The Spanish name documents print ("Recursos Ordinarios"); the code itself when unknown."""
    return next((s["name"] for s in sources() if s["key"] == key), key or "—")


def source_choices() -> dict[str, str]:
    return {s["key"]: f"{s['name']} ({s['key']})" for s in sources()}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def source_from_text(text: Any) -> str | None:
    """The source a cell names: its code ("RO"), MEF number ("1"), name or alias, accents and case aside."""
    plain = _plain(str(text or ""))
    if not plain:
        return None
    for s in sources():
        names = {_plain(s["key"]), _plain(s["mef"]), _plain(s["name"]), *(_plain(a) for a in s["aliases"])}
        if plain in names:
            return s["key"]
    return None
