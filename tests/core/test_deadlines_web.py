"""Deadlines through the web, the admin, the API and the iCalendar feed, with real users and scopes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from core.calendar import WorkingCalendar
from core.deadlines import generate_deadlines, lima_today, start_deadline
from core.deadlines.models import CalendarFeedToken, Deadline, NonWorkingDay, Notification
from core.extensions import db
from core.models import Government
from tests.conftest import csrf_from, login
from tests.core.test_deadlines import add_rule, due_of, get_rule, new_case, restore_rules  # noqa: F401

RULE = "core.regional_submission"
#: Rules are reference data: every test here puts the shipped ones back afterwards.
# These tests model the core's own deadlines: plugins' calendar rules are set aside (core.testing).
pytestmark = pytest.mark.usefixtures("core_rules_only", "restore_rules")


def _logout(client) -> None:  # noqa: ANN001
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})


# --- the administrator's calendar ---------------------------------------------------------------------


def test_a_national_non_working_day_added_in_the_admin_moves_due_dates(app, client, make_user, govs):
    with app.app_context():
        generate_deadlines(2026, [govs["huanuco"], govs["cusco"]])
        db.session.commit()
        assert due_of(RULE, govs["huanuco"], 2026) == date(2026, 6, 30)
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    # without the CSRF token nothing is saved
    refused = client.post("/admin/nonworkingday/new/", data={"date": "2026-06-30", "name": "Sin token"})
    assert refused.status_code == 400
    token = csrf_from(client, "/admin/nonworkingday/new/")
    response = client.post(
        "/admin/nonworkingday/new/",
        data={
            "csrf_token": token,
            "date": "2026-06-30",
            "name": "Día no laborable (D.S. de prueba)",
            "region": "__None",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(select(func.count(NonWorkingDay.id))) == 1
        assert due_of(RULE, govs["huanuco"], 2026) == date(2026, 7, 1)
        assert due_of(RULE, govs["cusco"], 2026) == date(2026, 7, 1)
        day_id = db.session.scalar(select(NonWorkingDay.id))
    # the same day twice is refused with a message
    again = client.post(
        "/admin/nonworkingday/new/",
        data={"csrf_token": token, "date": "2026-06-30", "name": "Otra vez", "region": "__None"},
    )
    assert again.status_code == 200 and "ya está registrado" in again.get_data(as_text=True)
    # deleting it in the admin moves the dates back
    deleted = client.post(
        "/admin/nonworkingday/delete/",
        data={"csrf_token": csrf_from(client, "/admin/nonworkingday/"), "id": str(day_id)},
    )
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(NonWorkingDay.id))) == 0
        assert due_of(RULE, govs["huanuco"], 2026) == date(2026, 6, 30)


def test_a_regional_non_working_day_moves_that_regions_due_dates_only(app, client, make_user, govs):
    with app.app_context():
        add_rule("test.local", label="Informe local", kind="fixed_yearly", month=6, day=30, level="local")
        generate_deadlines(2026, [govs["huanuco"], govs["cusco"], govs["amarilis"], govs["cusco_prov"]])
        db.session.commit()
    make_user("admin@articula.pe", ("admin", None))
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "admin@articula.pe")
    form = client.get("/admin/nonworkingday/new/").get_data(as_text=True)
    assert "Huánuco" in form and "Amarilis" not in form  # regions only
    response = client.post(
        "/admin/nonworkingday/new/",
        data={
            "csrf_token": csrf_from(client, "/admin/nonworkingday/new/"),
            "date": "2026-06-30",
            "name": "Feriado regional (prueba)",
            "region": str(govs["huanuco"]),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert due_of(RULE, govs["huanuco"], 2026) == date(2026, 7, 1)
        assert due_of("test.local", govs["amarilis"], 2026) == date(2026, 7, 1)  # a government of that region
        assert due_of(RULE, govs["cusco"], 2026) == date(2026, 6, 30)
        assert due_of("test.local", govs["cusco_prov"], 2026) == date(2026, 6, 30)
    _logout(client)
    # teams read the table, never write it
    login(client, "equipo@huanuco.pe")
    assert client.get("/admin/nonworkingday/").status_code == 200
    token = csrf_from(client, "/")
    assert (
        client.post(
            "/admin/nonworkingday/new/", data={"csrf_token": token, "date": "2026-07-01", "name": "X"}
        ).status_code
        == 403
    )


def test_rules_in_the_admin_are_validated_and_edits_recompute(app, client, make_user, govs):
    with app.app_context():
        generate_deadlines(2026, [govs["huanuco"]])
        db.session.commit()
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    token = csrf_from(client, "/admin/deadlinerule/new/")
    base = {"csrf_token": token, "label": "Informe anual", "level": "regional", "case_type": "", "active": "y"}
    bad = client.post(
        "/admin/deadlinerule/new/", data={**base, "key": "informe", "kind": "fixed_yearly", "month": "2", "day": "30"}
    )
    assert bad.status_code == 200 and "no existe todos los años" in bad.get_data(as_text=True)
    missing = client.post("/admin/deadlinerule/new/", data={**base, "key": "informe", "kind": "working_days_after"})
    assert "número de días" in missing.get_data(as_text=True)
    ok = client.post(
        "/admin/deadlinerule/new/", data={**base, "key": "informe", "kind": "fixed_yearly", "month": "3", "day": "31"}
    )
    assert ok.status_code == 302, ok.get_data(as_text=True)[:2000]
    with app.app_context():
        created = get_rule("admin.informe")
        assert (created.owner, created.edited, created.month, created.day) == ("admin", True, 3, 31)
        core_rule_id = get_rule(RULE).id
    # the 30 June rule moved to 15 June: unmet deadlines follow, and a reload keeps the edit
    edit_url = f"/admin/deadlinerule/edit/?id={core_rule_id}"
    page = client.get(edit_url).get_data(as_text=True)
    assert "Envío a la ST-CIAS" in page
    response = client.post(
        edit_url,
        data={
            "csrf_token": csrf_from(client, edit_url),
            "key": RULE,
            "label": "Envío a la ST-CIAS (plazo adelantado)",
            "kind": "fixed_yearly",
            "month": "6",
            "day": "15",
            "level": "regional",
            "case_type": "",
            "active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        assert due_of(RULE, govs["huanuco"], 2026) == date(2026, 6, 15)
        assert db.session.scalar(select(Deadline.label).where(Deadline.government_id == govs["huanuco"])).endswith(
            "(plazo adelantado)"
        )
        from core.deadlines import load_rules

        assert load_rules(app) == {}
        assert get_rule(RULE).day == 15 and get_rule(RULE).edited
    # the key of a rule cannot change
    renamed = client.post(
        edit_url,
        data={
            "csrf_token": csrf_from(client, edit_url),
            "key": "core.otro",
            "label": "X",
            "kind": "fixed_yearly",
            "month": "6",
            "day": "15",
            "level": "regional",
            "case_type": "",
        },
    )
    assert "no se puede cambiar" in renamed.get_data(as_text=True)
    # deleting deactivates
    client.post(
        "/admin/deadlinerule/delete/",
        data={"csrf_token": csrf_from(client, "/admin/deadlinerule/"), "id": str(core_rule_id)},
    )
    with app.app_context():
        assert get_rule(RULE) is not None and not get_rule(RULE).active


def test_admin_views_are_scoped_and_read_only(app, client, make_user, govs):
    with app.app_context():
        generate_deadlines(2026, [govs["huanuco"], govs["cusco"]])
        db.session.commit()
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "auditor@huanuco.pe")
    listing = client.get("/admin/deadline/")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Gobierno Regional de Huánuco" in text
    assert "Cusco" not in text
    assert client.get("/admin/deadlinerule/").status_code == 200
    assert client.get("/admin/deadline/new/").status_code == 302
    assert client.get("/admin/reminder/").status_code == 403
    assert client.get("/admin/notification/").status_code == 403
    with app.app_context():
        cusco_deadline = db.session.scalar(select(Deadline.id).where(Deadline.government_id == govs["cusco"]))
    details = client.get(f"/admin/deadline/details/?id={cusco_deadline}")
    assert "Cusco" not in details.get_data(as_text=True)
    # the status filter, and the CSV export with the status column
    from core.deadlines.admin import DeadlineView

    view = next(v for v in app.extensions["articula.admin"]._views if isinstance(v, DeadlineView))
    index = next(i for i, f in enumerate(view._filters) if str(f.name) == "Status")
    arg = view.get_filter_arg(index, view._filters[index])
    late = client.get(f"/admin/deadline/?flt0_{arg}=late").get_data(as_text=True)
    pending = client.get(f"/admin/deadline/?flt0_{arg}=pending").get_data(as_text=True)
    due_2026 = date(2026, 6, 30)
    expected_late = due_2026 < lima_today()
    assert ("Huánuco" in late) == expected_late and ("Huánuco" in pending) != expected_late
    export = client.get("/admin/deadline/export/csv/")
    assert export.status_code == 200 and "Envío a la ST-CIAS" in export.get_data(as_text=True)


# --- the Plazos page -----------------------------------------------------------------------------------------


def test_plazos_page_mine_government_and_scope(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/plazos/"' in dashboard  # navigation entry
    page = client.get("/plazos/?year=2024")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Envío a la ST-CIAS" in text and "Huánuco" in text and "Cusco" not in text
    assert "2024-07-01" in text  # the Sunday deadline, moved to Monday
    # a regional team reads its municipalities, not another region; the national overview is not for it
    assert client.get(f"/plazos/?view=government&government={govs['amarilis']}").status_code == 200
    assert client.get(f"/plazos/?view=government&government={govs['cusco']}").status_code == 404
    assert client.get("/plazos/?view=national").status_code == 403
    assert client.get("/plazos/?view=nada").status_code == 404
    assert client.get("/plazos/?rule=no.existe").status_code == 404
    # lazily generated for what was shown, once
    with app.app_context():
        assert db.session.scalar(select(func.count(Deadline.id)).where(Deadline.year == 2024)) == 1
    # status filter
    late = client.get("/plazos/?year=2024&status=late").get_data(as_text=True)
    assert "Envío a la ST-CIAS" in late and "status-late" in late
    assert '<tr class="deadline">' not in client.get("/plazos/?year=2024&status=met").get_data(as_text=True)


def test_national_overview_lists_every_region_with_counts(app, client, make_user, govs):
    make_user("supervisor@pcm.gob.pe", ("national", None))
    login(client, "supervisor@pcm.gob.pe")
    with app.app_context():
        regions = db.session.scalar(select(func.count(Government.id)).where(Government.kind == "regional"))
        # Cusco met its 2024 submission on 28 June
        generate_deadlines(2024)
        deadline = db.session.scalar(
            select(Deadline).where(Deadline.government_id == govs["cusco"], Deadline.year == 2024)
        )
        from datetime import datetime

        deadline.met_at, deadline.met_on = datetime(2024, 6, 28, 15), date(2024, 6, 28)
        db.session.commit()
    # the 30 June rule reads with the national overview's vocabulary (the same as the Envíos page)
    page = client.get("/plazos/?year=2024")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-status="on_time">A tiempo: 1<' in text
    assert f'data-status="overdue">Sin enviar (vencido): {regions - 1}<' in text  # the others never sent
    assert text.count("<tr data-government=") == regions
    assert "Cusco" in text and "Huánuco" in text
    # one region
    one = client.get(f"/plazos/?view=national&year=2024&region={govs['cusco']}").get_data(as_text=True)
    assert one.count("<tr data-government=") == 1 and 'class="submission-on_time"' in one


def test_case_and_cycle_panels_and_overdue_inbox(app, client, make_user, govs):
    with app.app_context():
        add_rule("test.respuesta", label="Respuesta al pedido", kind="working_days_after", days=10, event="recepción")
        late_case = new_case(govs["huanuco"], 2026, "Pedido atrasado")
        on_time = new_case(govs["huanuco"], 2026, "Pedido al día")
        start_deadline(late_case, get_rule("test.respuesta"), date(2020, 1, 2))
        start_deadline(on_time, get_rule("test.respuesta"), date(2099, 1, 2))
        db.session.commit()
        late_id, on_time_id = late_case.id, on_time.id
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_page = client.get(f"/expedientes/{late_id}").get_data(as_text=True)
    assert "Respuesta al pedido" in case_page and "status-late" in case_page
    cycle = client.get(f"/ciclos/{govs['huanuco']}/2026").get_data(as_text=True)
    assert "Envío a la ST-CIAS" in cycle and "Respuesta al pedido" in cycle
    inbox = client.get("/expedientes/?overdue=1").get_data(as_text=True)
    assert "Pedido atrasado" in inbox and "Pedido al día" not in inbox
    everything = client.get("/expedientes/").get_data(as_text=True)
    assert "Pedido atrasado" in everything and "Pedido al día" in everything
    # a fixed rule bound to the case type makes the government's cases of that year overdue too
    with app.app_context():
        add_rule(
            "test.generico", label="Cierre", kind="fixed_yearly", month=1, day=31, level="regional", case_type="generic"
        )
        generate_deadlines(2026, [govs["huanuco"]])
        db.session.commit()
    assert "Pedido al día" in client.get("/expedientes/?overdue=1").get_data(as_text=True)
    assert "Cierre" in client.get(f"/expedientes/{on_time_id}").get_data(as_text=True)


# --- notifications ------------------------------------------------------------------------------------------


def test_notifications_on_the_dashboard_and_marked_read(app, client, make_user, govs):
    user = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    other = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    with app.app_context():
        db.session.add(Notification(user_id=user, message="El plazo «Prueba» vence mañana.", link="/plazos/"))
        db.session.add(Notification(user_id=other, message="Aviso ajeno", link="/plazos/"))
        db.session.commit()
        mine = db.session.scalar(select(Notification.id).where(Notification.user_id == user))
        foreign = db.session.scalar(select(Notification.id).where(Notification.user_id == other))
    login(client, "equipo@huanuco.pe")
    dashboard = client.get("/").get_data(as_text=True)
    assert "vence mañana" in dashboard and "Aviso ajeno" not in dashboard
    token = csrf_from(client, "/plazos/avisos")
    assert client.post(f"/plazos/avisos/{foreign}/leido", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/plazos/avisos/{mine}/leido", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(Notification, mine).read_at is not None
        assert db.session.get(Notification, foreign).read_at is None
    assert "vence mañana" not in client.get("/").get_data(as_text=True)
    assert "vence mañana" in client.get("/plazos/avisos").get_data(as_text=True)
    assert client.post("/plazos/avisos/leidos", data={}).status_code == 400  # CSRF


# --- API -------------------------------------------------------------------------------------------------------


def test_api_lists_deadlines_in_scope_with_filters(app, client, make_user, govs, api_token):
    national = make_user("supervisor@pcm.gob.pe", ("national", None))
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    as_national = {"Authorization": f"Bearer {api_token(national)}"}
    as_team = {"Authorization": f"Bearer {api_token(team)}"}
    with app.app_context():
        regions = db.session.scalar(select(func.count(Government.id)).where(Government.kind == "regional"))
    body = client.get(f"/api/v1/deadlines?year=2024&rule={RULE}&per_page=100", headers=as_national).get_json()
    assert body["total"] == regions
    item = next(i for i in body["items"] if i["government_id"] == govs["huanuco"])
    assert item["due_date"] == "2024-07-01" and item["status"] == "late" and item["rule"] == RULE
    assert client.get("/api/v1/deadlines?year=2024&status=late", headers=as_national).get_json()["total"] == regions
    assert client.get("/api/v1/deadlines?year=2024&status=met", headers=as_national).get_json()["total"] == 0
    mine = client.get("/api/v1/deadlines?year=2024", headers=as_team).get_json()
    assert {i["government_id"] for i in mine["items"]} == {govs["huanuco"]}
    assert client.get(f"/api/v1/deadlines?government={govs['cusco']}", headers=as_team).status_code == 404
    assert client.get("/api/v1/deadlines?status=vencido", headers=as_team).status_code == 400
    assert client.get("/api/v1/deadlines?year=dos", headers=as_team).status_code == 400
    assert client.get("/api/v1/deadlines").status_code == 401
    rules = client.get("/api/v1/deadline-rules", headers=as_team).get_json()
    assert any(r["key"] == RULE and r["month"] == 6 and r["day"] == 30 for r in rules)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/deadlines" in spec["paths"] and "/api/v1/cases/{case_id}/deadlines" in spec["paths"]


def test_api_case_deadlines(app, client, make_user, govs, api_token):
    with app.app_context():
        add_rule("test.respuesta", label="Respuesta", kind="working_days_after", days=10, event="recepción")
        case = new_case(govs["huanuco"], 2026)
        start_deadline(case, get_rule("test.respuesta"), date(2026, 6, 26))
        db.session.commit()
        case_id = case.id
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    outsider = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    items = client.get(
        f"/api/v1/cases/{case_id}/deadlines", headers={"Authorization": f"Bearer {api_token(team)}"}
    ).get_json()["items"]
    assert [(i["rule"], i["start_date"], i["due_date"]) for i in items] == [
        ("test.respuesta", "2026-06-26", "2026-07-13")
    ]
    assert (
        client.get(
            f"/api/v1/cases/{case_id}/deadlines", headers={"Authorization": f"Bearer {api_token(outsider)}"}
        ).status_code
        == 404
    )
    by_case = client.get(
        f"/api/v1/deadlines?case={case_id}", headers={"Authorization": f"Bearer {api_token(team)}"}
    ).get_json()
    assert by_case["total"] == 1


# --- iCalendar ------------------------------------------------------------------------------------------------


def test_secret_icalendar_feed(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    assert client.post("/plazos/calendario", data={"action": "create"}).status_code == 400  # no CSRF token
    created = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "create"})
    assert created.status_code == 200
    url = re.search(r"http://[^<\s]+\.ics", created.get_data(as_text=True)).group(0)
    path = url.replace("http://localhost", "")
    with app.app_context():
        stored = db.session.scalar(select(CalendarFeedToken))
        token = path.rsplit("/", 1)[1].removesuffix(".ics")
        assert stored.token_hash != token and token not in stored.token_hash  # stored hashed
    _logout(client)

    feed = client.get(path)  # no session: the token is the credential
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    events = list(calendar.walk("VEVENT"))
    year = lima_today().year
    expected = WorkingCalendar().roll_forward(date(year, 6, 30))
    event = next(e for e in events if e.decoded("dtstart") == expected)
    assert "Envío a la ST-CIAS" in str(event["summary"]) and "Huánuco" in str(event["summary"])
    assert str(event["uid"]).startswith("plazo-")
    assert event.decoded("dtend") == date.fromordinal(expected.toordinal() + 1)
    assert all("Cusco" not in str(e["summary"]) for e in events)
    assert calendar["version"] == "2.0" and "Articula" in str(calendar["prodid"])
    # the UID is stable between fetches
    again = Calendar.from_ical(client.get(path).data)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events}

    assert client.get("/plazos/cal_no-existe.ics").status_code == 404
    login(client, "equipo@huanuco.pe")
    regenerated = client.post(
        "/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "create"}
    )
    new_url = re.search(r"http://[^<\s]+\.ics", regenerated.get_data(as_text=True)).group(0)
    assert client.get(path).status_code == 404  # the old address stops working
    assert client.get(new_url.replace("http://localhost", "")).status_code == 200
    client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/plazos/"), "action": "revoke"})
    assert client.get(new_url.replace("http://localhost", "")).status_code == 404


def test_lists_do_not_query_per_row(app, client, make_user, govs, api_token):
    from core.database import QueryCounter

    national = make_user("supervisor@pcm.gob.pe", ("national", None))
    headers = {"Authorization": f"Bearer {api_token(national)}"}
    with app.app_context():
        add_rule("test.trimestral", label="Registro trimestral", kind="quarterly", level="regional")
        generate_deadlines(2024)
        db.session.commit()
        engine = db.engine
    login(client, "supervisor@pcm.gob.pe")
    client.get("/api/v1/me", headers=headers)  # a token's first use records it (once an hour): not per row
    counts = {}
    for per_page in (2, 25):
        with QueryCounter(engine) as page_counter:
            assert client.get(f"/plazos/?year=2024&per_page={per_page}").status_code == 200
        with QueryCounter(engine) as api_counter:
            body = client.get(f"/api/v1/deadlines?year=2024&per_page={per_page * 4}", headers=headers).get_json()
            assert len(body["items"]) == per_page * 4
        counts[per_page] = (page_counter.count, api_counter.count)
    assert counts[2] == counts[25], counts
