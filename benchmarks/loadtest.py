"""`make loadtest`: 20 concurrent clients × 30 s of mixed reads and writes against a real server
(gunicorn on 127.0.0.1), then a check that every acknowledged write is stored, that no orphan
rows exist and that ``articula audit verify`` passes — on SQLite, and on PostgreSQL with
``--postgres`` (at ``PG_TEST_URL``); ``--faults`` adds a run that kills a worker, then the whole
server mid-burst, and restarts it.

Each client signs in through the login form (CSRF token from the page) and holds an API token of
a demo team account. Its loop, bounded in time and in count: read the inbox, the API case list,
a case page; create cases through the API and through the web form; edit its own cases through
the API (with the version) and through the edit form (CSRF + version); send some for review.
Every write the server acknowledged (201/200/302) is remembered with the value it wrote; at the
end the database must hold exactly that value. Writes that got no answer (server killed) may or
may not be stored: they are not counted as lost. The load test issues no PDFs (document issuing
is measured by benchmarks/bench_documents.py). Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
MAX_REQUESTS_PER_CLIENT = 5_000  # a bound on the loop besides the clock
PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEAM_ACCOUNTS = ("equipo.regional@huanuco.demo", "equipo.provincial@huanuco.demo", "equipo.amarilis@huanuco.demo")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"')


# --- the database and the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_database(dialect: str) -> tuple[str, str]:
    """(SQLAlchemy URL, name to drop) of an empty database."""
    if dialect == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-load-')) / 'load.db'}", ""
    import psycopg

    name = f"articula_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name, name


def drop_database(name: str) -> None:
    if name:
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str) -> dict[str, tuple[str, int]]:
    """Schema, territory, catalogs, demo; an API token per team account: {e-mail: (token, government id)}."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from core.app import create_app
    from core.database import writing
    from core.demo import load_demo
    from core.extensions import db
    from core.models import ApiToken, Membership, User
    from core.seed import load_all
    from core.territories import load_territories

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    accounts = {}
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
        load_demo(app)
        for email in TEAM_ACCOUNTS:
            user = db.session.scalar(select(User).where(User.email == email))
            government_id = db.session.scalar(
                select(Membership.government_id).where(Membership.user_id == user.id, Membership.role == "team")
            )
            token, plain = ApiToken.issue(user, "carga")
            db.session.add(token)
            accounts[email] = (plain, government_id)
        db.session.commit()
        db.engine.dispose()
    return accounts


class Server:
    """gunicorn on 127.0.0.1 with sync workers; stderr kept to count "database is locked"."""

    def __init__(self, url: str, port: int, log: Path) -> None:
        self.env = dict(
            os.environ,
            ARTICULA_SQLALCHEMY_DATABASE_URI=url,
            SECRET_KEY=secrets.token_hex(32),  # shared by the workers and kept across restarts
            PYTHONPATH=str(ROOT),
        )
        self.port, self.log = port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-w",
                    str(WORKERS),
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--log-level",
                    "warning",
                    "core.app:create_app()",
                ],  # fmt: skip
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn no arrancó")

    def workers(self) -> list[int]:
        """Pids of the master's worker processes (read from /proc: children of the master we started)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill_worker(self) -> None:
        workers = self.workers()
        if workers:
            os.kill(workers[0], signal.SIGKILL)

    def kill_all(self) -> None:
        """SIGKILL the master and each of its workers (by pid), as a crash would."""
        workers = self.workers()
        os.kill(self.process.pid, signal.SIGKILL)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_all()

    def locked_errors(self) -> int:
        return self.log.read_text(errors="replace").count("database is locked")


# --- the clients -------------------------------------------------------------------------------------


@dataclass
class Written:
    """What the server acknowledged for one case: the last title and state it confirmed."""

    title: str
    state: str = "draft"
    version: int | None = None
    editable: bool = True
    #: Values sent without an answer (server killed mid-request): stored or not, both are right.
    unanswered: set[str] = field(default_factory=set)

    def confirm(self, title: str | None = None, state: str | None = None) -> None:
        self.title, self.state = title or self.title, state or self.state
        self.unanswered.clear()

    def holds(self, title: str, state: str) -> bool:
        return title in {self.title} | self.unanswered and state in {self.state} | self.unanswered


@dataclass
class Tally:
    requests: int = 0
    reads: int = 0
    writes: int = 0
    errors: Counter = field(default_factory=Counter)
    cases: dict[int, Written] = field(default_factory=dict)


class Client:
    def __init__(self, n: int, base: str, email: str, token: str, government_id: int) -> None:
        self.n, self.base, self.email, self.token, self.government_id = n, base, email, token, government_id
        self.rng = random.Random(n)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.tally = Tally()
        self.counter = 0

    # one HTTP exchange: (status, body, headers); errors classified, never raised
    def call(self, method: str, path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             write: bool = False) -> tuple[int, str, Any]:  # fmt: skip
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        self.tally.requests += 1
        if write:
            self.tally.writes += 1
        else:
            self.tally.reads += 1
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            if error.code in (301, 302, 303):
                return error.code, body, error.headers
            kind = "5xx" if error.code >= 500 else str(error.code)
            if "database is locked" in body:
                kind = "database is locked"
            self.tally.errors[kind] += 1
            return error.code, body, error.headers
        except (OSError, http.client.HTTPException):
            self.tally.errors["conexión (servidor caído)"] += 1
            time.sleep(0.2)
            return 0, "", {}

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        import json

        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        status, text, _ = self.call(method, "/api/v1" + path, data, headers, write=method != "GET")
        try:
            return status, json.loads(text) if text else {}
        except ValueError:
            return status, {}

    def login(self) -> bool:
        from core.demo import DEMO_PASSWORD

        status, html, _ = self.call("GET", "/ingresar")
        match = CSRF_RE.search(html)
        if not match:
            return False
        form = {"email": self.email, "password": DEMO_PASSWORD, "csrf_token": match.group(1)}
        status, _, _ = self.call("POST", "/ingresar", urllib.parse.urlencode(form).encode())
        return status == 302

    def title(self) -> str:
        self.counter += 1
        return f"Carga c{self.n} n{self.counter} — Ñuñoa"

    # the operations ------------------------------------------------------------------------------
    def api_create(self) -> None:
        title = self.title()
        body = {"type": "generic", "government_id": self.government_id, "year": 2026, "title": title}
        status, body = self.api("POST", "/cases", {**body, "stage": "monitoring"})
        if status == 201:
            self.tally.cases[body["id"]] = Written(title, body["state"], body["version"])

    def web_create(self) -> None:
        status, html, _ = self.call("GET", "/expedientes/nuevo?tipo=generic")
        match = CSRF_RE.search(html)
        if status != 200 or not match:
            return
        title = self.title()
        form = {"csrf_token": match.group(1), "title": title, "government": self.government_id, "year": 2026,
                "stage": "monitoring"}  # fmt: skip
        status, _, headers = self.call("POST", "/expedientes/nuevo?tipo=generic",
                                       urllib.parse.urlencode(form).encode(), write=True)  # fmt: skip
        if status == 302:
            case_id = int(re.search(r"/expedientes/(\d+)", headers["Location"]).group(1))
            self.tally.cases[case_id] = Written(title)

    def mine(self) -> tuple[int, Written] | None:
        editable = [(k, v) for k, v in self.tally.cases.items() if v.editable]
        return self.rng.choice(editable) if editable else None

    def api_edit(self) -> None:
        chosen = self.mine()
        if not chosen:
            return
        case_id, written = chosen
        if written.version is None:
            status, body = self.api("GET", f"/cases/{case_id}")
            if status != 200:
                return
            written.version = body["version"]
        title = self.title()
        status, body = self.api("PATCH", f"/cases/{case_id}", {"version": written.version, "title": title})
        if status == 200:
            written.confirm(title=title)
            written.version = body["version"]
        elif status == 0:
            written.unanswered.add(title)
            written.version = None
        elif status == 409:
            written.version = None

    def web_edit(self) -> None:
        chosen = self.mine()
        if not chosen:
            return
        case_id, written = chosen
        status, html, _ = self.call("GET", f"/expedientes/{case_id}/editar")
        csrf, version = CSRF_RE.search(html), VERSION_RE.search(html)
        if status != 200 or not csrf or not version:
            return
        title = self.title()
        form = {"csrf_token": csrf.group(1), "version": version.group(1), "title": title}
        status, _, _ = self.call("POST", f"/expedientes/{case_id}/editar", urllib.parse.urlencode(form).encode(),
                                 write=True)  # fmt: skip
        if status == 302:
            written.confirm(title=title)
        elif status == 0:
            written.unanswered.add(title)
        written.version = None

    def send_for_review(self) -> None:
        chosen = self.mine()
        if not chosen:
            return
        case_id, written = chosen
        status, body = self.api("POST", f"/cases/{case_id}/transitions/submit", {})
        if status == 200:
            written.confirm(state="in_review")
            written.editable, written.version = False, None
        elif status == 0:
            written.unanswered.add("in_review")
            written.editable, written.version = False, None  # unknown now: leave it alone

    def run(self, deadline: float) -> None:
        signed_in, attempts = self.login(), 1
        while not signed_in and attempts < 5 and time.perf_counter() < deadline:  # e.g. its worker was killed
            self.tally.errors["inicio de sesión reintentado"] += 1
            time.sleep(1)
            signed_in, attempts = self.login(), attempts + 1
        reads = [
            lambda: self.call("GET", "/expedientes/?per_page=50"),
            lambda: self.api("GET", "/cases?per_page=50"),
            lambda: self.call("GET", f"/expedientes/{self.mine()[0]}") if self.mine() else None,
            lambda: self.call("GET", "/expedientes/?q=carga+nunoa"),
        ]
        writes = [self.api_create, self.web_create, self.api_edit, self.web_edit, self.send_for_review]
        weights = [18, 10, 18, 12, 4]
        while time.perf_counter() < deadline and self.tally.requests < MAX_REQUESTS_PER_CLIENT:
            if self.rng.random() < 0.55:
                self.rng.choice(reads)()
            else:
                self.rng.choices(writes, weights)[0]()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 302 is the acknowledgement of a form: keep it, don't follow it


# --- after the burst: what the database holds ---------------------------------------------------------


def check(url: str, clients: list[Client]) -> tuple[int, int, int, dict[str, int], str]:
    """(acknowledged writes, lost writes, orphan rows, orphans by table, audit verify output)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    acknowledged = lost = 0
    with engine.connect() as conn:
        stored = {r.id: (r.title, r.state) for r in conn.execute(text('SELECT id, title, state FROM "case"'))}
        for client in clients:
            for case_id, written in client.tally.cases.items():
                acknowledged += 1
                if case_id not in stored or not written.holds(*stored[case_id]):
                    lost += 1
        orphans = {}
        for label, sql in (
            ("transiciones sin expediente",
             'SELECT count(*) FROM case_transition t LEFT JOIN "case" c ON c.id = t.case_id WHERE c.id IS NULL'),
            ("palabras de búsqueda sin expediente",
             'SELECT count(*) FROM case_search_term t LEFT JOIN "case" c ON c.id = t.case_id WHERE c.id IS NULL'),
            ("expedientes sin ciclo",
             'SELECT count(*) FROM "case" c LEFT JOIN cycle y ON y.id = c.cycle_id WHERE y.id IS NULL'),
            ("expedientes sin gobierno",
             'SELECT count(*) FROM "case" c LEFT JOIN government g ON g.id = c.government_id WHERE g.id IS NULL'),
        ):  # fmt: skip
            orphans[label] = conn.execute(text(sql)).scalar()
    engine.dispose()
    env = dict(os.environ, ARTICULA_SQLALCHEMY_DATABASE_URI=url, PYTHONPATH=str(ROOT))
    verify = subprocess.run(
        [str(Path(sys.executable).with_name("articula")), "audit", "verify"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    result = (verify.stdout + verify.stderr).strip().splitlines()
    summary = ("OK — " if verify.returncode == 0 else "FALLA — ") + (result[-1] if result else "")
    return acknowledged, lost, sum(orphans.values()), orphans, summary


def burst(dialect: str, faults: bool) -> list[str]:
    url, name = new_database(dialect)
    accounts = prepare(url)
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="articula-load-log-")) / "gunicorn.log"
    server = Server(url, port, log)
    server.start()
    base = f"http://127.0.0.1:{port}"
    emails = list(accounts)
    clients = [Client(n, base, emails[n % len(emails)], *accounts[emails[n % len(emails)]]) for n in range(CLIENTS)]
    events = []
    try:
        deadline = time.perf_counter() + SECONDS
        threads = [threading.Thread(target=c.run, args=(deadline,)) for c in clients]
        for t in threads:
            t.start()
        if faults:
            time.sleep(SECONDS * 0.3)
            server.kill_worker()
            events.append(f"worker matado (SIGKILL) a los {SECONDS * 0.3:.0f} s")
            time.sleep(SECONDS * 0.25)
            server.kill_all()
            events.append(f"servidor entero matado (SIGKILL) a los {SECONDS * 0.55:.0f} s")
            time.sleep(1)
            server.start()
            events.append("servidor reiniciado")
        for t in threads:
            t.join(SECONDS + 120)
    finally:
        server.stop()
    acknowledged, lost, orphan_total, orphans, verify = check(url, clients)
    drop_database(name)
    errors: Counter = Counter()
    for c in clients:
        errors.update(c.tally.errors)
    total = sum(c.tally.requests for c in clients)
    writes = sum(c.tally.writes for c in clients)
    title = "con fallas" if faults else "sin fallas"
    lines = [
        f"Prueba de carga — {dialect}, {title}: {CLIENTS} clientes × {SECONDS:.0f} s, gunicorn {WORKERS} workers",
        *(f"  {e}" for e in events),
        f"  pedidos: {total} ({total - writes} lecturas, {writes} escrituras) = {total / SECONDS:.0f} por segundo",
        "  errores por tipo: " + (", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "ninguno"),
        f"  errores del servidor (5xx): {errors['5xx']}",
        f"  «database is locked» en el registro del servidor: {server.locked_errors()}",
        f"  escrituras confirmadas: {acknowledged} expedientes; perdidas: {lost}",
        f"  filas huérfanas: {orphan_total}"
        + ("" if not orphan_total else " (" + ", ".join(f"{k}: {v}" for k, v in orphans.items() if v) + ")"),
        f"  articula audit verify: {verify}",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="también en PostgreSQL (PG_TEST_URL)")
    parser.add_argument("--faults", action="store_true", help="además, una corrida que mata un worker y el servidor")
    parser.add_argument("--only-postgres", action="store_true", help="solo PostgreSQL")
    args = parser.parse_args()
    dialects = ["postgresql"] if args.only_postgres else ["sqlite"] + (["postgresql"] if args.postgres else [])
    failed = False
    for dialect in dialects:
        for faults in (False, True) if args.faults else (False,):
            lines = burst(dialect, faults)
            print("\n".join(lines), flush=True)
            failed = failed or any(
                re.search(r"(5xx\): [1-9]|locked».*: [1-9]|perdidas: [1-9]|huérfanas: [1-9]|verify: FALLA)", line)
                for line in lines
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
