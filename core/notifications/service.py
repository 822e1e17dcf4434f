"""The workflow effect ``notify``: tell the people holding some roles in the case's government that
the case moved on — an in-app notice always, and an e-mail when mail is configured (MAIL_SERVER),
each in the recipient's language (their locale preference).

In a workflow: ``notify: [coordinator]`` (or one role as text) on a transition.

The notices are rows of the same transaction as the transition (a refused transition notifies
nobody). E-mails wait until that transaction commits, then go out through the deadline reminders'
SMTP client (core.deadlines.Mailer); a mail server that fails is logged, it does not undo the
transition.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select

from core.deadlines.models import Notification
from core.deadlines.reminders import Mailer, base_url
from core.extensions import db
from core.i18n import recipient_locale
from core.models import Membership, User
from core.workflow import get_workflow

log = logging.getLogger(__name__)
_PENDING = "articula.pending_mail"


def recipients(case: Any, roles: list[str]) -> list[Any]:
    """Active users holding one of ``roles`` in the case's own government, by id."""

    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.government_id == case.government_id, Membership.role.in_(roles), User.active.is_(True))
        .order_by(User.id)
        .distinct()
    )
    return list(db.session.scalars(query))


def _message(case: Any, transition: Any, actor: Any) -> tuple[str, str]:
    """(subject, text) in the current locale."""

    state = get_workflow(case.workflow_id).state_label(case.state)
    who = getattr(actor, "name", None) or _("the system")
    subject = _("[Articula] %(reference)s: %(transition)s", reference=case.reference, transition=transition.label)
    text = _(
        "%(reference)s «%(title)s»: %(who)s ran «%(transition)s»; the case is now «%(state)s».",
        reference=case.reference,
        title=case.title,
        who=who,
        transition=transition.label,
        state=state,
    )
    return subject, text


def notify(case: Any, transition: Any, actor: Any, value: Any) -> None:
    """The ``notify`` effect: a notice for every holder of the named roles, in their language."""

    roles = [value] if isinstance(value, str) else [str(r) for r in value or []]
    link = f"/expedientes/{case.id}"
    config = current_app.config
    for user in recipients(case, roles):
        with force_locale(recipient_locale(user.locale)):
            subject, text = _message(case, transition, actor)
            footer = _("Open the case: %(url)s", url=base_url() + link)
        db.session.add(Notification(user_id=user.id, message=text, link=link))
        if config.get("MAIL_SERVER"):
            db.session.info.setdefault(_PENDING, []).append((user.email, subject, f"{text}\n\n{footer}\n"))


def queue_mail(to: str, subject: str, body: str) -> None:
    """An e-mail sent once the current transaction commits (dropped on rollback), when mail is configured."""
    if to and current_app.config.get("MAIL_SERVER"):
        db.session.info.setdefault(_PENDING, []).append((to, subject, body))


def _send_pending(session: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return

    mailer = Mailer(current_app.config)
    try:
        for to, subject, body in pending:
            try:
                mailer.send(to, subject, body)
            except Exception as error:  # noqa: BLE001 — a mail server down does not undo the transition
                log.warning("aviso no enviado por correo a %s: %s", to, error)
                mailer.close()
    finally:
        mailer.close()


def _drop_pending(session: Any) -> None:
    session.info.pop(_PENDING, None)


def listen() -> None:
    """Send the waiting e-mails after commit, drop them after a rollback (once per session class)."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _send_pending):
        event.listen(session_class, "after_commit", _send_pending)
        event.listen(session_class, "after_rollback", _drop_pending)
