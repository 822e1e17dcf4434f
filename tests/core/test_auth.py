"""Tests for authentication: sign-in, throttling, CSRF, sign-out, safe redirects, the profile (password,
language), personal API tokens, session cookie flags and password hashing."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import ApiToken, LoginAttempt, User
from tests.conftest import PASSWORD, csrf_from, login

EMAIL = "equipo@huanuco.pe"


@pytest.fixture
def user_id(make_user, govs):  # noqa: ANN001, ANN201
    return make_user(EMAIL, ("team", govs["huanuco"]))


def signed_in(client) -> bool:  # noqa: ANN001
    return client.get("/perfil").status_code == 200


def post_login(client, email: str, password: str, **kwargs):  # noqa: ANN001, ANN201
    return client.post(
        "/ingresar", data={"email": email, "password": password, "csrf_token": csrf_from(client)}, **kwargs
    )


def attempts(app) -> list[tuple[str, bool]]:  # noqa: ANN001
    with app.app_context():
        return [(a.email, a.success) for a in db.session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))]


# --- signing in -----------------------------------------------------------------------------------------


def test_login_ok_redirects_and_signs_in(app, client, user_id):
    response = post_login(client, EMAIL, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)
    assert attempts(app) == [(EMAIL, True)]


def test_login_is_case_insensitive_on_the_email(client, user_id):
    assert post_login(client, "  Equipo@Huanuco.PE ", PASSWORD).status_code == 302


def test_wrong_password_is_401_with_a_message_and_nothing_changes(app, client, user_id):
    with app.app_context():
        hash_before = db.session.get(User, user_id).password_hash
    response = post_login(client, EMAIL, "otra-clave-cualquiera")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    # TODO(translations): once translations/es is compiled this must read "Correo o contraseña incorrectos".
    assert "Correo o contraseña incorrectos" in html
    assert not signed_in(client)
    assert attempts(app) == [(EMAIL, False)]
    with app.app_context():
        assert db.session.get(User, user_id).password_hash == hash_before


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, user_id):
    unknown = post_login(client, "nadie@huanuco.pe", PASSWORD)
    wrong = post_login(client, EMAIL, "otra-clave-cualquiera")
    assert unknown.status_code == wrong.status_code == 401
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", unknown.get_data(as_text=True)) == strip.sub("", wrong.get_data(as_text=True))


def test_inactive_user_cannot_sign_in(app, client, user_id):
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert post_login(client, EMAIL, PASSWORD).status_code == 401
    assert not signed_in(client)


def test_malformed_email_is_400_and_not_recorded(app, client, user_id):
    response = post_login(client, "no-es-un-correo", PASSWORD)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert not signed_in(client)
    assert attempts(app) == []


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
VICTIM = {"REMOTE_ADDR": "198.51.100.7"}


def fail(client, email: str = EMAIL, environ: dict | None = None) -> int:  # noqa: ANN001
    return post_login(client, email, "clave-equivocada-1", environ_base=environ or ATTACKER).status_code


def age_attempts(app, seconds: int) -> None:  # noqa: ANN001
    """Move every recorded attempt ``seconds`` into the past (as if the clock had run on)."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.at -= timedelta(seconds=seconds)
        db.session.commit()


def test_attackers_failures_never_lock_out_the_victim(app, client, user_id):
    for _ in range(20):
        assert fail(client) in (401, 429)
    assert fail(client) == 429  # the attacker's own address is slowed down…
    victim = app.test_client()
    assert post_login(victim, EMAIL, PASSWORD, environ_base=VICTIM).status_code == 302  # …the victim is not
    assert signed_in(victim)


def test_one_address_failing_for_one_account_does_not_block_another(app, client, user_id, make_user):
    make_user("colega@huanuco.pe")
    office = {"REMOTE_ADDR": "192.0.2.10"}  # a whole office behind one NAT address
    for _ in range(10):
        fail(client, environ=office)
    assert fail(client, environ=office) == 429
    colleague = app.test_client()
    assert post_login(colleague, "colega@huanuco.pe", PASSWORD, environ_base=office).status_code == 302


def test_delays_grow_with_each_failure_and_refusals_do_not_check_the_password(app, client, user_id):
    free, first = app.config["LOGIN_FREE_FAILURES"], app.config["LOGIN_DELAY_SECONDS"]
    for _ in range(free):
        assert fail(client) == 401  # the first failures cost nothing
    waits = []
    for _ in range(4):
        assert fail(client) == 401
        refused = post_login(client, EMAIL, PASSWORD, environ_base=ATTACKER)  # even the right password waits
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        age_attempts(app, waits[-1] + 1)  # the wait has passed
    assert waits == [first, first * 2, first * 4, first * 8]
    # refused attempts were never checked nor counted as failures
    assert attempts(app) == [(EMAIL, False)] * (free + 4)
    assert post_login(client, EMAIL, PASSWORD, environ_base=ATTACKER).status_code == 302


def test_the_wait_is_capped(app, user_id):
    with app.test_request_context():
        from core.web.auth import login_delay

        assert login_delay(0) == 0
        assert login_delay(1000) == app.config["LOGIN_MAX_DELAY_SECONDS"]


def test_throttled_attempts_are_in_the_audit_trail(app, client, user_id):
    from core.models.audit import AuditEvent

    for _ in range(app.config["LOGIN_FREE_FAILURES"] + 1):
        fail(client)
    assert fail(client) == 429
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_throttled"))
        assert event is not None
        assert (event.actor_label, event.ip) == (EMAIL, ATTACKER["REMOTE_ADDR"])


def test_a_success_wipes_the_slate_and_old_failures_are_forgotten(app, client, user_id):
    for _ in range(app.config["LOGIN_FREE_FAILURES"] + 2):
        fail(client)
    age_attempts(app, app.config["LOGIN_WINDOW_SECONDS"] + 60)
    assert fail(client) == 401  # the old failures fell out of the window
    age_attempts(app, 3600)
    assert post_login(app.test_client(), EMAIL, PASSWORD, environ_base=ATTACKER).status_code == 302
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert fail(client) == 401  # counted afresh after the success


def test_forwarded_address_is_ignored_without_trusted_proxies(app, client, user_id):
    spoofed = {"X-Forwarded-For": "10.20.30.40"}
    post_login(client, EMAIL, "clave-equivocada-1", headers=spoofed, environ_base=ATTACKER)
    with app.app_context():
        assert db.session.scalar(select(LoginAttempt.ip)) == ATTACKER["REMOTE_ADDR"]


def test_forwarded_address_is_read_through_the_trusted_proxies(database, user_id):
    from tests.conftest import build_app

    proxied = build_app(database, TRUSTED_PROXIES=1)
    client = proxied.test_client()
    # The proxy appends the real peer; what the client wrote before it is not believed.
    headers = {"X-Forwarded-For": "10.0.0.1, 10.20.30.40"}
    for _ in range(proxied.config["LOGIN_FREE_FAILURES"] + 1):
        post_login(client, EMAIL, "clave-equivocada-1", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    with proxied.app_context():
        assert set(db.session.scalars(select(LoginAttempt.ip))) == {"10.20.30.40"}
    # Another client behind the same proxy is another address: not slowed down.
    other = {"X-Forwarded-For": "10.20.30.41"}
    response = post_login(client, EMAIL, PASSWORD, headers=other, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 302


# --- CSRF -------------------------------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(client, user_id):
    response = client.post("/ingresar", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert not signed_in(client)


def test_login_with_forged_csrf_token_is_refused(app, client, user_id):
    csrf_from(client)  # the session has a real token…
    response = client.post("/ingresar", data={"email": EMAIL, "password": PASSWORD, "csrf_token": "forjado.abc.def"})
    assert response.status_code == 400
    # …and a token taken from another browser's session is no better
    other = app.test_client()
    response = client.post("/ingresar", data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_from(other)})
    assert response.status_code == 400
    assert not signed_in(client)
    assert attempts(app) == []


# --- signing out ------------------------------------------------------------------------------------------


def test_logout_requires_post_with_csrf(client, user_id):
    login(client, EMAIL)
    assert client.get("/salir").status_code == 405
    assert signed_in(client)
    assert client.post("/salir").status_code == 400  # no CSRF token: a cross-site form cannot sign you out
    assert signed_in(client)
    response = client.post("/salir", data={"csrf_token": csrf_from(client, "/perfil")})
    assert response.status_code == 302 and response.headers["Location"] == "/ingresar"
    assert not signed_in(client)


# --- redirects after sign-in ------------------------------------------------------------------------------


def test_next_to_a_local_page_is_followed(client, user_id):
    response = post_login_next(client, "/gobiernos/?q=100102")
    assert response.headers["Location"] == "/gobiernos/?q=100102"


def post_login_next(client, target: str):  # noqa: ANN001, ANN201
    token = csrf_from(client)
    return client.post(
        "/ingresar", query_string={"next": target}, data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    )


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:/evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
def test_next_to_another_site_is_not_followed(client, user_id, target):
    response = post_login_next(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"  # the dashboard, not a "sanitised" version of the target
    assert signed_in(client)


def test_unauthenticated_page_sends_to_login_and_back(client, user_id):
    response = client.get("/gobiernos/?kind=district")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/ingresar?next=")
    token = csrf_from(client)
    back = client.post(location, data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert back.headers["Location"] == "/gobiernos/?kind=district"


def test_language_switch_next_is_local_only(client, user_id):
    token = csrf_from(client)
    response = client.post("/idioma/en", data={"csrf_token": token, "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.post("/idioma/en", data={"csrf_token": token, "next": "/gobiernos/"})
    assert response.headers["Location"] == "/gobiernos/"
    assert client.post("/idioma/xx", data={"csrf_token": token}).status_code == 404


# --- the profile ------------------------------------------------------------------------------------------


def profile_post(client, action: str, **fields):  # noqa: ANN001, ANN201
    token = csrf_from(client, "/perfil")
    return client.post("/perfil", data={"action": action, "csrf_token": token, **fields})


def test_change_password_requires_the_current_one(app, client, user_id):
    login(client, EMAIL)
    with app.app_context():
        before = db.session.get(User, user_id).password_hash
    wrong = profile_post(
        client,
        "password",
        **{
            "password-current": "no-es-la-clave",
            "password-new": "nueva-clave-2024",
            "password-confirm": "nueva-clave-2024",
        },
    )
    assert wrong.status_code == 400
    mismatch = profile_post(
        client,
        "password",
        **{"password-current": PASSWORD, "password-new": "nueva-clave-2024", "password-confirm": "otra-clave-2024"},
    )
    assert mismatch.status_code == 400
    short = profile_post(
        client, "password", **{"password-current": PASSWORD, "password-new": "corta", "password-confirm": "corta"}
    )
    assert short.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).password_hash == before
    ok = profile_post(
        client,
        "password",
        **{"password-current": PASSWORD, "password-new": "nueva-clave-2024", "password-confirm": "nueva-clave-2024"},
    )
    assert ok.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.check_password("nueva-clave-2024") and not user.check_password(PASSWORD)


def html_lang(client, path: str = "/", **kwargs) -> str:  # noqa: ANN001
    html = client.get(path, **kwargs).get_data(as_text=True)
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_language_preference_changes_the_ui_locale(app, client, user_id):
    login(client, EMAIL)
    assert html_lang(client) == "es"
    response = profile_post(client, "profile", **{"profile-name": "Rosa Huamán", "profile-locale": "en"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.locale) == ("Rosa Huamán", "en")
    # the user's preference wins over the browser's
    assert html_lang(client, headers={"Accept-Language": "es-PE,es"}) == "en"
    assert html_lang(client, "/perfil") == "en"
    profile_post(client, "profile", **{"profile-name": "Rosa Huamán", "profile-locale": "es"})
    assert html_lang(client, headers={"Accept-Language": "en"}) == "es"


def test_unknown_language_preference_is_refused(app, client, user_id):
    login(client, EMAIL)
    response = profile_post(client, "profile", **{"profile-name": "Rosa", "profile-locale": "fr"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).locale == "es"


def test_anonymous_language_choice_lives_in_the_session(client):
    assert html_lang(client, headers={"Accept-Language": "en"}) == "en"
    assert html_lang(client) == "es"  # no preference at all: Spanish
    client.post("/idioma/en", data={"csrf_token": csrf_from(client)})
    assert html_lang(client, headers={"Accept-Language": "es"}) == "en"


# --- personal API tokens ----------------------------------------------------------------------------------


def test_api_token_is_shown_once_stored_hashed_and_revocable(app, client, user_id, make_user):
    login(client, EMAIL)
    created = profile_post(client, "token", **{"token-name": "Mi script"})
    assert created.status_code == 200
    plain = re.search(r'<code class="token">(art_[^<]+)</code>', created.get_data(as_text=True)).group(1)
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user_id))
        assert token.name == "Mi script"
        assert token.token_hash != plain and plain not in token.token_hash
        assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert token.prefix == plain[:12]
        token_id = token.id
    again = client.get("/perfil").get_data(as_text=True)
    assert plain not in again and token.prefix in again

    api = app.test_client()  # no cookies: the token alone
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200 and me.get_json()["email"] == EMAIL
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}x"}).status_code == 401

    # another user cannot revoke it
    make_user("otro@huanuco.pe")
    other = app.test_client()
    login(other, "otro@huanuco.pe")
    forbidden = other.post(f"/perfil/tokens/{token_id}/revocar", data={"csrf_token": csrf_from(other, "/perfil")})
    assert forbidden.status_code == 404
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200

    revoked = client.post(f"/perfil/tokens/{token_id}/revocar", data={"csrf_token": csrf_from(client, "/perfil")})
    assert revoked.status_code == 302
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_token_of_an_inactive_user_is_refused(app, client, user_id, api_token):
    plain = api_token(user_id)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


# --- cookies and hashes -----------------------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite_lax(client, user_id):
    response = post_login(client, EMAIL, PASSWORD)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    flags = [part.strip().lower() for part in cookies[-1].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_password_is_hashed_with_scrypt(app, client, make_user, monkeypatch):
    user_id = make_user("real@huanuco.pe")
    other = make_user("real2@huanuco.pe")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
        assert stored.startswith("scrypt:")
        assert PASSWORD not in stored
        assert db.session.get(User, other).password_hash != stored  # salted
    assert post_login(client, "real@huanuco.pe", PASSWORD).status_code == 302


def test_changed_password_is_hashed_with_scrypt(app, client, make_user, monkeypatch):
    monkeypatch.undo()
    user_id = make_user("real@huanuco.pe")
    login(client, "real@huanuco.pe")
    fields = {"password-current": PASSWORD, "password-new": "nueva-clave-2024", "password-confirm": "nueva-clave-2024"}
    assert profile_post(client, "password", **fields).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).password_hash.startswith("scrypt:")


# --- sessions end at sign-out, password and role changes --------------------------------------------------


def copied_cookie(app, client):  # noqa: ANN001, ANN201
    """A second browser holding a copy of ``client``'s session cookie (as a thief would)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_logout_fails_after_it(app, client, user_id):
    login(client, EMAIL)
    thief = copied_cookie(app, client)
    assert signed_in(thief)
    client.post("/salir", data={"csrf_token": csrf_from(client, "/perfil")})
    assert not signed_in(client)
    assert not signed_in(thief)


def test_sign_out_everywhere_ends_every_session(app, client, user_id):
    login(client, EMAIL)
    laptop = app.test_client()
    login(laptop, EMAIL)
    response = client.post("/perfil/cerrar-sesiones", data={"csrf_token": csrf_from(client, "/perfil")})
    assert response.status_code == 302 and response.headers["Location"] == "/ingresar"
    assert not signed_in(client) and not signed_in(laptop)
    login(laptop, EMAIL)  # the user can sign in again
    assert signed_in(laptop)


def test_a_session_older_than_the_absolute_lifetime_fails(app, client, user_id):
    from core.web.auth import SESSION_STARTED

    login(client, EMAIL)
    lifetime = app.config["SESSION_ABSOLUTE_LIFETIME"]
    with client.session_transaction() as sess:
        sess[SESSION_STARTED] -= lifetime - 60  # still young enough
    assert signed_in(client)  # this request refreshed the cookie (rolling expiry)…
    with client.session_transaction() as sess:
        sess[SESSION_STARTED] -= 120
    assert not signed_in(client)  # …but could not move the sign-in time


def test_password_change_ends_other_sessions_and_revokes_tokens_and_calendar(app, client, user_id, api_token):
    from core.deadlines.models import CalendarFeedToken
    from core.models.audit import AuditEvent

    login(client, EMAIL)
    laptop = app.test_client()
    login(laptop, EMAIL)
    plain = api_token(user_id)
    feed = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/perfil"), "action": "create"})
    feed_url = re.search(r"http://localhost(/[^\s\"<]+\.ics)", feed.get_data(as_text=True)).group(1)
    assert client.get(feed_url).status_code == 200
    bearer = {"Authorization": f"Bearer {plain}"}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200

    fields = {"password-current": PASSWORD, "password-new": "nueva-clave-2024", "password-confirm": "nueva-clave-2024"}
    assert profile_post(client, "password", **fields).status_code == 302
    assert signed_in(client)  # the session that changed it goes on
    assert not signed_in(laptop)  # every other one ends
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert app.test_client().get(feed_url).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CalendarFeedToken)) is None
        revoked = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.entity_type == "calendar_feed_token", AuditEvent.action == "calendar_revoke"
            )
        )
        assert revoked is not None and revoked.actor_user_id == user_id


def test_role_change_and_deactivation_end_sessions(app, client, user_id, govs):
    from core.models import Membership
    from core.users import grant

    login(client, EMAIL)
    with app.app_context():
        grant(EMAIL, "coordinator", str(govs["huanuco"]))
    assert not signed_in(client)
    login(client, EMAIL)
    with app.app_context():
        db.session.delete(db.session.scalar(select(Membership).where(Membership.role == "coordinator")))
        db.session.commit()
    assert not signed_in(client)
    login(client, EMAIL)
    with app.app_context():
        db.session.get(User, user_id).name = "Otro nombre"  # an unrelated change keeps the session
        db.session.commit()
    assert signed_in(client)
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert not signed_in(client)


# --- timing: unknown accounts cost a hash too -------------------------------------------------------------


@pytest.fixture
def scrypt_calls(monkeypatch):  # noqa: ANN001, ANN201
    """Counts calls to the standard library's scrypt, the hash behind every password check."""
    calls = []
    real = hashlib.scrypt

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(kwargs.get("n"))
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


@pytest.mark.parametrize("email", ["nadie@huanuco.pe", EMAIL])
def test_unknown_and_known_accounts_cost_one_real_hash_each(app, client, user_id, scrypt_calls, email):
    with app.app_context():
        real_cost = db.session.get(User, user_id).password_hash.split(":")[1]  # scrypt:<n>:<r>:<p>
    csrf_from(client)
    scrypt_calls.clear()
    assert post_login(client, email, "clave-equivocada-1").status_code == 401
    assert scrypt_calls == [int(real_cost)]  # one hash, at the configured cost, whether the account exists or not


def test_inactive_account_costs_a_hash_too(app, client, user_id, scrypt_calls):
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    csrf_from(client)
    scrypt_calls.clear()
    assert post_login(client, EMAIL, PASSWORD).status_code == 401
    assert len(scrypt_calls) == 1
