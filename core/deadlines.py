"""Deadlines: rules declared by plugins, Peru's working-day calendar, statuses, reminders, iCalendar.

- **Rules** come from ``core/deadlines.yaml``, each enabled plugin's ``deadlines.yaml`` and the
  ``deadline_rules`` hook; they are loaded with the seed data (upsert by key; a rule an
  administrator edited is kept) and edited or added in the admin.
- **Due dates** follow Ley N° 27444: a fixed or calendar-days date falling on a non-working day
  moves to the next working day; N working days count from the working day after the event.
  Non-working days: Peru's national holidays (``holidays``) plus the administrator's table
  (national rows for everybody, regional rows for the governments of that region).
- **Generation**: fixed-yearly and quarterly deadlines are created per government and year in
  bulk, idempotently (``generate_deadlines``), by ``articula deadlines generate`` (cron, once a
  year), by ``articula deadlines remind`` (for the current year), and lazily when a page shows
  a government-year (``ensure_deadlines``). Creating a cycle does not generate anything, so it
  stays as fast as before. Event deadlines start and are met by workflow effects
  (``starts_deadline`` / ``meets_deadline``).
- **Statuses** (pending, due soon, met, met late, late) are computed, never stored, by
  ``status_of`` in Python and ``status_expression`` in SQL — the same rules, side by side.
- **Reminders**: ``send_reminders`` (CLI ``remind``) sends each team/coordinator one reminder per
  deadline and kind, by e-mail when MAIL_SERVER is set, in the application otherwise.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
import yaml
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from core.calendar import WorkingCalendar
from core.extensions import db
from core.models import Case, Government, Membership, User, WorkflowDefinition
from core.models.deadlines import (
    CALENDAR_KINDS,
    EVENT_KINDS,
    RULE_KINDS,
    RULE_LEVELS,
    CalendarFeedToken,
    Deadline,
    DeadlineRule,
    NonWorkingDay,
    Notification,
    Reminder,
)
from core.models.user import hash_token, utcnow

log = logging.getLogger(__name__)

CORE_RULES_FILE = Path(__file__).resolve().parent / "deadlines.yaml"
RULES_FILE = "deadlines.yaml"
LIMA = ZoneInfo("America/Lima")
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
QUARTER_NAMES = {1: "primer trimestre", 2: "segundo trimestre", 3: "tercer trimestre", 4: "cuarto trimestre"}
#: Roles that receive reminders for their government's deadlines.
REMINDED_ROLES = ("team", "coordinator")

SETTINGS = {
    "DEADLINE_DUE_SOON_DAYS": 7,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_FROM": "articula@localhost",
    "MAIL_TIMEOUT": 30,
    #: Absolute URL of the site for links in e-mails and calendar feeds sent outside a request.
    "BASE_URL": None,
}


class DeadlineError(ValueError):
    """A refused deadline operation or an invalid rule; Spanish message(s)."""

    def __init__(self, reasons: str | Iterable[str]) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__(" ".join(self.reasons))


# --- time -----------------------------------------------------------------------------------------


def lima_today() -> date:
    """Today in Peru: deadlines are dates of the Peruvian calendar, timestamps are stored in UTC."""
    return datetime.now(LIMA).date()


def lima_date(moment: datetime) -> date:
    """The Peruvian date of a stored (naive UTC) timestamp."""
    return moment.replace(tzinfo=UTC).astimezone(LIMA).date()


def due_soon_days() -> int:
    return int(current_app.config.get("DEADLINE_DUE_SOON_DAYS", SETTINGS["DEADLINE_DUE_SOON_DAYS"]))


# --- rules: validation, declaration, loading ---------------------------------------------------

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MONTH_DAY_RE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
RULE_FIELDS = (
    "key",
    "label",
    "description",
    "kind",
    "month",
    "day",
    "quarter_offset_days",
    "quarter_dates",
    "days",
    "event",
    "level",
    "case_type",
    "active",
)
#: Which optional fields each kind uses; the others are cleared on save.
KIND_FIELDS = {
    "fixed_yearly": ("month", "day"),
    "quarterly": ("quarter_offset_days", "quarter_dates"),
    "working_days_after": ("days", "event"),
    "calendar_days_after": ("days", "event"),
}


def _valid_month_day(month: Any, day: Any) -> bool:
    # A yearly date must exist every year: 29 February does not.
    try:
        date(2023, int(month), int(day))
    except (TypeError, ValueError):
        return False
    return True


def parse_quarter_dates(text: str | None) -> list[tuple[int, int]]:
    """ "03-31, 06-30, 09-30, 12-31" → [(3, 31), …]; raises DeadlineError if malformed."""
    parts = [p for p in re.split(r"[\s,;]+", (text or "").strip()) if p]
    if len(parts) != 4:
        raise DeadlineError(_("Quarterly dates must be four, in MM-DD format (one per quarter)."))
    result = []
    for part in parts:
        match = MONTH_DAY_RE.match(part)
        if not match or not _valid_month_day(match.group(1), match.group(2)):
            raise DeadlineError(_("Invalid quarterly date: «%(part)s» (use MM-DD, e.g. 04-15).", part=part))
        result.append((int(match.group(1)), int(match.group(2))))
    return result


def normalize_rule(spec: dict[str, Any], owner: str) -> dict[str, Any]:
    """A declared rule (YAML, hook or admin form) → column values, with its owner prefix and
    only the fields its kind uses. Validate the result with ``rule_problems``."""
    values: dict[str, Any] = {name: spec.get(name) for name in RULE_FIELDS}
    if "offset_days" in spec and values["quarter_offset_days"] is None:
        values["quarter_offset_days"] = spec["offset_days"]
    key = str(values["key"] or "").strip()
    if key and "." not in key:
        key = f"{owner}.{key}"
    values["key"] = key
    for name in ("label", "description", "event", "case_type"):
        value = values[name]
        values[name] = str(value).strip() if value not in (None, "") else None
    if isinstance(values["quarter_dates"], list | tuple):
        values["quarter_dates"] = ",".join(str(v) for v in values["quarter_dates"])
    if values["quarter_dates"]:
        parts = [p for p in re.split(r"[\s,;]+", str(values["quarter_dates"]).strip()) if p]
        values["quarter_dates"] = ",".join(
            f"{int(m.group(1)):02d}-{int(m.group(2)):02d}" if (m := MONTH_DAY_RE.match(p)) else p for p in parts
        )
    else:
        values["quarter_dates"] = None
    values["level"] = values["level"] or "all"
    values["active"] = True if values["active"] is None else bool(values["active"])
    kind = values["kind"]
    if kind in KIND_FIELDS:
        for other in ("month", "day", "quarter_offset_days", "quarter_dates", "days", "event"):
            if other not in KIND_FIELDS[kind]:
                values[other] = None
        if kind == "quarterly" and not values["quarter_dates"] and values["quarter_offset_days"] is None:
            values["quarter_offset_days"] = 0
        if kind == "quarterly" and values["quarter_dates"]:
            values["quarter_offset_days"] = None
    return values


def rule_problems(values: dict[str, Any], case_type_keys: Iterable[str] | None = None) -> list[str]:
    """Every problem of a normalized rule, in Spanish (empty: valid)."""
    problems = []
    key = values.get("key") or ""
    if not KEY_RE.match(key):
        problems.append(
            _(
                "Invalid key «%(key)s»: use lowercase letters, digits and _, with its owner's prefix (e.g. "
                "«institucionalizacion.envio_regional»).",
                key=key,
            )
        )
    elif len(key) > 120:
        problems.append(_("The key admits at most 120 characters."))
    if not values.get("label"):
        problems.append(_("Give the name of the deadline."))
    elif len(values["label"]) > 300:
        problems.append(_("The name of the deadline admits at most 300 characters."))
    kind = values.get("kind")
    if kind not in RULE_KINDS:
        problems.append(
            _(
                "Unknown deadline kind «%(kind)s»: use %(allowed)s.",
                kind=kind,
                allowed=", ".join(RULE_KINDS),
            )
        )
    if values.get("level") not in RULE_LEVELS:
        problems.append(
            _(
                "Unknown government level «%(level)s»: use %(allowed)s.",
                level=values.get("level"),
                allowed=", ".join(RULE_LEVELS),
            )
        )
    if kind == "fixed_yearly":
        month, day = values.get("month"), values.get("day")
        if month is None or day is None:
            problems.append(_("A yearly fixed-date deadline needs a month and a day."))
        elif not _valid_month_day(month, day):
            problems.append(
                _(
                    "The date %(day)s/%(month)s does not exist every year (month 1 to 12, a valid day of the month).",
                    day=day,
                    month=month,
                )
            )
    elif kind == "quarterly":
        if values.get("quarter_dates"):
            try:
                parse_quarter_dates(values["quarter_dates"])
            except DeadlineError as error:
                problems += error.reasons
        else:
            offset = values.get("quarter_offset_days")
            if not isinstance(offset, int) or not 0 <= offset <= 89:
                problems.append(_("The days after the end of each quarter must be between 0 and 89."))
    elif kind in EVENT_KINDS:
        days = values.get("days")
        if not isinstance(days, int) or not 1 <= days <= 3650:
            problems.append(_("A deadline counted from an event needs a number of days between 1 and 3650."))
        if not values.get("event"):
            problems.append(_("Give the event the deadline is counted from (e.g. «recepción del pedido»)."))
    if values.get("case_type") and case_type_keys is not None and values["case_type"] not in set(case_type_keys):
        problems.append(_("Unknown case type «%(case_type)s».", case_type=values["case_type"]))
    return problems


def _checksum(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def declared_rules(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """(owner, spec) of every declared rule: the core's file, then each enabled plugin's
    ``deadlines.yaml`` and ``deadline_rules`` hook, in dependency order."""
    from core import plugin_registry

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

    An invalid declaration stops the load with a message naming it (nothing half-loaded:
    the caller's transaction is rolled back).
    """
    from core.cases import case_types

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
            results[values["key"]] = "creada"
            continue
        if row.shipped_checksum == checksum and not (reset and row.edited):
            continue
        if row.edited and not reset:
            results[values["key"]] = "conservada (editada por un administrador)"
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.owner, row.edited = owner, False
            db.session.flush()
            refresh_rule_deadlines(row)
            results[values["key"]] = "actualizada"
        row.shipped_checksum = checksum
    db.session.flush()
    return results


def rule_by_key(key: str, owner: str | None = None) -> DeadlineRule | None:
    """A rule by its full key; a short key is looked up under ``owner`` (e.g. the workflow's
    plugin), then under ``core``: ``meets_deadline: regional_submission`` finds
    ``core.regional_submission`` unless the plugin declares its own."""
    candidates = [key]
    if "." not in key:
        candidates = ([f"{owner}.{key}"] if owner else []) + [f"core.{key}"]
    rows = {r.key: r for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.key.in_(candidates)))}
    return next((rows[k] for k in candidates if k in rows), None)


# --- calendars and due dates ---------------------------------------------------------------------


class Calendars:
    """Working calendars per region, built from one read of the non-working-day table."""

    def __init__(self, rows: Iterable[tuple[date, str, int | None]]) -> None:
        self._national: dict[date, str] = {}
        self._regional: dict[int, dict[date, str]] = defaultdict(dict)
        for day, name, region_id in rows:
            if region_id is None:
                self._national[day] = name
            else:
                self._regional[region_id][day] = name
        self._cache: dict[int | None, WorkingCalendar] = {}

    @classmethod
    def load(cls) -> Calendars:
        return cls(db.session.execute(select(NonWorkingDay.date, NonWorkingDay.name, NonWorkingDay.region_id)).all())

    def for_region(self, region_id: int | None) -> WorkingCalendar:
        """The calendar of the governments of a region (None: national days only)."""
        if region_id not in self._cache:
            extra = dict(self._national)
            if region_id is not None:
                extra.update(self._regional.get(region_id, {}))
            self._cache[region_id] = WorkingCalendar(extra)
        return self._cache[region_id]


def calendar_for(government: Government) -> WorkingCalendar:
    return Calendars.load().for_region(government.region_id)


def nominal_dates(rule: DeadlineRule, year: int) -> list[tuple[int, date]]:
    """(period, date before rolling to a working day) of a fixed-yearly or quarterly rule."""
    if rule.kind == "fixed_yearly":
        return [(0, date(year, int(rule.month), int(rule.day)))]
    if rule.kind == "quarterly":
        if rule.quarter_dates:
            result = []
            for q, (month, day) in enumerate(parse_quarter_dates(rule.quarter_dates), start=1):
                candidate = date(year, month, day)
                # A date before the quarter's end belongs to the next year (Q4 → "01-15").
                if candidate < date(year, *QUARTER_ENDS[q]):
                    candidate = date(year + 1, month, day)
                result.append((q, candidate))
            return result
        offset = timedelta(days=int(rule.quarter_offset_days or 0))
        return [(q, date(year, *QUARTER_ENDS[q]) + offset) for q in (1, 2, 3, 4)]
    raise DeadlineError(_("The rule «%(key)s» is counted from an event, not by year.", key=rule.key))


def due_date_for(
    rule: DeadlineRule, year: int, period: int, start_date: date | None, calendar: WorkingCalendar
) -> date:
    """The due date of one deadline under Ley N° 27444."""
    if rule.kind == "working_days_after":
        return calendar.add_working_days(start_date, int(rule.days))
    if rule.kind == "calendar_days_after":
        return calendar.add_calendar_days(start_date, int(rule.days))
    nominal = dict(nominal_dates(rule, year))[period]
    return calendar.roll_forward(nominal)


def deadline_label(rule: DeadlineRule, year: int, period: int) -> str:
    if rule.kind == "quarterly" and period:
        return f"{rule.label} ({QUARTER_NAMES[period]} {year})"[:300]
    return rule.label


# --- statuses ---------------------------------------------------------------------------------------

STATUS_LABELS = {
    "pending": "Pendiente",
    "due_soon": "Por vencer",
    "met": "Cumplido",
    "met_late": "Cumplido con retraso",
    "late": "Vencido",
}


def status_of(due: date, met_on: date | None, today: date, soon_days: int) -> str:
    """The status of a deadline — the same rules as ``status_expression``."""
    if met_on is not None:
        return "met" if met_on <= due else "met_late"
    if due < today:
        return "late"
    if due <= today + timedelta(days=soon_days):
        return "due_soon"
    return "pending"


def status_expression(today: date, soon_days: int) -> ColumnElement[str]:
    """The status as a SQL expression — the same rules as ``status_of``."""
    return case(
        (and_(Deadline.met_on.is_not(None), Deadline.met_on <= Deadline.due_date), "met"),
        (Deadline.met_on.is_not(None), "met_late"),
        (Deadline.due_date < today, "late"),
        (Deadline.due_date <= today + timedelta(days=soon_days), "due_soon"),
        else_="pending",
    )


def status_now(deadline: Deadline) -> str:
    return status_of(deadline.due_date, deadline.met_on, lima_today(), due_soon_days())


def status_css(status: str) -> str:
    """CSS classes of a status; met-late shows as late, and can be styled on its own."""
    return "status-late status-met_late" if status == "met_late" else f"status-{status}"


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Deadlines not met and past due."""
    return and_(Deadline.met_at.is_(None), Deadline.due_date < today)


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
        for period, nominal in nominal_dates(rule, year):
            label = deadline_label(rule, year, period)
            for gov_id, kind, region_id in gov_rows:
                if not binds(rule.level, kind) or (rule.id, gov_id, period) in existing:
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
    from core.database import writing

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


# --- events: workflow effects ---------------------------------------------------------------------


def _workflow_owner(case: Case) -> str | None:
    row = db.session.get(WorkflowDefinition, case.workflow_id)
    return row.owner if row else None


def _rule_for_effect(case: Case, key: Any) -> DeadlineRule | None:
    from core.workflow import WorkflowError

    if not isinstance(key, str) or not key:
        raise WorkflowError(_("Invalid deadline rule key: «%(key)s».", key=key))
    rule = rule_by_key(key, _workflow_owner(case))
    if rule is None:
        raise WorkflowError(_("The workflow uses the deadline rule «%(key)s», which does not exist.", key=key))
    if not rule.active:
        log.info("regla de plazo inactiva «%s»: efecto omitido", rule.key)
        return None
    return rule


def start_deadline(case: Case, rule: DeadlineRule, start: date) -> Deadline | None:
    """Start (or restart, while unmet) the case's deadline of an event rule on ``start``; None when
    the rule does not bind the case's government level."""
    if not binds(rule.level, case.government.kind):
        log.info("la regla «%s» no obliga a %s: efecto omitido", rule.key, case.government.name)
        return None
    if rule.kind not in EVENT_KINDS:
        raise DeadlineError(
            _(
                "The rule «%(label)s» has a fixed date: it does not start with an event.",
                label=rule.label,
            )
        )
    if rule.case_type and rule.case_type != case.type:
        raise DeadlineError(
            _(
                "The rule «%(label)s» belongs to another case type («%(case_type)s»).",
                label=rule.label,
                case_type=rule.case_type,
            )
        )
    deadline = db.session.scalar(
        select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == case.id, Deadline.period == 0)
    )
    due = due_date_for(rule, case.year, 0, start, calendar_for(case.government))
    if deadline is None:
        deadline = Deadline(
            rule=rule,
            government_id=case.government_id,
            year=case.year,
            case_id=case.id,
            period=0,
            label=rule.label,
        )
        db.session.add(deadline)
    elif deadline.met_at is not None:
        return deadline  # met: a later event does not reopen it
    deadline.start_date, deadline.due_date = start, due
    db.session.flush()
    return deadline


def meet_deadline(case: Case, rule: DeadlineRule, user: Any, at: datetime | None = None) -> list[Deadline]:
    """Mark met, at ``at`` by ``user`` through ``case``: the case's own deadline (event rules), or its
    government's deadline of the case's year (fixed: that one; quarterly: the earliest unmet quarter).
    A deadline already met keeps its first fulfilment."""
    at = at or utcnow()
    if rule.kind not in EVENT_KINDS:
        return meet_government_deadline(case.government, case.year, rule, user, at, case_id=case.id)
    candidates = db.session.scalars(
        select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == case.id, Deadline.met_at.is_(None))
    ).all()
    return _mark_met(candidates, user, at, case.id)


def meet_government_deadline(
    government: Government,
    year: int,
    rule: DeadlineRule,
    user: Any,
    at: datetime | None = None,
    case_id: int | None = None,
) -> list[Deadline]:
    """Mark met the government's deadline of a fixed or quarterly rule for ``year`` (quarterly: the
    earliest unmet quarter) — what a transition or a submission does. Returns the deadlines marked."""
    at = at or utcnow()
    if not binds(rule.level, government.kind):
        log.info("la regla «%s» no obliga a %s: efecto omitido", rule.key, government.name)
        return []
    _insert_ignoring_duplicates(missing_deadlines(year, [government.id], [rule]))
    candidates = db.session.scalars(
        select(Deadline)
        .where(
            Deadline.rule_id == rule.id,
            Deadline.government_id == government.id,
            Deadline.year == year,
            Deadline.case_id.is_(None),
            Deadline.met_at.is_(None),
        )
        .order_by(Deadline.period)
        .limit(1)
    ).all()
    return _mark_met(candidates, user, at, case_id)


def government_deadline(government: Government, year: int, rule: DeadlineRule) -> Deadline | None:
    """The government's (first) deadline of a fixed or quarterly rule in ``year``, created if missing."""
    if not binds(rule.level, government.kind):
        return None
    _insert_ignoring_duplicates(missing_deadlines(year, [government.id], [rule]))
    return db.session.scalar(
        select(Deadline)
        .where(
            Deadline.rule_id == rule.id,
            Deadline.government_id == government.id,
            Deadline.year == year,
            Deadline.case_id.is_(None),
        )
        .order_by(Deadline.met_at.is_not(None), Deadline.period)
        .limit(1)
    )


def _mark_met(candidates: Sequence[Deadline], user: Any, at: datetime, case_id: int | None) -> list[Deadline]:
    for deadline in candidates:
        deadline.met_at, deadline.met_on = at, lima_date(at)
        deadline.met_by_id = getattr(user, "id", None)
        deadline.met_case_id = case_id
    db.session.flush()
    return list(candidates)


def _keys(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _effect_starts(case: Case, transition: Any, user: Any, value: Any) -> None:
    from core.workflow import WorkflowError

    start = lima_date(utcnow())
    for key in _keys(value):
        rule = _rule_for_effect(case, key)
        if rule is not None:
            try:
                start_deadline(case, rule, start)
            except DeadlineError as error:
                raise WorkflowError(error.reasons) from error


def _effect_meets(case: Case, transition: Any, user: Any, value: Any) -> None:
    at = utcnow()
    for key in _keys(value):
        rule = _rule_for_effect(case, key)
        if rule is not None:
            meet_deadline(case, rule, user, at)


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
    rows = db.session.execute(select(Deadline.id, Deadline.year, Deadline.period).where(Deadline.rule_id == rule.id))
    labels = [{"id": i, "label": deadline_label(rule, y, p)} for i, y, p in rows]
    if labels:
        db.session.execute(update(Deadline), labels)
    if rule.kind in CALENDAR_KINDS or rule.kind in EVENT_KINDS:
        return recompute_due_dates(rule_ids=[rule.id])
    return 0


# --- reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderItem:
    """One reminder to send, as plain values (they outlive the per-recipient commits)."""

    deadline_id: int
    label: str
    government: str
    due_date: date
    link: str
    kind: str  # due_soon | late


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str


@dataclass
class RemindResult:
    email: int = 0
    in_app: int = 0
    failures: list[str] = field(default_factory=list)


def base_url() -> str:
    return (current_app.config.get("BASE_URL") or "").rstrip("/")


def deadline_link(deadline: Deadline) -> str:
    """Where a reminder points: the case, or the government's deadlines of that year."""
    if deadline.case_id:
        return f"/expedientes/{deadline.case_id}"
    return f"/plazos/?view=government&government={deadline.government_id}&year={deadline.year}"


def reminder_text(item: ReminderItem, today: date) -> str:
    """One line of a reminder, in Spanish."""
    from core.formatting import long_date

    due = long_date(item.due_date)
    if item.kind == "late":
        return f"El plazo «{item.label}» de {item.government} venció el {due} y no figura como cumplido."
    days = (item.due_date - today).days
    when = "hoy" if days == 0 else ("mañana" if days == 1 else f"en {days} días")
    return f"El plazo «{item.label}» de {item.government} vence {when}, el {due}."


def pending_reminders(today: date) -> dict[int, tuple[Recipient, list[ReminderItem]]]:
    """Reminders not sent yet, by user: unmet deadlines due soon or late (since last year), for the
    active teams and coordinators of each deadline's government."""
    soon = today + timedelta(days=due_soon_days())
    deadlines = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            DeadlineRule.active.is_(True),
            Deadline.met_at.is_(None),
            Deadline.due_date <= soon,
            Deadline.due_date >= date(today.year - 1, 1, 1),
        )
        .options(joinedload(Deadline.government))
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    if not deadlines:
        return {}
    gov_ids = {d.government_id for d in deadlines}
    members: dict[int, list[Recipient]] = defaultdict(list)
    for gov_id, user_id, address, name in db.session.execute(
        select(Membership.government_id, User.id, User.email, User.name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.government_id.in_(gov_ids), Membership.role.in_(REMINDED_ROLES), User.active.is_(True))
        .order_by(User.id)
    ):
        recipient = Recipient(user_id, address, name)
        if recipient not in members[gov_id]:  # a team member who is also coordinator: once
            members[gov_id].append(recipient)
    sent = set(
        db.session.execute(
            select(Reminder.deadline_id, Reminder.user_id, Reminder.kind).where(
                Reminder.deadline_id.in_([d.id for d in deadlines])
            )
        ).all()
    )
    by_user: dict[int, tuple[Recipient, list[ReminderItem]]] = {}
    for d in deadlines:
        kind = "late" if d.due_date < today else "due_soon"
        item = ReminderItem(d.id, d.label, d.government.name, d.due_date, deadline_link(d), kind)
        for user in members.get(d.government_id, []):
            if (d.id, user.id, kind) not in sent:
                by_user.setdefault(user.id, (user, []))[1].append(item)
    return by_user


class Mailer:
    """One SMTP connection for a run of reminders (smtplib; TLS and login when configured)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        timeout = float(c.get("MAIL_TIMEOUT") or 30)
        if c.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(c["MAIL_SERVER"], int(c.get("MAIL_PORT") or 465), timeout=timeout)
        else:
            smtp = smtplib.SMTP(c["MAIL_SERVER"], int(c.get("MAIL_PORT") or 25), timeout=timeout)
            if c.get("MAIL_USE_TLS"):
                smtp.starttls()
        if c.get("MAIL_USERNAME"):
            smtp.login(c["MAIL_USERNAME"], c.get("MAIL_PASSWORD") or "")
        return smtp

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.config.get("MAIL_FROM") or SETTINGS["MAIL_FROM"]
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="articula")
        message.set_content(body)
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                pass
            self._smtp = None


def reminder_email(user: Recipient, items: list[ReminderItem], today: date) -> tuple[str, str]:
    """(subject, body) of one user's digest, in Spanish."""
    late = sum(1 for i in items if i.kind == "late")
    soon = len(items) - late
    parts = []
    if late:
        parts.append(f"{late} vencido{'s' if late > 1 else ''}")
    if soon:
        parts.append(f"{soon} por vencer")
    subject = f"[Articula] Plazos: {' y '.join(parts)}"
    lines = [
        f"Estimado(a) {user.name}:",
        "",
        "Le recordamos los siguientes plazos de la Estrategia Nacional CRECER:",
        "",
    ]
    for item in items:
        lines.append(f"- {reminder_text(item, today)}")
        lines.append(f"  {base_url()}{item.link}")
    lines += [
        "",
        f"Puede revisar todos sus plazos en {base_url()}/plazos/",
        "",
        "Este es un mensaje automático de Articula; se envía una sola vez por plazo.",
    ]
    return subject, "\n".join(lines) + "\n"


def send_reminders(today: date | None = None) -> RemindResult:
    """Send every pending reminder once: generate this year's deadlines, then per user record the
    reminders and deliver them (e-mail if MAIL_SERVER is set, else in-app), one transaction per
    user. The Reminder rows are written before the e-mail is sent and committed after, so a
    concurrent run blocks on them (unique per deadline, user and kind) instead of sending twice."""
    today = today or lima_today()
    generate_deadlines(today.year)
    db.session.commit()
    config = current_app.config
    channel = "email" if config.get("MAIL_SERVER") else "in_app"
    mailer = Mailer(config) if channel == "email" else None
    result = RemindResult()
    try:
        for _user_id, (user, items) in pending_reminders(today).items():
            try:
                now = utcnow()
                for item in items:
                    db.session.add(
                        Reminder(
                            deadline_id=item.deadline_id, user_id=user.id, kind=item.kind, channel=channel, sent_at=now
                        )
                    )
                    if channel == "in_app":
                        db.session.add(
                            Notification(
                                user_id=user.id,
                                message=reminder_text(item, today),
                                link=item.link,
                                created_at=now,
                            )
                        )
                db.session.flush()
                if mailer is not None:
                    subject, body = reminder_email(user, items, today)
                    mailer.send(user.email, subject, body)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — one failed recipient does not stop the others
                db.session.rollback()
                result.failures.append(f"{user.email}: {error}")
                log.warning("recordatorio no enviado a %s: %s", user.email, error)
                if mailer is not None:
                    mailer.close()
                continue
            if channel == "email":
                result.email += len(items)
            else:
                result.in_app += len(items)
    finally:
        if mailer is not None:
            mailer.close()
    return result


# --- iCalendar feed ------------------------------------------------------------------------------


def issue_feed_token(user: User) -> str:
    """Create or replace the user's feed token; the plain value is returned once, stored hashed."""
    plain = "cal_" + secrets.token_urlsafe(32)
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))
    if row is None:
        row = CalendarFeedToken(user_id=user.id)
        db.session.add(row)
    row.prefix, row.token_hash, row.created_at, row.last_used_at = plain[:12], hash_token(plain), utcnow(), None
    return plain


def user_for_feed_token(plain: str) -> User | None:
    """The owner of a feed token (None: unknown, replaced, or the user is deactivated)."""
    from core.database import writing

    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token_hash == hash_token(plain)))
    if row is None or not row.user.is_active:
        return None
    now = utcnow()
    # Calendar clients poll often: record the use at most hourly, so a feed read rarely writes.
    if row.last_used_at is None or now - row.last_used_at > timedelta(hours=1):
        user_id = row.user_id
        db.session.commit()
        with writing():
            db.session.execute(update(CalendarFeedToken).where(CalendarFeedToken.id == row.id).values(last_used_at=now))
            db.session.commit()
        return db.session.get(User, user_id)
    return row.user


def feed_government_clause(scope: Any) -> ColumnElement[bool]:
    """Whose deadlines a personal calendar carries: the governments of the user's memberships;
    for a user with a national role and no government, every regional government's. Always
    within the user's readable scope (core.security)."""
    from core.security import readable_clause

    if scope.direct:
        mine = Deadline.government_id.in_(scope.direct)
    elif scope.everything:
        mine = Deadline.government_id.in_(select(Government.id).where(Government.kind == "regional"))
    else:
        mine = Deadline.government_id.in_([])
    return and_(mine, readable_clause(scope, Deadline.government_id))


def feed_ics(user: User, url_root: str) -> bytes:
    """The user's deadlines (last, this and next year) as an RFC 5545 calendar."""
    from icalendar import Alarm, Calendar, Event

    from core.security import scope_for

    scope = scope_for(user)
    today = lima_today()
    if scope.direct or scope.everything:
        ids = (
            list(scope.direct)
            if scope.direct
            else list(db.session.scalars(select(Government.id).where(Government.kind == "regional")))
        )
        for year in (today.year, today.year + 1):  # next year's too: calendars look ahead
            ensure_deadlines(year, ids)
    deadlines = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            feed_government_clause(scope),
            DeadlineRule.active.is_(True),
            Deadline.year.between(today.year - 1, today.year + 1),
        )
        .options(joinedload(Deadline.government), joinedload(Deadline.case))
        .order_by(Deadline.due_date, Deadline.id)
        .limit(5000)
    ).all()
    soon = due_soon_days()
    host = re.sub(r"^https?://", "", url_root).split("/")[0] or "articula"
    calendar = Calendar()
    calendar.add("prodid", "-//Articula//Plazos EN CRECER//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Plazos — Articula")
    calendar.add("x-wr-timezone", "America/Lima")
    stamp = datetime.now(UTC)
    for d in deadlines:
        status = status_of(d.due_date, d.met_on, today, soon)
        event = Event()
        event.add("uid", f"plazo-{d.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due_date)
        event.add("dtend", d.due_date + timedelta(days=1))
        event.add("summary", f"{d.label} — {d.government.name}")
        description = [f"Estado: {STATUS_LABELS[status]}."]
        if d.case is not None:
            description.append(f"Expediente: {d.case.reference}.")
        event.add("description", " ".join(description))
        event.add("url", url_root.rstrip("/") + deadline_link(d))
        event.add("categories", ["Plazos EN CRECER"])
        event.add("transp", "TRANSPARENT")
        if status not in ("met", "met_late"):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Vence: {d.label} — {d.government.name}")
            alarm.add("trigger", timedelta(days=-soon))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


# --- command line ----------------------------------------------------------------------------------


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(_("use the format YYYY-MM-DD")) from error


@click.group("deadlines")
def deadlines_cli() -> None:
    """Plazos: generación anual, recordatorios (para cron) y recálculo."""


@deadlines_cli.command("generate")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="Año (por defecto, el actual).")
@with_appcontext
def generate_command(year: int | None) -> None:
    """Crea los plazos de fecha fija y trimestrales del año para cada gobierno (idempotente)."""
    from core.database import writing

    year = year or lima_today().year
    with writing():
        created = generate_deadlines(year)
        db.session.commit()
    total = db.session.scalar(select(func.count(Deadline.id)).where(Deadline.year == year, Deadline.case_id.is_(None)))
    click.echo(
        _("Deadlines %(year)s: %(created)s created; %(total)s in total.", year=year, created=created, total=total)
    )


@deadlines_cli.command("remind")
@click.option("--today", "today_text", default=None, help="Fecha de referencia AAAA-MM-DD (por defecto, hoy en Lima).")
@with_appcontext
def remind_command(today_text: str | None) -> None:
    """Envía los recordatorios pendientes (por vencer y vencidos); cada uno una sola vez."""
    from core.database import writing

    today = _parse_day(today_text) or lima_today()
    with writing():
        result = send_reminders(today)
    click.echo(
        _(
            "Reminders on %(day)s: %(email)s by e-mail, %(in_app)s in the application%(failed)s",
            day=today.isoformat(),
            email=result.email,
            in_app=result.in_app,
            failed=_(", %(count)s recipients with errors.", count=len(result.failures)) if result.failures else ".",
        )
    )
    for failure in result.failures:
        click.echo(f"  error: {failure}", err=True)
    if result.failures:
        raise SystemExit(1)


@deadlines_cli.command("recompute")
@with_appcontext
def recompute_command() -> None:
    """Recalcula las fechas de vencimiento de los plazos no cumplidos (tras editar el calendario)."""
    from core.database import writing

    with writing():
        changed = recompute_due_dates()
        db.session.commit()
    click.echo(_("%(num)s due dates recomputed.", num=changed))


# --- wiring ---------------------------------------------------------------------------------------


def inbox_overdue_filter(query: Any, value: str) -> Any:
    """Inbox ``?overdue=1``: cases with a late, unmet deadline — their own, or their government's
    deadline of the case's year when the rule is bound to the case's type."""
    if value in ("", "0"):
        return query
    today = lima_today()
    own = select(Deadline.id).where(Deadline.case_id == Case.id, overdue_clause(today)).correlate(Case)
    bound = (
        select(Deadline.id)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            Deadline.case_id.is_(None),
            Deadline.government_id == Case.government_id,
            Deadline.year == Case.year,
            DeadlineRule.case_type == Case.type,
            DeadlineRule.active.is_(True),
            overdue_clause(today),
        )
        .correlate(Case)
    )
    return query.where(or_(own.exists(), bound.exists()))


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    from core.web.deadlines import dashboard_widget

    return [dashboard_widget(user)]


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
    from core.panels import INBOX_FILTERS
    from core.web import deadlines as web
    from core.workflow import register_effect

    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(web.bp)
    web.register_panels()
    app.cli.add_command(deadlines_cli)
    register_effect("starts_deadline", _effect_starts)
    register_effect("meets_deadline", _effect_meets)
    INBOX_FILTERS["overdue"] = inbox_overdue_filter


def register_api(api: Any) -> None:
    from core.web.deadlines import register_api as register

    register(api)


def register_admin(admin: Any) -> None:
    from core.web.deadlines import register_admin as register

    register(admin)
