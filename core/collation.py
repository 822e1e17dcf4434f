"""Sorting names the Spanish way (Á with A, ñ after n, case ignored), whatever the database.

With PyICU installed (optional: it compiles against the system's ICU) its Spanish collator is used;
otherwise a key that is good for place and person names: accents and case dropped, "ñ" kept as a
letter of its own between "n" and "o", then the original text to break ties.
SQL-paged lists keep the database's order (PostgreSQL with a Spanish collation sorts the same way).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")


@lru_cache(maxsize=1)
def _icu_key() -> Callable[[str], Any] | None:
    try:
        import icu  # type: ignore[import-not-found]
    except ImportError:
        return None
    collator = icu.Collator.createInstance(icu.Locale("es_PE"))
    return collator.getSortKey


def _plain_key(text: str) -> tuple[str, str]:
    folded = []
    for char in text.casefold():
        if char == "ñ":
            folded.append("n\U0010ffff")  # after every other "n…", before "o"
            continue
        base = unicodedata.normalize("NFD", char)
        folded.append("".join(c for c in base if not unicodedata.combining(c)))
    return ("".join(folded), text)


def spanish_key(text: str | None) -> Any:
    """A sort key for ``text`` in Spanish order."""
    text = text or ""
    icu_key = _icu_key()
    return icu_key(text) if icu_key else _plain_key(text)


def sorted_spanish(items: Iterable[T], name: Callable[[T], str | None] = lambda item: item.name) -> list[T]:
    """``items`` sorted by their name (or what ``name`` returns) in Spanish order."""
    return sorted(items, key=lambda item: spanish_key(name(item)))
