"""Documents on other pages: the case panel and the administrators' year-name warning on the dashboard."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.documents.environment import missing_current_year_name, year_name
from core.documents.issue import can_issue
from core.documents.models import IssuedDocument
from core.documents.registry import documents_for
from core.extensions import db
from core.models import Case
from core.security import Scope, scope_for

# --- the case panel -------------------------------------------------------------------------------


def panel_context(case: Case, scope: Scope, **_: Any) -> dict[str, Any] | None:
    issued = db.session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.case_id == case.id)
        .options(joinedload(IssuedDocument.issued_by))
        .order_by(IssuedDocument.id.desc())
        .limit(100)
    ).all()
    # superseded by a later issue of this case or, for a new version of the case (a reformulated plan), of another
    ids = [d.id for d in issued]
    superseded = (
        set(db.session.scalars(select(IssuedDocument.supersedes_id).where(IssuedDocument.supersedes_id.in_(ids))))
        if ids
        else set()
    )
    specs = documents_for(case)
    if not issued and not specs:
        return None
    return {
        "case": case,
        "issued": issued,
        "superseded": superseded,
        "templates": [(spec, can_issue(scope, case, spec)) for spec in specs],
    }


# --- dashboard ------------------------------------------------------------------------------------


def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    """For administrators (who maintain the year names): a warning when this year has no name yet."""
    year = missing_current_year_name() if scope_for(user).is_admin else None
    if year is None:
        return []
    return [
        {
            "title": _l("Year name missing"),
            "template": "documents/year_name_warning.html",
            "context": {"year": year, "fallback": year_name(year)},
            "order": 1,
        }
    ]
