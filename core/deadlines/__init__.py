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
- ``due_dates.py``   calendars per region (``core.calendar`` + the non-working-day table), due dates
- ``rules.py``       rule validation, finding a rule by key, labels of kinds and levels
- ``loading.py``     loading the declared rules (core, plugins' ``deadlines.yaml``, hook) by key
- ``status.py``      statuses in Python and SQL, a case's deadlines, the inbox's overdue filter
- ``generation.py``  bulk, idempotent generation; recomputing due dates
- ``events.py``      workflow effects ``starts_deadline`` / ``meets_deadline``
- ``reminders.py``   reminders by e-mail or in the application
- ``ical.py``        the secret iCalendar feed
- ``pages.py``  ``panels.py``  ``api.py``  ``admin.py``  ``cli.py``   the adapters; ``plugin.py`` the hooks
- ``deadlines.yaml`` the core's own rules

``plugin.py`` holds the hook implementations of this built-in plugin (``core.plugins.BUILTIN_PLUGINS``:
``init_app``, ``register_blueprints``, ``cli_commands``, ``register_api``, ``register_admin_views``,
``dashboard_widgets``). This root only re-exports the domain API, lazily, by name on first use
(PEP 562), so ``from core.deadlines import …`` keeps working for plugins and importing a domain module
never loads the pages, API or admin. Inside ``core/``, import the submodule instead.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the module that defines it.
_EXPORTS = {
    "ALL_REGIONS": "core.deadlines.generation",
    "base_url": "core.deadlines.reminders",
    "binds": "core.deadlines.generation",
    "calendar_for": "core.deadlines.due_dates",
    "Calendars": "core.deadlines.due_dates",
    "case_deadlines_query": "core.deadlines.status",
    "deadline_label": "core.deadlines.due_dates",
    "deadline_link": "core.deadlines.reminders",
    "DEFAULT_NON_WORKING_NAME": "core.calendar",
    "DeadlineError": "core.deadlines.settings",
    "declared_rules": "core.deadlines.loading",
    "due_date_for": "core.deadlines.due_dates",
    "due_soon_days": "core.deadlines.settings",
    "ensure_deadlines": "core.deadlines.generation",
    "feed_government_clause": "core.deadlines.ical",
    "feed_ics": "core.deadlines.ical",
    "generate_deadlines": "core.deadlines.generation",
    "government_deadline": "core.deadlines.events",
    "inbox_overdue_filter": "core.deadlines.status",
    "issue_feed_token": "core.deadlines.ical",
    "KIND_UI": "core.deadlines.rules",
    "LEVEL_UI": "core.deadlines.rules",
    "LIMA": "core.deadlines.settings",
    "lima_date": "core.deadlines.settings",
    "lima_today": "core.deadlines.settings",
    "load_rules": "core.deadlines.loading",
    "Mailer": "core.deadlines.reminders",
    "meet_deadline": "core.deadlines.events",
    "meet_government_deadline": "core.deadlines.events",
    "missing_deadlines": "core.deadlines.generation",
    "nominal_dates": "core.deadlines.due_dates",
    "reader_label": "core.deadlines.due_dates",
    "rule_reader_label": "core.deadlines.due_dates",
    "normalize_rule": "core.deadlines.rules",
    "overdue_clause": "core.deadlines.status",
    "parse_quarter_dates": "core.deadlines.rules",
    "pending_reminders": "core.deadlines.reminders",
    "QUARTER_ENDS": "core.deadlines.settings",
    "QUARTER_NAMES": "core.deadlines.settings",
    "Recipient": "core.deadlines.reminders",
    "recompute_due_dates": "core.deadlines.generation",
    "refresh_rule_deadlines": "core.deadlines.generation",
    "REMINDED_ROLES": "core.deadlines.settings",
    "reminder_email": "core.deadlines.reminders",
    "reminder_text": "core.deadlines.reminders",
    "ReminderItem": "core.deadlines.reminders",
    "RemindResult": "core.deadlines.reminders",
    "rule_by_key": "core.deadlines.rules",
    "RULE_FIELDS": "core.deadlines.rules",
    "rule_problems": "core.deadlines.rules",
    "send_reminders": "core.deadlines.reminders",
    "set_label": "core.deadlines.due_dates",
    "SETTINGS": "core.deadlines.settings",
    "start_deadline": "core.deadlines.events",
    "status_counts": "core.deadlines.status",
    "status_css": "core.deadlines.status",
    "status_expression": "core.deadlines.status",
    "STATUS_LABELS": "core.deadlines.status",
    "status_now": "core.deadlines.status",
    "status_of": "core.deadlines.status",
    "STATUS_UI": "core.deadlines.status",
    "user_for_feed_token": "core.deadlines.ical",
    "WorkingCalendar": "core.calendar",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
