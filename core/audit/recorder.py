"""The audit recorder: session listeners turn every change into an append-only, hash-chained event.

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

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from core.audit.actors import _request_origin, _user_actor, current_actor
from core.audit.chain import CHAIN_LOCK_KEY, compute_hash, jsonable
from core.audit.changes import (
    _action,
    _auditable,
    _column_props,
    _content,
    _is_secret,
    _pk_text,
    _put,
    _scope,
    _scope_keys,
    _table,
)
from core.extensions import db
from core.models.audit import AuditEvent, AuditTamperError
from core.models.case import Case, CaseTransition
from core.models.user import utcnow

_PENDING = "articula.audit.pending"  # [(transaction, at, content)] waiting for commit
_OLD = "articula.audit.old_values"  # {id(obj): {key: old}} fetched before the flush
_COMMITTING = "articula.audit.committing"  # set while the root transaction commits
_LAST = "articula.audit.last_hash"  # chain head seen under the lock in this transaction


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
