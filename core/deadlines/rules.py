"""Deadline rules: validation of a declaration, finding a rule by key, and the labels of kinds and levels."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.deadlines.models import EVENT_KINDS, RULE_KINDS, RULE_LEVELS, DeadlineRule
from core.deadlines.settings import DeadlineError
from core.extensions import db

# --- rules: validation and lookup ------- ---------------------------------------------------

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MONTH_DAY_RE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
RULE_FIELDS = (
    "key",
    "label",
    "label_en",
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
    # ``days`` on a quarterly rule: working days after each quarter's end (instead of calendar days)
    "quarterly": ("quarter_offset_days", "quarter_dates", "days"),
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
    for name in ("label", "label_en", "description", "event", "case_type"):
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
            values["quarter_offset_days"] = values["days"] = None
        if kind == "quarterly" and values["days"] is not None:
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
    if len(values.get("label_en") or "") > 300:
        problems.append(_("The English name of the deadline admits at most 300 characters."))
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
        elif values.get("days") is not None:
            if not isinstance(values["days"], int) or not 1 <= values["days"] <= 60:
                problems.append(_("The working days after the end of each quarter must be between 1 and 60."))
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


def rule_by_key(key: str, owner: str | None = None) -> DeadlineRule | None:
    """A rule by its full key; a short key is looked up under ``owner`` (e.g. the workflow's
    plugin), then under ``core``: ``meets_deadline: regional_submission`` finds
    ``core.regional_submission`` unless the plugin declares its own."""
    candidates = [key]
    if "." not in key:
        candidates = ([f"{owner}.{key}"] if owner else []) + [f"core.{key}"]
    rows = {r.key: r for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.key.in_(candidates)))}
    return next((rows[k] for k in candidates if k in rows), None)


KIND_UI = {
    "fixed_yearly": _l("Fixed date every year"),
    "quarterly": _l("Every quarter"),
    "working_days_after": _l("Working days after an event"),
    "calendar_days_after": _l("Calendar days after an event"),
}
LEVEL_UI = {
    "regional": _l("Regional governments"),
    "local": _l("Local governments (provincial and district)"),
    "provincial": _l("Provincial municipalities"),
    "district": _l("District municipalities"),
    "all": _l("Every government"),
}
