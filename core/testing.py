"""Articula's test kit, a pytest plugin (entry point ``pytest11`` in pyproject.toml): what every
plugin's tests need, in one place, so no helper is copied between test packages.

Helpers: :func:`csrf_from` and :func:`login` (as a browser does it), :func:`logout`, :func:`relogin`,
:func:`version_of` (a case's current version), :func:`post_form` (a plugin form with the CSRF token
and the case version), :func:`transition` (a workflow transition through the case page),
:func:`pdf_text` (the text of a PDF, whitespace collapsed) and :func:`route_matrix` (which
role gets which status on which route).

Catalogs: before collection, :func:`compile_catalogs` compiles every ``messages.po`` of the project's
``translations/`` and ``plugins/*/translations/`` whose ``.mo`` is missing or older, so the tests always
see the translated UI and assert the one right language.

Fixtures: ``make_user`` (a user with memberships), ``government_user`` (a user of one role in one
government), ``people`` (the usual cast of Huánuco and Cusco, created on first use),
``api_token`` (a Bearer token for a user), ``smtp_server`` (a real SMTP server on 127.0.0.1 that
keeps what it receives) and ``mail_config`` (mail settings for one test). They use the ``app`` fixture of the project's
``tests/conftest.py`` (one migrated database per run).

Databases: ``databases`` (a :class:`DatabaseFactory`: fresh SQLite files or PostgreSQL schemas, and
copies of a template database), :func:`build_app`, :func:`migrate_and_load`; ``demo_template`` (the demo
loaded once per session by the real loader) and ``demo_app`` (an app on a private copy of it: what
``@pytest.mark.demo`` gives a test as ``app``).
"""

from __future__ import annotations

import io
import os
import re
import socketserver
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages import mofile, pofile

from core.testing_databases import (  # noqa: F401  (fixtures and helpers of the kit, used by name)
    PG_URL,
    DatabaseFactory,
    build_app,
    databases,
    demo_app,
    demo_template,
    dispose,
    migrate_and_load,
)

PASSWORD = "clave-de-prueba-123"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- catalogs -----------------------------------------------------------------------------------------------


def compile_catalogs(root: Path) -> list[Path]:
    """Compile each ``messages.po`` under ``root/translations`` and ``root/plugins/*/translations`` whose
    ``messages.mo`` is missing or older than it (as ``pybabel compile -f`` does: fuzzy entries included).
    Returns the catalogs written. Each ``.mo`` is written beside and renamed into place, so a run that
    reads it meanwhile never sees half a file."""
    written = []
    for directory in (root / "translations", *sorted((root / "plugins").glob("*/translations"))):
        for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as source:
                catalog = pofile.read_po(source, locale=po_path.parent.parent.name)
            handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
            with os.fdopen(handle, "wb") as target:
                mofile.write_mo(target, catalog, use_fuzzy=True)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the app's other users must read it
            os.replace(temporary, mo_path)
            written.append(mo_path)
    return written


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo: the test's app is on a private copy of a database with the demo data loaded"
    )
    config.addinivalue_line(
        "markers",
        "database_independent: the test never touches the suite's database (it reads the source tree or "
        "runs its own SQLite file): it runs in the SQLite pass only, not again in the PostgreSQL one",
    )
    # Tests assert the translated UI; a fresh clone or an edited .po must not make them see msgids instead.
    compile_catalogs(Path(config.rootpath))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, skip (visibly) the tests that do not depend on the database: the SQLite
    pass of the same ``make test`` runs them, and the PostgreSQL pass is the longer of the two."""
    if not os.environ.get("ARTICULA_TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="independiente de la base de datos: se ejecuta en la pasada SQLite")
    for item in items:
        if item.get_closest_marker("database_independent"):
            item.add_marker(skip)


# --- browsing as a person ---------------------------------------------------------------------------------


def csrf_from(client: Any, path: str = "/ingresar") -> str:
    """The CSRF token as a browser gets it: from a form on a page."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: Any, email: str, password: str = PASSWORD) -> Any:
    token = csrf_from(client)
    response = client.post("/ingresar", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def logout(client: Any) -> None:
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})


def relogin(client: Any, email: str) -> None:
    logout(client)
    login(client, email)


def version_of(app: Any, case_id: int) -> int:
    """The case's current version (what a form or an API call must send back)."""
    from core.extensions import db
    from core.models import Case

    with app.app_context():
        return db.session.get(Case, case_id).version


def post_form(client: Any, app: Any, case_id: int, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """POST a plugin form the way the browser does: CSRF token from the case page, current version."""
    token = csrf_from(client, f"/expedientes/{case_id}")
    payload = {"csrf_token": token, "version": str(version_of(app, case_id)), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def transition(client: Any, app: Any, case_id: int, name: str, comment: str | None = None, **extra: Any) -> Any:
    """Run transition ``name`` through the case page, with the case's current version."""
    token = csrf_from(client, f"/expedientes/{case_id}")
    data = {"csrf_token": token, "version": str(version_of(app, case_id)), **extra}
    if comment:
        data["comment"] = comment
    return client.post(f"/expedientes/{case_id}/transiciones/{name}", data=data)


def generic_case(government_id: int, year: int = 2008, title: str = "Expediente") -> Any:
    """A core "Expediente" (generic case) of the government, created as the CLI would (inside an app
    context; the caller commits or keeps working with it)."""
    from core.cases.service import create_case
    from core.cases.types import GENERIC
    from core.extensions import db
    from core.models import Government
    from core.security import scope_for_cli

    government = db.session.get(Government, government_id)
    return create_case(GENERIC, government, year, title, None, scope_for_cli(None), stage="institutionalization")


def pdf_text(data: bytes) -> str:
    """The text of a PDF (every page), whitespace collapsed to single spaces."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def route_matrix(
    client: Any,
    people: People,
    roles: Iterable[str],
    requests: Iterable[tuple[str, str]],
    *,
    data: Callable[[str, str], dict[str, Any]] | None = None,
    api_token: Callable[[int], str] | None = None,
) -> dict[str, list[int]]:
    """Role → the status of each (method, url) request, as that role logged in (pages) or with a
    Bearer token (urls under /api/). ``data(method, url)`` gives a request's form or JSON body
    (pages get a CSRF token added). Compare the result with the expected matrix in one assert."""
    requests = list(requests)
    result: dict[str, list[int]] = {}
    for role in roles:
        people.login(client, role)
        headers = {"Authorization": f"Bearer {api_token(people[role])}"} if api_token else {}
        statuses = []
        for method, url in requests:
            body = data(method, url) if data else {}
            if url.startswith("/api/"):
                response = client.open(url, method=method, json=body or None, headers=headers)
            elif method == "GET":
                response = client.get(url)
            else:
                response = client.open(url, method=method, data={"csrf_token": csrf_from(client, "/"), **body})
            statuses.append(response.status_code)
        result[role] = statuses
    return result


# --- users --------------------------------------------------------------------------------------------------

#: The usual cast: key → (e-mail, role, government key of the ``govs`` fixture, or None).
PEOPLE = {
    "team": ("equipo@huanuco.pe", "team", "huanuco"),
    "coord": ("coord@huanuco.pe", "coordinator", "huanuco"),
    "prov_team": ("equipo@huanuco-prov.pe", "team", "huanuco_prov"),
    "prov_coord": ("coord@huanuco-prov.pe", "coordinator", "huanuco_prov"),
    "amarilis_team": ("equipo@amarilis.pe", "team", "amarilis"),
    "amarilis_coord": ("coord@amarilis.pe", "coordinator", "amarilis"),
    "cusco": ("equipo@cusco.pe", "team", "cusco"),
    "auditor": ("auditor@articula.pe", "auditor", None),
    "national": ("supervisor@stcias.pe", "national", None),
    "admin": ("admin@articula.pe", "admin", None),
}


class People:
    """Test users created on first use (password hashing is slow: only the ones a test needs)."""

    def __init__(self, make_user: Callable[..., int], govs: dict[str, int]) -> None:
        self.make_user, self.govs, self.ids = make_user, govs, {}

    def __getitem__(self, key: str) -> int:
        if key not in self.ids:
            email, role, gov = PEOPLE[key]
            self.ids[key] = self.make_user(email, (role, self.govs[gov] if gov else None))
        return self.ids[key]

    def email(self, key: str) -> str:
        return PEOPLE[key][0]

    def login(self, client: Any, key: str) -> None:
        """Log in as ``key`` (logging out whoever was in)."""
        self[key]
        logout(client)
        login(client, PEOPLE[key][0])


@pytest.fixture
def make_user(app: Any) -> Callable[..., int]:
    """make_user("a@x.pe", ("team", gov_id), ("auditor", None)) → user id."""
    from core.extensions import db
    from core.models import Membership, User

    def factory(email: str, *memberships: tuple[str, int | None], password: str = PASSWORD, locale: str = "es") -> int:
        with app.app_context():
            user = User(email=email, name=email.split("@")[0].title(), locale=locale, active=True)
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
            for role, gov_id in memberships:
                db.session.add(Membership(user_id=user.id, role=role, government_id=gov_id))
            db.session.commit()
            return user.id

    return factory


@pytest.fixture
def government_user(make_user: Callable[..., int]) -> Callable[..., tuple[int, str]]:
    """government_user("team", gov_id) → (user id, e-mail): a user of one role in one government."""
    counter = iter(range(1, 10_000))

    def factory(role: str, gov_id: int | None, **kwargs: Any) -> tuple[int, str]:
        email = f"{role}{next(counter)}@gob{gov_id or 0}.pe"
        return make_user(email, (role, gov_id), **kwargs), email

    return factory


@pytest.fixture
def people(make_user: Callable[..., int], govs: dict[str, int]) -> People:
    return People(make_user, govs)


@pytest.fixture
def api_token(app: Any) -> Callable[[int], str]:
    """api_token(user_id) → plain Bearer token."""
    from core.extensions import db
    from core.models import ApiToken, User

    def factory(user_id: int) -> str:
        with app.app_context():
            token, plain = ApiToken.issue(db.session.get(User, user_id), "pruebas")
            db.session.add(token)
            db.session.commit()
            return plain

    return factory


# --- deadlines ---------------------------------------------------------------------------------------------


@pytest.fixture
def core_rules_only(app: Any) -> Iterator[None]:
    """For a test of the core's own deadlines: the calendar rules plugins ship (the Ventanilla's quarterly
    registries…) are made inactive during the test, and active again afterwards (rules are kept between tests)."""
    from sqlalchemy import select, update

    from core.deadlines.models import CALENDAR_KINDS, DeadlineRule
    from core.extensions import db

    with app.app_context():
        ids = db.session.scalars(
            select(DeadlineRule.id).where(
                DeadlineRule.owner.not_in(("core", "test", "admin")),
                DeadlineRule.kind.in_(CALENDAR_KINDS),
                DeadlineRule.active.is_(True),
            )
        ).all()
        db.session.execute(update(DeadlineRule).where(DeadlineRule.id.in_(ids)).values(active=False))
        db.session.commit()
    yield
    with app.app_context():
        db.session.execute(update(DeadlineRule).where(DeadlineRule.id.in_(ids)).values(active=True))
        db.session.commit()


# --- mail ------------------------------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self._reply("220 localhost prueba ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 Fin con <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append((sender, recipients, b"".join(data)))
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Adiós")
                return
            else:  # RSET, NOOP
                self._reply("250 OK")


@pytest.fixture
def smtp_server() -> Iterator[socketserver.ThreadingTCPServer]:
    """A real SMTP server on 127.0.0.1 (a free port); what it received is in ``.messages``."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def mail_config(app):  # noqa: ANN001, ANN201
    """Set mail settings for one test and put the originals back."""
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_FROM", "BASE_URL", "MAIL_TIMEOUT")}

    def configure(**values) -> None:  # noqa: ANN003
        app.config.update(values)

    yield configure
    app.config.update(saved)
