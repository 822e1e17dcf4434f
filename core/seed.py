"""Seed data: upsert records by stable key ``owner.key``, keeping records a user has edited."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask import Flask

from core.deadlines.loading import load_rules
from core.documents.models import YearName
from core.extensions import db
from core.models import (
    Institution,
    InterventionLine,
    KeyIndicator,
    PluginState,
    SeedRecord,
    SocialInfoItem,
    SocialProgram,
    StrategicProgram,
)
from core.plugins import plugin_registry
from core.workflow import load_shipped

CORE_DATA_DIR = Path(__file__).resolve().parent / "data"
#: Bump to reload the core catalogs (user-edited records are kept).
CORE_DATA_VERSION = "3"  # 3: year names 2012–2026
CORE_DATA = [
    ("strategic_programs.yaml", StrategicProgram),
    ("intervention_lines.yaml", InterventionLine),
    ("institutions.yaml", Institution),
    ("social_programs.yaml", SocialProgram),
    ("social_info_items.yaml", SocialInfoItem),
    ("key_indicators.yaml", KeyIndicator),
    ("year_names.yaml", YearName),
]


@dataclass
class SeedStats:
    created: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)  # keys whose user edits were kept

    def __iadd__(self, other: SeedStats) -> SeedStats:
        self.created += other.created
        self.updated += other.updated
        self.kept += other.kept
        return self


def _model_by_name(name: str) -> type:
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(f"unknown model in seed data: {name}")


def _checksum(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _normalize(owner: str, model: type, record: dict[str, Any]) -> dict[str, Any]:
    """YAML record → column values: lists become lines, references ``parent: key`` become ids."""
    columns = set(model.__table__.columns.keys())
    values: dict[str, Any] = {}
    for name, value in record.items():
        if f"{name}_id" in columns and name not in columns:
            if value is None:
                values[f"{name}_id"] = None
            else:
                ref = db.session.get(SeedRecord, f"{owner}.{value}")
                if ref is None:
                    raise LookupError(f"{owner}.{record.get('key')}: unknown reference «{value}»")
                values[f"{name}_id"] = ref.record_id
        elif name in columns:
            values[name] = "\n".join(map(str, value)) if isinstance(value, list) else value
    return values


def load_records(owner: str, model: type, records: list[dict[str, Any]]) -> SeedStats:
    """Upsert ``records`` (each with a ``key``) of ``model`` under the namespace ``owner``."""
    stats = SeedStats()
    for record in records:
        key = f"{owner}.{record['key']}"
        values = _normalize(owner, model, record)
        new_sum = _checksum(values)
        seed = db.session.get(SeedRecord, key)
        if seed is None:
            obj = model(**values)
            db.session.add(obj)
            db.session.flush()
            db.session.add(
                SeedRecord(
                    key=key, model=model.__name__, record_id=obj.id, checksum=new_sum, fields=",".join(sorted(values))
                )
            )
            stats.created += 1
            continue
        obj = db.session.get(model, seed.record_id)
        if obj is None:
            stats.kept.append(key)  # deleted by a user: stays deleted
            continue
        seeded_fields = [f for f in (seed.fields or "").split(",") if f] or sorted(values)
        current = _checksum({name: getattr(obj, name) for name in seeded_fields})
        if seeded_fields == sorted(values) and current == new_sum:
            continue
        if current != seed.checksum:
            stats.kept.append(key)
            continue
        for name, value in values.items():
            setattr(obj, name, value)
        seed.checksum, seed.fields = new_sum, ",".join(sorted(values))
        stats.updated += 1
    db.session.flush()
    return stats


def load_file(owner: str, path: Path, model: type | None = None) -> SeedStats:
    """A YAML file: either a list of records (``model`` given) or ``{model: Name, records: [...]}``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        model = _model_by_name(data["model"])
        data = data.get("records", [])
    if model is None:
        raise ValueError(f"{path}: «model» is missing")
    return load_records(owner, model, data)


def load_all(
    app: Flask, force: bool = False, changes: dict[str, dict[str, str]] | None = None
) -> dict[str, SeedStats]:
    """Load the core catalogs and every enabled plugin's data whose version changed (or all, ``force``).

    ``changes``, when given, receives what changed among the shipped workflows and deadline rules:
    {"workflows": {id: outcome}, "rules": {key: outcome}} (outcomes "created", "updated", "kept")."""

    results: dict[str, SeedStats] = {}
    # Each core catalog is its own namespace (core.institutions.minsa); a plugin's keys share one.
    sources: list[tuple[str, str, list[tuple[str, Path, type | None]]]] = [
        ("core", CORE_DATA_VERSION, [(f"core.{Path(f).stem}", CORE_DATA_DIR / f, m) for f, m in CORE_DATA])
    ]
    for info in plugin_registry(app).enabled:
        sources.append((info.name, info.version, [(info.name, info.path / f, None) for f in info.data]))
    for owner, version, files in sources:
        state = db.session.get(PluginState, owner)
        if state is not None and state.version == version and not force:
            continue
        stats = SeedStats()
        for namespace, path, model in files:
            stats += load_file(namespace, path, model)
        if state is None:
            db.session.add(PluginState(name=owner, version=version))
        else:
            state.version = version
        results[owner] = stats

    workflows = load_shipped(app)  # workflows are data too; an administrator's edits are kept
    rules = load_rules(app)  # so are deadline rules
    if changes is not None:
        changes.update(workflows=workflows, rules=rules)
    db.session.commit()
    return results
