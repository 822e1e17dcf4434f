"""The Ventanilla's sweeps and its registry, as named operations (core.operations), run by the system (CLI,
cron) or the office: escalating overdue local entries to the region and communicating regional ones not
attended and recurrent to the national office, reminding overdue entries once, erasing personal data after the
retention period, and sending the quarterly registry through Submissions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from core.deadlines import lima_today, rule_by_key
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, operation
from plugins.monitoring.ventanilla.models import DONE_STATUSES, VentanillaEntry, VentanillaEvent, VentanillaOffice
from plugins.monitoring.ventanilla.notices import notify_staff
from plugins.monitoring.ventanilla.rules import escalate, record_event
from plugins.monitoring.ventanilla.settings import setting
from plugins.monitoring.ventanilla.terms import TERM_RULE, entry_deadline


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@operation("monitoring.ventanilla.entries.escalate", params=("today",))
def escalate_overdue(ctx: Context, data: dict[str, Any]) -> int:
    """Escalate every local entry past its due date and not attended to its regional Ventanilla."""
    if not ctx.scope.is_admin:
        raise Refusal(_("You do not have permission to do this."), 403)
    today = data.get("today") or lima_today()
    overdue = db.session.scalars(
        select(VentanillaEntry)
        .join(Government, Government.id == VentanillaEntry.government_id)
        .where(
            VentanillaEntry.due_date < today,
            VentanillaEntry.status.not_in(DONE_STATUSES),
            Government.kind != "regional",
        )
        .order_by(VentanillaEntry.id)
    )
    moved = 0
    for entry in list(overdue):
        if escalate(entry, ctx, _("Not attended in time: escalated to the regional Ventanilla (§5.1.4 b).")):
            moved += 1
    moved += communicate_national(ctx, today)
    db.session.flush()
    return moved


def communicate_national(ctx: Context, today: date) -> int:
    """§5.2.4 c: a regional entry not attended in time AND recurrent is communicated to the competent national
    office of the program or sector (the institution it was referred to, else the one it concerns), once, with
    an Oficio (pages: /entradas/<id>/oficio.pdf?nacional=1). Returns how many were communicated."""
    already = select(VentanillaEvent.entry_id).where(VentanillaEvent.kind == "national")
    candidates = db.session.scalars(
        select(VentanillaEntry)
        .join(Government, Government.id == VentanillaEntry.government_id)
        .where(
            VentanillaEntry.due_date < today,
            VentanillaEntry.status.not_in(DONE_STATUSES),
            VentanillaEntry.recurrent.is_(True),
            Government.kind == "regional",
            VentanillaEntry.id.not_in(already),
        )
        .order_by(VentanillaEntry.id)
    )
    count = 0
    for entry in list(candidates):
        institution_id = entry.referred_to_id or entry.institution_id
        if institution_id is None:
            continue  # no competent office known yet: the staff refers it first
        record_event(
            entry,
            "national",
            ctx,
            _("Not attended and recurrent: communicated to the competent national office (§5.2.4 c)."),
            public=True,
            institution_id=institution_id,
        )
        notify_staff(entry, overdue=True)
        count += 1
    return count


def _reminded_by_core(entry: VentanillaEntry) -> frozenset[int]:
    """The users the core's reminder sweep tells of this entry's deadline (core.deadlines.reminders)."""
    from core.deadlines.settings import REMINDED_ROLES
    from core.models import Membership

    rule = rule_by_key(TERM_RULE)
    if rule is None or not rule.active or entry_deadline(entry.id, rule.id) is None:
        return frozenset()  # no core deadline (the rule switched off): no core reminder either
    query = select(Membership.user_id).where(
        Membership.government_id == entry.government_id, Membership.role.in_(REMINDED_ROLES)
    )
    return frozenset(db.session.scalars(query))


@operation("monitoring.ventanilla.entries.remind", params=("today",))
def remind_overdue(ctx: Context, data: dict[str, Any]) -> int:
    """Remind the holding office's staff of each entry past its due date; once per entry (recorded)."""
    if not ctx.scope.is_admin:
        raise Refusal(_("You do not have permission to do this."), 403)
    today = data.get("today") or lima_today()
    overdue = db.session.scalars(
        select(VentanillaEntry)
        .where(
            VentanillaEntry.due_date < today,
            VentanillaEntry.status.not_in(DONE_STATUSES),
            VentanillaEntry.reminded_on.is_(None),
        )
        .order_by(VentanillaEntry.id)
    )
    count = 0
    for entry in list(overdue):
        # the entry's due date is a core deadline too: its government's teams and coordinators get the core
        # reminder of it, so this one goes to the other staff of the office only (nobody is told twice)
        notify_staff(entry, overdue=True, skip=_reminded_by_core(entry))
        entry.reminded_on = today
        count += 1
    db.session.flush()
    return count


def erase_personal_data(today: date | None = None) -> int:
    """The retention setting: personal data of entries closed more than N months ago is erased, the
    anonymous record stays. Returns how many entries were cleared."""
    months = int(setting("VENTANILLA_RETENTION_MONTHS"))
    if months <= 0:
        return 0
    cutoff = datetime.combine(today or lima_today(), datetime.min.time()) - timedelta(days=30 * months)
    result = db.session.execute(
        update(VentanillaEntry)
        .where(
            VentanillaEntry.status == "closed",
            VentanillaEntry.closed_at < cutoff,
            (VentanillaEntry.name.is_not(None))
            | (VentanillaEntry.dni.is_not(None))
            | (VentanillaEntry.phone.is_not(None))
            | (VentanillaEntry.email.is_not(None)),
        )
        .values(name=None, dni=None, phone=None, email=None, version=VentanillaEntry.version + 1)
    )
    return result.rowcount or 0


@operation("monitoring.ventanilla.registry.send", params=("government_id", "year", "quarter", "content"))
def send_registry(ctx: Context, data: dict[str, Any]) -> Any:
    """Issue the quarter's registry (``content``: its PDF, rendered by the caller before the transaction) and
    send it through Submissions: a local one to its regional government, the regional one to the ST-CIAS."""
    import hashlib

    from core.documents.models import IssuedDocument
    from core.documents.verification import new_code
    from core.submissions import SubmissionError, submit
    from plugins.monitoring.ventanilla import registry as registries

    government = db.session.get(Government, _int(data.get("government_id")) or 0)
    ctx.require("edit", government)
    if db.session.scalar(select(VentanillaOffice.id).where(VentanillaOffice.government_id == government.id)) is None:
        raise Refusal(_("This government has no Ventanilla CRECER yet."), 409)
    year, quarter = _int(data.get("year")), _int(data.get("quarter"))
    if year is None or not 2000 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        message = _("Choose a year and a quarter (1 to 4).")
        raise Refusal(message, 400, {"quarter": [message]})
    if registries.quarter_bounds(year, quarter)[1].date() > lima_today():
        message = _("The quarter has not ended yet.")
        raise Refusal(message, 400, {"quarter": [message]})
    probe = registries.Registry(government, year, quarter, [])
    sent = db.session.scalar(
        select(IssuedDocument.id).where(
            IssuedDocument.government_id == government.id,
            IssuedDocument.template_key == registries.TEMPLATE_KEY,
            IssuedDocument.number == probe.number,
        )
    )
    if sent is not None:
        raise Refusal(_("The registry of that quarter was already sent."), 409)
    content: bytes = data["content"]
    document = IssuedDocument(
        case_id=None,
        government_id=government.id,
        year=year,
        template_key=registries.TEMPLATE_KEY,
        number=probe.number,
        title=f"{probe.title} — {probe.period}",
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        size=len(content),
        issued_by_id=getattr(ctx.user, "id", None),
        code=new_code(),
    )
    db.session.add(document)
    db.session.flush()
    rule = registries.REGIONAL_RULE if government.kind == "regional" else registries.LOCAL_RULE
    try:
        return submit(
            government,
            [document.id],
            ctx.user,
            ctx.scope,
            year=year,
            rule_key=rule,
            note=f"Registro del {probe.period}",
            period=quarter,
        )
    except SubmissionError as error:
        raise Refusal(str(error), getattr(error, "status", 400)) from error


OPERATIONS = [escalate_overdue, remind_overdue, send_registry]
