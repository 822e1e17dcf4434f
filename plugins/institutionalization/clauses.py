"""The ordinance's clauses (CONSIDERANDO and articles) on the plugin kit: their fields declared once,
and the operations ``institutionalization.clause.add`` / ``.edit`` / ``.move`` / ``.remove``.

Each operation checks that the ordinance may be edited in its state, that the case version the
person read is still current and that the text is not frozen (approved by the council); the case's
version moves on with every change. models.py checks every clause again on flush.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from core.cases import check_version, editable_by, lock_for_append
from core.extensions import db
from core.fields import Field, RecordFields
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.institutionalization.models import ARTICLE_SUBJECTS, FROZEN_TEXT, Ordinance, OrdinanceClause
from plugins.institutionalization.ordinance_text import article_heading
from plugins.institutionalization.service import touch

KIND_CHOICES = {"considering": _l("CONSIDERANDO clause"), "article": _l("Article")}
SUBJECT_CHOICES = {
    "participants": _l("Participants"),
    "organization": _l("Organization"),
    "direction": _l("Direction (technical secretariat or office)"),
    "plan": _l("Approval of the objectives and goals of the Plan Articulado"),
    "other": _l("Other matters"),
}


def _heading(clause: OrdinanceClause) -> str | None:
    if clause.kind != "article":
        return None
    articles = clause.ordinance.articles
    return article_heading(articles.index(clause) + 1, len(articles)) if clause in articles else None


CLAUSE = RecordFields(
    "clause",
    [
        Field("kind", "choice", _l("Kind"), choices=KIND_CHOICES, default="article", nullable_output=False),
        Field("position", "integer", _l("Position"), output=lambda c: c.position, nullable_output=False),
        Field("heading", "text", _l("Heading"), output=_heading),
        Field(
            "subject",
            "choice",
            _l("What the article is about"),
            choices=SUBJECT_CHOICES,
            legal=ARTICLE_SUBJECTS,
            admin_filter=True,
        ),
        Field(
            "text",
            "long_text",
            _l("Text"),
            required=True,
            max_length=20000,
            required_message=_l("The text cannot be empty."),
            nullable_output=False,
            admin_search=True,
        ),
        Field("generated", "boolean", _l("Pre-filled"), output=lambda c: c.generated, nullable_output=False),
    ],
)

#: The clause form (generated from CLAUSE): the kind comes from the page's address, not the form.
ClauseForm = CLAUSE.form_class(FlaskForm, exclude=("kind",))


def clause_json(clause: OrdinanceClause) -> dict[str, Any]:
    return CLAUSE.serialize(clause)


# --- operations -------------------------------------------------------------------------------------------


def _government(clause: OrdinanceClause) -> Any:
    return clause.ordinance.government


def _writable(ctx: Context, ordinance: Ordinance, version: Any, *, append: bool = False) -> None:
    """Edit rights in the ordinance's state, its version unless this adds a clause (an append:
    core.cases.lock_for_append), and a text not yet frozen by approval."""
    if append:
        lock_for_append(ordinance)
    if not editable_by(ordinance, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(ordinance, version, append=append)
    if ordinance.text_frozen:
        raise Refusal(FROZEN_TEXT, 409)


def _siblings(ordinance: Ordinance, kind: str) -> list[OrdinanceClause]:
    return ordinance.considerings if kind == "considering" else ordinance.articles


def _renumber(ordinance: Ordinance, kind: str) -> None:
    for position, item in enumerate(_siblings(ordinance, kind), start=1):
        item.position = position


@operation("institutionalization.clause.add", fields=CLAUSE, params=("ordinance_id", "version"))
def add_clause(ctx: Context, data: dict[str, Any]) -> OrdinanceClause:
    """Add a CONSIDERANDO clause or an article at the end of its kind (``kind``, ``subject``, ``text``)."""
    ordinance = ctx.load(Ordinance, data.get("ordinance_id"), action=EDIT)
    _writable(ctx, ordinance, data.get("version"), append=True)
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
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_government)
    ordinance = clause.ordinance
    _writable(ctx, ordinance, data.get("version"))
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
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_government)
    ordinance = clause.ordinance
    _writable(ctx, ordinance, data.get("version"))
    direction = data.get("direction")
    if direction not in ("up", "down"):
        raise Refusal(
            _("Unknown direction: use up or down."), 400, {"direction": [_("Unknown direction: use up or down.")]}
        )
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
    clause = ctx.load(OrdinanceClause, data.get("clause_id"), action=EDIT, government=_government)
    ordinance = clause.ordinance
    _writable(ctx, ordinance, data.get("version"))
    ordinance.clauses.remove(clause)
    _renumber(ordinance, clause.kind)
    touch(ordinance, ctx.user)
    db.session.flush()
    return ordinance.id


OPERATIONS = [add_clause, edit_clause, move_clause, remove_clause]
