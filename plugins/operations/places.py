"""Places of the government's territory: ubigeos checked against the territories table and against the
government's own territory (a region's departments, a province's districts, a district itself); and the
API input schemas' amounts, which admit JSON numbers too."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Government, Territory

#: How many leading ubigeo digits a government's territory fixes.
PREFIX = {"regional": 2, "provincial": 4, "district": 6}


def within(government: Government, ubigeo: str) -> bool:
    """Is the place ``ubigeo`` inside the government's territory?"""
    digits = PREFIX.get(government.kind, 6)
    return ubigeo[:digits] == government.ubigeo[:digits]


def places_of(government: Government, text: Any) -> tuple[list[Territory], list[str]]:
    """Territories named by a comma-separated list of ubigeos, and the problems found (translated)."""
    codes = [c.strip() for c in str(text or "").replace(";", ",").split(",") if c.strip()]
    problems = []
    bad = [c for c in codes if not (c.isdigit() and len(c) == 6)]
    if bad:
        problems.append(_("Not a six-digit ubigeo: %(codes)s.", codes=", ".join(bad)))
    found = {t.ubigeo: t for t in db.session.scalars(select(Territory).where(Territory.ubigeo.in_(codes)))}
    unknown = [c for c in codes if c not in found and c not in bad]
    if unknown:
        problems.append(_("Unknown ubigeo: %(codes)s.", codes=", ".join(unknown)))
    outside = [c for c in codes if c in found and not within(government, c)]
    if outside:
        problems.append(
            _(
                "Outside the territory of %(government)s: %(codes)s.",
                government=government.name,
                codes=", ".join(outside),
            )
        )
    unique = list(dict.fromkeys(c for c in codes if c in found))
    return [found[c] for c in unique], problems


def numbers_accepted(schema: dict[str, Any]) -> dict[str, Any]:
    """An input schema whose amounts and decimals (strings with a pattern) also admit JSON numbers, as
    their parsers (core.values) do: the document tells the truth about what is accepted."""
    properties = {}
    for name, prop in schema.get("properties", {}).items():
        if "pattern" in prop:
            kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
            text = {"type": "string", "pattern": prop["pattern"]}
            options = [text, {"type": "number"}, *([{"type": "null"}] if "null" in kinds else [])]
            prop = {"anyOf": options, "description": prop.get("description", "")}
        properties[name] = prop
    return {**schema, "properties": properties}
