"""What every write of stage 2 does before and after its change: load the case for editing
(scoped, 404/403), check it may be edited in its state and was read at its current version, and
move its version on afterwards (a change to a plan row or a diagnosis instrument is a change to
the case)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.cases import check_version, lock_for_append, touch
from core.models import Case
from core.operations import Context, Refusal
from core.security import EDIT, can


def editing(ctx: Context, model: type[Case], data: dict[str, Any], *, append: bool = False) -> Any:
    """The case ``data["case_id"]`` of ``model``, ready to change.

    ``append`` (adding a new row): no version check and no bump, so concurrent appends never
    conflict with each other (core.cases.lock_for_append)."""
    case = ctx.load(model, data.get("case_id"), action=EDIT)
    editable(ctx, case, data, append=append)
    return case


def editable(ctx: Context, case: Case, data: dict[str, Any], *, append: bool = False) -> None:
    """Refuse unless ``case`` may be edited in its state and ``data["version"]`` is its current one."""
    if append:
        lock_for_append(case)
    if not can(ctx.scope, "case.edit", case):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(case, data.get("version"), append=append)


def changed(ctx: Context, case: Case, *, append: bool = False) -> None:
    """The case's version moves on with its child records (not for an append)."""
    touch(case, ctx.user, append=append)


def not_found() -> Refusal:
    return Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)


def row_of(rows: Any, row_id: Any) -> Any:
    """The row with id ``row_id`` among ``rows`` (a case's children), or a 404 refusal."""
    try:
        wanted = int(row_id)
    except (TypeError, ValueError):
        raise not_found() from None
    row = next((r for r in rows if r.id == wanted), None)
    if row is None:
        raise not_found()
    return row
