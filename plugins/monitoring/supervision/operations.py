"""The writes of quality supervision, as named operations (core.operations):

- ``monitoring.supervision.visit.create``: a visit (a case of the supervising government), optionally
  with its ``answers``;
- ``monitoring.supervision.visit.answers``: the answers to the visit's ficha; the score is recomputed;
- ``monitoring.supervision.visit.edit``: the visit's date, place and supervisor corrected while editable;
- ``monitoring.supervision.finding.add``: a finding and its commitment, whose due date is a core deadline;
- ``monitoring.supervision.finding.follow_up``: a commitment done (meets its deadline) or pending again.

Each refusal names the field (or the item of the ficha), in the reader's language; nothing is saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.cases import case_types, check_version, create_case, editable_by, lock_for_append, touch
from core.deadlines import lima_today, rule_by_key, set_label
from core.deadlines.models import Deadline
from core.extensions import db
from core.formatting import long_date
from core.i18n import N_
from core.models import Government, Territory
from core.models.user import utcnow
from core.operations import Context, Refusal, operation
from core.security import EDIT, can
from plugins.monitoring.supervision.fields import FINDING, VISIT, VISIT_EDIT
from plugins.monitoring.supervision.models import (
    NOT_APPLICABLE,
    SupervisionChecklist,
    SupervisionVisit,
    VisitAnswer,
    VisitFinding,
)
from plugins.monitoring.supervision.scoring import score_of

CASE_TYPE = "supervision_visit"
DEADLINE_RULE = "monitoring.supervision_commitment"
#: A commitment's deadline label, shown in the reader's language (core.deadlines.set_label).
COMMITMENT_LABEL = N_("Commitment No. %(number)s of %(visit)s: %(commitment)s")
EDIT_ACTION = "monitoring.supervision.edit"
FOLLOW_UP_ACTION = "monitoring.supervision.follow_up"
#: How many leading ubigeo digits a government's territory fixes.
TERRITORY_DIGITS = {"regional": 2, "provincial": 4, "district": 6}


def refuse(field: str, message: str, status: int = 400) -> Refusal:
    return Refusal(message, status, {field: [message]})


def check_place(government: Government, ubigeo: str, field: str = "ubigeo") -> Territory:
    """The territory of ``ubigeo``: known to INEI's list and inside the government's territory."""
    territory = db.session.scalar(select(Territory).where(Territory.ubigeo == ubigeo))
    if territory is None:
        raise refuse(field, _("«Ubigeo»: %(code)s is not a known ubigeo.", code=ubigeo))
    digits = TERRITORY_DIGITS.get(government.kind, 6)
    if ubigeo[:digits] != government.ubigeo[:digits]:
        raise refuse(
            field,
            _("«Ubigeo»: %(code)s is outside the territory of %(name)s.", code=ubigeo, name=government.name),
        )
    return territory


def check_not_future(on: date, field: str, label: str) -> None:
    if on > lima_today():
        raise refuse(field, _("«%(label)s» cannot be in the future.", label=label))


def new_visit(ctx: Context, government: Government | None, data: dict[str, Any]) -> SupervisionVisit:
    """A visit of ``government`` from parsed VISIT data (shared with the community-report action)."""
    if government is None:
        raise refuse("government_id", _("Choose the government that supervises."), 404)
    ctx.require(EDIT, government)
    checklist = db.session.get(SupervisionChecklist, data["checklist_id"]) if data.get("checklist_id") else None
    if checklist is None or not checklist.active:
        raise refuse("checklist_id", _("«Supervision factsheet»: choose an active factsheet."))
    check_not_future(data["visit_date"], "visit_date", _("Date of the visit"))
    territory = check_place(government, data["ubigeo"])
    on: date = data["visit_date"]
    visit = create_case(
        case_types()[CASE_TYPE],
        government,
        on.year,
        f"Supervisión de {data['facility']} ({territory.name}) del {on.strftime('%d/%m/%Y')}"[:300],
        ctx.user,
        ctx.scope,
        checklist_id=checklist.id,
        visit_date=on,
        ubigeo=data["ubigeo"],
        facility=data["facility"],
        supervisor=data["supervisor"],
        notes=data.get("notes"),
    )
    return visit


@operation("monitoring.supervision.visit.create", fields=VISIT, params=("answers",))
def create_visit(ctx: Context, data: dict[str, Any]) -> SupervisionVisit:
    """Record a supervision visit: ficha, date, place (ubigeo, facility), supervisor; ``answers`` optional."""
    government = db.session.get(Government, data["government_id"])
    visit = new_visit(ctx, government, data)
    if data.get("answers") is not None:
        db.session.flush()
        _set_answers(visit, data["answers"])
    db.session.flush()
    return visit


def _answer_rows(raw: Any) -> list[tuple[Any, Any, Any]]:
    """``{item_id: points | "na"}`` or ``[{"item_id", "points", "remark"}]`` → (item, points, remark)."""
    if isinstance(raw, dict):
        return [(key, value, None) for key, value in raw.items()]
    if isinstance(raw, list) and all(isinstance(row, dict) for row in raw):
        return [(row.get("item_id"), row.get("points"), row.get("remark")) for row in raw]
    raise refuse("answers", _("«Answers» must give each item of the factsheet its points or «na»."))


def _set_answers(visit: SupervisionVisit, raw: Any) -> None:
    """Replace the visit's answers with ``raw``; every bad row is reported, none is saved."""
    items = {item.id: item for item in visit.checklist.items if item.active}
    problems: list[str] = []
    given: dict[int, tuple[int | None, str | None]] = {}
    for item_id, points, remark in _answer_rows(raw):
        try:
            item = items.get(int(item_id))
        except (TypeError, ValueError):
            item = None
        if item is None:
            problems.append(
                _("«Answers»: item %(id)s is not in the factsheet «%(name)s».", id=item_id, name=visit.checklist.name)
            )
            continue
        if points in (None, ""):
            continue  # left unanswered
        if str(points).strip().lower() == NOT_APPLICABLE:
            given[item.id] = (None, remark)
            continue
        try:
            value = int(str(points).strip())
        except ValueError:
            value = -1
        if not 0 <= value <= item.max_points:
            problems.append(
                _(
                    "«Answers», item %(position)s (%(text)s): the points must be between 0 and %(max)s, or «na».",
                    position=item.position,
                    text=item.text,
                    max=item.max_points,
                )
            )
            continue
        if remark is not None and len(str(remark)) > 500:
            problems.append(
                _("«Answers», item %(position)s: the remark is longer than 500 characters.", position=item.position)
            )
            continue
        given[item.id] = (value, str(remark).strip() if remark else None)
    if problems:
        raise Refusal(" ".join(problems), 400, {"answers": problems})
    current = {answer.item_id: answer for answer in visit.answers}
    for item_id, answer in current.items():
        if item_id not in given:
            visit.answers.remove(answer)
    for item_id, (value, remark) in given.items():
        answer = current.get(item_id)
        if answer is None:
            visit.answers.append(VisitAnswer(item=items[item_id], points=value, remark=remark))
        else:
            answer.points, answer.remark = value, remark
    visit.score = score_of(visit.answers)


def _editable(ctx: Context, visit: SupervisionVisit, version: Any, *, append: bool = False) -> None:
    if append:
        lock_for_append(visit)
    if not can(ctx.scope, EDIT_ACTION, visit):
        raise Refusal(_("This visit can no longer be changed: it is closed."), 403)
    check_version(visit, version, append=append)


@operation("monitoring.supervision.visit.answers", params=("visit_id", "version", "answers"))
def record_answers(ctx: Context, data: dict[str, Any]) -> SupervisionVisit:
    """The answers to the visit's ficha (``answers``: {item id: points or "na"}); the score is recomputed."""
    visit = ctx.load(SupervisionVisit, data.get("visit_id"), action=EDIT)
    _editable(ctx, visit, data.get("version"))
    _set_answers(visit, data.get("answers"))
    touch(visit, ctx.user)
    db.session.flush()
    return visit


@operation("monitoring.supervision.visit.edit", fields=VISIT_EDIT, partial=True, params=("visit_id", "version"))
def edit_visit(ctx: Context, data: dict[str, Any]) -> SupervisionVisit:
    """Correct the visit's date, place (ubigeo, facility) or supervisor (only the fields sent) while it is
    editable; the date stays in the visit's year (its cycle). The audit trail keeps the old values."""
    visit = ctx.load(SupervisionVisit, data.get("visit_id"), action=EDIT)
    _editable(ctx, visit, data.get("version"))
    if "visit_date" in data:
        check_not_future(data["visit_date"], "visit_date", _("Date of the visit"))
        if data["visit_date"].year != visit.year:
            raise refuse(
                "visit_date",
                _("«Date of the visit» must stay in %(year)s: the visit belongs to that year.", year=visit.year),
            )
    territory = check_place(visit.government, data["ubigeo"]) if "ubigeo" in data else None
    for name in VISIT_EDIT.input_names:
        if name in data:
            setattr(visit, name, data[name])
    place = territory.name if territory is not None else _place_name(visit.ubigeo)
    visit.title = f"Supervisión de {visit.facility} ({place}) del {visit.visit_date.strftime('%d/%m/%Y')}"[:300]
    touch(visit, ctx.user)
    db.session.flush()
    return visit


def _place_name(ubigeo: str) -> str:
    return db.session.scalar(select(Territory.name).where(Territory.ubigeo == ubigeo)) or ubigeo


def _deadline_for(visit: SupervisionVisit, finding: VisitFinding) -> Deadline | None:
    """The commitment's due date as a core deadline of the visit (reminders, calendar, overdue inbox);
    ``start_date`` stays empty so the agreed date is never recomputed."""
    rule = rule_by_key(DEADLINE_RULE)
    if rule is None or not rule.active:
        return None
    deadline = Deadline(
        rule=rule,
        government_id=visit.government_id,
        year=visit.year,
        case_id=visit.id,
        period=finding.number,
        due_date=finding.due_date,
    )
    # the commitment and the visit's title stay as typed; the words around them follow the reader
    set_label(deadline, COMMITMENT_LABEL, number=finding.number, visit=visit.title, commitment=finding.commitment)
    db.session.add(deadline)
    return deadline


@operation("monitoring.supervision.finding.add", fields=FINDING, params=("visit_id", "version"))
def add_finding(ctx: Context, data: dict[str, Any]) -> VisitFinding:
    """Record a finding of the visit and, optionally, the commitment it drew with its due date (a deadline)."""
    visit = ctx.load(SupervisionVisit, data.get("visit_id"), action=EDIT)
    _editable(ctx, visit, data.get("version"), append=True)
    commitment, due = data.get("commitment"), data.get("due_date")
    if commitment and due is None:
        raise refuse("due_date", _("«Commitment due date»: a commitment needs a due date."))
    if due is not None and not commitment:
        raise refuse("commitment", _("«Commitment»: write the commitment that is due on that date."))
    if due is not None and due < visit.visit_date:
        raise refuse(
            "due_date",
            _(
                "«Commitment due date»: %(due)s is before the visit (%(date)s).",
                due=long_date(due),
                date=long_date(visit.visit_date),
            ),
        )
    number = (
        db.session.scalar(select(func.max(VisitFinding.number)).where(VisitFinding.visit_id == visit.id)) or 0
    ) + 1
    finding = VisitFinding(
        visit=visit,
        number=number,
        finding=data["finding"],
        commitment=commitment,
        responsible=data.get("responsible"),
        due_date=due,
        status="pending",
    )
    db.session.add(finding)
    db.session.flush()
    if due is not None:
        finding.deadline = _deadline_for(visit, finding)
    touch(visit, ctx.user, append=True)
    db.session.flush()
    return finding


@operation("monitoring.supervision.finding.follow_up", params=("finding_id", "status", "done_on"))
def follow_up(ctx: Context, data: dict[str, Any]) -> VisitFinding:
    """A commitment is done (``status`` done, ``done_on`` default today: its deadline is met) or pending again.

    Allowed after the visit is closed: follow-up comes after the visit."""
    finding = ctx.load(VisitFinding, data.get("finding_id"), action=EDIT, government=lambda f: f.visit.government)
    if not can(ctx.scope, FOLLOW_UP_ACTION, finding.visit):
        raise Refusal(_("You do not have permission to do this."), 403)
    if not finding.commitment:
        raise refuse("status", _("This finding has no commitment to follow up."))
    status = data.get("status")
    if status not in ("pending", "done"):
        raise refuse("status", _("«Commitment status» must be pending or done."))
    deadline = finding.deadline
    if status == "done":
        done_on = _date(data.get("done_on")) or lima_today()
        if done_on < finding.visit.visit_date or done_on > lima_today():
            raise refuse("done_on", _("«Done on» must fall between the visit date and today."))
        finding.status, finding.done_on = "done", done_on
        if deadline is not None:
            deadline.met_at, deadline.met_on = utcnow(), done_on
            deadline.met_by_id, deadline.met_case_id = getattr(ctx.user, "id", None), finding.visit_id
    else:
        finding.status, finding.done_on = "pending", None
        if deadline is not None:
            deadline.met_at = deadline.met_on = deadline.met_by_id = deadline.met_case_id = None
    touch(finding.visit, ctx.user)
    db.session.flush()
    return finding


def _date(raw: Any) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise refuse("done_on", _("«Done on» must be a date YYYY-MM-DD.")) from None


def may_edit(scope: Any, visit: SupervisionVisit) -> bool:
    """Named action ``monitoring.supervision.edit``: the visit's answers and findings, while it is open."""
    return editable_by(visit, scope)


def may_follow_up(scope: Any, visit: SupervisionVisit) -> bool:
    """Named action ``monitoring.supervision.follow_up``: the visit's government, in every state."""
    return can(scope, EDIT, visit.government)


OPERATIONS = [create_visit, record_answers, edit_visit, add_finding, follow_up]
