"""Operations of the case engine: deleting a case (an administrator's correction, from the admin).

Creating, editing and moving cases on stay with the case pages, the API and each plugin's operations;
this is the one write the admin offers on cases, so it runs like every other write: permission
checked, one unit of work, audited with the case's last values."""

from __future__ import annotations

from typing import Any

from core.extensions import db
from core.models import Case
from core.operations import Context, operation
from core.security import ADMIN


@operation("cases.case.delete", params=("case_id",))
def delete_case(ctx: Context, data: dict[str, Any]) -> int:
    """Delete a case with the rows that hang from it (administrators only); returns its id."""
    case = ctx.load(Case, data.get("case_id"), action=ADMIN)
    case_id = case.id
    db.session.delete(case)
    db.session.flush()
    return case_id


OPERATIONS = [delete_case]
