"""The audit trail's hash chain: canonical event content, its sha256 link, and ``verify_chain``.

``hash = sha256(prev_hash + canonical JSON of the event's content)``; ``verify_chain`` walks the
table in id order, in batches, and names the first event whose content or link was altered.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.extensions import db
from core.models.audit import AuditEvent

#: Tables whose rows are bookkeeping, not facts anyone needs to audit.
EXCLUDED_TABLES = {"audit_event", "login_attempt", "seed_record", "plugin_state", "reference_counter"}
#: Columns whose values never enter the log (a change to them is still recorded, masked).
SECRET_COLUMNS = {"password_hash", "token_hash"}
MASK = "***"
#: Longest string value kept in ``changes`` (a workflow's YAML is kept whole; a pasted novel is not).
MAX_VALUE_CHARS = 20000
#: pg_advisory_xact_lock key serializing appends to the chain ("AUDT").
CHAIN_LOCK_KEY = 0x41554454


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
