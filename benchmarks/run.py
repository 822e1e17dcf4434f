"""`make bench`: Articula's pages under gunicorn against their peers (a bare Flask-Admin view and a
bare Flask JSON endpoint on the same tables), SQL query counts per page, and the benchmarks of the
subsystems (documents, plan, 10× scale) — all measured in this one run.

It builds a throw-away SQLite database, serves it with gunicorn on 127.0.0.1, drives it with
keep-alive HTTP clients in threads for a fixed time per endpoint, and prints ratios.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECONDS_PER_ENDPOINT = float(os.environ.get("BENCH_SECONDS", "5"))
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SIDE_BY_SIDE_ROUNDS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str) -> tuple[str, str]:
    """Migrate, load territory, catalogs and demo users; return (admin e-mail, API token)."""
    os.environ["ARTICULA_SQLALCHEMY_DATABASE_URI"] = url
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.demo import DEMO_PASSWORD, load_demo
    from core.extensions import db
    from core.models import ApiToken, User
    from core.seed import load_all
    from core.territories import load_territories

    app = create_app()
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
        load_demo(app)
        admin = db.session.scalar(db.select(User).where(User.email == "admin@articula.demo"))
        token, plain = ApiToken.issue(admin, "bench")
        db.session.add(token)
        db.session.commit()
    del DEMO_PASSWORD
    return "admin@articula.demo", plain


def session_cookie(base: str, email: str, password: str) -> str:
    """Sign in like a browser (CSRF token from the form) and return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/ingresar").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/ingresar", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def hammer(port: int, path: str, headers: dict[str, str], seconds: float) -> tuple[float, int]:
    """Requests per second over ``seconds`` with CLIENT_THREADS keep-alive clients; errors counted."""
    stop = time.perf_counter() + seconds
    counts = [0] * CLIENT_THREADS
    errors = [0] * CLIENT_THREADS

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[i] += 1
            counts[i] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started), sum(errors)


def measure(port: int, path: str, headers: dict[str, str]) -> tuple[float, int]:
    """Requests per second of one endpoint after a short warm-up."""
    hammer(port, path, headers, 0.5)
    return hammer(port, path, headers, SECONDS_PER_ENDPOINT)


def side_by_side(port: int, *endpoints: tuple[str, dict[str, str]]) -> list[tuple[float, int]]:
    """Rates of several endpoints measured in alternating slices (the machine's load drifts; a
    peer measured after ours would get a different machine): SIDE_BY_SIDE_ROUNDS slices each."""
    for path, headers in endpoints:
        hammer(port, path, headers, 0.5)
    done = [[0.0, 0.0, 0] for _ in endpoints]  # requests, seconds, errors
    for _ in range(SIDE_BY_SIDE_ROUNDS):
        for i, (path, headers) in enumerate(endpoints):
            seconds = SECONDS_PER_ENDPOINT / SIDE_BY_SIDE_ROUNDS
            rate, errors = hammer(port, path, headers, seconds)
            done[i][0] += rate * seconds
            done[i][1] += seconds
            done[i][2] += errors
    return [(requests / seconds, int(errors)) for requests, seconds, errors in done]


def query_counts() -> list[str]:
    """SQL statements per page, at two page sizes/pages: the count must not grow with the rows shown."""
    from core.app import create_app
    from core.database import QueryCounter
    from core.extensions import db

    app = create_app()
    lines = []
    with app.app_context():
        client = app.test_client()
        html = client.get("/ingresar").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        from core.demo import DEMO_PASSWORD

        client.post("/ingresar", data={"email": "admin@articula.demo", "password": DEMO_PASSWORD, "csrf_token": token})
        for label, paths in (
            ("admin: gobiernos", ["/admin/government/?page_size=20", "/admin/government/?page_size=100&page=3"]),
            ("API: territorios", ["/api/v1/territories?per_page=10", "/api/v1/territories?per_page=500&page=2"]),
            ("web: gobiernos", ["/gobiernos/?per_page=10", "/gobiernos/?per_page=200&page=2"]),
        ):
            counts = []
            for path in paths:
                client.get(path)  # warm caches
                with QueryCounter(db.engine) as counter:
                    response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                counts.append(counter.count)
            verdict = "constante" if counts[0] == counts[1] else "CRECE con las filas"
            lines.append(f"  {label:<22} consultas SQL por página: {counts[0]} y {counts[1]} ({verdict})")
    return lines


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="articula-bench-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    email, api_token = prepare_database(url)
    port = free_port()
    env = dict(os.environ, ARTICULA_SQLALCHEMY_DATABASE_URI=url, PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.app:create()",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        from core.demo import DEMO_PASSWORD

        cookie = session_cookie(base, email, DEMO_PASSWORD)
        print(
            f"Articula — benchmark (gunicorn {WORKERS} workers, {CLIENT_THREADS} clientes, "
            f"{SECONDS_PER_ENDPOINT:.0f} s por endpoint, SQLite)"
        )
        token = {"Authorization": f"Bearer {api_token}"}
        # Each Articula page against its peer on the same table, measured back to back in this run:
        # (label, Articula path and headers, peer label, peer path, goal for Articula's rate ÷ the peer's).
        pairs = [
            (
                "admin: lista de gobiernos",
                "/admin/government/",
                {"Cookie": cookie},
                "Flask-Admin sin más",
                "/_bench/admin/government/",
                1.0,
            ),
            (
                "API: lista de territorios",
                "/api/v1/territories?level=district",
                token,
                "Flask JSON sin más",
                "/_bench/territories?level=district",
                0.8,
            ),
        ]
        minimal = measure(port, "/_bench/minimal", {})
        print(f"  {'endpoint mínimo de Flask':<28} {minimal[0]:8.1f} req/s  (techo de la máquina)")
        for label, path, headers, peer_label, peer_path, goal in pairs:
            (ours, errors), (peer, peer_errors) = side_by_side(port, (path, headers), (peer_path, {}))
            ratio = ours / peer
            mark = "✔" if ratio >= goal else "✘"
            print(
                f"  {label:<28} {ours:8.1f} req/s  vs. {peer_label:<20} {peer:8.1f} req/s"
                f"  = {ratio:4.2f}×  {mark} ≥ {goal:.1f}×"
                + (f"  ({errors + peer_errors} errores)" if errors or peer_errors else "")
            )
    finally:
        server.terminate()
        try:
            server.wait(60)  # gunicorn lets busy workers finish (a loaded machine can take a while)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    for line in query_counts():
        print(line)
    for module in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        import importlib

        bench = importlib.import_module(f"benchmarks.{module.stem}")
        for line in bench.run():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
