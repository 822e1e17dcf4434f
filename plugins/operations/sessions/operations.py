"""The writes of the Instancia's sessions, as named operations (core.operations):

- ``operations.sessions.session.create`` / ``.edit``: a session of a body (a case);
- ``operations.sessions.attendance.record``: who of the body's members on that date came;
- ``operations.sessions.agreement.add``: an agreement, its due date made a core deadline;
- ``operations.sessions.agreement.follow_up``: its follow-up status (cumplido meets the deadline).

Each refusal names the field, in the reader's language; nothing is saved when one is refused.
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
from core.models.user import utcnow
from core.operations import Context, Refusal, operation
from core.security import EDIT, can
from plugins.institutionalization.models import ArticulationBody, BodyMember
from plugins.operations.sessions.fields import AGREEMENT, SESSION
from plugins.operations.sessions.models import SESSION_KINDS, InstanciaSession, SessionAgreement, SessionAttendance
from plugins.operations.sessions.quorum import eligible

CASE_TYPE = "instancia_session"
DEADLINE_RULE = "operations.session_agreement"
#: An agreement's deadline label, shown in the reader's language (core.deadlines.set_label).
AGREEMENT_LABEL = N_("Agreement No. %(number)s of %(session)s: %(text)s")
CLOSED_BODY_STATES = ("dissolved",)
ATTENDANCE_STATUSES = ("present", "absent", "excused")


def _refuse(field: str, message: str, status: int = 400) -> Refusal:
    return Refusal(message, status, {field: [message]})


def _session(ctx: Context, session_id: Any) -> InstanciaSession:
    return ctx.load(InstanciaSession, session_id, action=EDIT)


def _editable(ctx: Context, session: InstanciaSession, version: Any, *, append: bool = False) -> None:
    if append:
        lock_for_append(session)
    if not can(ctx.scope, "operations.sessions.edit", session):
        raise Refusal(_("You cannot change this session in its current state."), 403)
    check_version(session, version, append=append)


def _title(body: ArticulationBody, kind: str, number: int) -> str:
    return f"Sesión {SESSION_KINDS[kind]} N° {number} de la {body.acronym}"


def _number_taken(body_id: int, kind: str, number: int, year: int, except_id: int | None = None) -> bool:
    query = select(func.count(InstanciaSession.id)).where(
        InstanciaSession.body_id == body_id,
        InstanciaSession.kind == kind,
        InstanciaSession.number == number,
        InstanciaSession.year == year,
    )
    if except_id is not None:
        query = query.where(InstanciaSession.id != except_id)
    return bool(db.session.scalar(query))


def _check_number(number: int, body_id: int, kind: str, year: int, except_id: int | None = None) -> None:
    if number < 1:
        raise _refuse("number", _("«Session number» must be 1 or more."))
    if _number_taken(body_id, kind, number, year, except_id):
        raise _refuse(
            "number",
            _(
                "«Session number»: the body already has a session of this kind numbered %(n)s in %(year)s.",
                n=number,
                year=year,
            ),
        )


@operation("operations.sessions.session.create", fields=SESSION)
def create_session(ctx: Context, data: dict[str, Any]) -> InstanciaSession:
    """Convene a session of a coordination body (number, date, time, place, agenda)."""
    body = ctx.load(ArticulationBody, data.get("body_id"), action=EDIT)
    if body.state in CLOSED_BODY_STATES:
        raise _refuse("body_id", _("The coordination body is dissolved: it holds no sessions."))
    on: date = data["session_date"]
    data["kind"] = data.get("kind") or "ordinary"  # sent empty: the default
    _check_number(data["number"], body.id, data["kind"], on.year)
    values = {k: v for k, v in data.items() if k in SESSION.input_names and k != "body_id"}
    session = create_case(
        case_types()[CASE_TYPE],
        body.government,
        on.year,
        _title(body, data["kind"], data["number"]),
        ctx.user,
        ctx.scope,
        body_id=body.id,
        **values,
    )
    return session


@operation("operations.sessions.session.edit", fields=SESSION, partial=True, params=("session_id", "version"))
def edit_session(ctx: Context, data: dict[str, Any]) -> InstanciaSession:
    """Change a session's data; its date may not leave out an attendee or precede an agreement."""
    session = _session(ctx, data.get("session_id"))
    _editable(ctx, session, data.get("version"))
    if "body_id" in data and data["body_id"] != session.body_id:
        raise _refuse("body_id", _("A session cannot move to another coordination body."))
    kind, number = data.get("kind") or session.kind, data.get("number") or session.number
    on = data.get("session_date", session.session_date)
    _check_number(number, session.body_id, kind, on.year, session.id)
    for name in SESSION.input_names:
        if name in data and name != "body_id":
            setattr(session, name, data[name])
    if "session_date" in data:
        members = {m.id for m in eligible(session)}
        outside = [row.member.full_name for row in session.attendance if row.member_id not in members]
        if outside:
            raise _refuse(
                "session_date",
                _("«Session date»: %(names)s would not be members on that date.", names=", ".join(outside)),
            )
        early = [a.number for a in session.agreements if a.due_date < on]
        if early:
            raise _refuse("session_date", _("«Session date»: it would come after the due date of an agreement."))
    session.title = _title(session.body, kind, number)
    touch(session, ctx.user)
    db.session.flush()
    return session


def _attendance_rows(raw: Any) -> list[tuple[Any, Any]]:
    """``[{"member_id": 3, "status": "present"}, …]`` or ``{"3": "present", …}`` → pairs."""
    if isinstance(raw, dict):
        return list(raw.items())
    if isinstance(raw, list) and all(isinstance(row, dict) for row in raw):
        return [(row.get("member_id"), row.get("status")) for row in raw]
    raise _refuse("attendance", _("«Attendance» must list each member with their status."))


@operation("operations.sessions.attendance.record", params=("session_id", "version", "attendance"))
def record_attendance(ctx: Context, data: dict[str, Any]) -> InstanciaSession:
    """Take the attendance: each member of the body on the session's date, present, absent or excused.

    ``attendance``: ``[{"member_id", "status"}]``; members left out are recorded absent.
    """
    session = _session(ctx, data.get("session_id"))
    _editable(ctx, session, data.get("version"))
    members = {m.id: m for m in eligible(session)}
    given: dict[int, str] = {}
    for member_id, status in _attendance_rows(data.get("attendance")):
        try:
            key = int(member_id)
        except (TypeError, ValueError):
            raise _refuse("attendance", _("«Attendance»: «%(id)s» is not a member id.", id=member_id)) from None
        if key not in members:
            person = db.session.get(BodyMember, key)
            name = person.full_name if person is not None and person.body_id == session.body_id else f"id {key}"
            raise _refuse(
                "attendance",
                _(
                    "«Attendance»: %(name)s is not a member of the body on the session date (%(date)s).",
                    name=name,
                    date=long_date(session.session_date),
                ),
            )
        if status not in ATTENDANCE_STATUSES:
            raise _refuse(
                "attendance",
                _("«Attendance»: «%(status)s» is not present, absent or excused.", status=status),
            )
        given[key] = status
    rows = {row.member_id: row for row in session.attendance}
    for member_id in members:
        status = given.get(member_id, "absent")
        row = rows.get(member_id)
        if row is None:
            session.attendance.append(SessionAttendance(member_id=member_id, status=status))
        elif row.status != status:
            row.status = status
    for member_id, row in rows.items():  # a member whose period was corrected since
        if member_id not in members:
            session.attendance.remove(row)
    touch(session, ctx.user)
    db.session.flush()
    return session


def _deadline_for(session: InstanciaSession, agreement: SessionAgreement) -> Deadline | None:
    """The agreement's due date as a core deadline of the session (its reminders, the calendar feed,
    the overdue inbox). ``period`` numbers the session's agreements; ``start_date`` stays empty so
    ``recompute_due_dates`` leaves the agreed date alone (it recomputes event deadlines from it)."""
    rule = rule_by_key(DEADLINE_RULE)
    if rule is None or not rule.active:
        return None
    deadline = Deadline(
        rule=rule,
        government_id=session.government_id,
        year=session.year,
        case_id=session.id,
        period=agreement.number,
        due_date=agreement.due_date,
    )
    # the reminder and the calendar say what is due, not only where it was agreed
    set_label(deadline, AGREEMENT_LABEL, number=agreement.number, session=session.title, text=agreement.text)
    db.session.add(deadline)
    return deadline


@operation("operations.sessions.agreement.add", fields=AGREEMENT, params=("session_id", "version"))
def add_agreement(ctx: Context, data: dict[str, Any]) -> SessionAgreement:
    """Record an agreement of the session: text, responsible member and due date (a deadline)."""
    session = _session(ctx, data.get("session_id"))
    _editable(ctx, session, data.get("version"), append=True)
    if data.get("done_on") is not None:
        raise _refuse("done_on", _("«Done on» is recorded in the follow-up, once the agreement is done."))
    if data["due_date"] < session.session_date:
        raise _refuse(
            "due_date",
            _(
                "«Due date»: %(due)s is before the session date (%(date)s).",
                due=long_date(data["due_date"]),
                date=long_date(session.session_date),
            ),
        )
    if data["responsible_id"] not in {m.id for m in eligible(session)}:
        raise _refuse(
            "responsible_id",
            _(
                "«Responsible member»: choose a member of the body on the session date (%(date)s).",
                date=long_date(session.session_date),
            ),
        )
    number = (
        db.session.scalar(select(func.max(SessionAgreement.number)).where(SessionAgreement.session_id == session.id))
        or 0
    ) + 1
    agreement = SessionAgreement(
        session=session,
        number=number,
        text=data["text"],
        responsible_id=data["responsible_id"],
        due_date=data["due_date"],
        status=data.get("status") or "pending",
        notes=data.get("notes"),
    )
    db.session.add(agreement)
    db.session.flush()
    agreement.deadline = _deadline_for(session, agreement)
    _sync_deadline(agreement, ctx.user)
    touch(session, ctx.user, append=True)
    db.session.flush()
    return agreement


def _sync_deadline(agreement: SessionAgreement, user: Any) -> None:
    """Cumplido meets the agreement's deadline (on the day it was done); any other status reopens it."""
    deadline = agreement.deadline
    if agreement.status == "done":
        agreement.done_on = agreement.done_on or lima_today()
        if deadline is not None and deadline.met_at is None:  # met on the day it was done (met late if after)
            deadline.met_at, deadline.met_on = utcnow(), agreement.done_on
            deadline.met_by_id = getattr(user, "id", None)
            deadline.met_case_id = agreement.session_id
    else:
        agreement.done_on = None
        if deadline is not None:
            deadline.met_at = deadline.met_on = deadline.met_by_id = deadline.met_case_id = None


@operation(
    "operations.sessions.agreement.follow_up", fields=AGREEMENT, partial=True, params=("agreement_id", "version")
)
def follow_up(ctx: Context, data: dict[str, Any]) -> SessionAgreement:
    """Record how an agreement goes: pendiente, en proceso or cumplido (``status``) and ``notes``.

    Allowed in every state of the session, the approved acta included: follow-up comes after it.
    ``version`` is the session's version read.
    """
    agreement = ctx.load(
        SessionAgreement, data.get("agreement_id"), action=EDIT, government=lambda a: a.session.government
    )
    session = agreement.session
    if not can(ctx.scope, "operations.sessions.follow_up", session):
        raise Refusal(_("You do not have permission to do this."), 403)
    check_version(session, data.get("version"))
    unknown = sorted(set(data) - {"status", "notes", "done_on", "agreement_id", "version"})
    if unknown:
        message = _("Only the status, the date done and the notes of an agreement change in its follow-up.")
        raise Refusal(message, 400, {name: [message] for name in unknown})
    if "status" in data and data["status"] is not None:
        agreement.status = data["status"]
    if "notes" in data:
        agreement.notes = data["notes"]
    done_on = data.get("done_on")
    if done_on is not None:
        if done_on < session.session_date or done_on > lima_today():
            raise _refuse(
                "done_on",
                _(
                    "«Done on» must fall between the session date (%(date)s) and today.",
                    date=long_date(session.session_date),
                ),
            )
        if agreement.status != "done":
            raise _refuse("done_on", _("«Done on» is recorded only when the agreement is done."))
        agreement.done_on = done_on
        if agreement.deadline is not None and agreement.deadline.met_on is not None:
            agreement.deadline.met_on = done_on
    _sync_deadline(agreement, ctx.user)
    touch(session, ctx.user)
    db.session.flush()
    return agreement


def may_edit(scope: Any, session: InstanciaSession) -> bool:
    """Named action ``operations.sessions.edit``: change the session, its attendance and agreements."""
    return editable_by(session, scope)


def may_follow_up(scope: Any, session: InstanciaSession) -> bool:
    """Named action ``operations.sessions.follow_up``: the session's government writes, in any state
    but a cancelled session."""
    return session.state != "cancelled" and can(scope, EDIT, session.government)


OPERATIONS = [create_session, edit_session, record_attendance, add_agreement, follow_up]
