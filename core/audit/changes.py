"""From ORM objects to audit events: which rows are audited, their scope (government, case,
through ``__audit_parent__``), their action name and masked changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.audit.chain import EXCLUDED_TABLES, MASK, SECRET_COLUMNS, _at_text, jsonable
from core.models.case import Case


def _auditable(obj: Any) -> bool:
    cls = type(obj)
    if getattr(cls, "__audit__", True) is False:
        return False
    mapper = inspect(cls, raiseerr=False)
    return mapper is not None and _table(mapper) not in EXCLUDED_TABLES


def _table(mapper: Any) -> str:
    # The base table: every case type's events are "case" events, one history per case.
    return mapper.base_mapper.local_table.name


def _is_secret(obj: Any, key: str) -> bool:
    if key in SECRET_COLUMNS or "password" in key or "secret" in key or key.endswith("token_hash"):
        return True
    return key in getattr(type(obj), "__audit_mask__", ())


def _put(changes: dict[str, Any], key: str, old: Any, new: Any, secret: bool) -> None:
    if secret:
        changes[key] = [MASK if old is not None else None, MASK if new is not None else None]
        return
    if isinstance(old, dict | type(None)) and isinstance(new, dict | type(None)) and (old or new):
        # JSON objects (custom-field values) are compared key by key: "custom.amount: 1 → 2".
        old, new = old or {}, new or {}
        for sub in sorted(set(old) | set(new), key=str):
            if old.get(sub) != new.get(sub):
                changes[f"{key}.{sub}"] = [jsonable(old.get(sub)), jsonable(new.get(sub))]
        return
    changes[key] = [jsonable(old), jsonable(new)]


def _column_props(mapper: Any) -> Iterator[Any]:
    pk = set(mapper.primary_key)
    skip = getattr(mapper.class_, "__audit_skip__", ())
    for prop in mapper.column_attrs:
        if not any(col in pk for col in prop.columns) and prop.key not in skip:
            yield prop


def _pk_text(mapper: Any, state: Any) -> str | None:
    """The primary key as text, read without loading anything (new rows: from the flushed values)."""
    values = state.identity or tuple(state.dict.get(mapper.get_property_by_column(c).key) for c in mapper.primary_key)
    if not values or any(v is None for v in values):
        return None
    return ",".join(str(v) for v in values)


def _scope(session: Session, obj: Any, mapper: Any, table: str, entity_id: str | None) -> tuple[int | None, int | None]:
    """(government_id, case_id) of a record: its own columns, or its parent's (``__audit_parent__``)."""
    own = getattr(obj, "audit_scope", None)
    if callable(own):
        return own()
    values = inspect(obj).dict
    if table == "government":
        return (int(entity_id) if entity_id else None), None
    state = inspect(obj)
    pk = state.identity[0] if state.identity else values.get(mapper.get_property_by_column(mapper.primary_key[0]).key)
    return _scope_of(session, mapper, pk, values, 0)


def _scope_keys(mapper: Any) -> list[str]:
    """The columns a record's scope is read from (loaded before the flush if expired)."""
    keys = ("government_id", "case_id", getattr(mapper.class_, "__audit_parent__", None))
    return [k for k in keys if k and k in mapper.column_attrs]


#: How far up a chain of parents an event looks for its case (plan → result → activity is 2).
MAX_PARENT_DEPTH = 6


def _scope_of(session: Session, mapper: Any, pk: Any, values: dict[str, Any], depth: int) -> tuple[Any, Any]:
    """A record's scope from its column values: a case is its own case; a record with a government or
    case column has it; a child record (``__audit_parent__ = "<fk column>"``) takes its parent's, at
    any depth (a plan activity → its result → the plan), so case histories and scoped auditors see
    every child's events. The parent is read from the session if loaded, else with one SELECT."""
    if mapper.isa(Case.__mapper__):
        return values.get("government_id"), pk  # the government is filled from the case (_fill_governments)
    government_id = values.get("government_id") if "government_id" in mapper.column_attrs else None
    case_id = values.get("case_id") if "case_id" in mapper.column_attrs else None
    parent_key = getattr(mapper.class_, "__audit_parent__", None)
    if government_id is not None or case_id is not None or not parent_key or depth >= MAX_PARENT_DEPTH:
        return government_id, case_id
    parent_id = values.get(parent_key)
    if parent_id is None:
        return None, None
    parent_mapper = _parent_mapper(mapper, parent_key)
    return _scope_of(session, parent_mapper, parent_id, _values_of(session, parent_mapper, parent_id), depth + 1)


def _parent_mapper(mapper: Any, key: str) -> Any:
    """The mapper of the table that the foreign key column ``key`` points to."""
    (column,) = mapper.column_attrs[key].columns
    target = next(iter(column.foreign_keys)).column.table
    for candidate in mapper.registry.mappers:
        if candidate.local_table is target:
            return candidate
    raise LookupError(f"__audit_parent__ {mapper.class_.__name__}.{key}: no mapped class for {target.name}")


def _values_of(session: Session, mapper: Any, pk: Any) -> dict[str, Any]:
    """The scope columns of a parent row: from the session when it is there, else from the database."""
    wanted = _scope_keys(mapper)
    parent = session.identity_map.get(mapper.identity_key_from_primary_key((pk,)))
    if parent is not None:
        loaded = inspect(parent).dict
        if all(k in loaded for k in wanted):
            return loaded
    if not wanted or mapper.isa(Case.__mapper__):
        return {}
    columns = [mapper.column_attrs[k].columns[0] for k in wanted]
    row = session.connection().execute(select(*columns).where(mapper.primary_key[0] == pk)).first()
    return dict(zip(wanted, row, strict=True)) if row is not None else {}


def _action(obj: Any, table: str, kind: str, changes: dict[str, Any]) -> str:
    custom = getattr(obj, "audit_action", None)
    if callable(custom):
        named = custom(kind, changes)
        if named:
            return named
    named = getattr(type(obj), "__audit_actions__", {}).get(kind)
    if named:
        return named
    if table == "membership":
        return {"create": "permission_grant", "delete": "permission_revoke"}.get(kind, "permission_change")
    return kind


def _content(
    action: str,
    entity_type: str,
    entity_id: str | None,
    government_id: int | None,
    case_id: int | None,
    changes: dict[str, Any],
    detail: str | None,
    actor: dict[str, Any],
    at: datetime,
) -> dict[str, Any]:
    return {
        "at": _at_text(at),
        "actor_user_id": actor.get("actor_user_id"),
        "actor_label": (actor.get("actor_label") or "sistema")[:254],
        "ip": actor.get("ip"),
        "user_agent": actor.get("user_agent"),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "government_id": government_id,
        "case_id": case_id,
        "changes": jsonable(changes),
        "detail": detail[:300] if detail else None,
    }
