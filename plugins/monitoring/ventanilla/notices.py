"""Notices of the Ventanilla: the holding office's staff told at once (emergency, escalation, overdue) in the
application and by e-mail when mail is configured, and the citizen's copy of their code by e-mail."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models.user import utcnow
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice, VentanillaStaff


def staff_users(office: VentanillaOffice) -> list[Any]:
    from core.models import Membership, User

    designated = select(VentanillaStaff.user_id).where(VentanillaStaff.office_id == office.id)
    coordinators = select(Membership.user_id).where(
        Membership.government_id == office.government_id, Membership.role == "coordinator"
    )
    query = select(User).where(User.active.is_(True), User.id.in_(designated.union(coordinators))).order_by(User.id)
    return list(db.session.scalars(query))


def notify_staff(entry: VentanillaEntry, *, overdue: bool = False, skip: frozenset[int] = frozenset()) -> None:
    """An in-app notice (and an e-mail when mail is configured) to the holding office's staff, at once, each in
    their own language; ``skip``: users already told another way (the core's deadline reminder)."""
    from flask_babel import force_locale

    from core.deadlines.models import Notification
    from core.i18n import recipient_locale
    from core.notifications import queue_mail

    link = f"/seguimiento/ventanilla/entradas/{entry.id}"
    for user in staff_users(entry.office):
        if user.id in skip:
            continue
        with force_locale(recipient_locale(user.locale)):
            kind = _("EMERGENCY") if entry.emergency else _("Past its due date") if overdue else _("Escalated")
            text = _(
                "Ventanilla CRECER %(code)s (%(kind)s): %(office)s must attend it by %(due)s.",
                code=codes.display(entry.code),
                kind=kind,
                office=entry.office.name,
                due=entry.due_date.isoformat() if entry.due_date else "—",
            )
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
