"""The yearly cycle: which year is the current one, and the cases that carry over into it.

The cycle (government × year) is the home of a year's work. Most cases belong to the year they
are made in; a *standing* case type (the Instancia de Articulación) is created once and carries
over: the cycle pages of later years list it under its stage, and each year's updates to it (a new
ordinance, a change of members) are filed in the year they are made.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.cases.types import case_types
from core.extensions import db
from core.models import Case, Government
from core.workflow import WorkflowError, get_workflow

LIMA = ZoneInfo("America/Lima")


def current_year() -> int:
    """The current cycle year: the year in Lima (a team in Peru on 31 December at 20:00 is still in it)."""
    return datetime.now(LIMA).year


def standing_cases(government: Government, year: int) -> list[Case]:
    """Cases of a standing type made in an earlier year and still open (not in a final state):
    they carry over into ``year``'s cycle."""

    standing = {t.key: t for t in case_types().values() if t.standing}
    if not standing:
        return []
    rows = db.session.scalars(
        select(Case)
        .where(Case.government_id == government.id, Case.year < year, Case.type.in_(standing))
        .order_by(Case.year, Case.id)
    ).all()
    open_rows = []
    for case in rows:
        try:
            state = get_workflow(case.workflow_id).states.get(case.state)
        except WorkflowError:
            state = None
        if state is None or not state.final:
            open_rows.append(case)
    return open_rows
