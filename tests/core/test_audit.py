"""Audit trail through the app: what is recorded, masking, the hash chain, tampering, concurrency, browsing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select, text, update

from core import audit
from core.audit import AuditTamperError, verify_chain
from core.cli import main as articula
from core.database import writing
from core.extensions import db
from core.models import ApiToken, Case, Membership, User
from core.models.audit import AuditEvent
from tests.conftest import PASSWORD, csrf_from, login
from tests.core.test_cases import _create_generic, _transition


def events(app, **where) -> list[AuditEvent]:  # noqa: ANN001
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEvent, key) == value)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def logout(client) -> None:  # noqa: ANN001
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})


def test_case_create_update_transition_delete_are_recorded(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("admin@articula.pe", ("admin", None))
    login(client, "equipo@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"], title="Plan Articulado Regional")
    token = csrf_from(client, f"/expedientes/{case_id}/editar")
    edited = client.post(
        f"/expedientes/{case_id}/editar", data={"csrf_token": token, "version": "1", "title": "Plan Articulado 2008"}
    )
    assert edited.status_code == 302
    assert _transition(client, case_id, "submit", comment="Listo para revisión").status_code == 303
    logout(client)

    created, updated, moved = events(app, entity_type="case", case_id=case_id)
    assert created.action == "create" and created.changes["title"] == [None, "Plan Articulado Regional"]
    assert updated.action == "update" and updated.changes["title"] == [
        "Plan Articulado Regional",
        "Plan Articulado 2008",
    ]
    assert moved.action == "transition" and moved.changes["state"] == ["draft", "in_review"]
    assert moved.changes["comment"] == [None, "Listo para revisión"] and moved.detail == "submit: draft → in_review"
    for e in (created, updated, moved):
        assert (e.actor_label, e.ip, e.government_id, e.entity_id) == (
            "equipo@huanuco.pe",
            "127.0.0.1",
            govs["huanuco"],
            str(case_id),
        )
        assert e.actor_user_id is not None
    # the transition row itself is folded into the "transition" event, not logged twice
    assert not events(app, entity_type="case_transition")

    # the case page shows its history: who, from where, what changed from what to what
    login(client, "admin@articula.pe")
    page = client.get(f"/expedientes/{case_id}").get_data(as_text=True)
    panel = page.split('id="audit"')[1]
    assert "<del>Plan Articulado Regional</del> → <ins>Plan Articulado 2008</ins>" in panel
    assert "<del>Borrador</del> → <ins>En revisión</ins>" in panel and "127.0.0.1" in panel
    assert "/admin/auditevent/?flt0_" in panel

    # a deletion in the admin is recorded with the administrator as actor, and survives the case
    response = client.post("/admin/case/delete/", data={"id": case_id, "csrf_token": csrf_from(client, "/admin/case/")})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id) is None
    deleted = events(app, entity_type="case", action="delete")
    assert len(deleted) == 1 and deleted[0].actor_label == "admin@articula.pe"
    assert deleted[0].changes["title"] == ["Plan Articulado 2008", None]
    assert len(events(app, case_id=case_id)) >= 4


def test_logins_failures_and_logouts(app, client, make_user):
    user_id = make_user("equipo@huanuco.pe")
    token = csrf_from(client)
    client.post("/ingresar", data={"email": "equipo@huanuco.pe", "password": "mala-clave-123", "csrf_token": token})
    client.post("/ingresar", data={"email": "nadie@huanuco.pe", "password": "mala-clave-123", "csrf_token": token})
    login(client, "equipo@huanuco.pe")
    logout(client)
    rows = [(e.action, e.actor_label, e.actor_user_id, e.entity_id) for e in events(app, entity_type="user_account")]
    rows = [r for r in rows if r[0] != "create"]
    assert rows == [
        ("login_failed", "equipo@huanuco.pe", None, str(user_id)),
        ("login_failed", "nadie@huanuco.pe", None, None),
        ("login", "equipo@huanuco.pe", user_id, str(user_id)),
        ("logout", "equipo@huanuco.pe", user_id, str(user_id)),
    ]
    assert all(e.ip == "127.0.0.1" for e in events(app, action="login"))


def test_throttled_login_is_recorded(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 1)
    token = csrf_from(client)
    for _ in range(3):
        last = client.post(
            "/ingresar", data={"email": "x@huanuco.pe", "password": "mala-clave-123", "csrf_token": token}
        )
    assert last.status_code == 429
    assert len(events(app, action="login_failed")) == 2
    throttled = events(app, action="login_throttled")
    assert len(throttled) == 1 and throttled[0].detail.startswith("demorado")
    with app.app_context():
        assert verify_chain().ok


def test_permission_changes_from_cli_and_admin_and_secrets_masked(app, client, make_user, govs):
    runner = app.test_cli_runner()
    result = runner.invoke(
        articula, ["users", "create", "coord@huanuco.pe", "--name", "Coordinadora", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(articula, ["users", "grant", "coord@huanuco.pe", "coordinator", "--government", "100000"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        articula, ["users", "grant", "coord@huanuco.pe", "coordinator", "--government", "100000", "--revoke"]
    )
    assert result.exit_code == 0, result.output
    grant, revoke = events(app, entity_type="membership")
    assert (grant.action, grant.actor_label, grant.government_id) == ("permission_grant", "cli", govs["huanuco"])
    assert grant.changes["role"] == [None, "coordinator"]
    assert (revoke.action, revoke.changes["role"]) == ("permission_revoke", ["coordinator", None])

    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    with app.app_context():
        coord = db.session.scalar(select(User).where(User.email == "coord@huanuco.pe"))
        coord_id, password_hash = coord.id, coord.password_hash
    response = client.post(
        "/admin/membership/new/",
        data={
            "csrf_token": csrf_from(client, "/admin/membership/new/"),
            "user": coord_id,
            "government": govs["cusco"],
            "role": "auditor",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    admin_grant = events(app, entity_type="membership")[-1]
    assert (admin_grant.action, admin_grant.actor_label, admin_grant.government_id) == (
        "permission_grant",
        "admin@articula.pe",
        govs["cusco"],
    )
    # secrets: the user's password hash and a token's hash never enter the log
    client.post(
        "/perfil", data={"action": "token", "token-name": "integración", "csrf_token": csrf_from(client, "/perfil")}
    )
    with app.app_context():
        token_hash = db.session.scalar(select(ApiToken.token_hash))
    created_user = events(app, entity_type="user_account", action="create", entity_id=str(coord_id))[0]
    assert created_user.changes["password_hash"] == [None, "***"]
    token_event = events(app, entity_type="api_token")[0]
    assert token_event.changes["token_hash"] == [None, "***"]
    with app.app_context():
        dump = " ".join(str(e.changes) for e in db.session.scalars(select(AuditEvent)))
    assert password_hash not in dump and token_hash not in dump


def test_old_value_of_an_expired_attribute_is_recorded(app, make_user):
    user_id = make_user("equipo@huanuco.pe")
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expire(user)  # the old name is not in memory when it is overwritten
        user.name = "Rosa Huamán"
        db.session.commit()
    change = events(app, entity_type="user_account", action="update")[-1]
    assert change.changes == {"name": ["Equipo", "Rosa Huamán"]}


def test_rolled_back_changes_leave_no_event_and_savepoints_are_respected(app, make_user):
    make_user("base@huanuco.pe")
    before = len(events(app))
    with app.app_context(), writing():
        db.session.add(User(email="fantasma@x.pe", name="Fantasma", password_hash="x"))
        db.session.flush()
        db.session.rollback()
        savepoint = db.session.begin_nested()
        db.session.add(User(email="descartado@x.pe", name="Descartado", password_hash="x"))
        db.session.flush()
        savepoint.rollback()
        db.session.add(User(email="guardado@x.pe", name="Guardado", password_hash="x"))
        db.session.commit()
    new = events(app)[before:]
    assert [e.changes["email"][1] for e in new] == ["guardado@x.pe"]
    assert new[0].actor_label == "sistema"
    with app.app_context():
        assert verify_chain().ok


def test_explicit_record_for_documents_and_orm_cannot_alter_the_log(app, make_user, govs, client):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    with app.app_context(), writing():
        case = db.session.get(Case, case_id)
        with audit.acting_as(label="sistema"):
            audit.record("document_issue", case, detail="ORDENANZA REGIONAL N° 001-2008-GRH/CR")
        db.session.commit()
    issued = events(app, action="document_issue")[0]
    assert (issued.case_id, issued.government_id, issued.entity_type) == (case_id, govs["huanuco"], "case")

    with app.app_context():
        row = db.session.get(AuditEvent, issued.id)
        row.detail = "otra cosa"
        with pytest.raises(AuditTamperError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, issued.id))
        with pytest.raises(AuditTamperError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditTamperError):
            db.session.execute(update(AuditEvent).values(actor_label="nadie"))
        db.session.rollback()
        with pytest.raises(AuditTamperError):
            db.session.execute(delete(AuditEvent).where(AuditEvent.id == issued.id))
        db.session.rollback()
        assert verify_chain().ok


def _some_events(app, make_user, govs, client) -> list[int]:  # noqa: ANN001
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    for title in ("Uno", "Dos", "Tres"):
        _create_generic(client, govs["huanuco"], title=title)
    return [e.id for e in events(app)]


def test_verify_passes_then_finds_a_row_edited_behind_the_apps_back(app, client, make_user, govs):
    ids = _some_events(app, make_user, govs, client)
    runner = app.test_cli_runner()
    result = runner.invoke(articula, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Cadena íntegra: {len(ids)} eventos" in result.output

    target = ids[len(ids) // 2]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_event SET actor_label = 'otra.persona@x.pe' WHERE id = :id"), {"id": target}
        )
    result = runner.invoke(articula, ["audit", "verify", "--batch-size", "2"])
    assert result.exit_code == 1
    assert f"evento #{target}" in result.output and "contenido fue modificado" in result.output


def test_verify_finds_edited_changes_and_deleted_rows(app, client, make_user, govs):
    ids = _some_events(app, make_user, govs, client)
    case_event = [e for e in events(app, entity_type="case")][0]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            update(AuditEvent.__table__)
            .where(AuditEvent.__table__.c.id == case_event.id)
            .values(changes={"title": [None, "Título falsificado"]})
        )
    with app.app_context():
        result = verify_chain(batch_size=3)
    assert (result.ok, result.bad_id, result.problem) == (False, case_event.id, "content")

    with app.app_context(), db.engine.begin() as connection:  # put it back, then delete a row instead
        connection.execute(
            update(AuditEvent.__table__)
            .where(AuditEvent.__table__.c.id == case_event.id)
            .values(changes=case_event.changes)
        )
    with app.app_context():
        assert verify_chain().ok
    victim = ids[3]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim})
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"Cadena rota en el evento #{ids[4]}" in result.output and f"#{ids[2]}" in result.output
    with app.app_context():
        assert verify_chain().problem == "link"


def test_verify_walks_a_long_chain_in_batches(app):
    with app.app_context(), writing():
        for i in range(600):
            audit.record("login_failed", entity_type="user_account", actor=None, actor_label=f"u{i}@x.pe")
            if i % 200 == 199:
                db.session.commit()
        db.session.commit()
        result = verify_chain(batch_size=64)
        assert result.ok and result.count == 600
        bad = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id).offset(577).limit(1)).one()
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET ip = '10.0.0.1' WHERE id = :id"), {"id": bad})
    with app.app_context():
        result = verify_chain(batch_size=64)
    assert (result.ok, result.bad_id, result.count) == (False, bad, 577)


def test_concurrent_writers_keep_the_chain_valid(app):
    threads, per_thread = 6, 12
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for i in range(per_thread):
                    with writing():
                        db.session.add(User(email=f"hilo{n}-{i}@x.pe", name=f"Hilo {n}", password_hash="x"))
                        audit.record("login", entity_type="user_account", actor=None, actor_label=f"hilo{n}")
                        db.session.commit()
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    with app.app_context():
        result = verify_chain(batch_size=10)
        assert result.ok, result.message()
        assert result.count == threads * per_thread * 2
        hashes = db.session.scalars(select(AuditEvent.prev_hash)).all()
        assert len(set(hashes)) == len(hashes)  # no fork: every event has its own predecessor


def test_auditors_browse_in_scope_and_nobody_writes(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    make_user("auditor@articula.pe", ("auditor", None))
    make_user("admin@articula.pe", ("admin", None))
    login(client, "equipo@huanuco.pe")
    huanuco_case = _create_generic(client, govs["huanuco"], title="Expediente de Huánuco")
    assert client.get("/admin/auditevent/").status_code == 403  # teams use the case page, not the trail
    logout(client)
    login(client, "equipo@cusco.pe")
    cusco_case = _create_generic(client, govs["cusco"], title="Expediente del Cusco")
    logout(client)

    login(client, "auditor@huanuco.pe")
    listing = client.get("/admin/auditevent/")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "equipo@huanuco.pe" in page and "equipo@cusco.pe" not in page
    cusco_event = events(app, entity_type="case", case_id=cusco_case)[0]
    assert client.get(f"/admin/auditevent/details/?id={cusco_event.id}").status_code == 302
    csv = client.get("/admin/auditevent/export/csv/").get_data(as_text=True)
    assert "Expediente de Huánuco" in csv and "Expediente del Cusco" not in csv
    xlsx = client.get("/admin/auditevent/export/xlsx/")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    filtered = client.get("/admin/auditevent/?search=equipo%40huanuco.pe").get_data(as_text=True)
    assert "equipo@huanuco.pe" in filtered
    own_event = events(app, entity_type="case", case_id=huanuco_case)[0]
    token = csrf_from(client, "/")
    for url in ("/admin/auditevent/delete/", "/admin/auditevent/new/", f"/admin/auditevent/edit/?id={own_event.id}"):
        assert client.post(url, data={"id": own_event.id, "csrf_token": token}).status_code == 403
    logout(client)

    login(client, "auditor@articula.pe")
    page = client.get("/admin/auditevent/").get_data(as_text=True)
    assert "equipo@huanuco.pe" in page and "equipo@cusco.pe" in page
    case_page = client.get(f"/expedientes/{cusco_case}").get_data(as_text=True)
    link = case_page.split('id="audit"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    only_case = client.get(link).get_data(as_text=True)
    assert "equipo@cusco.pe" in only_case and "equipo@huanuco.pe" not in only_case
    logout(client)

    login(client, "admin@articula.pe")  # not even an administrator edits the trail
    token = csrf_from(client, "/")
    assert client.post("/admin/auditevent/delete/", data={"id": own_event.id, "csrf_token": token}).status_code == 403
    assert "/admin/auditevent/new/" not in client.get("/admin/auditevent/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AuditEvent, own_event.id) is not None
        assert verify_chain().ok


def test_case_history_api_is_scoped(app, client, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    outsider = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    case = client.post(
        "/api/v1/cases",
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "Por API",
            "stage": "diagnosis",
        },
        headers=headers,
    ).get_json()
    client.patch(f"/api/v1/cases/{case['id']}", json={"version": 1, "title": "Por API (v2)"}, headers=headers)
    history = client.get(f"/api/v1/cases/{case['id']}/audit", headers=headers).get_json()
    assert [i["action"] for i in history["items"]] == ["update", "create"]
    assert history["items"][0]["changes"]["title"] == ["Por API", "Por API (v2)"]
    assert history["items"][0]["actor"] == "equipo@huanuco.pe"
    other = {"Authorization": f"Bearer {api_token(outsider)}"}
    assert client.get(f"/api/v1/cases/{case['id']}/audit", headers=other).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Membership.id).limit(1)) is not None
