"""Personal data of the Ventanilla's entries (Ley N° 29733): seen only by the staff of the office holding the
entry — masked for auditors, the region reading a local office, the national level and every registry sent
upward — and each view written to the audit trail (never the data itself)."""

from __future__ import annotations

from typing import Any

from core.security import Scope, can
from plugins.monitoring.ventanilla.models import VentanillaEntry

MASK = "•••"


def may_see_personal_data(scope: Scope, entry: VentanillaEntry, user: Any) -> bool:
    return can(scope, "monitoring.ventanilla.personal_data", (entry, user))


def masked(value: str | None) -> str:
    return MASK if value else ""


def audit_personal_data_view(entry: VentanillaEntry) -> None:
    from core.audit import record

    record(
        "personal_data_view",
        entry,
        detail=f"datos personales de la entrada {entry.id} de la Ventanilla CRECER",
    )
