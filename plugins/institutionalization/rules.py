"""The one place every write of stage 1 is checked, whatever path it comes by (operation, the
engine's case pages and API, a demo loader): a ``before_flush`` listener checks each new or changed
body, member, ordinance and clause and refuses the whole flush with the reasons, so nothing is
saved half-way.

Each value is checked by its declared field (fields.py: the same parser the forms and the API use,
and the record type's cross-field checks over the whole record); here are only the rules that need
the database or other records: one standing body per government, a member's category and seat, the
ordinance's body, number and frozen text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, event, inspect, or_, select
from sqlalchemy.orm import Session

from core.cases import CaseError
from core.extensions import db
from core.fields import RecordFields
from core.references import find_reference, reference_message
from core.values import ValueProblem, parse_text
from plugins.institutionalization.composition import presidency_reason
from plugins.institutionalization.fields import BODY, CLAUSE, MEMBER, ORDINANCE
from plugins.institutionalization.models import (
    BODY_CLOSED_STATES,
    PUBLICATION_FIELDS,
    TEXT_FROZEN_STATES,
    ArticulationBody,
    BodyMember,
    MemberCategory,
    Ordinance,
    OrdinanceClause,
)
from plugins.institutionalization.ordinance_text import prefill

CHECKED = ArticulationBody | BodyMember | Ordinance | OrdinanceClause


def frozen_text() -> str:
    return _("The ordinance was already approved by the council: its text cannot be changed.")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def declared_problems(fields: RecordFields, record: Any) -> list[str]:
    """The record's values checked by their declared fields and cross-field checks."""
    problems = []
    values = {}
    for f in fields.inputs:
        value = getattr(record, f.name)
        if value is None and f.type == "reference" and getattr(record, f.name.removesuffix("_id"), None) is not None:
            values[f.name] = value  # set through its relationship (not flushed yet): the object is there
            continue
        try:
            f.parse(value, label=str(f.label))
        except ValueProblem as problem:
            problems.append(str(problem))
        values[f.name] = value
    problems += [str(message) for check in fields.checks for _name, message in check(values)]
    return problems


# --- the body ------------------------------------------------------------------------------------------------


def body_problems(body: ArticulationBody) -> list[str]:
    problems = declared_problems(BODY, body)
    try:
        parse_text(body.title, _("Name"), limit=300)
    except ValueProblem as problem:
        problems.append(str(problem))
    if inspect(body).pending:
        government_id = body.government_id or (body.government.id if body.government else None)
        other = db.session.scalar(
            select(ArticulationBody.reference).where(
                ArticulationBody.government_id == government_id, ArticulationBody.state.not_in(BODY_CLOSED_STATES)
            )
        )
        if other:
            # The Instancia is a standing body: created once, it carries over from year to year.
            problems.append(
                _(
                    "This government already has a coordination body in force (%(reference)s), which carries "
                    "over from one year to the next (the Norma asks not to duplicate bodies): update its members "
                    "there and draft from it the year's ordinance, which is filed in the cycle of the year it is "
                    "made in; or dissolve it first.",
                    reference=other,
                )
            )
    return problems


# --- members --------------------------------------------------------------------------------------------------


def member_problems(member: BodyMember) -> list[str]:
    problems = declared_problems(MEMBER, member)
    body = member.body or (db.session.get(ArticulationBody, member.body_id) if member.body_id else None)
    category = member.category or (db.session.get(MemberCategory, member.category_id) if member.category_id else None)
    if body is None:
        problems.append(_("The member must belong to a coordination body."))
    if category is None:
        problems.append(_("Enter the member's category."))
    elif body is not None and not category.applies_to(body.government.kind):
        if category.provincial_only:
            problems.append(
                _(
                    "The category «%(category)s» does not belong to a district %(body)s.",
                    category=category.name,
                    body=body.level_name,
                )
            )
        else:
            problems.append(
                _(
                    "The category «%(category)s» does not belong to a %(body)s.",
                    category=category.name,
                    body=body.level_name,
                )
            )
    elif member.role == "president" and not category.presides:
        # Norma 5.1.1 / 5.2.1: the body is presided by the Mayor or the Regional President
        # (Governor); the presidency is tied to that category, not to whoever is given the role.
        problems.append(presidency_reason(body.government.kind if body is not None else "local", category))
    if body is not None and member.active_from is not None and not problems:
        problems += _overlaps(member, body)
    return problems


def _overlaps(member: BodyMember, body: ArticulationBody) -> list[str]:
    """Only one president at a time; a person (by DNI) holds one seat at a time."""
    end = member.active_to or date.max
    overlapping = and_(
        BodyMember.body_id == body.id,
        BodyMember.active_from <= end,
        or_(BodyMember.active_to.is_(None), BodyMember.active_to >= member.active_from),
    )
    if member.id is not None:
        overlapping = and_(overlapping, BodyMember.id != member.id)
    problems = []
    if member.role == "president":
        other = db.session.scalar(select(BodyMember).where(overlapping, BodyMember.role == "president"))
        if other is not None:
            if other.active_to:
                problems.append(
                    _(
                        "%(name)s already holds the presidency in that period (from %(start)s to %(end)s): "
                        "close their period first.",
                        name=other.full_name,
                        start=_dmy(other.active_from),
                        end=_dmy(other.active_to),
                    )
                )
            else:
                problems.append(
                    _(
                        "%(name)s already holds the presidency in that period (from %(start)s): close their "
                        "period first.",
                        name=other.full_name,
                        start=_dmy(other.active_from),
                    )
                )
    if member.dni:
        other = db.session.scalar(select(BodyMember).where(overlapping, BodyMember.dni == member.dni))
        if other is not None:
            problems.append(
                _("The person with DNI %(dni)s is already a member of the body in that period.", dni=member.dni)
            )
    return problems


# --- the ordinance and its clauses ------------------------------------------------------------------------------


def ordinance_problems(ordinance: Ordinance) -> list[str]:
    ordinance.number = ordinance.format_number(ordinance.number)
    problems = declared_problems(ORDINANCE, ordinance)
    government_id = ordinance.government.id if ordinance.government is not None else ordinance.government_id
    if ordinance.body is not None and ordinance.body.id is None:  # created together, not yet flushed
        if ordinance.body.government_id != government_id:
            problems.append(reference_message("body_id"))
    elif ordinance.body is not None or ordinance.body_id is not None:
        # Another government's body and a missing id read the same (no existence leak).
        body_id = ordinance.body.id if ordinance.body is not None else ordinance.body_id
        if find_reference(ArticulationBody, body_id, government_id=government_id) is None:
            problems.append(reference_message("body_id"))
    problems += _frozen_changes(ordinance)
    if ordinance.number:
        problems += _duplicate_number(ordinance, government_id)
    return problems


def _previous_state(ordinance: Ordinance) -> str:
    history = inspect(ordinance).attrs.state.history
    return history.deleted[0] if history.deleted else ordinance.state


def _frozen_changes(ordinance: Ordinance) -> list[str]:
    """Once approved, the text, number and approval are the council's: they no longer change."""
    previous = _previous_state(ordinance)
    if inspect(ordinance).pending or previous not in TEXT_FROZEN_STATES:
        return []
    labels = {"title": _("Summary"), **{name: str(label) for name, label in ORDINANCE.labels().items()}}
    frozen = [
        attr.key
        for attr in inspect(ordinance).attrs
        if attr.key in labels and attr.history.has_changes() and attr.history.deleted
    ]
    if previous == "approved":
        frozen = [name for name in frozen if name not in PUBLICATION_FIELDS]
    if frozen:
        names = ", ".join(f"«{labels[name]}»" for name in frozen)
        return [_("The ordinance was already approved by the council: %(fields)s can no longer change.", fields=names)]
    return []


def _duplicate_number(ordinance: Ordinance, government_id: int | None) -> list[str]:
    query = select(Ordinance.reference).where(
        Ordinance.government_id == government_id, Ordinance.year == ordinance.year, Ordinance.number == ordinance.number
    )
    if ordinance.id is not None:
        query = query.where(Ordinance.id != ordinance.id)
    other = db.session.scalar(query)
    if other:
        return [
            _(
                "The %(number)s already exists in this government for %(year)s (case %(reference)s).",
                number=ordinance.number,
                year=ordinance.year,
                reference=other,
            )
        ]
    return []


def clause_problems(clause: OrdinanceClause) -> list[str]:
    clause.text = (clause.text or "").strip()
    problems = declared_problems(CLAUSE, clause)
    if clause.kind == "article" and clause.subject is None:
        problems.append(_("Say what the article is about (participants, organization, direction, plan or other)."))
    ordinance = clause.ordinance or db.session.get(Ordinance, clause.ordinance_id)
    if ordinance is not None and _previous_state(ordinance) in TEXT_FROZEN_STATES:
        problems.append(frozen_text())
    return problems


PROBLEMS = {
    ArticulationBody: body_problems,
    BodyMember: member_problems,
    Ordinance: ordinance_problems,
    OrdinanceClause: clause_problems,
}

# --- the listener ----------------------------------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_invalid_records(session: Session, flush_context: Any, instances: Any) -> None:
    problems: list[str] = []
    with session.no_autoflush:
        for record in list(session.new):
            if isinstance(record, CHECKED):
                _fill_defaults(record)
            if isinstance(record, Ordinance):
                _start_ordinance(record)
        for record in list(session.new) + list(session.dirty):
            if isinstance(record, CHECKED):
                if record not in session.new and not session.is_modified(record):
                    continue
                problems += PROBLEMS[type(record)](record)
        for record in session.deleted:
            if isinstance(record, OrdinanceClause) and record.ordinance is not None:
                if _previous_state(record.ordinance) in TEXT_FROZEN_STATES and not inspect(record.ordinance).deleted:
                    problems.append(frozen_text())
    if problems:
        # dict.fromkeys: the same reason once, in order
        raise CaseError(" ".join(dict.fromkeys(problems)))


def _fill_defaults(record: Any) -> None:
    """Column defaults apply at INSERT; the checks run before it, so give new records them now
    (this plugin's own columns only: the case table's bookkeeping stays the engine's)."""
    for prop in inspect(type(record)).column_attrs:
        column = prop.columns[0]
        default = column.default
        if (
            column.table.name != "case"
            and default is not None
            and default.is_scalar
            and getattr(record, prop.key) is None
        ):
            setattr(record, prop.key, default.arg)


def _start_ordinance(ordinance: Ordinance) -> None:
    """A new ordinance starts pre-filled from its body (VISTO, CONSIDERANDO, articles), by any path."""
    if ordinance.body is None and ordinance.body_id is not None:
        ordinance.body = db.session.get(ArticulationBody, ordinance.body_id)
    if ordinance.body is not None and not ordinance.clauses:
        prefill(ordinance)
