"""HTML → PDF in persistent worker processes, with a URL fetcher that serves only packaged assets.

Why a process: WeasyPrint cannot be interrupted from another thread, so a render that runs
past its time limit can only be stopped by ending the process that runs it. A worker is a
fresh interpreter (``python -P core/documents/worker.py``: like multiprocessing's *spawn*, no
forked copy of the app, its database connections or its locks, and unlike it, the caller's
``__main__`` script is never re-run) talking over two pipes with multiprocessing's
``Connection``. It is started once and reused, so a render costs one pipe round trip more
than calling WeasyPrint directly; a worker that overruns is killed and replaced.

This module is imported by the worker itself: it stays free of Flask, SQLAlchemy and the
app, and imports WeasyPrint only inside the worker.
"""

from __future__ import annotations

import mimetypes
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask_babel import gettext as _

#: Documents are rendered with this base URL; asset URLs under it are mapped to files, and
#: nothing else is ever fetched. ``.invalid`` is reserved (RFC 2606): the name never resolves.
ASSET_ORIGIN = "http://articula.invalid"
ASSET_PATH = "/documentos/recursos/"
ASSET_PREFIX = ASSET_ORIGIN + ASSET_PATH
#: File types a document may load (stylesheets, images, fonts).
ASSET_SUFFIXES = frozenset(
    {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ttf", ".otf"}
)
#: Seconds a new worker may take to start (import WeasyPrint) before it is declared broken.
STARTUP_TIMEOUT = 60.0
#: A worker is replaced after this many renders, bounding any slow memory growth.
MAX_RENDERS_PER_WORKER = 500


class RenderError(RuntimeError):
    """A render failed; the message is Spanish, ready to show."""


class RenderTimeout(RenderError):
    """A render ran past its time limit (its worker was killed and will be replaced)."""


class RenderBusy(RenderTimeout):
    """Every worker is busy and the queue is full: refused at once rather than waiting."""


class RenderCrashed(RenderError):
    """The worker died mid-render (killed, out of memory); it is forgotten and replaced."""


def resolve_asset(roots: dict[str, str], owner: str, relative: str) -> Path | None:
    """The packaged file ``relative`` of ``owner`` (``core`` or a plugin), or None.

    Only regular files with an asset suffix, strictly inside the owner's static folder
    (after resolving ``..`` and symbolic links), are ever returned.
    """
    root_text = roots.get(owner)
    if not root_text or not relative or "\x00" in relative:
        return None
    root = Path(root_text).resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or candidate.suffix.lower() not in ASSET_SUFFIXES:
        return None
    return candidate if candidate.is_file() else None


def asset_from_url(roots: dict[str, str], url: str) -> Path | None:
    """The packaged file an ``ASSET_PREFIX`` URL names, or None for any other URL."""
    if not url.startswith(ASSET_PREFIX):
        return None
    rest = url[len(ASSET_PREFIX) :].split("#", 1)[0].split("?", 1)[0]
    owner, _, relative = rest.partition("/")
    return resolve_asset(roots, owner, unquote(relative))


def make_fetcher(roots: dict[str, str]) -> Any:
    """A WeasyPrint URL fetcher that serves packaged assets and ``data:`` URLs and refuses the rest.

    ``fetcher.served`` and ``fetcher.refused`` list the URLs asked for, for logs and tests.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        def __init__(self) -> None:
            # data: is decoded by urllib's DataHandler; every other protocol is refused below
            # before the parent class could open it (no redirects, no network, no files).
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                self.served.append(url[:40])
                return super().fetch(url, headers)
            path = asset_from_url(roots, url)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"resource not allowed in a document: {url}")
            self.served.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return AssetFetcher()


def render_in_process(html: str, roots: dict[str, str]) -> tuple[bytes, list[str], list[str]]:
    """Render ``html`` to PDF here (the worker's job; benchmarks and tools may call it too)."""
    import weasyprint

    fetcher = make_fetcher(roots)
    pdf = weasyprint.HTML(string=html, base_url=ASSET_ORIGIN + "/", url_fetcher=fetcher).write_pdf()
    return pdf, fetcher.served, fetcher.refused


def _serve(inbox: Any, outbox: Any) -> None:
    """The worker's loop: import WeasyPrint once, say "ready", then render job after job."""
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused URLs are reported, not logged
    import weasyprint  # noqa: F401 — paid once, before the first job

    outbox.send(("ready", os.getpid()))
    while True:
        try:
            job = inbox.recv()
        except (EOFError, OSError):
            return  # the app process went away
        if job is None:
            return
        html, roots = job
        try:
            pdf, served, refused = render_in_process(html, roots)
        except Exception as error:  # noqa: BLE001 — any failure goes back to the caller
            outbox.send(("error", f"{type(error).__name__}: {error}", [], []))
        else:
            outbox.send(("ok", pdf, served, refused))


@dataclass
class RenderResult:
    pdf: bytes
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0
    worker_pid: int = 0


class _Worker:
    def __init__(self) -> None:
        from multiprocessing.connection import Connection

        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            # This file runs as a script: the child imports neither the app nor the ``core``
            # package (half a second saved per start); -P keeps this folder off sys.path,
            # so none of its modules (jobs.py, pdf.py…) can shadow a standard library module.
            self.process = subprocess.Popen(
                [sys.executable, "-P", str(Path(__file__).resolve()), str(job_read), str(result_write)],
                pass_fds=(job_read, result_write),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(job_read)
            os.close(result_write)
        self.jobs = Connection(job_write, readable=False)
        self.results = Connection(result_read, writable=False)
        self.ready = False
        self.renders = 0
        self.pid = self.process.pid

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.results.poll(STARTUP_TIMEOUT):
            raise RenderError(_("The PDF generation process did not start in time."))
        message = self.results.recv()
        if message[0] != "ready":
            raise RenderError(_("The PDF generation process answered unexpectedly."))
        self.ready = True

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the process (used after a timeout or a broken pipe) and reap it."""
        for conn in (self.jobs, self.results):
            try:
                conn.close()
            except OSError:
                pass
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass


class RenderPool:
    """Up to ``size`` reusable workers and a bounded queue of callers waiting for one.

    A caller waits for a free worker within its time limit; when ``max_waiting`` callers are
    already waiting it is refused at once (RenderBusy), so a burst never piles up requests.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._count = 0
        self._waiting = 0
        self._condition = threading.Condition()

    def _acquire(self, deadline: float, max_waiting: int | None = None) -> _Worker:
        with self._condition:
            queued = False
            try:
                while True:
                    while self._idle:
                        worker = self._idle.pop()
                        if worker.alive():
                            self._busy.add(worker)
                            return worker
                        worker.stop()  # died while idle (e.g. killed by the OOM killer): replace it
                        self._count -= 1
                    if self._count < self.size:
                        self._count += 1
                        break
                    if not queued:
                        if max_waiting is not None and self._waiting >= max_waiting:
                            raise RenderBusy(
                                _("The server is busy generating other documents; try again in a few minutes.")
                            )
                        queued = True
                        self._waiting += 1
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise RenderTimeout(_("The server is busy generating other documents; try again."))
                    self._condition.wait(remaining)
            finally:
                if queued:
                    self._waiting -= 1
        try:
            worker = _Worker()
        except BaseException:
            self._forget(None)
            raise
        with self._condition:
            self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            self._busy.discard(worker)
            if worker.renders >= MAX_RENDERS_PER_WORKER:
                self._count -= 1
                threading.Thread(target=self._retire, args=(worker,), daemon=True).start()
            else:
                self._idle.append(worker)
            self._condition.notify()

    @staticmethod
    def _retire(worker: _Worker) -> None:
        try:
            worker.jobs.send(None)
            worker.process.wait(10)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        worker.stop()

    def _forget(self, worker: _Worker | None) -> None:
        if worker is not None:
            worker.stop()
        with self._condition:
            if worker is not None:
                self._busy.discard(worker)
            self._count -= 1
            self._condition.notify()

    def render(self, html: str, roots: dict[str, str], timeout: float, max_waiting: int | None = None) -> RenderResult:
        """Render ``html`` in a worker; RenderTimeout after ``timeout`` seconds in all (queue wait
        included), RenderBusy when the queue is full, RenderError on failure."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline, max_waiting)
        try:
            worker.wait_ready()
            started = time.perf_counter()
            worker.jobs.send((html, roots))
            if not worker.results.poll(max(0.0, deadline - time.monotonic())):
                raise RenderTimeout(
                    _(
                        "Generating the document exceeded the time limit of %(timeout)s seconds and was cancelled.",
                        timeout=f"{timeout:g}",
                    )
                )
            status, payload, served, refused = worker.results.recv()
            seconds = time.perf_counter() - started
        except RenderTimeout:
            self._forget(worker)
            raise
        except (EOFError, OSError, ValueError, RenderError) as error:
            self._forget(worker)
            if isinstance(error, RenderError):
                raise
            raise RenderCrashed(_("The PDF generation process ended unexpectedly; try again.")) from error
        worker.renders += 1
        self._release(worker)
        if status != "ok":
            raise RenderError(_("The PDF could not be generated: %(error)s", error=payload))
        return RenderResult(pdf=payload, served=served, refused=refused, seconds=seconds, worker_pid=worker.pid)

    def shutdown(self) -> None:
        with self._condition:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            self._retire(worker)

    def worker_pids(self) -> list[int]:
        """Idle workers' process ids."""
        with self._condition:
            return [w.pid for w in self._idle]

    def busy_pids(self) -> list[int]:
        """Process ids of workers rendering right now."""
        with self._condition:
            return [w.pid for w in self._busy]


_pool: RenderPool | None = None
_pool_lock = threading.Lock()


def get_pool(size: int = 1) -> RenderPool:
    """This process's pool (one per process: a forked server worker starts its own)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = RenderPool(size)
        return _pool


def _reset_after_fork() -> None:
    # A process forked from one that already had workers (e.g. gunicorn --preload) must not
    # share their pipes: it starts a pool of its own on first use.
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


if __name__ == "__main__":
    from multiprocessing.connection import Connection

    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
