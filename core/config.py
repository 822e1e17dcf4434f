"""Configuration: defaults, then the instance file, then the environment (ARTICULA_*, DATABASE_URL, SECRET_KEY)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

#: The repository's root (templates/, translations/, instance/ live beside core/).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Known-insecure keys that production mode refuses.
INSECURE_SECRET_KEYS = {"", "dev", "change-me", "changeme", "secret"}

DEFAULT_PLUGINS = "institutionalization,diagnosis,operations,monitoring"


class Defaults:
    PRODUCTION = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite in the instance folder
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLITE_BUSY_TIMEOUT_MS = 15000
    PLUGINS = DEFAULT_PLUGINS
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "America/Lima"
    LANGUAGES = ("es", "en")
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None  # None: secure in production (HTTPS only), not in development
    REMEMBER_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # idle limit: each request renews the cookie…
    SESSION_ABSOLUTE_LIFETIME = 12 * 3600  # …but no session outlives this many seconds after sign-in
    # Login throttling, per (account, client address) so an attacker never locks out the victim:
    # the first LOGIN_FREE_FAILURES failures cost nothing, then each further one doubles the wait
    # (LOGIN_DELAY_SECONDS, ×2, … up to LOGIN_MAX_DELAY_SECONDS). A success, or
    # LOGIN_WINDOW_SECONDS without failures, wipes the slate.
    LOGIN_FREE_FAILURES = 3
    LOGIN_DELAY_SECONDS = 5
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    LOGIN_WINDOW_SECONDS = 24 * 3600
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (Werkzeug's
    # ProxyFix). 0: none, the client address is the TCP peer (a forged header changes nothing).
    TRUSTED_PROXIES = 0
    # A signed-in user's 403/404 on a route is audited at most once per route in this many seconds.
    AUDIT_DENIAL_INTERVAL_SECONDS = 60
    PASSWORD_HASH_METHOD = "scrypt"  # Werkzeug's scrypt (n=2**15, r=8, p=1)
    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 500
    ADMIN_PAGE_SIZE = 50
    # Uploaded XLSX workbooks (core.spreadsheet): checked as a ZIP before parsing, then parsed in a
    # separate process under a time limit, so a small crafted file cannot tie up the server.
    XLSX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    XLSX_MAX_RATIO = 100
    XLSX_MAX_CELLS = 200_000
    XLSX_PARSE_TIMEOUT = 20


def _normalize_database_url(url: str) -> str:
    """Heroku-style postgres:// URLs and bare postgresql:// go through psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config in order: defaults → instance/articula.cfg → environment → overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("articula.cfg", silent=True)
    app.config.from_prefixed_env("ARTICULA")
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)

    cfg = app.config
    if cfg["PRODUCTION"]:
        if (cfg.get("SECRET_KEY") or "").strip() in INSECURE_SECRET_KEYS:
            raise RuntimeError(
                "Production mode: set SECRET_KEY to a secret value of your own (the application does not "
                "start with an empty or default key)."
            )
        base = str(cfg.get("BASE_URL") or "").strip()
        if not base.startswith(("https://", "http://")):
            # Printed in every issued (immutable) document's verification link and in e-mails.
            raise RuntimeError(
                "Production mode: set ARTICULA_BASE_URL to the server's public address (for example "
                "https://articula.example.gob.pe); it is printed on issued documents."
            )
    elif not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    # Flask's own default (False) is always present, so "unset" is None here, not a missing key.
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if cfg.get(name) is None:
            cfg[name] = bool(cfg["PRODUCTION"])

    uri = cfg.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = "sqlite:///" + str(Path(app.instance_path) / "articula.db")
    cfg["SQLALCHEMY_DATABASE_URI"] = _normalize_database_url(uri)
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        engine_options = dict(cfg.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        engine_options.setdefault("pool_pre_ping", True)
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options


def _development_secret(instance: Path) -> str:
    """Outside production a random key is kept in the instance folder, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def enabled_plugin_names(app: Flask) -> list[str]:
    """The configured plugin list (comma-separated string or list); empty means none."""
    value = app.config.get("PLUGINS", DEFAULT_PLUGINS)
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return [str(name) for name in value]
