"""The Ventanilla's rules, used by its operations: which office serves a place, the due date in working days,
the recurrence rule, the timeline event every step writes, and escalation to the regional Ventanilla."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import inspect, select, update
from sqlalchemy.orm.attributes import flag_modified

from core.deadlines import calendar_for, lima_today
from core.extensions import db
from core.models import Government, Territory
from core.models.user import utcnow
from core.operations import Context
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaEvent, VentanillaOffice
from plugins.monitoring.ventanilla.notices import notify_staff
from plugins.monitoring.ventanilla.settings import setting
from plugins.monitoring.ventanilla.terms import sync_deadline


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


def restart_term(entry: VentanillaEntry) -> None:
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


def record_event(
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
        # every step may move, meet or reopen the entry's Plazos deadline (a new entry: after its first flush)
        sync_deadline(entry, event.user_id)
    return event


def escalate(entry: VentanillaEntry, ctx: Context | None, reason: str) -> bool:
    """Move a local entry to its regional Ventanilla (§5.1.4 b), keeping its history and origin."""
    region = regional_office(entry.office)
    if region is None or region.id == entry.office_id:
        return False
    entry.office_id = region.id
    entry.office = region
    entry.government_id = region.government_id
    entry.escalated = True
    restart_term(entry)
    record_event(entry, "escalated", ctx, reason, public=True)
    notify_staff(entry)
    return True
