"""Deadline reminders (e-mail and in-app) and the iCalendar feed speak each recipient's language: the
same reminder reaches a Spanish and an English user of one government, each in theirs, with the rule's
English label (``label_en``) for the English reader."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from core.deadlines.models import Notification
from core.extensions import db
from core.testing import csrf_from, login, logout
from tests.core.test_deadlines import restore_rules  # noqa: F401

# The core's own reminders: the plugins' calendar rules (quarterly reports…) are set aside (core.testing).
pytestmark = pytest.mark.usefixtures("core_rules_only", "restore_rules")

SPANISH_LABEL = "Envío a la ST-CIAS de los documentos de política social aprobados"
ENGLISH_LABEL = "Submission of the approved social policy documents to the ST-CIAS"


@pytest.fixture
def readers(make_user, govs) -> dict[str, int]:  # noqa: ANN001
    return {
        "es": make_user("equipo@huanuco.pe", ("team", govs["huanuco"])),
        "en": make_user("team.en@huanuco.pe", ("team", govs["huanuco"]), locale="en"),
    }


def _remind(app, today: str):  # noqa: ANN001, ANN202
    result = app.test_cli_runner().invoke(args=["deadlines", "remind", "--today", today])
    assert result.exit_code == 0, result.output
    return result


def test_one_email_reminder_in_each_recipients_language(app, readers, smtp_server, mail_config):
    mail_config(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.server_address[1],
        BASE_URL="https://articula.example.pe",
        MAIL_TIMEOUT=5,
    )
    _remind(app, "2026-06-29")
    mails = {
        rcpt[0]: email.message_from_bytes(raw, policy=email.policy.default) for _s, rcpt, raw in smtp_server.messages
    }
    spanish, english = mails["equipo@huanuco.pe"], mails["team.en@huanuco.pe"]
    assert spanish["Subject"] == "[Articula] Plazos: 1 por vencer"
    assert english["Subject"] == "[Articula] Deadlines: 1 due soon"
    es_body, en_body = spanish.get_body().get_content(), english.get_body().get_content()
    assert "Estimado(a) Equipo:" in es_body
    assert f"El plazo «{SPANISH_LABEL}» de " in es_body and "vence mañana, el 30 de junio de 2026." in es_body
    assert "Puede revisar todos sus plazos en https://articula.example.pe/plazos/" in es_body
    assert "Dear Team.En:" in en_body
    assert f"The deadline «{ENGLISH_LABEL}» of " in en_body and "is due tomorrow, June 30, 2026." in en_body
    assert "You can review all your deadlines at https://articula.example.pe/plazos/" in en_body
    for spanish_word in ("Estimado", "vence", "Le recordamos", "junio", "Envío"):  # the URL says "plazos"
        assert spanish_word not in en_body


def test_in_app_reminders_in_each_recipients_language(app, readers):
    _remind(app, "2026-06-25")
    _remind(app, "2026-07-02")  # late, after the due date
    with app.app_context():
        rows = db.session.execute(select(Notification.user_id, Notification.message).order_by(Notification.id)).all()
    es = [m for user, m in rows if user == readers["es"]]
    en = [m for user, m in rows if user == readers["en"]]
    assert len(es) == len(en) == 2
    assert "vence en 5 días, el 30 de junio de 2026." in es[0] and SPANISH_LABEL in es[0]
    assert "is due in 5 days, June 30, 2026." in en[0] and ENGLISH_LABEL in en[0]
    assert "venció el 30 de junio de 2026 y no figura como cumplido." in es[1]
    assert "was due on June 30, 2026 and is not recorded as met." in en[1]


def test_a_rule_without_english_label_reads_its_spanish_label_in_english(app, readers):
    from core.deadlines.models import DeadlineRule

    with app.app_context():
        rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "core.regional_submission"))
        rule.label_en, rule.edited = None, True  # as an administrator clearing it (restore_rules resets it)
        db.session.commit()
    _remind(app, "2026-06-25")
    with app.app_context():
        message = db.session.scalar(select(Notification.message).where(Notification.user_id == readers["en"]))
    assert message.startswith(f"The deadline «{SPANISH_LABEL}» of ")


def _feed(client, address: str) -> Calendar:  # noqa: ANN001
    login(client, address)
    created = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "create"})
    path = re.search(r"http://[^<\s]+\.ics", created.get_data(as_text=True)).group(0).replace("http://localhost", "")
    logout(client)
    return Calendar.from_ical(client.get(path).data)  # no session: the token says whose language


def test_icalendar_feed_in_each_users_language(app, client, readers):
    spanish = _feed(client, "equipo@huanuco.pe")
    english = _feed(client, "team.en@huanuco.pe")
    assert str(spanish["x-wr-calname"]) == "Plazos — Articula"
    assert str(english["x-wr-calname"]) == "Deadlines — Articula"
    es_event = next(e for e in spanish.walk("VEVENT") if SPANISH_LABEL in str(e["summary"]))
    en_event = next(e for e in english.walk("VEVENT") if ENGLISH_LABEL in str(e["summary"]))
    assert str(es_event["description"]).startswith("Estado: ")
    assert str(en_event["description"]).startswith("Status: ")
    assert all(SPANISH_LABEL not in str(e["summary"]) for e in english.walk("VEVENT"))
    es_alarms = [str(a["description"]) for a in spanish.walk("VALARM")]
    en_alarms = [str(a["description"]) for a in english.walk("VALARM")]
    assert all(a.startswith("Vence: ") for a in es_alarms) and all(a.startswith("Due: ") for a in en_alarms)


def test_a_label_a_plugin_wrote_itself_is_not_replaced_by_the_rules_english_one(app):
    from flask_babel import force_locale

    from core.deadlines.due_dates import reader_label
    from core.deadlines.models import Deadline, DeadlineRule

    with app.test_request_context("/"), force_locale("en"):
        rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "core.regional_submission"))
        own = Deadline(rule=rule, label=rule.label, year=2026, period=0)
        written = Deadline(rule=rule, label="Acuerdo N° 1 de la Sesión Ordinaria N° 1: informar", year=2026, period=0)
        assert reader_label(own) == ENGLISH_LABEL
        assert reader_label(written) == written.label
        db.session.expunge_all()
    with app.test_request_context("/"), force_locale("es"):
        assert reader_label(Deadline(rule=rule, label=rule.label, year=2026, period=0)) == SPANISH_LABEL
