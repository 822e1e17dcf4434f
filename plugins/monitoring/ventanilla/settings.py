"""Settings of the Ventanilla CRECER (app config keys, each with its default here): response times per kind in
working days, the emergency term (DS 6), the recurrence rule, anti-abuse limits and the retention of personal
data."""

from __future__ import annotations

from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    # working days to answer, counted from the working day after registration or referral (Ley N° 27444)
    "VENTANILLA_DUE_DAYS": {"consulta": 7, "opinion": 15, "pedido": 10, "sugerencia": 15},
    "VENTANILLA_EMERGENCY_DAYS": 1,
    # recurrence: this many entries (this one included) about the same program or sector in the same
    # district within the window make them all recurrent
    "VENTANILLA_RECURRENCE_COUNT": 3,
    "VENTANILLA_RECURRENCE_DAYS": 90,
    # anti-abuse, per sender address
    "VENTANILLA_SUBMISSIONS_PER_HOUR": 5,
    # tracking lookups with a code that matches nothing (a guessed or mistyped code) before a 429
    "VENTANILLA_LOOKUP_MISSES_PER_HOUR": 20,
    "VENTANILLA_DESCRIPTION_MAX": 5000,
    "VENTANILLA_MAX_ATTACHMENTS": 3,
    # personal data of closed entries is erased after this many months (0: kept)
    "VENTANILLA_RETENTION_MONTHS": 24,
}


def setting(key: str) -> Any:
    return current_app.config.get(key, DEFAULTS[key])
