"""The secret iCalendar feed of a user's deadlines: its token and the .ics body."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select, update
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.sql import ColumnElement

from core.database import writing
from core.deadlines.due_dates import reader_label
from core.deadlines.generation import ensure_deadlines
from core.deadlines.models import CalendarFeedToken, Deadline, DeadlineRule
from core.deadlines.reminders import deadline_link
from core.deadlines.settings import due_soon_days, lima_today
from core.deadlines.status import STATUS_UI, status_of
from core.extensions import db
from core.i18n import recipient_locale
from core.models import Government, User
from core.models.user import hash_token, utcnow
from core.security import readable_clause, scope_for

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
    if scope.direct:
        mine = Deadline.government_id.in_(scope.direct)
    elif scope.everything:
        mine = Deadline.government_id.in_(select(Government.id).where(Government.kind == "regional"))
    else:
        mine = Deadline.government_id.in_([])
    return and_(mine, readable_clause(scope, Deadline.government_id))


def feed_ics(user: User, url_root: str) -> bytes:
    """The user's deadlines (last, this and next year) as an RFC 5545 calendar, in the user's language
    (the feed is fetched by a calendar client, without a session)."""
    with force_locale(recipient_locale(user.locale)):
        return _feed_ics(user, url_root)


def _feed_ics(user: User, url_root: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

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
        .options(joinedload(Deadline.government), joinedload(Deadline.case), contains_eager(Deadline.rule))
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
    calendar.add("x-wr-calname", _("Deadlines — Articula"))
    calendar.add("x-wr-timezone", "America/Lima")
    stamp = datetime.now(UTC)
    for d in deadlines:
        status = status_of(d.due_date, d.met_on, today, soon)
        event = Event()
        event.add("uid", f"plazo-{d.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due_date)
        event.add("dtend", d.due_date + timedelta(days=1))
        label = reader_label(d)
        event.add("summary", f"{label} — {d.government.name}")
        description = [_("Status: %(status)s.", status=STATUS_UI[status])]
        if d.case is not None:
            description.append(_("Case: %(reference)s.", reference=d.case.reference))
        event.add("description", " ".join(description))
        event.add("url", url_root.rstrip("/") + deadline_link(d))
        event.add("categories", [_("EN CRECER deadlines")])
        event.add("transp", "TRANSPARENT")
        if status not in ("met", "met_late"):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _("Due: %(label)s — %(government)s", label=label, government=d.government.name))
            alarm.add("trigger", timedelta(days=-soon))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
