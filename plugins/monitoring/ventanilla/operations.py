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

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.extensions import db
from core.models import Government, Institution
from core.models.user import utcnow
from core.operations import Context, Refusal, operation
from core.security import EDIT, WRITE_ROLES, can
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.access import load_entry
from plugins.monitoring.ventanilla.fields import ENTRY, OFFICE, parse_labelled
from plugins.monitoring.ventanilla.models import (
    VentanillaEntry,
    VentanillaOffice,
    VentanillaStaff,
)
from plugins.monitoring.ventanilla.notices import mail_receipt, notify_staff
from plugins.monitoring.ventanilla.rules import (
    district,
    escalate,
    mark_recurrence,
    record_event,
    restart_term,
    serving_office,
)
from plugins.monitoring.ventanilla.settings import setting
from plugins.monitoring.ventanilla.terms import sync_deadline


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
            Membership.role.in_(sorted(WRITE_ROLES[EDIT])),
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
    restart_term(entry)
    record_event(entry, "registered", ctx if ctx.user else None, public=True)
    db.session.flush()
    sync_deadline(entry, getattr(ctx.user, "id", None))
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
    restart_term(entry)
    record_event(entry, "classified", ctx, public=True)
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
    restart_term(entry)
    record_event(entry, "referred", ctx, _text(data, "text", _("Note"), required=False), institution_id=institution.id)
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
            restart_term(entry)
        record_event(
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
]
