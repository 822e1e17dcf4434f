"""Deadlines, a built-in subsystem shaped like a plugin: rules, due dates, statuses, reminders, iCalendar.

- **Rules** come from ``deadlines.yaml`` (this folder), each enabled plugin's ``deadlines.yaml``
  and the ``deadline_rules`` hook; they are loaded with the seed data (upsert by key; a rule an
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

Files (domain first; a domain module never imports the pages, API or admin):

- ``models.py``      rules, deadlines, non-working days, reminders, notifications, feed tokens
- ``settings.py``    settings and defaults, ``DeadlineError``, Lima dates
- ``workdays.py``    Peru's working-day calendar (holidays, decreed days off); no database
- ``due_dates.py``   calendars per region from the non-working-day table, due dates of a rule
- ``rules.py``       rule validation, finding a rule by key, labels of kinds and levels
- ``loading.py``     loading the declared rules (core, plugins' ``deadlines.yaml``, hook) by key
- ``status.py``      statuses in Python and SQL, a case's deadlines, the inbox's overdue filter
- ``generation.py``  bulk, idempotent generation; recomputing due dates
- ``events.py``      workflow effects ``starts_deadline`` / ``meets_deadline``
- ``reminders.py``   reminders by e-mail or in the application
- ``ical.py``        the secret iCalendar feed
- ``pages.py``  ``panels.py``  ``api.py``  ``admin.py``  ``cli.py``   the adapters
- ``deadlines.yaml`` the core's own rules

This module is the subsystem's built-in plugin (``core.plugins.BUILTIN_PLUGINS``): its hook
implementations (``init_app``, ``register_blueprints``, ``cli_commands``, ``register_api``,
``register_admin_views``, ``dashboard_widgets``) wire it into each app. It also re-exports the
domain API, so ``from core.deadlines import …`` keeps working for plugins; inside ``core/``, import
the submodule instead (this root imports the pages, API and admin).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.deadlines import admin as _admin
from core.deadlines import api as _api
from core.deadlines import pages as _pages
from core.deadlines import panels as _panels
from core.deadlines.cli import deadlines_cli
from core.deadlines.due_dates import Calendars, calendar_for, deadline_label, due_date_for, nominal_dates
from core.deadlines.events import effect_meets as _effect_meets
from core.deadlines.events import effect_starts as _effect_starts
from core.deadlines.events import (
    government_deadline,
    meet_deadline,
    meet_government_deadline,
    start_deadline,
)
from core.deadlines.generation import (
    ALL_REGIONS,
    binds,
    ensure_deadlines,
    generate_deadlines,
    missing_deadlines,
    recompute_due_dates,
    refresh_rule_deadlines,
)
from core.deadlines.ical import feed_government_clause, feed_ics, issue_feed_token, user_for_feed_token
from core.deadlines.loading import declared_rules, load_rules
from core.deadlines.reminders import (
    Mailer,
    Recipient,
    ReminderItem,
    RemindResult,
    base_url,
    deadline_link,
    pending_reminders,
    reminder_email,
    reminder_text,
    send_reminders,
)
from core.deadlines.rules import (
    KIND_UI,
    LEVEL_UI,
    RULE_FIELDS,
    normalize_rule,
    parse_quarter_dates,
    rule_by_key,
    rule_problems,
)
from core.deadlines.settings import (
    LIMA,
    QUARTER_ENDS,
    QUARTER_NAMES,
    REMINDED_ROLES,
    SETTINGS,
    DeadlineError,
    due_soon_days,
    lima_date,
    lima_today,
)
from core.deadlines.status import (
    STATUS_LABELS,
    STATUS_UI,
    case_deadlines_query,
    inbox_overdue_filter,
    overdue_clause,
    status_counts,
    status_css,
    status_expression,
    status_now,
    status_of,
)
from core.deadlines.workdays import DEFAULT_NON_WORKING_NAME, WorkingCalendar
from core.hookspecs import hookimpl
from core.panels import register_inbox_filter
from core.workflow import register_effect


@hookimpl
def init_app(app: Flask) -> None:
    """Per-app wiring: settings, workflow effects, the case and cycle panels, the inbox's overdue filter."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    _panels.register_panels()
    register_effect("starts_deadline", _effect_starts)
    register_effect("meets_deadline", _effect_meets)
    register_inbox_filter("overdue", inbox_overdue_filter)


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)


@hookimpl
def cli_commands() -> list[Any]:
    return [deadlines_cli]


@hookimpl
def register_api(api: Any) -> None:
    _api.register_api(api)


@hookimpl
def register_admin_views(admin: Any, app: Flask) -> None:
    _admin.register_admin(admin)


@hookimpl
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    return [_panels.dashboard_widget(user)]


__all__ = [
    "ALL_REGIONS",
    "Calendars",
    "DEFAULT_NON_WORKING_NAME",
    "DeadlineError",
    "KIND_UI",
    "LEVEL_UI",
    "LIMA",
    "Mailer",
    "QUARTER_ENDS",
    "QUARTER_NAMES",
    "REMINDED_ROLES",
    "RULE_FIELDS",
    "Recipient",
    "RemindResult",
    "ReminderItem",
    "SETTINGS",
    "STATUS_LABELS",
    "STATUS_UI",
    "WorkingCalendar",
    "base_url",
    "binds",
    "calendar_for",
    "case_deadlines_query",
    "deadline_label",
    "deadline_link",
    "declared_rules",
    "due_date_for",
    "due_soon_days",
    "ensure_deadlines",
    "feed_government_clause",
    "feed_ics",
    "generate_deadlines",
    "government_deadline",
    "inbox_overdue_filter",
    "issue_feed_token",
    "lima_date",
    "lima_today",
    "load_rules",
    "meet_deadline",
    "meet_government_deadline",
    "missing_deadlines",
    "nominal_dates",
    "normalize_rule",
    "overdue_clause",
    "parse_quarter_dates",
    "pending_reminders",
    "recompute_due_dates",
    "refresh_rule_deadlines",
    "reminder_email",
    "reminder_text",
    "rule_by_key",
    "rule_problems",
    "send_reminders",
    "start_deadline",
    "status_counts",
    "status_css",
    "status_expression",
    "status_now",
    "status_of",
    "user_for_feed_token",
]
