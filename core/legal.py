"""What a Spanish legal document must get right about names, titles and laws, by the document's date.

- **Agreement**: the article and contraction before an institution's name follow the gender of its
  head noun ("del Gobierno Regional de Huánuco", "de la Municipalidad Distrital de Amarilis",
  "al Gobierno Regional…", "a la Municipalidad…"). Every document that inserts a government's (or
  a body's) name goes through ``de()``, ``a()`` and ``el()``.
- **Laws in force**: a small table of the laws documents cite or depend on, with the date each came
  into force; ``in_force(key, on)`` says whether a document dated ``on`` may cite it.
- **Titles**: Ley N° 30305 renamed the "Presidente del Gobierno Regional" to "Gobernador Regional";
  ``regional_head_title(on)`` gives the title in force on the document's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# --- grammatical agreement ----------------------------------------------------------------------------

#: Head nouns of the names documents insert, by gender. Unknown nouns fall back to the Spanish rule
#: of thumb (-a, -ión, -dad, -tad, -tud, -ez feminine), which the listed nouns override.
_FEMININE = {
    "municipalidad", "instancia", "mesa", "comisión", "gerencia", "oficina", "secretaría", "dirección",
    "red", "asociación", "coordinadora", "mancomunidad", "subgerencia", "unidad", "sociedad", "junta",
    "federación", "universidad",
}  # fmt: skip
_MASCULINE = {
    "gobierno", "comité", "consejo", "concejo", "codeco", "programa", "sistema", "equipo", "colectivo",
    "frente", "centro", "plan", "día", "clima", "ministerio",
}  # fmt: skip
_ARTICLE = re.compile(r"^(el|la|los|las)\s+", re.IGNORECASE)


def gender(name: str) -> str:
    """ "f" or "m": the gender of the head noun of ``name`` (its first word)."""
    words = re.findall(r"[\wÁÉÍÓÚÜÑáéíóúüñ]+", _ARTICLE.sub("", name.strip()))
    if not words:
        return "m"
    head = words[0].lower()
    if head in _FEMININE:
        return "f"
    if head in _MASCULINE:
        return "m"
    return "f" if head.endswith(("a", "ión", "dad", "tad", "tud", "ez")) else "m"


def el(name: str) -> str:
    """ "el Gobierno Regional de Huánuco" / "la Municipalidad Distrital de Amarilis"."""
    if _ARTICLE.match(name.strip()):
        return name.strip()
    return f"{'la' if gender(name) == 'f' else 'el'} {name.strip()}"


def de(name: str) -> str:
    """ "del Gobierno Regional de Huánuco" / "de la Municipalidad Distrital de Amarilis"."""
    with_article = el(name)
    if with_article.lower().startswith("el "):
        return "del " + with_article[3:]
    return "de " + with_article


def a(name: str) -> str:
    """ "al Gobierno Regional de Huánuco" / "a la Municipalidad Distrital de Amarilis"."""
    with_article = el(name)
    if with_article.lower().startswith("el "):
        return "al " + with_article[3:]
    return "a " + with_article


# --- laws and the dates they came into force ------------------------------------------------------------


@dataclass(frozen=True)
class Law:
    number: str  # as cited: "Ley N° 29733"
    name: str
    in_force_from: date


#: The laws whose citation (or whose effect) depends on a document's date. A law is in force the day
#: after its publication in El Peruano unless it says otherwise.
LAWS: dict[str, Law] = {
    "29733": Law("Ley N° 29733", "Ley de Protección de Datos Personales", date(2011, 7, 4)),
    # Constitutional reform of articles 191, 194 and 203: "Gobernador Regional" (published 10 March 2015).
    "30305": Law(
        "Ley N° 30305", "Ley de reforma de los artículos 191°, 194° y 203° de la Constitución", date(2015, 3, 11)
    ),
    # The Nuevo Sol (S/.) becomes the Sol (S/) from 15 December 2015 (core.formatting.SOL_SINCE).
    "30381": Law(
        "Ley N° 30381", "Ley que cambia el nombre de la unidad monetaria de Nuevo Sol a Sol", date(2015, 12, 15)
    ),
}  # fmt: skip


def in_force(key: str, on: date) -> bool:
    """May a document dated ``on`` cite the law ``key`` of ``LAWS``?"""
    return on >= LAWS[key].in_force_from


def cite(key: str, on: date) -> str:
    """ "Ley N° 29733, Ley de Protección de Datos Personales" when in force on ``on``, else ""."""
    law = LAWS[key]
    return f"{law.number}, {law.name}" if in_force(key, on) else ""


# --- titles by date --------------------------------------------------------------------------------------


def regional_head_of(government_name: str, on: date) -> str:
    """ "Gobernador Regional de Huánuco" / "Presidente del Gobierno Regional de Huánuco" on ``on``."""
    if in_force("30305", on):
        return "Gobernador Regional " + _place_of(government_name)
    return "Presidente " + de(government_name)


def _place_of(government_name: str) -> str:
    """ "Gobierno Regional de Huánuco" → "de Huánuco" (the governor's title names the region)."""
    match = re.match(r"^\s*gobierno regional\s+(.*)$", government_name, re.IGNORECASE)
    return match.group(1) if match else de(government_name)


def head_title(kind: str, on: date) -> str:
    """The title of the government's head without its name: "Gobernador Regional",
    "Presidente del Gobierno Regional" (before Ley N° 30305) or "Alcalde"."""
    if kind == "regional":
        return "Gobernador Regional" if in_force("30305", on) else "Presidente del Gobierno Regional"
    return "Alcalde"


def head_of(kind: str, government_name: str, on: date) -> str:
    """The head's full title on ``on``: "Gobernador Regional de Huánuco", "Presidente del Gobierno
    Regional de Huánuco" (before Ley N° 30305), "Alcalde de la Municipalidad Distrital de Amarilis"."""
    if kind == "regional":
        return regional_head_of(government_name, on)
    return "Alcalde " + de(government_name)
