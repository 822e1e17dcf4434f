"""Each open entry's due date is a core deadline: it shows in the holding office's Plazos (pending, then late),
the reminder sweep tells the office's team, it moves with a referral and an escalation (to the region's Plazos),
and it is met when the citizen is answered. Its label never carries personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.extensions import db
from tests.plugins.monitoring.ventanilla.conftest import AMARILIS
from tests.plugins.monitoring.ventanilla.test_public import _code
from tests.plugins.monitoring.ventanilla.test_staff import WEB, _act, _entry, _institution

PERSONAL = ("Rosa", "41234567", "987654321", "rosa@correo.pe", "No llegó el pago")


def _deadline(app: Any, entry_id: int) -> Any:
    from core.deadlines import rule_by_key
    from core.deadlines.models import Deadline
    from plugins.monitoring.ventanilla.terms import TERM_RULE, entry_deadline

    with app.app_context():
        deadline = entry_deadline(entry_id, rule_by_key(TERM_RULE).id)
        assert deadline is None or isinstance(deadline, Deadline)
        if deadline is not None:
            db.session.expunge(deadline)
        return deadline


def _plazos(client: Any, government_id: int, year: int, **args: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return client.get(f"/plazos/?view=government&government={government_id}&year={year}&{query}").get_data(as_text=True)


def test_an_entry_due_date_is_a_deadline_in_plazos_that_moves_escalates_and_is_met(
    app: Any, client: Any, people: Any, govs: Any, offices: Any, submit: Any, monkeypatch: Any
) -> None:
    from core.operations import run
    from plugins.monitoring.ventanilla.codes import display
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    code = _code(
        submit(
            kind="pedido",
            request_kind="no_attention",
            description="No llegó el pago de JUNTOS.",
            name="Rosa Huamán Ccori",
            dni="41234567",
            phone="987654321",
            email="rosa@correo.pe",
            consent="y",
        )
    )
    entry = _entry(app, code)
    registered = _deadline(app, entry.id)
    assert registered.government_id == govs["amarilis"] and registered.due_date == entry.due_date
    assert registered.label == f"Ventanilla CRECER {display(entry.code)} (Pedido): atención"
    assert registered.case_id is None and registered.met_at is None and registered.start_date is None

    people.login(client, "amarilis_team")
    assert _act(client, entry.id, "refer", institution_id=_institution(app), version=entry.version).status_code == 303
    with app.app_context():
        due = db.session.get(VentanillaEntry, entry.id).due_date
    referred = _deadline(app, entry.id)
    assert referred.id == registered.id and referred.due_date == due  # moved, not duplicated
    assert referred.label.endswith("respuesta del programa o sector")

    page = _plazos(client, govs["amarilis"], due.year)
    assert referred.label in page and not any(p in page for p in PERSONAL)
    # and in the team's calendar feed, on its due date
    import re

    from core.testing import csrf_from

    created = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "create"})
    feed_path = (
        re.search(r"http://[^<\s]+\.ics", created.get_data(as_text=True)).group(0).replace("http://localhost", "")
    )
    feed = client.get(feed_path).get_data(as_text=True).replace("\r\n ", "")  # unfolded lines
    assert display(entry.code) in feed and f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in feed
    assert not any(p in feed for p in PERSONAL)
    # the day after the due date Plazos shows it late, and the «late» filter finds it
    monkeypatch.setattr("core.deadlines.pages.lima_today", lambda: due + timedelta(days=1))
    late = _plazos(client, govs["amarilis"], due.year, status="late")
    assert referred.label in late and "Vencido" in late
    assert referred.label not in _plazos(client, govs["amarilis"], due.year, status="pending")

    # the core reminder sweep reminds the district's team, without personal data
    from core.deadlines.models import Notification
    from core.deadlines.reminders import send_reminders

    with app.app_context():
        send_reminders(due + timedelta(days=1))
        notices = db.session.scalars(select(Notification).where(Notification.message.contains(display(entry.code))))
        texts = {n.user_id: n.message for n in notices}
    assert people["amarilis_team"] in texts and people["team"] not in texts
    assert "venció" in texts[people["amarilis_team"]]
    assert not any(p in texts[people["amarilis_team"]] for p in PERSONAL)

    # escalated: the deadline moves to the regional government with the new term
    with app.app_context():
        assert run("monitoring.ventanilla.entries.escalate", None, {"today": due + timedelta(days=1)}) == 1
        moved = db.session.get(VentanillaEntry, entry.id)
        new_due = moved.due_date
    escalated = _deadline(app, entry.id)
    assert escalated.id == registered.id and escalated.government_id == govs["huanuco"]
    assert escalated.due_date == new_due and escalated.met_at is None
    monkeypatch.undo()
    people.login(client, "team")
    assert escalated.label in _plazos(client, govs["huanuco"], new_due.year)

    # the region answers the citizen: the deadline is met (by that user), and a reopening opens it again
    _act(client, entry.id, "answer", text="Su pago se abonará este viernes.")
    met = _deadline(app, entry.id)
    assert met.met_at is not None and met.met_by_id == people["team"]
    assert escalated.label in _plazos(client, govs["huanuco"], new_due.year, status="met")
    _act(client, entry.id, "close")
    _act(client, entry.id, "reopen", text="El ciudadano volvió a escribir.")
    assert _deadline(app, entry.id).met_at is None


def test_an_emergency_deadline_has_the_short_term(app: Any, client: Any, people: Any, offices: Any) -> None:
    from core.testing import csrf_from
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    people.login(client, "amarilis_team")
    token = csrf_from(client, f"{WEB}/entradas/nueva")
    data = {
        "csrf_token": token,
        "office_id": offices["amarilis"],
        "channel": "phone",
        "kind": "pedido",
        "request_kind": "no_attention",
        "place": AMARILIS,
        "description": "Niño con anemia severa sin atención.",
        "emergency": "y",
    }
    assert client.post(f"{WEB}/entradas/nueva", data=data).status_code == 303
    with app.app_context():
        entry = db.session.scalar(select(VentanillaEntry))
        entry_id, due, created = entry.id, entry.due_date, entry.created_at.date()
    deadline = _deadline(app, entry_id)
    assert deadline.due_date == due and (due - created).days <= 4
    assert "(Pedido, EMERGENCIA): atención" in deadline.label
    _act(client, entry_id, "resolve", text="Se coordinó la atención con el establecimiento de salud.")
    assert _deadline(app, entry_id).met_at is not None


def test_a_change_of_the_rule_keeps_each_entry_deadline_label(app: Any, offices: Any, submit: Any) -> None:
    from core.database import writing
    from core.deadlines import rule_by_key
    from core.deadlines.generation import refresh_rule_deadlines
    from plugins.monitoring.ventanilla.terms import TERM_RULE

    entry = _entry(app, _code(submit()))
    label = _deadline(app, entry.id).label
    with app.app_context(), writing():
        rule = rule_by_key(TERM_RULE)
        rule.label = "Plazo de atención (renombrado por el administrador)"
        db.session.flush()
        refresh_rule_deadlines(rule)
        from plugins.monitoring.ventanilla.terms import entry_deadline

        assert entry_deadline(entry.id, rule.id).label == label  # in the same transaction as the change
        db.session.rollback()  # the rule table is kept between tests


def test_an_entry_deadline_reads_in_the_reader_language(app: Any, offices: Any, submit: Any) -> None:
    from core.deadlines import rule_by_key
    from core.deadlines.due_dates import english_label
    from plugins.monitoring.ventanilla import codes
    from plugins.monitoring.ventanilla.terms import TERM_RULE, entry_deadline

    entry = _entry(app, _code(submit()))
    with app.app_context():
        deadline = entry_deadline(entry.id, rule_by_key(TERM_RULE).id)
        code = codes.display(entry.code)
        assert deadline.label.startswith(f"Ventanilla CRECER {code} (")  # Spanish, stored
        assert deadline.label.endswith("): atención")
        assert english_label(deadline).endswith("): attention")  # English readers: pages, calendar, reminders
        assert code in english_label(deadline)


def test_an_overdue_entry_is_reminded_once_with_a_link_to_it(app: Any, offices: Any, submit: Any, people: Any) -> None:
    """The office's staff are its government's team or coordinators: the core's deadline reminder tells them,
    pointing at the entry (the rule's ``link_for``); the Ventanilla's own sweep does not tell them again."""
    from core.deadlines.models import Notification
    from core.deadlines.reminders import send_reminders
    from core.operations import run
    from plugins.monitoring.ventanilla.codes import display

    entry = _entry(app, _code(submit()))
    late = entry.due_date + timedelta(days=1)
    with app.app_context():
        send_reminders(late)
        assert run("monitoring.ventanilla.entries.remind", None, {"today": late}) == 1  # the entry, marked reminded
        notices = db.session.scalars(
            select(Notification).where(
                Notification.user_id == people["amarilis_team"], Notification.message.contains(display(entry.code))
            )
        ).all()
    assert [n.link for n in notices] == [f"/seguimiento/ventanilla/entradas/{entry.id}"]  # once, to the entry
    assert not any(p in notices[0].message for p in PERSONAL)
