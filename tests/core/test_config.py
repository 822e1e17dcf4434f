"""Tests for configuration and the database layer: production safeguards, DATABASE_URL normalisation,
ARTICULA_* environment overrides, SQLite pragmas and concurrent writers, PostgreSQL pool settings."""

from __future__ import annotations

import re
import threading

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from core.app import create_app
from core.cli import main as cli
from core.config import load_config
from core.database import writing
from core.demo import DemoError, load_demo
from core.extensions import db
from core.models import LoginAttempt, Membership, User
from tests.conftest import PASSWORD, PG_URL, build_app, csrf_from, login

PUBLIC = "https://articula.example.gob.pe"
STRONG_KEY = "k3y-de-produccion-" + "x" * 40


@pytest.fixture
def clean_env(monkeypatch):  # noqa: ANN001, ANN201
    """No configuration leaking in from the environment of whoever runs the tests."""
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    import os

    for name in [n for n in os.environ if n.startswith("ARTICULA_") and n != "ARTICULA_TEST_DATABASE_URL"]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def migrated(app, database):  # noqa: ANN001, ANN201
    return database


def bare_config(tmp_path, overrides=None) -> dict:  # noqa: ANN001
    """app.config as the real loader fills it, for a bare Flask app (no engine, no plugins)."""
    flask_app = Flask("articula_config_test", instance_path=str(tmp_path / "instance"))
    load_config(flask_app, overrides)
    return flask_app.config


# --- production mode ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "dev", "change-me", "  secret  "], ids=repr)
def test_production_refuses_a_missing_or_default_secret_key(clean_env, migrated, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": True, **migrated, "PRODUCTION": True, "SECRET_KEY": key})


def test_production_from_the_environment_refuses_no_secret_key(clean_env, migrated):
    clean_env.setenv("ARTICULA_PRODUCTION", "true")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": True, **migrated})
    clean_env.setenv("SECRET_KEY", STRONG_KEY)
    with pytest.raises(RuntimeError, match="ARTICULA_BASE_URL"):  # printed in every issued document
        create_app({"TESTING": True, **migrated})
    clean_env.setenv("ARTICULA_BASE_URL", PUBLIC)
    application = create_app({"TESTING": True, **migrated})
    assert application.config["BASE_URL"] == PUBLIC
    assert application.config["PRODUCTION"] is True and application.config["SECRET_KEY"] == STRONG_KEY


def test_production_with_a_real_key_boots_with_secure_cookies(clean_env, migrated, make_user):
    application = create_app(
        {"TESTING": True, **migrated, "PRODUCTION": True, "SECRET_KEY": STRONG_KEY, "BASE_URL": PUBLIC}
    )
    assert application.config["SESSION_COOKIE_SECURE"] is True
    assert application.config["REMEMBER_COOKIE_SECURE"] is True
    make_user("equipo@huanuco.pe")
    client = application.test_client()
    https = {"base_url": "https://articula.example", "headers": {"Referer": "https://articula.example/ingresar"}}
    form = client.get("/ingresar", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = {"email": "equipo@huanuco.pe", "password": PASSWORD, "csrf_token": token}
    response = client.post("/ingresar", data=data, **https)
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_secure_cookies_only_in_production_unless_configured(clean_env, tmp_path):
    assert bare_config(tmp_path)["SESSION_COOKIE_SECURE"] is False
    assert bare_config(tmp_path, {"SESSION_COOKIE_SECURE": True})["SESSION_COOKIE_SECURE"] is True
    clean_env.setenv("ARTICULA_SESSION_COOKIE_SECURE", "false")  # e.g. a plain-HTTP intranet, on purpose
    production = bare_config(tmp_path, {"PRODUCTION": True, "SECRET_KEY": STRONG_KEY, "BASE_URL": PUBLIC})
    assert production["SESSION_COOKIE_SECURE"] is False and production["REMEMBER_COOKIE_SECURE"] is True


def test_development_key_is_generated_once_and_kept(clean_env, tmp_path):
    first = bare_config(tmp_path)["SECRET_KEY"]
    second = bare_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "instance" / "dev-secret-key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_demo_data(clean_env, migrated):
    application = create_app(
        {"TESTING": True, **migrated, "PRODUCTION": True, "SECRET_KEY": STRONG_KEY, "BASE_URL": PUBLIC}
    )
    with application.app_context():
        with pytest.raises(DemoError, match="producción"):
            load_demo(application)
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    result = application.test_cli_runner().invoke(cli, ["demo", "load"])
    assert result.exit_code != 0 and "producción" in result.output
    with application.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


# --- database URL and environment overrides -------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/articula", "postgresql+psycopg://u:p@db.example:5432/articula"),
        ("postgresql://u:p@db.example/articula", "postgresql+psycopg://u:p@db.example/articula"),
        ("postgresql+psycopg://u@db.example/articula", "postgresql+psycopg://u@db.example/articula"),
        ("sqlite:////var/lib/articula/articula.db", "sqlite:////var/lib/articula/articula.db"),
    ],
)
def test_database_url_from_the_environment_is_normalised(clean_env, tmp_path, given, expected):
    clean_env.setenv("DATABASE_URL", given)
    config = bare_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == expected
    assert config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping") is (
        expected.startswith("postgresql") or None
    )


def test_default_database_is_sqlite_in_the_instance_folder(clean_env, tmp_path):
    config = bare_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'articula.db'}"


def test_postgresql_engine_pings_before_use(clean_env):
    url = PG_URL or "postgres://articula:secreto@127.0.0.1:1/articula"  # never connected to when fake
    clean_env.setenv("DATABASE_URL", url)
    application = create_app({"TESTING": True, "PLUGINS": ""})
    with application.app_context():
        assert db.engine.dialect.name == "postgresql" and db.engine.driver == "psycopg"
        assert db.engine.pool._pre_ping is True
        db.engine.dispose()
    # explicit engine options keep the ping unless they say otherwise
    options = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 3}}
    application = create_app({"TESTING": True, "PLUGINS": "", **options})
    assert application.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 3, "pool_pre_ping": True}


def test_environment_overrides_defaults_and_explicit_config_overrides_the_environment(clean_env, tmp_path):
    clean_env.setenv("ARTICULA_API_PAGE_SIZE", "7")
    clean_env.setenv("ARTICULA_PLUGINS", "institutionalization")
    clean_env.setenv("ARTICULA_LOGIN_FREE_FAILURES", "3")
    config = bare_config(tmp_path)
    assert config["API_PAGE_SIZE"] == 7 and config["LOGIN_FREE_FAILURES"] == 3
    assert config["PLUGINS"] == "institutionalization"
    assert bare_config(tmp_path, {"API_PAGE_SIZE": 9})["API_PAGE_SIZE"] == 9


def test_api_page_size_from_the_environment_is_used(clean_env, migrated, make_user, api_token):
    clean_env.setenv("ARTICULA_API_PAGE_SIZE", "7")
    clean_env.setenv("ARTICULA_API_MAX_PAGE_SIZE", "20")
    application = build_app(migrated)
    headers = {"Authorization": f"Bearer {api_token(make_user('lector@articula.pe'))}"}
    client = application.test_client()
    body = client.get("/api/v1/territories?level=department", headers=headers).get_json()
    assert (body["per_page"], len(body["items"]), body["pages"]) == (7, 7, 4)
    capped = client.get("/api/v1/territories?per_page=100", headers=headers).get_json()
    assert capped["per_page"] == 20 and len(capped["items"]) == 20


def test_admin_page_size_from_the_environment_is_used(clean_env, migrated, make_user):
    clean_env.setenv("ARTICULA_ADMIN_PAGE_SIZE", "5")
    application = build_app(migrated)
    make_user("admin@articula.pe", ("admin", None))
    client = application.test_client()
    login(client, "admin@articula.pe")
    page = client.get("/admin/territory/?sort=0").get_data(as_text=True)
    assert page.count('name="rowid"') == 5


def test_login_throttle_threshold_from_the_environment(clean_env, migrated, make_user):
    clean_env.setenv("ARTICULA_LOGIN_FREE_FAILURES", "1")
    application = build_app(migrated)
    make_user("equipo@huanuco.pe")
    client = application.test_client()
    for _ in range(2):
        token = csrf_from(client)
        client.post("/ingresar", data={"email": "equipo@huanuco.pe", "password": "mala-clave-00", "csrf_token": token})
    token = csrf_from(client)
    response = client.post("/ingresar", data={"email": "equipo@huanuco.pe", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429


# --- the database itself ---------------------------------------------------------------------------------


@pytest.mark.skipif(bool(PG_URL), reason="SQLite pragmas")
def test_sqlite_pragmas(ctx, app):
    pragma = {name: db.session.execute(text(f"PRAGMA {name}")).scalar() for name in ("foreign_keys", "journal_mode")}
    pragma["busy_timeout"] = db.session.execute(text("PRAGMA busy_timeout")).scalar()
    pragma["synchronous"] = db.session.execute(text("PRAGMA synchronous")).scalar()
    assert pragma == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "busy_timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"],
        "synchronous": 1,  # NORMAL
    }


@pytest.mark.skipif(bool(PG_URL), reason="SQLite pragmas")
def test_sqlite_busy_timeout_is_configurable(clean_env, migrated):
    application = build_app(migrated, SQLITE_BUSY_TIMEOUT_MS=2500)
    with application.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 2500
        db.engine.dispose()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite locking")
def test_sqlite_writers_take_the_lock_up_front(app, client, make_user):
    from sqlalchemy import event

    make_user("equipo@huanuco.pe")
    login(client, "equipo@huanuco.pe")
    with app.app_context():
        engine = db.engine
    begins: list[str] = []

    def record(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/perfil")
        reads = list(begins)
        begins.clear()
        client.post("/idioma/en", data={"csrf_token": csrf_from(client, "/perfil")})
        writes = begins[-1:]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert reads and set(reads) == {"BEGIN"}
    assert writes == ["BEGIN IMMEDIATE"]


def test_foreign_keys_are_enforced(ctx, make_user):
    user_id = make_user("equipo@huanuco.pe")
    db.session.add(Membership(user_id=user_id, role="team", government_id=99999999))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


THREADS, TRANSACTIONS = 8, 20


def test_concurrent_writers_through_the_app(app):
    """8 browsers × 20 form posts, each one a write transaction, none failing with "database is locked"."""
    with app.app_context():
        users = []
        for n in range(THREADS):
            user = User(email=f"hilo{n}@articula.pe", name=f"Hilo {n}", locale="es", active=True)
            user.password_hash = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
            users.append(user)
        db.session.add_all(users)
        db.session.commit()
    clients = []
    for n in range(THREADS):
        client = app.test_client()
        login(client, f"hilo{n}@articula.pe")
        clients.append((client, csrf_from(client, "/perfil")))
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def browse(client, token) -> None:  # noqa: ANN001
        try:
            start.wait()
            for i in range(TRANSACTIONS):
                lang = "en" if i % 2 == 0 else "es"
                statuses.append(client.post(f"/idioma/{lang}", data={"csrf_token": token}).status_code)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=browse, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert statuses == [302] * (THREADS * TRANSACTIONS)
    with app.app_context():
        locales = set(db.session.scalars(select(User.locale).where(User.email.like("hilo%"))))
        assert locales == {"es"}  # each browser's last choice


def test_concurrent_read_then_write_transactions(app):
    """The classic SQLite failure: several transactions read, then all try to write at once."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(TRANSACTIONS):
                with app.app_context(), writing():
                    seen = db.session.scalar(select(func.count()).select_from(LoginAttempt))
                    db.session.add(LoginAttempt(email=f"hilo{n}-{i}@articula.pe", ip=str(seen), success=False))
                    db.session.commit()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == THREADS * TRANSACTIONS
        if not PG_URL:
            # SQLite writers hold the lock from BEGIN: each transaction saw all the earlier ones, so the
            # counts they read are all different. (PostgreSQL runs them concurrently, by design.)
            seen = db.session.scalars(select(LoginAttempt.ip)).all()
            assert sorted(int(s) for s in seen) == list(range(THREADS * TRANSACTIONS))
