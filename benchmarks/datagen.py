"""Bulk data for the scale benchmark: the demo's cycle repeated over 1/10 of the governments (1×)
or over all of them (10×: ~40 000 cases, 96 000 members, 38 000 transitions, 197 000 audit events).

Rows go in with Core ``INSERT … executemany`` in large batches on one connection (no ORM, no
per-row flush), ids assigned here; the audit events are hash-chained exactly like the app does,
so ``articula audit verify`` still passes on the generated database. About a minute for 10×.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

YEARS = range(2015, 2025)  # ten yearly cycles per active government
MEMBERS_PER_GOVERNMENT = 50
BATCH = 5_000
FIRST_NAMES = ("Rosa", "Julio", "Élena", "Marco", "Luz", "Pedro", "Ana", "Jesús", "María", "Ñique", "Óscar", "Iris")
LAST_NAMES = ("Huamán", "Quispe", "Tarazona", "Cárdenas", "Ayala", "Rojas", "Villanueva", "Núñez", "Peña", "Ríos")


def _batched(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> int:
    batch: list[dict[str, Any]] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            total += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        total += len(batch)
    return total


def _next_id(conn: Connection, table: Any) -> int:
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def active_governments(
    conn: Connection, factor: int, limit: int | None = None, skip: int = 0
) -> list[tuple[int, str, str]]:
    """Every government at 10×; every tenth (by id) at 1× — the same regions and kinds mixed."""
    from core.models import Government

    table = Government.__table__
    rows = conn.execute(select(table.c.id, table.c.kind, table.c.ubigeo).order_by(table.c.id)).all()
    step = max(1, round(10 / factor))
    chosen = [(r.id, r.kind, r.ubigeo) for i, r in enumerate(rows) if i % step == 0]
    chosen = chosen[skip:]
    return chosen[:limit] if limit is not None else chosen


def generate(
    engine: Any,
    factor: int = 1,
    governments: int | None = None,
    skip: int = 0,
    years: range = YEARS,
    members: int = MEMBERS_PER_GOVERNMENT,
    seed: int = 2008,
) -> dict[str, int]:
    """Insert ``factor``× the demo's cycle data (``governments``: only N of them, after
    ``skip``, so tests can grow a table in steps); return the row counts added per table."""
    from core.audit.chain import CONTENT_COLUMNS, _at_text, compute_hash, jsonable
    from core.cases.search import terms_of
    from core.models import Case, CaseSearchTerm, CaseTransition, Cycle
    from core.models.audit import AuditEvent
    from core.models.user import User
    from plugins.institutionalization.models import ArticulationBody, BodyMember, MemberCategory, Ordinance

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        chosen = active_governments(conn, factor, governments, skip)
        actor = conn.execute(select(User.__table__.c.id, User.__table__.c.email).order_by(User.__table__.c.id)).first()
        actor_id, actor_label = (actor.id, actor.email) if actor else (None, "cli")
        categories = {
            level: list(conn.scalars(select(MemberCategory.__table__.c.id).where(MemberCategory.level == level)))
            for level in ("regional", "local")
        }
        existing_cycles = {
            (r.government_id, r.year): r.id
            for r in conn.execute(select(Cycle.__table__.c.id, Cycle.government_id, Cycle.year))
        }
        cycle_id = _next_id(conn, Cycle.__table__)
        case_id = _next_id(conn, Case.__table__)
        cycles: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        bodies: list[dict[str, Any]] = []
        ordinances: list[dict[str, Any]] = []
        member_rows: list[dict[str, Any]] = []
        transitions: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []  # content only; the chain is computed at the end
        base = datetime(2015, 1, 5, 14, 0)

        def event(at: datetime, action: str, entity: str, entity_id: int, gov: int, case: int | None) -> None:
            events.append(
                {
                    "at": at,
                    "actor_user_id": actor_id,
                    "actor_label": actor_label,
                    "ip": "127.0.0.1",
                    "user_agent": "articula-bench",
                    "action": action,
                    "entity_type": entity,
                    "entity_id": str(entity_id),
                    "government_id": gov,
                    "case_id": case,
                    "changes": {},
                    "detail": None,
                }
            )

        def new_case(gov: int, kind: str, year: int, cyc: int, kind_type: str, workflow: str, state: str,
                     reference: str, title: str, stage: str, at: datetime) -> int:  # fmt: skip
            nonlocal case_id
            cid = case_id
            case_id += 1
            cases.append(
                {
                    "id": cid,
                    "type": kind_type,
                    "government_id": gov,
                    "cycle_id": cyc,
                    "year": year,
                    "stage": stage,
                    "reference": reference,
                    "title": title,
                    "state": state,
                    "workflow_id": workflow,
                    "custom": {},
                    "version": 2,
                    "created_at": at,
                    "updated_at": at,
                    "created_by_id": actor_id,
                    "updated_by_id": actor_id,
                }  # fmt: skip
            )
            event(at, "create", "case", cid, gov, cid)
            return cid

        member_id = _next_id(conn, BodyMember.__table__)
        for gov, kind, ubigeo in chosen:
            level = "regional" if kind == "regional" else "local"
            cyc_ids = {}
            for year in years:
                if (gov, year) in existing_cycles:
                    cyc_ids[year] = existing_cycles[(gov, year)]
                else:
                    cyc_ids[year] = cycle_id
                    cycles.append({"id": cycle_id, "government_id": gov, "year": year, "created_at": base})
                    cycle_id += 1
            at = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
            acronym = "IAR" if level == "regional" else "IAL"
            body = new_case(gov, kind, years[0], cyc_ids[years[0]], "articulation_body", "articulation_body",
                            "installed", f"BENCH-{acronym}-{gov}", f"Instancia de Articulación {acronym} {ubigeo}",
                            "institutionalization", at)  # fmt: skip
            bodies.append({"id": body, "origin": "new", "direction_kind": "technical_secretariat"})
            for year in years:
                at = datetime(year, 3, 1, 9) + timedelta(minutes=rng.randrange(0, 60 * 24 * 200))
                state = "published" if year < years[-1] else "in_review"
                number = f"{gov % 1000:03d}-{year}-BENCH"
                ordinance = new_case(gov, kind, year, cyc_ids[year], "ordinance", "ordinance", state,
                                     f"BENCH-ORD-{number}", f"Ordenanza que modifica la {acronym} ({year}) — Ñuñoa",
                                     "institutionalization", at)  # fmt: skip
                ordinances.append(
                    {
                        "id": ordinance,
                        "government_id": gov,
                        "year": year,
                        "body_id": body,
                        "instrument": "ordinance",
                        "number": number,
                        "session_kind": "ordinary",
                    }  # fmt: skip
                )
                generic = new_case(gov, kind, year, cyc_ids[year], "generic", "generic", "approved",
                                   f"BENCH-EXP-{gov}-{year}", f"Informe anual de articulación {year} — Ayacucho",
                                   "monitoring", at + timedelta(days=3))  # fmt: skip
                for cid, name, source, target in ((ordinance, "submit", "draft", "in_review"),
                                                  (generic, "approve", "in_review", "approved")):  # fmt: skip
                    transitions.append(
                        {
                            "case_id": cid,
                            "name": name,
                            "from_state": source,
                            "to_state": target,
                            "user_id": actor_id,
                            "comment": None,
                            "at": at + timedelta(days=5),
                        }  # fmt: skip
                    )
                    event(at + timedelta(days=5), "transition", "case", cid, gov, cid)
                    event(at + timedelta(days=5), "update", "case", cid, gov, cid)
            for n in range(members):
                start = date(years[0] + n % len(years), 1 + n % 12, 1 + n % 27)
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
                member_rows.append(
                    {
                        "id": member_id,
                        "body_id": body,
                        "full_name": name,
                        "dni": f"{(gov * 100 + n) % 10**8:08d}",
                        "position": "Representante",
                        "category_id": rng.choice(categories[level] or [None]),
                        "role": "member",
                        "technical_committee": False,
                        "active_from": start,
                        "active_to": None if n % 3 else start + timedelta(days=700),
                        "created_at": base,
                        "updated_at": base,
                    }  # fmt: skip
                )
                event(datetime.combine(start, datetime.min.time()), "create", "body_member", member_id, gov, body)
                member_id += 1
        counts["cycle"] = _batched(conn, Cycle.__table__, cycles)
        counts["case"] = _batched(conn, Case.__table__, cases)
        counts["case_search_term"] = _batched(
            conn,
            CaseSearchTerm.__table__,
            ({"case_id": c["id"], "term": t} for c in cases for t in terms_of(c["reference"], c["title"])),
        )
        counts["articulation_body"] = _batched(conn, ArticulationBody.__table__, bodies)
        counts["ordinance"] = _batched(conn, Ordinance.__table__, ordinances)
        counts["body_member"] = _batched(conn, BodyMember.__table__, member_rows)
        counts["case_transition"] = _batched(conn, CaseTransition.__table__, transitions)
        events.sort(key=lambda e: e["at"])
        table = AuditEvent.__table__
        prev = conn.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()

        def chained() -> Iterable[dict[str, Any]]:
            nonlocal prev
            for row in events:
                content = {name: jsonable(row[name]) for name in CONTENT_COLUMNS}
                content["at"] = _at_text(row["at"])  # as content_of_row() re-reads it
                digest = compute_hash(prev, content)
                yield {**row, "prev_hash": prev, "hash": digest}
                prev = digest

        counts["audit_event"] = _batched(conn, table, chained())
    return counts
