"""A deadline a plugin composes (a session agreement's) reads in each reader's language: the Plazos page,
the API (``label`` and ``label_en``), the calendar feed and the reminders; the agreement's text and the
session's title stay as typed (core.deadlines.set_label)."""

from __future__ import annotations

import html
import re

from icalendar import Calendar
from sqlalchemy import select

from core.extensions import db
from core.testing import csrf_from, login, logout

API = "/api/v1/operations/sessions"
TEXT = "Remitir el padrón nominal."


def _agreement_deadline(app, client, people, api_token, instancia) -> tuple[str, str]:  # noqa: ANN001
    """Convene a session, record one agreement due 15 May 2008; (Spanish, English) label expected."""
    from core.models import Case

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    created = client.post(
        f"{API}/sessions",
        json={"body_id": instancia["body_id"], "kind": "extraordinary", "number": 1, "session_date": "2008-04-15"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    session_id = created.get_json()["id"]
    added = client.post(
        f"{API}/sessions/{session_id}/agreements",
        json={
            "text": TEXT,
            "responsible_id": instancia["members"]["Nelly Cabrera Malpartida"],
            "due_date": "2008-05-15",
        },
        headers=headers,
    )
    assert added.status_code == 201, added.get_json()
    with app.app_context():
        title = db.session.get(Case, session_id).title
    assert title.startswith("Sesión Extraordinaria N° 1")
    return f"Acuerdo N° 1 de la {title}: {TEXT}", f"Agreement No. 1 of {title}: {TEXT}"


def _page(client, email: str) -> str:  # noqa: ANN001
    logout(client)
    login(client, email)
    response = client.get("/plazos/?view=mine&year=2008")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_plazos_page_and_api_show_the_agreement_deadline_in_the_readers_language(
    app,
    client,
    people,
    api_token,
    instancia,
    make_user,
    govs,  # noqa: ANN001
):
    from core.deadlines.models import Deadline

    spanish, english = _agreement_deadline(app, client, people, api_token, instancia)
    with app.app_context():
        stored = db.session.scalar(select(Deadline).where(Deadline.label_msgid.is_not(None)))
        assert stored.label == spanish  # the stored label: Spanish, as before (search, sorting)
    make_user("team.en@huanuco.pe", ("team", govs["huanuco"]), locale="en")

    page = _page(client, "team.en@huanuco.pe")
    assert english in page and "Acuerdo N°" not in page
    page = _page(client, people.email("team"))
    assert spanish in page and "Agreement No." not in page

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    url = "/api/v1/deadlines?year=2008&rule=operations.session_agreement"
    [agreement] = client.get(url, headers=headers).get_json()["items"]
    assert (agreement["label"], agreement["label_en"]) == (spanish, english)


def test_calendar_feed_and_reminders_in_the_recipients_language(
    app,
    client,
    people,
    api_token,
    instancia,
    make_user,
    govs,  # noqa: ANN001
):
    from datetime import timedelta

    from core.deadlines import lima_today
    from core.deadlines.models import Deadline, Notification

    spanish, english = _agreement_deadline(app, client, people, api_token, instancia)
    # the feed spans this year and the next, and reminders the last year: bring the 2008 date to tomorrow
    tomorrow = lima_today() + timedelta(days=1)
    with app.app_context():
        deadline = db.session.scalar(select(Deadline).where(Deadline.label_msgid.is_not(None)))
        deadline.year, deadline.due_date = tomorrow.year, tomorrow
        db.session.commit()
    english_id = make_user("team.en@huanuco.pe", ("team", govs["huanuco"]), locale="en")

    logout(client)
    login(client, "team.en@huanuco.pe")
    created = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "create"})
    path = re.search(r"http://[^<\s]+\.ics", created.get_data(as_text=True)).group(0).replace("http://localhost", "")
    logout(client)
    summaries = [str(e["summary"]) for e in Calendar.from_ical(client.get(path).data).walk("VEVENT")]
    assert any(s.startswith(english) for s in summaries) and not any("Acuerdo N°" in s for s in summaries)

    result = app.test_cli_runner().invoke(
        args=["deadlines", "remind", "--today", (tomorrow - timedelta(days=1)).isoformat()]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(select(Notification.user_id, Notification.message)).all()
    assert any(f"«{english}»" in message for user, message in rows if user == english_id)
    assert any(f"«{spanish}»" in message for user, message in rows if user == people["team"])
    assert not any("Acuerdo N°" in message for user, message in rows if user == english_id)
