"""Loading the declared deadline rules (the core's and each plugin's ``deadlines.yaml``, the ``deadline_rules``
hook) by key: new ones are created, shipped changes applied, an administrator's edits kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import select

from core.cases.types import case_types
from core.deadlines.generation import refresh_rule_deadlines
from core.deadlines.models import DeadlineRule
from core.deadlines.rules import normalize_rule, rule_problems
from core.deadlines.settings import CORE_RULES_FILE, RULES_FILE, DeadlineError
from core.extensions import db
from core.plugins import plugin_registry


def _checksum(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def declared_rules(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """(owner, spec) of every declared rule: the core's file, then each enabled plugin's
    ``deadlines.yaml`` and ``deadline_rules`` hook, in dependency order."""
    found = [("core", spec) for spec in _read_rules_file(CORE_RULES_FILE)]
    registry = plugin_registry(app)
    impls = registry.hook.deadline_rules.get_hookimpls()
    for info in registry.enabled:
        path = info.path / RULES_FILE
        if path.is_file():
            found += [(info.name, spec) for spec in _read_rules_file(path)]
        for impl in impls:
            if impl.plugin_name == info.name:
                found += [(info.name, dict(spec)) for spec in impl.function() or []]
    return found


def _read_rules_file(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        data = data.get("rules", [])
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DeadlineError(_("%(path)s: a list of deadline rules was expected.", path=path))
    return data


def load_rules(app: Flask, reset: bool = False) -> dict[str, str]:
    """Upsert the declared rules by key; a rule an administrator edited is kept (``reset``: not).

    Returns {key: "created" | "updated" | "kept"} for the rules that changed (codes; the command
    line words them in the reader's language). An invalid declaration stops the load with a message
    naming it (nothing half-loaded: the caller's transaction is rolled back).
    """
    type_keys = list(case_types(app))
    results: dict[str, str] = {}
    seen: set[str] = set()
    for owner, spec in declared_rules(app):
        values = normalize_rule(spec, owner)
        problems = rule_problems(values, type_keys)
        if problems:
            raise DeadlineError(
                [_("Deadline rule «%(key)s» (%(owner)s):", key=values["key"] or "?", owner=owner), *problems]
            )
        if values["key"] in seen:
            raise DeadlineError(_("The deadline rule «%(key)s» is declared twice.", key=values["key"]))
        seen.add(values["key"])
        checksum = _checksum(values)
        row = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == values["key"]))
        if row is None:
            db.session.add(DeadlineRule(owner=owner, shipped_checksum=checksum, edited=False, **values))
            results[values["key"]] = "created"
            continue
        if row.shipped_checksum == checksum and not (reset and row.edited):
            continue
        if row.edited and not reset:
            results[values["key"]] = "kept"
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.owner, row.edited = owner, False
            db.session.flush()
            refresh_rule_deadlines(row)
            results[values["key"]] = "updated"
        row.shipped_checksum = checksum
    db.session.flush()
    return results
