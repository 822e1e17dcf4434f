"""Every write of stage 1, as a named operation (core.operations): the body's data, its members,
the ordinance (created from the body, its data, the refresh of its pre-filled articles) and the
ordinance's clauses. Pages call them with ``form_run``, the API with ``api_run``, the demo loader
with ``run``; none of them opens a transaction or maps errors.

Each operation loads its record through the scoping layer (404 out of reach, 403 not allowed),
checks edit rights in the case's state (core.security's "case.edit") and the case version the
person read (optimistic locking: adding a member or a clause is an append, which conflicts with
nobody and skips it: core.cases.lock_for_append), applies the change and moves the case's version
on. rules.py checks every record again on flush, whatever path wrote it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.cases import case_types, check_version, create_case, lock_for_append, touch, update_case
from core.cycles import current_year
from core.extensions import db
from core.operations import Context, Refusal, operation
from core.security import EDIT, can
from plugins.institutionalization.fields import BODY, CLAUSE, MEMBER, ORDINANCE
from plugins.institutionalization.models import ArticulationBody, BodyMember, MemberCategory, Ordinance, OrdinanceClause
from plugins.institutionalization.ordinance_text import prefill
from plugins.institutionalization.rules import frozen_text


def _editable(ctx: Context, case: Any, version: Any, *, append: bool = False) -> None:
    """Edit rights in the case's state (permissions.py), and its version unless this is an append."""
    if append:
        lock_for_append(case)
    action = "institutionalization.body.edit" if isinstance(case, ArticulationBody) else "case.edit"
    if not can(ctx.scope, action, case):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(case, version, append=append)


def _text_writable(ctx: Context, ordinance: Ordinance, version: Any, *, append: bool = False) -> None:
    """As :func:`_editable`, and a text not yet frozen by the council's approval."""
    _editable(ctx, ordinance, version, append=append)
    if ordinance.text_frozen:
        raise Refusal(frozen_text(), 409)


# --- the body and the ordinance (cases) ---------------------------------------------------------------


@operation("institutionalization.body.edit", fields=BODY, partial=True, params=("body_id", "version", "title"))
def edit_body(ctx: Context, data: dict[str, Any]) -> ArticulationBody:
    """Change the body's data (its name is the case's ``title``); only the fields sent change."""
    body = ctx.load(ArticulationBody, data.pop("body_id", None), action=EDIT)
    version, title = data.pop("version", None), data.pop("title", None)
    update_case(body, ctx.scope, ctx.user, version, title=title, **data)
    db.session.flush()
    return body


@operation("institutionalization.ordinance.create", params=("body_id", "instrument", "year", "version"))
def create_ordinance(ctx: Context, data: dict[str, Any]) -> Ordinance:
    """Draft the body's ordinance (``instrument``: ordinance or resolution), pre-filled from the body.

    It is filed in the cycle of ``year`` (default: the current year in Lima): the body is a standing
    one, and each year's ordinance belongs to the year it is made in."""
    body = ctx.load(ArticulationBody, data.get("body_id"), action=EDIT)
    instrument = data.get("instrument") or "ordinance"
    if instrument not in ("ordinance", "resolution"):
        message = _("«instrument» must be ordinance or resolution.")
        raise Refusal(message, 400, {"instrument": [message]})
    year = data.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if year in (None, ""):
        year = current_year()
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        message = _("Enter a year between 2000 and 2100.")
        raise Refusal(message, 400, {"year": [message]})
    regional = body.government.kind == "regional"
    # The summary is the case's title, in Spanish: it is the legal text's own title.
    kind = "Ordenanza Regional" if regional else "Ordenanza Municipal"
    if instrument == "resolution":
        kind = "Resolución Ejecutiva Regional" if regional else "Resolución de Alcaldía"
    verb = "amplía funciones y conforma" if body.origin != "new" else "conforma"
    title = f"{kind} que {verb} la {body.level_name}"
    ordinance = create_case(
        case_types()["ordinance"],
        body.government,
        year,
        title,
        ctx.user,
        ctx.scope,
        body_id=body.id,
        instrument=instrument,
    )
    db.session.flush()
    return ordinance  # type: ignore[return-value]


@operation(
    "institutionalization.ordinance.edit", fields=ORDINANCE, partial=True, params=("ordinance_id", "version", "title")
)
def edit_ordinance(ctx: Context, data: dict[str, Any]) -> Ordinance:
    """Change the ordinance's data (its summary is the case's ``title``); only the fields sent change.

    Once approved, the text, number and approval no longer change; the promulgation and publication
    data may still be completed."""
    ordinance = ctx.load(Ordinance, data.pop("ordinance_id", None), action=EDIT)
    version, title = data.pop("version", None), data.pop("title", None)
    update_case(ordinance, ctx.scope, ctx.user, version, title=title, **data)
    db.session.flush()
    return ordinance


@operation("institutionalization.ordinance.refresh_articles", params=("ordinance_id", "version"))
def refresh_articles(ctx: Context, data: dict[str, Any]) -> Ordinance:
    """Rewrite the pre-filled articles from the body as it is now (the team's own are kept)."""
    ordinance = ctx.load(Ordinance, data.get("ordinance_id"), action=EDIT)
    _text_writable(ctx, ordinance, data.get("version"))
    prefill(ordinance, articles_only=True)
    touch(ordinance, ctx.user)
    db.session.flush()
    return ordinance


# --- members ------------------------------------------------------------------------------------------------


def _member_government(member: BodyMember) -> Any:
    return member.body.government


def _apply(record: Any, data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            setattr(record, name, data[name])


def _category_by_key(data: dict[str, Any]) -> dict[str, Any]:
    """The category may be given by its key ("category": "regional_president") instead of its id.

    Resolved before the member joins the session: a query would flush it half-filled."""
    key = data.pop("category", None)
    if key is not None:
        category = db.session.scalar(select(MemberCategory).where(MemberCategory.key == str(key)))
        if category is None:
            message = _("Unknown category «%(key)s».", key=key)
            raise Refusal(message, 400, {"category": [message]})
        data["category_id"] = category.id
    return data


@operation("institutionalization.member.add", fields=MEMBER, params=("body_id", "version"))
def add_member(ctx: Context, data: dict[str, Any]) -> BodyMember:
    """Register a member of a coordination body (a person in a category, from a date).

    ``body_id`` and ``version`` (the case version read) besides the member's fields; the category
    may be given by its key (``category``). Refused when the body may not be edited in its state.
    """
    body = ctx.load(ArticulationBody, data.get("body_id"), action=EDIT)
    _editable(ctx, body, data.get("version"), append=True)
    data = _category_by_key(data)
    member = BodyMember(body=body)
    _apply(member, data, MEMBER.input_names)
    db.session.add(member)
    touch(body, ctx.user, append=True)
    db.session.flush()
    return member


@operation("institutionalization.member.edit", fields=MEMBER, partial=True, params=("member_id", "version"))
def edit_member(ctx: Context, data: dict[str, Any]) -> BodyMember:
    """Change a member's data, e.g. close their period with ``active_to``; only the fields sent change."""
    member = ctx.load(BodyMember, data.get("member_id"), action=EDIT, government=_member_government)
    _editable(ctx, member.body, data.get("version"))
    _apply(member, _category_by_key(data), MEMBER.input_names)
    touch(member.body, ctx.user)
    db.session.flush()
    return member


@operation("institutionalization.member.remove", params=("member_id", "version"))
def remove_member(ctx: Context, data: dict[str, Any]) -> int:
    """Remove a member recorded by mistake (someone who leaves gets an ``active_to`` date instead).

    Returns the id of the body the member belonged to.
    """
    member = ctx.load(BodyMember, data.get("member_id"), action=EDIT, government=_member_government)
    body = member.body
    _editable(ctx, body, data.get("version"))
    db.session.delete(member)
    touch(body, ctx.user)
    db.session.flush()
    return body.id


# --- the ordinance's clauses -----------------------------------------------------------------------------


def _clause_government(clause: OrdinanceClause) -> Any:
    return clause.ordinance.government


def _siblings(ordinance: Ordinance, kind: str) -> list[OrdinanceClause]:
    return ordinance.considerings if kind == "considering" else ordinance.articles


@operation("institutionalization.clause.add", fields=CLAUSE, params=("ordinance_id", "version"))
def add_clause(ctx: Context, data: dict[str, Any]) -> OrdinanceClause:
    """Add a CONSIDERANDO clause or an article at the end of its kind (``kind``, ``subject``, ``text``)."""
    ordinance = ctx.load(Ordinance, data.get("ordinance_id"), action=EDIT)
    _text_writable(ctx, ordinance, data.get("version"), append=True)
    kind = data.get("kind") or "article"
    last = max((c.position for c in ordinance.clauses if c.kind == kind), default=0)
    clause = OrdinanceClause(kind=kind, position=last + 1, text=data["text"], generated=False)
    clause.subject = data.get("subject") if kind == "article" else None
    ordinance.clauses.append(clause)
    touch(ordinance, ctx.user, append=True)
    db.session.flush()
    return clause


@operation("institutionalization.clause.edit", fields=CLAUSE, partial=True, params=("clause_id", "version"))
def edit_clause(ctx: Context, data: dict[str, Any]) -> OrdinanceClause:
    """Change a clause's text or subject; an edited clause is no longer "pre-filled" (its kind stays)."""
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_clause_government)
    ordinance = clause.ordinance
    _text_writable(ctx, ordinance, data.get("version"))
    if "text" in data:
        clause.text = data["text"]
    if "subject" in data:
        clause.subject = data["subject"] if clause.kind == "article" else None
    clause.generated = False
    touch(ordinance, ctx.user)
    db.session.flush()
    return clause


@operation("institutionalization.clause.move", params=("clause_id", "version", "direction"))
def move_clause(ctx: Context, data: dict[str, Any]) -> OrdinanceClause:
    """Swap a clause with its neighbour (``direction``: up or down) among the clauses of its kind."""
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_clause_government)
    ordinance = clause.ordinance
    _text_writable(ctx, ordinance, data.get("version"))
    direction = data.get("direction")
    if direction not in ("up", "down"):
        message = _("Unknown direction: use up or down.")
        raise Refusal(message, 400, {"direction": [message]})
    siblings = _siblings(ordinance, clause.kind)
    index = siblings.index(clause)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
    touch(ordinance, ctx.user)
    db.session.flush()
    return clause


@operation("institutionalization.clause.remove", params=("clause_id", "version"))
def remove_clause(ctx: Context, data: dict[str, Any]) -> int:
    """Remove a clause and renumber the rest of its kind. Returns the ordinance's id."""
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_clause_government)
    ordinance = clause.ordinance
    _text_writable(ctx, ordinance, data.get("version"))
    ordinance.clauses.remove(clause)
    for position, item in enumerate(_siblings(ordinance, clause.kind), start=1):
        item.position = position
    touch(ordinance, ctx.user)
    db.session.flush()
    return ordinance.id


OPERATIONS = [
    edit_body,
    create_ordinance,
    edit_ordinance,
    refresh_articles,
    add_member,
    edit_member,
    remove_member,
    add_clause,
    edit_clause,
    move_clause,
    remove_clause,
]
