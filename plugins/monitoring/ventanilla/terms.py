"""Each open entry's due date as a core deadline (rule ``monitoring.ventanilla_term``), so that it shows in the
holding office's Plazos, the calendar feed and the reminder sweep like any other deadline.

One deadline per entry, kept in step with the entry by ``sync_deadline`` (every step writes a timeline event,
and ``rules.record_event`` calls it): a new term (classification, referral, reopening, escalation) moves its due
date, an escalation moves it to the regional government, and it is met when the entry is answered, resolved or
closed (``DONE_STATUSES``: the same test as the registry's «overdue» filter and the escalation sweep, so Plazos
and the Ventanilla never disagree). An entry is not a case: the deadline has no ``case_id`` and its ``period``
holds the entry's id, which keeps the core's uniqueness (rule, government, year, period) per entry.
``start_date`` stays empty, so the core never recomputes the Ventanilla's own due date.

The label carries no personal data: the tracking code, the kind and the step, never a name or the description.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.deadlines import lima_today, rule_by_key, set_label
from core.deadlines.models import Deadline
from core.extensions import db
from core.i18n import N_
from core.models.user import utcnow
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.models import DONE_STATUSES, KINDS, VentanillaEntry

TERM_RULE = "monitoring.ventanilla_term"
#: What the citizen is waiting for, by status: the deadline's label as an English msgid (``set_label``: each
#: reader sees it in their language); «EMERGENCIA» marks an emergency (SP 6).
LABELS = {
    ("attention", False): N_("Ventanilla CRECER %(code)s (%(kind)s): attention"),
    ("attention", True): N_("Ventanilla CRECER %(code)s (%(kind)s, EMERGENCY): attention"),
    ("program", False): N_("Ventanilla CRECER %(code)s (%(kind)s): answer of the program or sector"),
    ("program", True): N_("Ventanilla CRECER %(code)s (%(kind)s, EMERGENCY): answer of the program or sector"),
    ("citizen", False): N_("Ventanilla CRECER %(code)s (%(kind)s): answer to the citizen"),
    ("citizen", True): N_("Ventanilla CRECER %(code)s (%(kind)s, EMERGENCY): answer to the citizen"),
}
STEP = {"registered": "attention", "classified": "attention", "referred": "program", "program_answered": "citizen"}


def term_rule() -> dict[str, Any]:
    """The rule's declaration (``deadline_rules`` hook). ``days`` is the nominal term shown in the admin; the
    real term is the Ventanilla's setting per kind (or the emergency term), computed by the plugin."""
    return {
        "key": TERM_RULE,
        "label": "Plazo de atención de una entrada de la Ventanilla CRECER",
        "label_en": "Due date of a Ventanilla CRECER entry",
        "description": "Norma Técnica N° 001-2008, 3.1.5 y disposición complementaria 6: cada consulta, "
        "opinión, pedido o sugerencia se atiende, o se deriva al programa o sector, en días hábiles; "
        "la emergencia, en un plazo breve.",
        "kind": "working_days_after",
        "days": 10,
        "event": "registro, derivación o elevación de la entrada",
        "level": "all",
        # reminders and calendar feeds point at the entry (staff pages: its personal data stays behind the login)
        "link_for": lambda deadline: f"/seguimiento/ventanilla/entradas/{deadline.period}",
    }


def label_deadline(deadline: Deadline, entry: VentanillaEntry) -> None:
    """E.g. «Ventanilla CRECER VC7K-Q3M9-TX (Pedido, EMERGENCIA): respuesta del programa o sector» (the kind is
    the standard's own term, kept in Spanish in every language)."""
    msgid = LABELS[(STEP.get(entry.status, "attention"), bool(entry.emergency))]
    set_label(deadline, msgid, code=codes.display(entry.code), kind=str(KINDS.get(entry.kind, entry.kind)))


def entry_deadline(entry_id: int, rule_id: int) -> Deadline | None:
    return db.session.scalar(
        select(Deadline).where(Deadline.rule_id == rule_id, Deadline.case_id.is_(None), Deadline.period == entry_id)
    )


def sync_deadline(entry: VentanillaEntry, user_id: int | None = None) -> Deadline | None:
    """Bring the entry's deadline in line with the entry (create, move, meet or reopen it). Needs the entry's
    id (after a flush); nothing happens while the rule is missing or switched off in the admin."""
    if entry.id is None or entry.due_date is None:
        return None
    rule = rule_by_key(TERM_RULE)
    if rule is None or not rule.active:
        return None
    deadline = entry_deadline(entry.id, rule.id)
    done = entry.status in DONE_STATUSES
    if deadline is None:
        if done:
            return None  # attended before any reminder mattered: nothing to show as pending
        deadline = Deadline(rule_id=rule.id, case_id=None, period=entry.id, created_at=utcnow())
        db.session.add(deadline)
    if done:
        if deadline.met_at is None:
            deadline.met_at, deadline.met_on, deadline.met_by_id = utcnow(), lima_today(), user_id
        return deadline
    # open: the current term (a reopened entry's met deadline is open again, with its new due date)
    deadline.met_at = deadline.met_on = deadline.met_by_id = None
    deadline.government_id = entry.government_id
    deadline.due_date = entry.due_date
    deadline.year = entry.due_date.year
    label_deadline(deadline, entry)
    return deadline
