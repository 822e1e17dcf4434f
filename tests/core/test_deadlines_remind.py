"""``articula deadlines remind``: each reminder sent once and recorded, in the application or by
e-mail through a real (tiny, local) SMTP server (the test kit's ``smtp_server`` fixture)."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import pytest
from sqlalchemy import func, select

from core.deadlines.models import Notification, Reminder
from core.extensions import db
from tests.core.test_deadlines import restore_rules  # noqa: F401

# These tests model the core's own deadlines: plugins' calendar rules are set aside (core.testing).
pytestmark = pytest.mark.usefixtures("core_rules_only", "restore_rules")


@pytest.fixture
def people(make_user, govs) -> dict[str, int]:  # noqa: ANN001
    return {
        "team": make_user("equipo@huanuco.pe", ("team", govs["huanuco"])),
        "coordinator": make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"])),
        "auditor": make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"])),
        "cusco": make_user("equipo@cusco.pe", ("team", govs["cusco"])),
        "municipal": make_user("equipo@amarilis.pe", ("team", govs["amarilis"])),
    }


def _remind(app, today: str):  # noqa: ANN001, ANN202
    return app.test_cli_runner().invoke(args=["deadlines", "remind", "--today", today])


def test_in_app_reminders_are_sent_once_per_kind(app, people):
    # 25 June 2026: the 30 June submission is due in five days
    first = _remind(app, "2026-06-25")
    assert first.exit_code == 0, first.output
    assert "0 por correo, 3 en la aplicación" in first.output
    with app.app_context():
        notified = dict(
            db.session.execute(select(Notification.user_id, Notification.message).order_by(Notification.id)).all()
        )
        # teams and coordinators of the regional governments; no auditor, no municipality (the rule is regional)
        assert set(notified) == {people["team"], people["coordinator"], people["cusco"]}
        assert "vence en 5 días, el 30 de junio de 2026" in notified[people["team"]]
        assert "Huánuco" in notified[people["team"]] and "Cusco" in notified[people["cusco"]]
        assert db.session.scalar(select(func.count(Reminder.id)).where(Reminder.channel == "in_app")) == 3

    again = _remind(app, "2026-06-26")
    assert "0 por correo, 0 en la aplicación" in again.output
    # after the due date, one "late" reminder each
    late = _remind(app, "2026-07-02")
    assert "3 en la aplicación" in late.output
    assert "0 en la aplicación" in _remind(app, "2026-07-03").output
    with app.app_context():
        kinds = db.session.execute(select(Reminder.kind, func.count()).group_by(Reminder.kind)).all()
        assert dict(kinds) == {"due_soon": 3, "late": 3}
        message = db.session.scalar(select(Notification.message).where(Notification.message.like("%venció%")))
        assert "venció el 30 de junio de 2026 y no figura como cumplido" in message


def test_met_deadlines_and_far_ones_are_not_reminded(app, people, govs):
    from core.deadlines import generate_deadlines
    from core.deadlines.models import Deadline

    with app.app_context():
        generate_deadlines(2026)
        deadline = db.session.scalar(
            select(Deadline).where(Deadline.government_id == govs["cusco"], Deadline.year == 2026)
        )
        from datetime import datetime

        deadline.met_at, deadline.met_on = datetime(2026, 6, 20, 15), date(2026, 6, 20)
        db.session.commit()
    assert "0 en la aplicación" in _remind(app, "2026-06-01").output  # 29 days ahead: not yet
    assert "2 en la aplicación" in _remind(app, "2026-06-24").output  # Cusco already met it


def test_email_reminders_through_smtp(app, people, smtp_server, mail_config):
    mail_config(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.server_address[1],
        MAIL_FROM="plazos@articula.gob.pe",
        BASE_URL="https://articula.example.pe",
        MAIL_TIMEOUT=5,
    )
    result = _remind(app, "2026-06-29")
    assert result.exit_code == 0, result.output
    assert "3 por correo, 0 en la aplicación" in result.output
    assert len(smtp_server.messages) == 3
    by_recipient = {
        rcpt[0]: email.message_from_bytes(raw, policy=email.policy.default) for _s, rcpt, raw in smtp_server.messages
    }
    assert set(by_recipient) == {"equipo@huanuco.pe", "coord@huanuco.pe", "equipo@cusco.pe"}
    message = by_recipient["equipo@huanuco.pe"]
    assert message["From"] == "plazos@articula.gob.pe"
    assert message["Subject"] == "[Articula] Plazos: 1 por vencer"
    body = message.get_body().get_content()
    assert "Estimado(a) Equipo:" in body
    assert "vence mañana, el 30 de junio de 2026" in body
    assert "https://articula.example.pe/plazos/?view=government" in body
    with app.app_context():
        assert db.session.scalar(select(func.count(Reminder.id)).where(Reminder.channel == "email")) == 3
        assert db.session.scalar(select(func.count(Notification.id))) == 0
    # a second run sends nothing new
    assert "0 por correo" in _remind(app, "2026-06-29").output
    assert len(smtp_server.messages) == 3


def test_a_failed_delivery_records_nothing_and_fails_the_command(app, people, mail_config):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_TIMEOUT=2)
    result = _remind(app, "2026-06-29")
    assert result.exit_code == 1
    assert "3 destinatarios con error" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Reminder.id))) == 0


def test_remind_rejects_a_malformed_date(app):
    result = _remind(app, "29/06/2026")
    assert result.exit_code == 2 and "AAAA-MM-DD" in result.output
