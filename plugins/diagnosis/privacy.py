"""Item (g) of the Fichas Distritales: the nominal list of chronically malnourished children.

Personal data of minors (Ley N° 29733, Protección de Datos Personales). By default only counts
are kept. Where a government decides to keep the list, it is visible to that government's
coordinators only — not its team, not the region above, not auditors nor the national
supervisor — never printed in a document, exported (XLSX, CSV, admin) nor sent by the API,
and every access (list, add, delete) is written to the audit trail.
"""

from __future__ import annotations

from flask import current_app

from core.security import Scope, can
from plugins.diagnosis.models import Diagnosis


def nominal_list_read(scope: Scope, diagnosis: Diagnosis) -> bool:
    """Named action "diagnosis.nominal_list.read": only a coordinator OF the diagnosis's government
    (no inherited or national reach)."""
    return "coordinator" in scope.roles_by_government.get(diagnosis.government_id, frozenset())


def can_see_nominal_list(scope: Scope, diagnosis: Diagnosis) -> bool:
    return can(scope, "diagnosis.nominal_list.read", diagnosis)


def audit_nominal_access(action: str, diagnosis: Diagnosis, detail: str) -> None:
    """Record an access to the nominal list in the audit trail (never the names themselves).

    The one place that talks to core.audit, so the rest of the plugin does not depend on it.
    """
    from core.audit import record

    record(
        action,
        entity_type="diagnosis_nominal_list",
        entity_id=diagnosis.id,
        case_id=diagnosis.id,
        government_id=diagnosis.government_id,
        detail=detail[:300],
    )
    current_app.logger.info(
        "lista nominal (ítem g): %s diagnóstico=%s gobierno=%s %s",
        action,
        diagnosis.id,
        diagnosis.government_id,
        detail,
    )
