"""Deadlines: settings and their defaults, the error type, and Peru's date (deadlines are Lima dates)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

log = logging.getLogger(__name__)

CORE_RULES_FILE = Path(__file__).resolve().parent / "deadlines.yaml"
RULES_FILE = "deadlines.yaml"
LIMA = ZoneInfo("America/Lima")
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
QUARTER_NAMES = {1: "primer trimestre", 2: "segundo trimestre", 3: "tercer trimestre", 4: "cuarto trimestre"}
#: The same for a rule's English label (``label_en``).
QUARTER_NAMES_EN = {1: "first quarter", 2: "second quarter", 3: "third quarter", 4: "fourth quarter"}
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
