"""Deadline reminders: who is reminded of what, by e-mail (MAIL_SERVER) or in the application."""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from core.deadlines.due_dates import english_label
from core.deadlines.generation import generate_deadlines
from core.deadlines.models import Deadline, DeadlineRule, Notification, Reminder
from core.deadlines.scopes import rule_link
from core.deadlines.settings import REMINDED_ROLES, SETTINGS, due_soon_days, lima_today, log
from core.extensions import db
from core.i18n import reader_date, reads_english, recipient_locale
from core.models import Membership, User
from core.models.user import utcnow

# --- reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderItem:
    """One reminder to send, as plain values (they outlive the per-recipient commits)."""

    deadline_id: int
    label: str
    label_en: str | None  # the English label (a composed one or the rule's), for English readers
    government: str
    due_date: date
    link: str
    kind: str  # due_soon | late


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str
    locale: str | None


@dataclass
class RemindResult:
    email: int = 0
    in_app: int = 0
    failures: list[str] = field(default_factory=list)


def base_url() -> str:
    return (current_app.config.get("BASE_URL") or "").rstrip("/")


def deadline_link(deadline: Deadline) -> str:
    """Where a reminder points: the case, the record its rule names (``link_for``), or the government's
    deadlines of that year."""
    if deadline.case_id:
        return f"/expedientes/{deadline.case_id}"
    own = rule_link(deadline.rule.key, deadline)
    if own:
        return own
    return f"/plazos/?view=government&government={deadline.government_id}&year={deadline.year}"


def reminder_text(item: ReminderItem, today: date) -> str:
    """One line of a reminder, in the current locale (``force_locale`` per recipient)."""
    values = {
        "label": item.label_en if item.label_en and reads_english() else item.label,
        "government": item.government,
        "due": reader_date(item.due_date),
    }
    if item.kind == "late":
        return _("The deadline «%(label)s» of %(government)s was due on %(due)s and is not recorded as met.", **values)
    days = (item.due_date - today).days
    if days == 0:
        return _("The deadline «%(label)s» of %(government)s is due today, %(due)s.", **values)
    if days == 1:
        return _("The deadline «%(label)s» of %(government)s is due tomorrow, %(due)s.", **values)
    return _("The deadline «%(label)s» of %(government)s is due in %(days)s days, %(due)s.", days=days, **values)


def pending_reminders(today: date) -> dict[int, tuple[Recipient, list[ReminderItem]]]:
    """Reminders not sent yet, by user: unmet deadlines due soon or late (since last year), for the
    active teams and coordinators of each deadline's government."""
    soon = today + timedelta(days=due_soon_days())
    deadlines = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            DeadlineRule.active.is_(True),
            Deadline.met_at.is_(None),
            Deadline.due_date <= soon,
            Deadline.due_date >= date(today.year - 1, 1, 1),
        )
        .options(joinedload(Deadline.government), contains_eager(Deadline.rule))
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    if not deadlines:
        return {}
    gov_ids = {d.government_id for d in deadlines}
    members: dict[int, list[Recipient]] = defaultdict(list)
    for gov_id, user_id, address, name, locale in db.session.execute(
        select(Membership.government_id, User.id, User.email, User.name, User.locale)
        .join(User, User.id == Membership.user_id)
        .where(Membership.government_id.in_(gov_ids), Membership.role.in_(REMINDED_ROLES), User.active.is_(True))
        .order_by(User.id)
    ):
        recipient = Recipient(user_id, address, name, locale)
        if recipient not in members[gov_id]:  # a team member who is also coordinator: once
            members[gov_id].append(recipient)
    sent = set(
        db.session.execute(
            select(Reminder.deadline_id, Reminder.user_id, Reminder.kind).where(
                Reminder.deadline_id.in_([d.id for d in deadlines])
            )
        ).all()
    )
    by_user: dict[int, tuple[Recipient, list[ReminderItem]]] = {}
    for d in deadlines:
        kind = "late" if d.due_date < today else "due_soon"
        label_en = english_label(d)
        item = ReminderItem(d.id, d.label, label_en, d.government.name, d.due_date, deadline_link(d), kind)
        for user in members.get(d.government_id, []):
            if (d.id, user.id, kind) not in sent:
                by_user.setdefault(user.id, (user, []))[1].append(item)
    return by_user


class Mailer:
    """One SMTP connection for a run of reminders (smtplib; TLS and login when configured)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        timeout = float(c.get("MAIL_TIMEOUT") or 30)
        if c.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(c["MAIL_SERVER"], int(c.get("MAIL_PORT") or 465), timeout=timeout)
        else:
            smtp = smtplib.SMTP(c["MAIL_SERVER"], int(c.get("MAIL_PORT") or 25), timeout=timeout)
            if c.get("MAIL_USE_TLS"):
                smtp.starttls()
        if c.get("MAIL_USERNAME"):
            smtp.login(c["MAIL_USERNAME"], c.get("MAIL_PASSWORD") or "")
        return smtp

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.config.get("MAIL_FROM") or SETTINGS["MAIL_FROM"]
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="articula")
        message.set_content(body)
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                pass
            self._smtp = None


def reminder_email(user: Recipient, items: list[ReminderItem], today: date) -> tuple[str, str]:
    """(subject, body) of one user's digest, in the current locale (``force_locale`` per recipient)."""
    late = sum(1 for i in items if i.kind == "late")
    soon = len(items) - late
    parts = []
    if late:
        parts.append(ngettext("%(num)s late", "%(num)s late", late))
    if soon:
        parts.append(ngettext("%(num)s due soon", "%(num)s due soon", soon))
    summary = _("%(first)s and %(second)s", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]
    subject = _("[Articula] Deadlines: %(summary)s", summary=summary)
    lines = [
        _("Dear %(name)s:", name=user.name),
        "",
        _("This is a reminder of the following deadlines of the Estrategia Nacional CRECER:"),
        "",
    ]
    for item in items:
        lines.append(f"- {reminder_text(item, today)}")
        lines.append(f"  {base_url()}{item.link}")
    lines += [
        "",
        _("You can review all your deadlines at %(url)s", url=f"{base_url()}/plazos/"),
        "",
        _("This is an automatic message from Articula; it is sent only once per deadline."),
    ]
    return subject, "\n".join(lines) + "\n"


def _record_and_deliver(user: Recipient, items: list[ReminderItem], today: date, mailer: Mailer | None) -> None:
    """Record one user's reminders and deliver them (in-app notices, or one e-mail digest)."""
    now = utcnow()
    channel = "email" if mailer is not None else "in_app"
    for item in items:
        db.session.add(
            Reminder(deadline_id=item.deadline_id, user_id=user.id, kind=item.kind, channel=channel, sent_at=now)
        )
        if mailer is None:
            db.session.add(
                Notification(user_id=user.id, message=reminder_text(item, today), link=item.link, created_at=now)
            )
    db.session.flush()
    if mailer is not None:
        subject, body = reminder_email(user, items, today)
        mailer.send(user.email, subject, body)


def send_reminders(today: date | None = None) -> RemindResult:
    """Send every pending reminder once: generate this year's deadlines, then per user record the
    reminders and deliver them (e-mail if MAIL_SERVER is set, else in-app), in the user's language,
    one transaction per user. The Reminder rows are written before the e-mail is sent and committed
    after, so a concurrent run blocks on them (unique per deadline, user and kind) instead of sending twice."""
    today = today or lima_today()
    generate_deadlines(today.year)
    db.session.commit()
    config = current_app.config
    mailer = Mailer(config) if config.get("MAIL_SERVER") else None
    result = RemindResult()
    try:
        for _user_id, (user, items) in pending_reminders(today).items():
            try:
                with force_locale(recipient_locale(user.locale)):
                    _record_and_deliver(user, items, today, mailer)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — one failed recipient does not stop the others
                db.session.rollback()
                result.failures.append(f"{user.email}: {error}")
                log.warning("recordatorio no enviado a %s: %s", user.email, error)
                if mailer is not None:
                    mailer.close()
                continue
            if mailer is not None:
                result.email += len(items)
            else:
                result.in_app += len(items)
    finally:
        if mailer is not None:
            mailer.close()
    return result
