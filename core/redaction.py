"""Secrets that travel in URLs never reach the logs: the personal calendar address carries its token
in the path (``/plazos/<token>.ics``), and access logs (Werkzeug's, gunicorn's) print every path."""

from __future__ import annotations

import logging
import re

#: A calendar feed path; the token is replaced, the rest of the line kept for diagnosis.
CALENDAR_PATH = re.compile(r"(/plazos/)[^/\s?#\"']+(\.ics)")
REDACTED = "[oculto]"
#: The loggers that print request lines.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "core")  # "core": the app's own logger


def redact(text: str) -> str:
    """``text`` with every calendar token replaced by a placeholder."""
    return CALENDAR_PATH.sub(rf"\g<1>{REDACTED}\g<2>", text)


class RedactSecrets(logging.Filter):
    """Rewrites a log record whose message carries a secret (the message is formatted once, here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_FILTER = RedactSecrets()


def install() -> None:
    """Attach the filter to the access loggers (idempotent: one filter object, added once)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
