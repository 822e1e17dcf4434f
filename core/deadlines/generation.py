"""Creating deadlines in bulk (fixed-yearly and quarterly, per government and year, idempotent) and
recomputing due dates when a rule or the non-working days change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from core.database import writing
from core.deadlines.due_dates import Calendars, deadline_label, due_date_for, nominal_dates
from core.deadlines.models import CALENDAR_KINDS, EVENT_KINDS, Deadline, DeadlineRule
from core.deadlines.scopes import scoped_ids
from core.deadlines.settings import log
from core.extensions import db
from core.models import Government
from core.models.user import utcnow

# --- generation -------------------------------------------------------------------------------------


def binds(level: str, government_kind: str) -> bool:
    """Does a rule of ``level`` bind a government of ``government_kind``?"""
    if level == "all":
        return True
    if level == "local":
        return government_kind in ("provincial", "district")
    return level == government_kind


def _calendar_rules() -> list[DeadlineRule]:
    return list(
        db.session.scalars(
            select(DeadlineRule)
            .where(DeadlineRule.active.is_(True), DeadlineRule.kind.in_(CALENDAR_KINDS))
            .order_by(DeadlineRule.id)
        )
    )


def missing_deadlines(
    year: int, government_ids: Sequence[int] | None = None, rules: list[DeadlineRule] | None = None
) -> list[dict[str, Any]]:
    """Rows of the fixed/quarterly deadlines of ``year`` not created yet (read-only)."""
    rules = _calendar_rules() if rules is None else rules
    if not rules:
        return []
    governments = select(Government.id, Government.kind, Government.region_id)
    existing_query = select(Deadline.rule_id, Deadline.government_id, Deadline.period).where(
        Deadline.year == year, Deadline.case_id.is_(None), Deadline.rule_id.in_([r.id for r in rules])
    )
    if government_ids is not None:
        ids = list(set(government_ids))
        if not ids:
            return []
        governments = governments.where(Government.id.in_(ids))
        existing_query = existing_query.where(Deadline.government_id.in_(ids))
    gov_rows = db.session.execute(governments).all()
    existing = set(db.session.execute(existing_query).all())
    calendars: Calendars | None = None
    due_cache: dict[tuple[date, int | None], date] = {}
    now = utcnow()
    rows = []
    for rule in rules:
        scoped = scoped_ids(rule.key)  # a plugin's ``applies_to``: only some governments of the level
        for period, nominal in nominal_dates(rule, year):
            label = deadline_label(rule, year, period)
            for gov_id, kind, region_id in gov_rows:
                if not binds(rule.level, kind) or (rule.id, gov_id, period) in existing:
                    continue
                if scoped is not None and gov_id not in scoped:
                    continue
                if (nominal, region_id) not in due_cache:
                    calendars = calendars or Calendars.load()
                    due_cache[(nominal, region_id)] = calendars.for_region(region_id).roll_forward(nominal)
                rows.append(
                    {
                        "rule_id": rule.id,
                        "government_id": gov_id,
                        "year": year,
                        "case_id": None,
                        "period": period,
                        "label": label,
                        "due_date": due_cache[(nominal, region_id)],
                        "created_at": now,
                    }
                )
    return rows


def _insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    """Bulk insert; a row another process created meanwhile is skipped (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover — other databases: a plain insert (the unique index still guards)
        for chunk in range(0, len(rows), 1000):
            db.session.execute(insert(Deadline), rows[chunk : chunk + 1000])
        return
    statement = dialect_insert(Deadline.__table__).on_conflict_do_nothing(
        index_elements=["rule_id", "government_id", "year", "period"],
        index_where=Deadline.__table__.c.case_id.is_(None),
    )
    for chunk in range(0, len(rows), 1000):
        db.session.execute(statement, rows[chunk : chunk + 1000])


def generate_deadlines(year: int, governments: Iterable[Government | int] | None = None) -> int:
    """Create the fixed-yearly and quarterly deadlines of ``year`` for every government each
    rule binds (or only ``governments``); idempotent. Returns how many were created. The
    caller commits."""
    ids = None
    if governments is not None:
        ids = [g if isinstance(g, int) else g.id for g in governments]
    rows = missing_deadlines(year, ids)
    _insert_ignoring_duplicates(rows)
    return len(rows)


def ensure_deadlines(year: int, government_ids: Sequence[int] | None) -> int:
    """Lazy generation for a page that shows these government-years: a read when nothing is
    missing; otherwise the read transaction is closed and the rows are written in a write
    transaction of their own (SQLite takes its lock up front) and committed."""
    if not 2000 <= year <= 2100:
        return 0
    if not missing_deadlines(year, government_ids):
        return 0
    db.session.commit()
    try:
        with writing():
            created = generate_deadlines(year, government_ids)
            db.session.commit()
    except Exception:  # noqa: BLE001 — a page still renders what exists
        db.session.rollback()
        log.exception("no se pudieron generar los plazos de %s", year)
        return 0
    return created


# --- recomputation ----------------------------------------------------------------------------------

ALL_REGIONS = object()


def recompute_due_dates(
    since: date | None = None, region_id: Any = ALL_REGIONS, rule_ids: Sequence[int] | None = None
) -> int:
    """Recompute the due dates of unmet deadlines after the calendar or a rule changed.

    ``since``: only deadlines due on or after that date (a changed day cannot move earlier
    ones); ``region_id``: only the governments of that region (ALL_REGIONS: everybody).
    Returns how many due dates changed. The caller commits.
    """
    query = (
        select(
            Deadline.id,
            Deadline.rule_id,
            Deadline.year,
            Deadline.period,
            Deadline.start_date,
            Deadline.due_date,
            Government.region_id,
        )
        .join(Government, Government.id == Deadline.government_id)
        .where(Deadline.met_at.is_(None))
    )
    if since is not None:
        query = query.where(Deadline.due_date >= since)
    if region_id is not ALL_REGIONS:
        query = query.where(Government.region_id == region_id)
    if rule_ids is not None:
        query = query.where(Deadline.rule_id.in_(list(rule_ids)))
    rows = db.session.execute(query).all()
    if not rows:
        return 0
    rules = {r.id: r for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.id.in_({r[1] for r in rows})))}
    calendars = Calendars.load()
    cache: dict[tuple, date] = {}
    changes = []
    for deadline_id, rule_id, year, period, start, due, region in rows:
        rule = rules[rule_id]
        if rule.kind in EVENT_KINDS and start is None:
            continue
        key = (rule_id, year, period, start, region)
        if key not in cache:
            cache[key] = due_date_for(rule, year, period, start, calendars.for_region(region))
        if cache[key] != due:
            changes.append({"id": deadline_id, "due_date": cache[key]})
    if changes:
        db.session.execute(update(Deadline), changes)
    return len(changes)


def refresh_rule_deadlines(rule: DeadlineRule) -> int:
    """After a rule changed: its deadlines' labels follow it, unmet due dates are recomputed."""
    query = select(Deadline.id, Deadline.year, Deadline.period).where(Deadline.rule_id == rule.id)
    if rule.kind in EVENT_KINDS:
        # an event deadline without a case was written by a plugin with a label of its own (a Ventanilla entry's
        # code and kind): the rule's name must not overwrite it
        query = query.where(Deadline.case_id.is_not(None))
    rows = db.session.execute(query)
    labels = [{"id": i, "label": deadline_label(rule, y, p)} for i, y, p in rows]
    if labels:
        db.session.execute(update(Deadline), labels)
    if rule.kind in CALENDAR_KINDS or rule.kind in EVENT_KINDS:
        return recompute_due_dates(rule_ids=[rule.id])
    return 0
