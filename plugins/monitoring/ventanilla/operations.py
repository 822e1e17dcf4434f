"""The writes of the Ventanilla CRECER, as named operations (core.operations):

- ``monitoring.ventanilla.office.save`` / ``.staff.add`` / ``.staff.remove``: an office and who attends it;
- ``monitoring.ventanilla.entry.submit``: a citizen's entry from the public page or JSON (no user);
- ``monitoring.ventanilla.entry.register``: an in-person or phone entry typed by the office's staff;
- ``monitoring.ventanilla.entry.<action>``: classify, refer, program_answer, answer, resolve, close, reopen,
  note — each one a timeline event; answers and status changes are public, notes never;
- ``monitoring.ventanilla.entries.escalate``: the sweep (CLI/cron) that sends overdue local entries up.

Refusals are Spanish through gettext and name the field; nothing is saved when one is refused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm.attributes import flag_modified

from core.deadlines import calendar_for, lima_today
from core.extensions import db
from core.models import Government, Institution, SocialProgram, Territory
from core.models.user import utcnow
from core.operations import Context, Refusal, operation
from core.security import can
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.access import load_entry
from plugins.monitoring.ventanilla.fields import ENTRY, OFFICE, parse_labelled
from plugins.monitoring.ventanilla.models import (
    DONE_STATUSES,
    VentanillaEntry,
    VentanillaEvent,
    VentanillaOffice,
    VentanillaStaff,
)
from plugins.monitoring.ventanilla.settings import setting


def _refuse(field: str, message: str, status: int = 400) -> Refusal:
    return Refusal(message, status, {field: [message]})


# --- offices -------------------------------------------------------------------------------------------------


@operation("monitoring.ventanilla.office.save", fields=OFFICE, params=("government_id", "version"))
def save_office(ctx: Context, data: dict[str, Any]) -> VentanillaOffice:
    """Create or change the Ventanilla of a government (``government_id``); regional ones may be virtual."""
    government = db.session.get(Government, _int(data.get("government_id")))
    ctx.require("read", government)
    if not can(ctx.scope, "monitoring.ventanilla.manage", government):
        raise Refusal(_("You do not have permission to do this."), 403)
    if data.get("channel") == "virtual_and_in_person" and government.kind != "regional":
        raise _refuse("channel", _("Only a regional Ventanilla attends online; a local one attends in person."))
    office = db.session.scalar(select(VentanillaOffice).where(VentanillaOffice.government_id == government.id))
    if office is None:
        office = VentanillaOffice(government_id=government.id)
        db.session.add(office)
    elif data.get("version") not in (None, "") and str(office.version) != str(data["version"]):
        raise Refusal(_("The record was changed by someone else. Reload it and try again."), 409)
    for name in OFFICE.input_names:
        if name in data and data[name] is not None:
            setattr(office, name, data[name])
    db.session.flush()
    return office


def _office_for_manage(ctx: Context, office_id: Any) -> VentanillaOffice:
    office = ctx.load(VentanillaOffice, office_id)
    if not can(ctx.scope, "monitoring.ventanilla.manage", office.government):
        raise Refusal(_("You do not have permission to do this."), 403)
    return office


@operation("monitoring.ventanilla.staff.add", params=("office_id", "user_id"))
def add_staff(ctx: Context, data: dict[str, Any]) -> VentanillaStaff:
    """Designate a team member of the office's government to attend it."""
    from core.models import Membership

    office = _office_for_manage(ctx, data.get("office_id"))
    user_id = _int(data.get("user_id"))
    member = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user_id,
            Membership.government_id == office.government_id,
            Membership.role.in_(("team", "coordinator")),
        )
    )
    if member is None:
        raise _refuse("user_id", _("Only a team member or coordinator of the government can attend its Ventanilla."))
    existing = db.session.scalar(
        select(VentanillaStaff).where(VentanillaStaff.office_id == office.id, VentanillaStaff.user_id == user_id)
    )
    if existing is not None:
        return existing
    staff = VentanillaStaff(office_id=office.id, user_id=user_id)
    db.session.add(staff)
    db.session.flush()
    return staff


@operation("monitoring.ventanilla.staff.remove", params=("office_id", "user_id"))
def remove_staff(ctx: Context, data: dict[str, Any]) -> VentanillaOffice:
    """Stop a user attending the office."""
    office = _office_for_manage(ctx, data.get("office_id"))
    user_id = _int(data.get("user_id"))
    for staff in list(office.staff):
        if staff.user_id == user_id:
            db.session.delete(staff)
    db.session.flush()
    return office


# --- the office serving a place, due dates, recurrence ---------------------------------------------------------


def district(ubigeo: str | None) -> Territory | None:
    if not ubigeo:
        return None
    return db.session.scalar(select(Territory).where(Territory.ubigeo == ubigeo, Territory.level == "district"))


def serving_office(place: Territory) -> VentanillaOffice | None:
    """The open office nearest the district: the district's, else its province's, else its region's."""
    ids = [place.id, place.parent_id, place.parent.parent_id if place.parent else None]
    rows = db.session.execute(
        select(VentanillaOffice, Government.territory_id)
        .join(Government, Government.id == VentanillaOffice.government_id)
        .where(Government.territory_id.in_([i for i in ids if i]), VentanillaOffice.active.is_(True))
    ).all()
    by_territory = {territory_id: office for office, territory_id in rows}
    return next((by_territory[i] for i in ids if i in by_territory), None)


def regional_office(office: VentanillaOffice) -> VentanillaOffice | None:
    government = office.government
    region_id = government.id if government.kind == "regional" else government.region_id
    return db.session.scalar(
        select(VentanillaOffice).where(VentanillaOffice.government_id == region_id, VentanillaOffice.active.is_(True))
    )


def due_date_for(entry: VentanillaEntry, start: date) -> date:
    """N working days after ``start`` (setting per kind; the emergency term for an emergency), on the
    calendar of the office's region (national holidays and its non-working days)."""
    days = (
        setting("VENTANILLA_EMERGENCY_DAYS") if entry.emergency else setting("VENTANILLA_DUE_DAYS").get(entry.kind, 10)
    )
    return calendar_for(entry.office.government).add_working_days(start, int(days))


def _set_due(entry: VentanillaEntry) -> None:
    """A new term starts today (registration, classification, referral, reopening, escalation)."""
    entry.due_date = due_date_for(entry, lima_today())
    entry.reminded_on = None


def mark_recurrence(entry: VentanillaEntry) -> bool:
    """The recurrence rule: at least VENTANILLA_RECURRENCE_COUNT entries (this one included) about the same
    program (or, without one, the same sector) in the same district within VENTANILLA_RECURRENCE_DAYS days.
    Marks them all recurrent; returns whether this one is."""
    if entry.program_id is None and entry.institution_id is None:
        return False
    since = (entry.created_at or utcnow()) - timedelta(days=int(setting("VENTANILLA_RECURRENCE_DAYS")))
    same = [VentanillaEntry.place_id == entry.place_id, VentanillaEntry.created_at >= since]
    if entry.program_id is not None:
        same.append(VentanillaEntry.program_id == entry.program_id)
    else:
        same.append(VentanillaEntry.institution_id == entry.institution_id)
    ids = list(db.session.scalars(select(VentanillaEntry.id).where(*same)))
    if len(ids) < int(setting("VENTANILLA_RECURRENCE_COUNT")):
        return False
    db.session.execute(
        update(VentanillaEntry)
        .where(VentanillaEntry.id.in_(ids), VentanillaEntry.recurrent.is_(False))
        .values(recurrent=True, version=VentanillaEntry.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    return True


def _event(
    entry: VentanillaEntry,
    kind: str,
    ctx: Context | None,
    text: str | None = None,
    *,
    public: bool = False,
    institution_id: int | None = None,
) -> VentanillaEvent:
    event = VentanillaEvent(
        entry=entry,
        kind=kind,
        text=text,
        public=public,
        institution_id=institution_id,
        user_id=getattr(ctx.user, "id", None) if ctx else None,
        at=utcnow(),
    )
    db.session.add(event)
    if inspect(entry).persistent:
        flag_modified(entry, "status")  # every step bumps the entry's version: a stale form is refused (409)
    return event


# --- intake -------------------------------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _new_entry(ctx: Context, data: dict[str, Any], office: VentanillaOffice | None, channel: str) -> VentanillaEntry:
    parsed = parse_labelled(ENTRY, {k: v for k, v in data.items() if k in ENTRY.input_names})
    place = district(parsed["place"])
    if place is None:
        raise _refuse("place", _("«District»: there is no district with that code; choose it from the list."))
    office = office or serving_office(place)
    if office is None:
        raise _refuse("place", _("There is no Ventanilla CRECER serving that district yet."))
    program_id = _int(parsed.get("program_id"))
    institution_id = _int(parsed.get("institution_id"))
    code = codes.new_code()
    while db.session.scalar(select(VentanillaEntry.id).where(VentanillaEntry.code == code)) is not None:
        code = codes.new_code()  # a clash is astronomically rare; the unique index is the real guard
    entry = VentanillaEntry(
        code=code,
        office=office,
        office_id=office.id,
        origin_office_id=office.id,
        government_id=office.government_id,
        origin_government_id=office.government_id,
        channel=channel,
        kind=parsed["kind"],
        request_kind=parsed.get("request_kind"),
        program_id=program_id,
        institution_id=institution_id,
        place_id=place.id,
        description=parsed["description"],
        emergency=bool(data.get("emergency")) and channel != "online",
        name=parsed.get("name"),
        dni=parsed.get("dni"),
        phone=parsed.get("phone"),
        email=parsed.get("email"),
        consent=bool(parsed.get("consent")),
        ip_hash=data.get("ip_hash"),
        created_at=utcnow(),
        status="registered",
    )
    db.session.add(entry)
    _set_due(entry)
    _event(entry, "registered", ctx if ctx.user else None, public=True)
    db.session.flush()
    if mark_recurrence(entry):
        db.session.refresh(entry)
        if entry.office.government.kind != "regional":
            escalate(entry, None, _("Recurrent: escalated to the regional Ventanilla (§5.1.4 b)."))
    if entry.emergency:
        notify_staff(entry)
    return entry


@operation("monitoring.ventanilla.entry.submit", params=("ip_hash", "website", "attachments"))
def submit_entry(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
    """A citizen's entry (public page or JSON), anonymous if they wish: limited per sender address."""
    if data.get("website"):  # the honeypot: a field people never see, that robots fill
        raise Refusal(_("The form could not be accepted. Reload the page and try again."), 400)
    if data.get("ip_hash"):
        since = utcnow() - timedelta(hours=1)
        sent = db.session.scalar(
            select(func.count(VentanillaEntry.id)).where(
                VentanillaEntry.ip_hash == data["ip_hash"], VentanillaEntry.created_at >= since
            )
        )
        if sent >= int(setting("VENTANILLA_SUBMISSIONS_PER_HOUR")):
            raise Refusal(_("Too many entries were sent from this connection. Wait an hour and try again."), 429)
    entry = _new_entry(ctx, data, None, "online")
    _store_attachments(entry, data.get("attachments") or [])
    if entry.email:
        mail_receipt(entry)
    return entry


@operation("monitoring.ventanilla.entry.register", params=("office_id", "channel", "emergency"))
def register_entry(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
    """An entry received in person or by phone (``channel``), typed by the office's staff."""
    office = ctx.load(VentanillaOffice, data.get("office_id"))
    if not can(ctx.scope, "monitoring.ventanilla.attend", (office, ctx.user)):
        raise Refusal(_("Only the staff of this Ventanilla can register its entries."), 403)
    channel = data.get("channel") or "in_person"
    if channel not in ("in_person", "phone"):
        raise _refuse("channel", _("«Channel» must be in person or by phone."))
    return _new_entry(ctx, data, office, channel)


def _store_attachments(entry: VentanillaEntry, uploads: list[Any]) -> None:
    """Check and store each file through the core's attachment store (type sniffed, size limited)."""
    from core.attachments.storage import AttachmentError, store
    from plugins.monitoring.ventanilla.models import VentanillaAttachment

    uploads = [u for u in uploads if getattr(u, "filename", None)]
    if len(uploads) > int(setting("VENTANILLA_MAX_ATTACHMENTS")):
        raise _refuse(
            "attachments",
            _("You can attach at most %(n)s files.", n=setting("VENTANILLA_MAX_ATTACHMENTS")),
        )
    for upload in uploads:
        try:
            stored = store(upload.stream, upload.filename)
        except AttachmentError as error:
            raise Refusal(str(error), error.status) from error  # not a form field: the message alone
        entry.attachments.append(
            VentanillaAttachment(
                filename=stored.filename, content_type=stored.content_type, size=stored.size, sha256=stored.sha256
            )
        )


# --- staff actions on an entry ----------------------------------------------------------------------------------


def _attended(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
    entry = load_entry(data.get("entry_id"), ctx.scope)
    if not can(ctx.scope, "monitoring.ventanilla.attend", (entry.office, ctx.user)):
        raise Refusal(_("Only the staff of the Ventanilla holding this entry can act on it."), 403)
    version = data.get("version")
    if version not in (None, "") and str(version) != str(entry.version):
        raise Refusal(_("The record was changed by someone else. Reload it and try again."), 409)
    return entry


def _text(data: dict[str, Any], field: str, label: str, *, required: bool = True) -> str | None:
    text = (data.get(field) or "").strip()
    if required and not text:
        raise _refuse(field, _("«%(label)s» is required.", label=label))
    if len(text) > 5000:
        raise _refuse(field, _("«%(label)s» may have at most %(n)s characters.", label=label, n=5000))
    return text or None


def _open(entry: VentanillaEntry) -> None:
    if entry.status == "closed":
        raise Refusal(_("The entry is closed; reopen it first."), 409)


ACTION_PARAMS = ("entry_id", "version")


@operation(
    "monitoring.ventanilla.entry.classify",
    params=(*ACTION_PARAMS, "kind", "request_kind", "program_id", "institution_id", "emergency"),
)
def classify_entry(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
    """Set the kind, the program or sector concerned and the emergency flag (DS 6: notifies the staff)."""
    entry = _attended(ctx, data)
    _open(entry)
    parsed = parse_labelled(
        ENTRY, {k: data[k] for k in ("kind", "request_kind", "program_id", "institution_id") if k in data}, partial=True
    )
    for name in ("kind", "request_kind"):
        if name in parsed:
            setattr(entry, name, parsed[name])
    if "program_id" in parsed:
        entry.program_id = _int(parsed["program_id"])
    if "institution_id" in parsed:
        entry.institution_id = _int(parsed["institution_id"])
    became_emergency = bool(data.get("emergency")) and not entry.emergency
    entry.emergency = bool(data.get("emergency"))
    if entry.status == "registered":
        entry.status = "classified"
    _set_due(entry)
    _event(entry, "classified", ctx, public=True)
    db.session.flush()
    mark_recurrence(entry)
    if became_emergency:
        notify_staff(entry)
    return entry


@operation("monitoring.ventanilla.entry.refer", params=(*ACTION_PARAMS, "institution_id", "text"))
def refer_entry(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
    """Refer the entry to a program or sector (an institution of the catalog), with an Oficio de derivación;
    the program's answer is due in working days from today."""
    entry = _attended(ctx, data)
    _open(entry)
    institution = db.session.get(Institution, _int(data.get("institution_id")) or 0)
    if institution is None:
        raise _refuse("institution_id", _("Choose the institution the entry is referred to."))
    entry.referred_to_id = institution.id
    entry.status = "referred"
    _set_due(entry)
    _event(entry, "referred", ctx, _text(data, "text", _("Note"), required=False), institution_id=institution.id)
    db.session.flush()
    return entry


def _simple(kind: str, status: str | None, *, public: bool, required: bool = True) -> Any:
    def action(ctx: Context, data: dict[str, Any]) -> VentanillaEntry:
        entry = _attended(ctx, data)
        if kind == "reopened":
            if entry.status != "closed":
                raise Refusal(_("Only a closed entry can be reopened."), 409)
        elif kind != "note":
            _open(entry)
        text = _text(data, "text", _("Text"), required=required)
        if kind == "program_answer" and entry.referred_to_id is None:
            raise Refusal(_("The entry was not referred to any program or sector."), 409)
        if status is not None:
            entry.status = status
        now = utcnow()
        if kind == "answered" and entry.answered_at is None:
            entry.answered_at = now
        if kind == "closed":
            entry.closed_at = now
        if kind == "reopened":
            entry.closed_at = None
            _set_due(entry)
        _event(
            entry,
            kind,
            ctx,
            text,
            public=public,
            institution_id=entry.referred_to_id if kind == "program_answer" else None,
        )
        db.session.flush()
        return entry

    return action


program_answer = operation("monitoring.ventanilla.entry.program_answer", params=(*ACTION_PARAMS, "text"))(
    _simple("program_answer", "program_answered", public=False)
)
answer_entry = operation("monitoring.ventanilla.entry.answer", params=(*ACTION_PARAMS, "text"))(
    _simple("answered", "answered", public=True)
)
resolve_entry = operation("monitoring.ventanilla.entry.resolve", params=(*ACTION_PARAMS, "text"))(
    _simple("resolved", "resolved", public=True, required=False)
)
close_entry = operation("monitoring.ventanilla.entry.close", params=(*ACTION_PARAMS, "text"))(
    _simple("closed", "closed", public=True, required=False)
)
reopen_entry = operation("monitoring.ventanilla.entry.reopen", params=(*ACTION_PARAMS, "text"))(
    _simple("reopened", "classified", public=True)
)
add_note = operation("monitoring.ventanilla.entry.note", params=(*ACTION_PARAMS, "text"))(
    _simple("note", None, public=False)
)
for _op, _doc in (
    (program_answer, "Record the answer of the program or sector the entry was referred to (internal)."),
    (answer_entry, "Answer the citizen (public on the tracking page)."),
    (resolve_entry, "Mark the entry resolved, with an optional public text."),
    (close_entry, "Close the entry."),
    (reopen_entry, "Reopen a closed entry, saying why; a new due date starts."),
    (add_note, "Add an internal note (never public)."),
):
    _op.function.__doc__ = _doc


# --- escalation ------------------------------------------------------------------------------------------------------


def escalate(entry: VentanillaEntry, ctx: Context | None, reason: str) -> bool:
    """Move a local entry to its regional Ventanilla (§5.1.4 b), keeping its history and origin."""
    region = regional_office(entry.office)
    if region is None or region.id == entry.office_id:
        return False
    entry.office_id = region.id
    entry.office = region
    entry.government_id = region.government_id
    entry.escalated = True
    _set_due(entry)
    _event(entry, "escalated", ctx, reason, public=True)
    notify_staff(entry)
    return True


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
        _event(
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
        notify_staff(entry, overdue=True)
        entry.reminded_on = today
        count += 1
    db.session.flush()
    return count


# --- notices -------------------------------------------------------------------------------------------------------


def staff_users(office: VentanillaOffice) -> list[Any]:
    from core.models import Membership, User

    designated = select(VentanillaStaff.user_id).where(VentanillaStaff.office_id == office.id)
    coordinators = select(Membership.user_id).where(
        Membership.government_id == office.government_id, Membership.role == "coordinator"
    )
    query = select(User).where(User.active.is_(True), User.id.in_(designated.union(coordinators))).order_by(User.id)
    return list(db.session.scalars(query))


def notify_staff(entry: VentanillaEntry, *, overdue: bool = False) -> None:
    """An in-app notice (and an e-mail when mail is configured) to the holding office's staff, at once."""
    from core.deadlines.models import Notification
    from core.notifications import queue_mail

    link = f"/seguimiento/ventanilla/entradas/{entry.id}"
    kind = _("EMERGENCY") if entry.emergency else _("Overdue") if overdue else _("Escalated")
    text = _(
        "Ventanilla CRECER %(code)s (%(kind)s): %(office)s must attend it by %(due)s.",
        code=codes.display(entry.code),
        kind=kind,
        office=entry.office.name,
        due=entry.due_date.isoformat() if entry.due_date else "—",
    )
    for user in staff_users(entry.office):
        db.session.add(Notification(user_id=user.id, message=text, link=link, created_at=utcnow()))
        queue_mail(user.email, f"[Articula] {text[:120]}", f"{text}\n\n{link}\n")


def mail_receipt(entry: VentanillaEntry) -> None:
    """The citizen's copy by e-mail (sent after the commit; a mail server down loses only the copy)."""
    from core.deadlines import base_url
    from core.notifications import queue_mail

    url = f"{base_url()}/ventanilla/seguimiento?codigo={codes.display(entry.code)}"
    body = _(
        "We registered your entry in the Ventanilla CRECER %(office)s on %(date)s.\n\nYour tracking code is "
        "%(code)s. Follow it at %(url)s\n\nThe Ventanilla CRECER is free of charge.",
        office=entry.office.government.name,
        date=entry.created_at.strftime("%d/%m/%Y"),
        code=codes.display(entry.code),
        url=url,
    )
    queue_mail(entry.email, _("Ventanilla CRECER: your tracking code %(code)s", code=codes.display(entry.code)), body)


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


OPERATIONS = [
    save_office,
    add_staff,
    remove_staff,
    submit_entry,
    register_entry,
    classify_entry,
    refer_entry,
    program_answer,
    answer_entry,
    resolve_entry,
    close_entry,
    reopen_entry,
    add_note,
    escalate_overdue,
    remind_overdue,
]

__all__ = ["OPERATIONS", "SocialProgram"]


# --- the quarterly registry ---------------------------------------------------------------------------------------


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
        raise _refuse("quarter", _("Choose a year and a quarter (1 to 4)."))
    if registries.quarter_bounds(year, quarter)[1].date() > lima_today():
        raise _refuse("quarter", _("The quarter has not ended yet."))
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


OPERATIONS.append(send_registry)
