"""Audit trail: an append-only, hash-chained record of every change, login and permission change.

How events are made
- An ``after_flush`` listener turns every new, changed and deleted ORM object into an event
  (``create`` / ``update`` / ``delete`` with ``{field: [old, new]}``), whatever wrote it: web,
  admin, API, CLI. The audit table itself and bookkeeping tables are skipped (``EXCLUDED_TABLES``;
  a model may also say ``__audit__ = False``). Password and token hashes are masked.
- Columns a model lists in ``__audit_skip__`` are bookkeeping and never enter an event (a user's
  session generation: the sign-out or role change that bumps it is the event).
- Some rows mean more than a generic change: a membership is a ``permission_grant`` /
  ``permission_revoke``; a case update flushed with its new ``CaseTransition`` is one
  ``transition`` event. A model may name its own actions with ``__audit_actions__ =
  {"create": "document_issue"}`` or a method ``audit_action(kind, changes) -> str | None``, and
  say where it belongs with ``audit_scope() -> (government_id, case_id)``; a child record without
  government or case columns names the foreign key of its parent, ``__audit_parent__ = "plan_id"``,
  and its events take the parent's case and government (through any number of parents).
- ``record(action, entity, ...)`` adds an explicit event (logins, downloads, document issues).

How they are chained
- Events wait in the session and are inserted at commit (``before_commit``), in the SAME
  transaction as the change: a rolled-back change leaves no event, a committed one always has one.
- Appends are serialized so the chain never forks: on PostgreSQL by ``pg_advisory_xact_lock``, on
  SQLite by its single writer lock (core.database takes it up front). The lock is taken last, right
  before COMMIT, and nothing else is locked after it, so writers queue on it without deadlocks.
- ``hash = sha256(prev_hash + canonical JSON of the event's content)``; ``verify_chain`` walks the
  table in id order, in batches, and names the first event whose content or link was altered.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import click
from flask import Flask, g, has_request_context, request
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from core.extensions import db
from core.models.audit import AuditEvent, AuditTamperError
from core.models.case import Case, CaseTransition
from core.models.user import utcnow

__all__ = [
    "ACTION_LABELS",
    "AuditTamperError",
    "VerifyResult",
    "acting_as",
    "can_browse",
    "compute_hash",
    "record",
    "verify_chain",
]

#: Tables whose rows are bookkeeping, not facts anyone needs to audit.
EXCLUDED_TABLES = {"audit_event", "login_attempt", "seed_record", "plugin_state", "reference_counter"}
#: Columns whose values never enter the log (a change to them is still recorded, masked).
SECRET_COLUMNS = {"password_hash", "token_hash"}
MASK = "***"
#: Longest string value kept in ``changes`` (a workflow's YAML is kept whole; a pasted novel is not).
MAX_VALUE_CHARS = 20000
#: pg_advisory_xact_lock key serializing appends to the chain ("AUDT").
CHAIN_LOCK_KEY = 0x41554454

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
    "transition": _l("Transition"),
    "document_issue": _l("Document issued"),
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_throttled": _l("Sign-in throttled"),
    "access_denied": _l("Access denied"),
    "calendar_issue": _l("Calendar address created"),
    "calendar_revoke": _l("Calendar address revoked"),
    "logout": _l("Signed out"),
    "permission_grant": _l("Role granted"),
    "permission_revoke": _l("Role revoked"),
    "permission_change": _l("Role changed"),
    "attachment_upload": _l("Attachment uploaded"),
    "attachment_download": _l("Attachment downloaded"),
    "attachment_delete": _l("Attachment deleted"),
}
ENTITY_LABELS = {
    "case": _l("Case"),
    "case_transition": _l("Transition"),
    "attachment": _l("Attachment"),
    "membership": _l("Membership"),
    "user_account": _l("User"),
    "api_token": _l("API token"),
    "government": _l("Government"),
    "custom_field": _l("Custom field"),
    "workflow_definition": _l("Workflow"),
    "cycle": _l("Cycle"),
    "reference_pattern": _l("Numbering pattern"),
    "route": _l("Page or API route"),
    "calendar_feed_token": _l("Calendar address"),
}
#: Roles that may browse the whole trail in the admin (within their scope).

_PENDING = "articula.audit.pending"  # [(transaction, at, content)] waiting for commit
_OLD = "articula.audit.old_values"  # {id(obj): {key: old}} fetched before the flush
_COMMITTING = "articula.audit.committing"  # set while the root transaction commits
_LAST = "articula.audit.last_hash"  # chain head seen under the lock in this transaction

_acting_as: ContextVar[dict[str, Any] | None] = ContextVar("articula_audit_actor", default=None)


# --- canonical content and hashing ------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A value as JSON keeps it, so the hash computed now equals the one recomputed from the row."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        if len(value) > MAX_VALUE_CHARS:
            return value[:MAX_VALUE_CHARS] + f"… (truncado: {len(value)} caracteres)"
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    return str(value)


def _at_text(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(prev_hash: str | None, content: dict[str, Any]) -> str:
    """sha256 over the previous event's hash and this event's canonical content."""
    return hashlib.sha256(((prev_hash or "") + "\n" + canonical(content)).encode("utf-8")).hexdigest()


#: The columns covered by the hash (everything but id, prev_hash and hash itself).
CONTENT_COLUMNS = (
    "at",
    "actor_user_id",
    "actor_label",
    "ip",
    "user_agent",
    "action",
    "entity_type",
    "entity_id",
    "government_id",
    "case_id",
    "changes",
    "detail",
)


def content_of_row(row: Any) -> dict[str, Any]:
    """The hashed content of a stored row (a mapping), exactly as it was built at insert time."""
    content = {name: row[name] for name in CONTENT_COLUMNS}
    content["at"] = _at_text(row["at"])
    content["changes"] = row["changes"] if row["changes"] is not None else {}
    return content


# --- who is acting ---------------------------------------------------------------------------------


@contextmanager
def acting_as(user: Any = None, label: str | None = None) -> Iterator[None]:
    """Attribute the enclosed writes to ``user`` (or to ``label``: "cli", "sistema"), e.g. ``--as``."""
    payload = _user_actor(user) if user is not None else {"actor_user_id": None, "actor_label": label or "sistema"}
    if label and user is not None:
        payload["actor_label"] = label
    payload.update(_request_origin())
    token = _acting_as.set(payload)
    try:
        yield
    finally:
        _acting_as.reset(token)


def _user_actor(user: Any) -> dict[str, Any]:
    state = inspect(user, raiseerr=False)
    user_id = state.identity[0] if state is not None and state.identity else getattr(user, "id", None)
    email = (state.dict.get("email") if state is not None else None) or getattr(user, "email", None)
    return {"actor_user_id": user_id, "actor_label": email or f"usuario {user_id}"}


def _request_origin() -> dict[str, Any]:
    if not has_request_context():
        return {"ip": None, "user_agent": None}
    agent = (request.user_agent.string or "")[:200] or None
    return {"ip": request.remote_addr, "user_agent": agent}


def _request_user() -> Any:
    from flask_login import current_user

    user = g._login_user if "_login_user" in g else current_user._get_current_object()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def current_actor() -> dict[str, Any]:
    """actor_user_id, actor_label, ip, user_agent of whoever causes the current write."""
    override = _acting_as.get()
    if override is not None:
        return dict(override)
    if has_request_context():
        user = _request_user()
        cached = g.get("_audit_actor")
        if cached is not None and cached[0] is user:
            return dict(cached[1])
        payload = _user_actor(user) if user is not None else {"actor_user_id": None, "actor_label": "anónimo"}
        payload.update(_request_origin())
        g._audit_actor = (user, payload)
        return dict(payload)
    label = "cli" if click.get_current_context(silent=True) is not None else "sistema"
    return {"actor_user_id": None, "actor_label": label, "ip": None, "user_agent": None}


# --- from ORM objects to events --------------------------------------------------------------------


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


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse changes to the log; load what the after-flush step needs while the old row still exists."""
    old_values = session.info.setdefault(_OLD, {})
    for obj in list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditTamperError(_("The audit log cannot be deleted: events are only added to it."))
        if not _auditable(obj):
            continue
        state = inspect(obj)
        unloaded = [p.key for p in state.mapper.column_attrs if p.key in state.unloaded]
        if unloaded:
            getattr(obj, unloaded[0])  # one SELECT loads every expired column of the doomed row
    for obj in list(session.dirty):
        if isinstance(obj, AuditEvent):
            if session.is_modified(obj):
                raise AuditTamperError(_("The audit log cannot be modified: events are only added to it."))
            continue
        if not _auditable(obj) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        mapper = state.mapper
        for scope_key in _scope_keys(mapper):
            if scope_key in state.unloaded:
                getattr(obj, scope_key)
        # A column assigned while unloaded has no old value in memory: read it before the UPDATE.
        unknown = [key for key, old in state.committed_state.items() if old is NO_VALUE and key in mapper.column_attrs]
        if unknown and state.identity:
            pk_attrs = [getattr(mapper.class_, mapper.get_property_by_column(c).key) for c in mapper.primary_key]
            query = select(*(getattr(mapper.class_, k) for k in unknown)).where(
                *(attr == value for attr, value in zip(pk_attrs, state.identity, strict=True))
            )
            row = session.execute(query).first()
            if row is not None:
                old_values[id(obj)] = dict(zip(unknown, row, strict=True))


def _changes(kind: str, obj: Any, state: Any, old_values: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """{field: [old, new]} of a new (old: None), changed or deleted (new: None) object."""
    changes: dict[str, Any] = {}
    for prop in _column_props(state.mapper):
        key = prop.key
        secret = _is_secret(obj, key)
        if kind == "create":
            value = state.dict.get(key, NO_VALUE)
            if value is not NO_VALUE and value is not None and value != {}:
                _put(changes, key, None, value, secret)
        elif kind == "delete":
            value = state.dict.get(key, NO_VALUE)
            if value is not NO_VALUE and value is not None:
                _put(changes, key, value, None, secret)
        else:
            history = state.attrs[key].history
            if not history.added and not history.deleted:
                continue
            new = history.added[0] if history.added else None
            old = history.deleted[0] if history.deleted else old_values.get(id(obj), {}).get(key)
            if old != new:
                _put(changes, key, old, new, secret)
    return changes


def _after_flush(session: Session, flush_context: Any) -> None:
    """Turn the flushed objects into pending events (ids are known now; history is still intact)."""
    old_values = session.info.pop(_OLD, {})
    new_objects = sorted((o for o in session.new if _auditable(o)), key=lambda o: inspect(o).insert_order or 0)
    dirty_objects = [o for o in session.dirty if _auditable(o) and session.is_modified(o, include_collections=False)]
    deleted_objects = [o for o in session.deleted if _auditable(o)]
    if not (new_objects or dirty_objects or deleted_objects):
        return
    # A case moved by a transition: one "transition" event, not an update plus a history insert.
    steps = {inspect(o).dict.get("case_id"): o for o in new_objects if isinstance(o, CaseTransition)}
    moved = {inspect(o).identity[0] for o in dirty_objects if isinstance(o, Case) and inspect(o).identity}
    merged = {id(step) for case_id, step in steps.items() if case_id in moved}
    events: list[dict[str, Any]] = []
    for kind, objects in (("create", new_objects), ("update", dirty_objects), ("delete", deleted_objects)):
        for obj in objects:
            if id(obj) in merged:
                continue
            state = inspect(obj)
            mapper = state.mapper
            table = _table(mapper)
            changes = _changes(kind, obj, state, old_values)
            entity_id = _pk_text(mapper, state)
            step = steps.get(state.identity[0]) if kind == "update" and isinstance(obj, Case) else None
            if kind == "update" and not changes and step is None:
                continue
            government_id, case_id = _scope(session, obj, mapper, table, entity_id)
            action, detail = _action(obj, table, kind, changes), None
            if isinstance(obj, CaseTransition) and kind == "create":
                action, detail = "transition", _step_detail(state.dict)
            elif step is not None:
                values = inspect(step).dict
                action, detail = "transition", _step_detail(values)
                changes["transition"] = [None, values.get("name")]
                if values.get("comment"):
                    changes["comment"] = [None, jsonable(values["comment"])]
            events.append(
                {
                    "action": action,
                    "entity_type": table,
                    "entity_id": entity_id,
                    "government_id": government_id,
                    "case_id": case_id,
                    "changes": changes,
                    "detail": detail,
                }
            )
    if not events:
        return
    _fill_governments(session, events)
    actor, at, owner = current_actor(), utcnow(), _owner(session)
    pending = session.info.setdefault(_PENDING, [])
    for e in events:
        pending.append((owner, at, _content(actor=actor, at=at, **e)))
    if session.info.get(_COMMITTING):
        _write(session)  # a flush after our before_commit (another listener's late changes)


def _step_detail(values: dict[str, Any]) -> str:
    return f"{values.get('name')}: {values.get('from_state')} → {values.get('to_state')}"


def _fill_governments(session: Session, events: list[dict[str, Any]]) -> None:
    """Events of a case's records (transitions, documents…) take the case's government: one query."""
    missing = {e["case_id"] for e in events if e["government_id"] is None and e["case_id"] is not None}
    if not missing:
        return
    found: dict[int, int] = {}
    for case_id in list(missing):
        key = Case.__mapper__.identity_key_from_primary_key((case_id,))
        case = session.identity_map.get(key)
        if case is not None and inspect(case).dict.get("government_id") is not None:
            found[case_id] = inspect(case).dict["government_id"]
    rest = missing - set(found)
    if rest:
        table = Case.__table__
        rows = session.connection().execute(select(table.c.id, table.c.government_id).where(table.c.id.in_(rest)))
        found.update({row.id: row.government_id for row in rows})
    for e in events:
        if e["government_id"] is None and e["case_id"] in found:
            e["government_id"] = found[e["case_id"]]


def _owner(session: Session) -> Any:
    """The transaction an event belongs to: the innermost savepoint, else the root."""
    return session.get_nested_transaction() or session.get_transaction()


def _write(session: Session) -> None:
    """Append the pending events to the chain (under the chain lock) and forget them."""
    pending = session.info.get(_PENDING)
    if not pending:
        return
    connection = session.connection()
    last = session.info.get(_LAST)
    if last is None:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
        table = AuditEvent.__table__
        last = (connection.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar(),)
    prev = last[0]
    rows = []
    for _owner_txn, at, content in pending:
        digest = compute_hash(prev, content)
        rows.append({**content, "at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    connection.execute(insert(AuditEvent.__table__), rows)
    session.info[_LAST] = (prev,)
    pending.clear()


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a RELEASE SAVEPOINT: the events wait for the outer commit
    session.flush()
    _write(session)
    session.info[_COMMITTING] = True


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    """Forget the events of the rolled-back transaction (and of savepoints inside it)."""
    pending = session.info.get(_PENDING)
    if pending:

        def inside(txn: Any) -> bool:
            while txn is not None:
                if txn is previous_transaction:
                    return True
                txn = txn.parent
            return False

        pending[:] = [p for p in pending if not inside(p[0])]
    session.info.pop(_OLD, None)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in (_PENDING, _OLD, _COMMITTING, _LAST):
            session.info.pop(key, None)
    elif transaction.nested:
        session.info.pop(_LAST, None)  # a savepoint's rows may have been rolled back: re-read the head


def _refuse_bulk(orm_execute_state: Any) -> None:
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and any(
        m.class_ is AuditEvent for m in orm_execute_state.all_mappers
    ):
        raise AuditTamperError(_("The audit log cannot be modified or deleted."))


def _install_listeners() -> None:
    if getattr(Session, "_articula_audit", False):
        return
    Session._articula_audit = True  # type: ignore[attr-defined]
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    event.listen(Session, "do_orm_execute", _refuse_bulk)


_install_listeners()


# --- explicit events -------------------------------------------------------------------------------

_CURRENT = object()


def record(
    action: str,
    entity: Any = None,
    *,
    changes: dict[str, Any] | None = None,
    detail: str | None = None,
    case_id: int | None = None,
    government_id: int | None = None,
    entity_type: str | None = None,
    entity_id: Any = None,
    actor: Any = _CURRENT,
    actor_label: str | None = None,
    session: Session | None = None,
) -> None:
    """Add an explicit event (login, download, document issue…) to the current transaction.

    ``entity`` (an ORM object) gives the entity type, id, government and case; each may also be
    passed by hand. ``actor``: a user, or None for the system; by default whoever is acting now.
    The event is written when the caller commits, with everything else of the transaction.
    """
    session = session or db.session()
    session.connection()  # the event belongs to a transaction, even when nothing else was written yet
    session.flush()  # pending rows get their ids, and are recorded before this event
    if entity is not None:
        state = inspect(entity)
        mapper = state.mapper
        for key in _scope_keys(mapper):
            if key in state.unloaded:
                getattr(entity, key)  # expired after a commit: reload before reading the scope
        table = _table(mapper)
        ident = _pk_text(mapper, state)
        own_gov, own_case = _scope(session, entity, mapper, table, ident)
        entity_type = entity_type or table
        entity_id = entity_id if entity_id is not None else ident
        government_id = government_id if government_id is not None else own_gov
        case_id = case_id if case_id is not None else own_case
    if actor is _CURRENT:
        who = current_actor()
    elif actor is None:
        who = {"actor_user_id": None, "actor_label": "sistema", **_request_origin()}
    else:
        who = {**_user_actor(actor), **_request_origin()}
    if actor_label:
        who["actor_label"] = actor_label
    event_data = {
        "action": action,
        "entity_type": entity_type or "sistema",
        "entity_id": None if entity_id is None else str(entity_id),
        "government_id": government_id,
        "case_id": case_id,
        "changes": changes or {},
        "detail": detail,
    }
    _fill_governments(session, [event_data])
    at = utcnow()
    session.info.setdefault(_PENDING, []).append((_owner(session), at, _content(actor=who, at=at, **event_data)))


# --- verification ----------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    count: int  # events checked (all of them when ok)
    last_hash: str | None = None
    bad_id: int | None = None
    problem: str | None = None  # "content" | "link"
    previous_id: int | None = None

    def message(self) -> str:
        if self.ok:
            tail = _(" Last hash: %(last_hash)s", last_hash=self.last_hash) if self.last_hash else ""
            return _("Chain intact: %(count)s events.%(tail)s", count=self.count, tail=tail)
        if self.problem == "content":
            return _(
                "Chain altered at event #%(bad_id)s: its content was modified (it does not match its "
                "hash). The %(count)s earlier events are intact.",
                bad_id=self.bad_id,
                count=self.count,
            )
        before = (
            _("the previous event #%(previous_id)s", previous_id=self.previous_id)
            if self.previous_id
            else _("the start of the chain")
        )
        return _(
            "Chain broken at event #%(bad_id)s: its link does not match %(before)s (an event before it "
            "was deleted, inserted or altered). The %(count)s earlier events are intact.",
            bad_id=self.bad_id,
            before=before,
            count=self.count,
        )


def verify_chain(batch_size: int = 1000, session: Session | None = None) -> VerifyResult:
    """Walk the chain in id order, ``batch_size`` rows at a time (keyset pages: constant memory)."""
    session = session or db.session()
    connection = session.connection()
    table = AuditEvent.__table__
    prev_hash: str | None = None
    prev_id: int | None = None
    count = 0
    last_id = 0
    while True:
        rows = (
            connection.execute(select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size))
            .mappings()
            .all()
        )
        if not rows:
            return VerifyResult(True, count, prev_hash)
        for row in rows:
            if compute_hash(row["prev_hash"], content_of_row(row)) != row["hash"]:
                return VerifyResult(False, count, prev_hash, row["id"], "content", prev_id)
            if row["prev_hash"] != prev_hash:
                return VerifyResult(False, count, prev_hash, row["id"], "link", prev_id)
            prev_hash, prev_id = row["hash"], row["id"]
            count += 1
        last_id = rows[-1]["id"]


# --- CLI, admin, case panel, API -------------------------------------------------------------------


@click.group("audit")
def audit_group() -> None:
    """Registro de auditoría (cadena de hashes)."""


@audit_group.command("verify")
@click.option("--batch-size", default=1000, show_default=True, help="Eventos leídos por lote.")
@with_appcontext
def audit_verify(batch_size: int) -> None:
    """Recorre la cadena y señala el primer evento alterado (código de salida 1 si lo hay)."""
    result = verify_chain(batch_size=max(1, batch_size))
    db.session.rollback()
    click.echo(result.message())
    if not result.ok:
        raise click.exceptions.Exit(1)


def can_browse(scope: Any) -> bool:
    """Auditors, national supervisors and administrators browse the trail (named action "audit.browse")."""
    from core.security import can

    return can(scope, "audit.browse")


#: Roles that see where other people acted from (IP address, browser): an official's whereabouts are
#: personal data, needed to investigate, not to follow a case.
ORIGIN_ROLES = frozenset({"auditor", "admin"})


def sees_origin(scope: Any, viewer_id: int | None, actor_user_id: int | None) -> bool:
    """May this viewer see the IP address and browser of an event: their own, or as auditor or admin."""
    if viewer_id is not None and actor_user_id == viewer_id:
        return True
    roles = set(scope.global_roles)
    for held in scope.roles_by_government.values():
        roles |= held
    return scope.is_admin or bool(roles & ORIGIN_ROLES)


def init_app(app: Flask) -> None:
    """CLI ``articula audit verify``, the case history panel, the template helpers."""
    from core.web.audit import init_views

    app.cli.add_command(audit_group)
    init_views(app)


def register_admin(admin: Any) -> None:
    from core.web.audit import register_admin_views

    register_admin_views(admin)


def register_api(api: Any) -> None:
    from core.web.audit import register_api_endpoints

    register_api_endpoints(api)
