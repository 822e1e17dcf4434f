"""The workflow effect ``notify`` delivers: an in-app notice to each holder of the named roles in
the case's government, in their language, and an e-mail through a real SMTP server when mail is
configured; a refused transition notifies nobody."""

from __future__ import annotations

import email
import email.policy

import pytest
from sqlalchemy import select

from core.deadlines.models import Notification
from core.extensions import db
from core.models import WorkflowDefinition
from core.testing import generic_case, login, transition

SUBMIT = (
    "  submit:  {label: {es: Enviar a revisión, en: Send for review}, from: [draft], to: in_review, "
    "roles: [team, coordinator]}"
)


@pytest.fixture
def notifying_workflow(app):  # noqa: ANN001, ANN201
    """The generic workflow with ``notify: [coordinator]`` on "submit" (put back afterwards)."""
    with app.app_context():
        row = db.session.get(WorkflowDefinition, "generic")
        source = row.source
        assert SUBMIT in source
        row.source = source.replace(SUBMIT, SUBMIT[:-1] + ", notify: [coordinator]}")
        db.session.commit()
    yield
    with app.app_context():
        row = db.session.get(WorkflowDefinition, "generic")
        row.source, row.edited = source, False
        db.session.commit()


def _submitted_case(app, client, make_user, govs) -> int:  # noqa: ANN001
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    with app.app_context():
        case = generic_case(govs["huanuco"])
        db.session.commit()
        case_id = case.id
    login(client, "equipo@huanuco.pe")
    assert transition(client, app, case_id, "submit").status_code == 303
    return case_id


def _notices(app) -> dict[int, list[Notification]]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
        result: dict[int, list] = {}
        for row in rows:
            result.setdefault(row.user_id, []).append((row.message, row.link))
        return result


def test_notify_leaves_a_notice_for_each_coordinator_in_their_language(
    app, client, make_user, govs, notifying_workflow
):
    spanish = make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    english = make_user("coord.en@huanuco.pe", ("coordinator", govs["huanuco"]), locale="en")
    elsewhere = make_user("coord@cusco.pe", ("coordinator", govs["cusco"]))
    auditor = make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    case_id = _submitted_case(app, client, make_user, govs)
    notices = _notices(app)
    assert set(notices) == {spanish, english}  # the roles named, in the case's government only
    assert elsewhere not in notices and auditor not in notices
    ((es_text, link),) = notices[spanish]
    ((en_text, _link),) = notices[english]
    assert link == f"/expedientes/{case_id}"
    assert "ejecutó «Enviar a revisión»; el expediente ahora está «En revisión»." in es_text
    assert "ran «Send for review»; the case is now «In review»." in en_text


def test_notify_sends_mail_when_configured(app, client, make_user, govs, notifying_workflow, smtp_server, mail_config):
    mail_config(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.server_address[1],
        MAIL_FROM="avisos@articula.gob.pe",
        BASE_URL="https://articula.example.pe",
        MAIL_TIMEOUT=5,
    )
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    make_user("coord.en@huanuco.pe", ("coordinator", govs["huanuco"]), locale="en")
    case_id = _submitted_case(app, client, make_user, govs)
    mails = {
        rcpt[0]: email.message_from_bytes(raw, policy=email.policy.default) for _s, rcpt, raw in smtp_server.messages
    }
    assert set(mails) == {"coord@huanuco.pe", "coord.en@huanuco.pe"}
    spanish, english = mails["coord@huanuco.pe"], mails["coord.en@huanuco.pe"]
    assert spanish["Subject"].endswith(": Enviar a revisión") and english["Subject"].endswith(": Send for review")
    assert "el expediente ahora está «En revisión»" in spanish.get_content()
    assert f"Open the case: https://articula.example.pe/expedientes/{case_id}" in english.get_content()
    assert len(_notices(app)) == 2  # the in-app notices are kept as well


def test_a_refused_transition_notifies_nobody(app, client, make_user, govs, notifying_workflow):
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    make_user("auditor@articula.pe", ("auditor", None))
    with app.app_context():
        case = generic_case(govs["huanuco"])
        db.session.commit()
        case_id = case.id
    login(client, "auditor@articula.pe")
    assert transition(client, app, case_id, "submit").status_code == 403
    assert _notices(app) == {}
