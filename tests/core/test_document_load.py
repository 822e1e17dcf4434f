"""PDFs under load (issue 13, point 11): no write lock held while a PDF renders, a bounded render
pool with a per-user limit, a killed or overrunning worker leaves nothing half-issued and no
orphan process, and a case that changes during the render is never issued with stale content."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.documents import DOCUMENTS, register_document
from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import Case
from tests.conftest import csrf_from
from tests.core.test_documents import create_case, flat, issue, pdf_text, user_client

#: History rows of the slow document: a real WeasyPrint render of several seconds on this machine.
SLOW_ROWS = 600


def _slow_context(case: Case) -> dict:
    rows = [
        {"at": "", "user": f"Persona {i}", "action": "Revisión", "from": "A", "to": "B", "comment": f"Fila {i}"}
        for i in range(SLOW_ROWS)
    ]
    return {"history": rows}


@pytest.fixture
def slow_document(app) -> Iterator[str]:  # noqa: ANN001
    """A document (registered like a plugin's) whose render takes seconds: the case summary with a long history."""
    register_document("test_slow", "core/case_summary.html", "Ficha extensa de prueba", ("generic",), _slow_context)
    saved = {k: app.config[k] for k in ("DOCUMENT_RENDER_TIMEOUT", "DOCUMENT_RENDER_PER_USER", "DOCUMENT_RENDER_QUEUE")}
    app.config["DOCUMENT_RENDER_TIMEOUT"] = 300  # this test measures locks, not the time limit
    yield "test_slow"
    DOCUMENTS.pop("test_slow")
    app.config.update(saved)


@pytest.fixture
def people(app, make_user, govs):  # noqa: ANN001, ANN201
    for name in ("ana", "beto", "coco"):
        make_user(f"{name}@huanuco.pe", ("team", govs["huanuco"]))
    return {name: user_client(app, f"{name}@huanuco.pe") for name in ("ana", "beto", "coco")}


def _pool():  # noqa: ANN202
    from core.documents.worker import get_pool

    return get_pool()


def _wait_for_render(timeout: float = 120) -> int:
    """The pid of a worker that is rendering now (waits for one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = _pool().busy_pids()
        if busy:
            return busy[0]
        time.sleep(0.05)
    raise AssertionError("no render started")


def _in_background(function) -> tuple[threading.Thread, dict]:  # noqa: ANN001
    box: dict = {}

    def run() -> None:
        box["response"] = function()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def _children() -> set[int]:
    """Live child processes of this process (the render workers are its only children here)."""
    mine, found = os.getpid(), set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == mine and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _documents(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(IssuedDocument))


def _edit_title(client, case_id: int, title: str):  # noqa: ANN001, ANN201
    token = csrf_from(client, f"/expedientes/{case_id}/editar")
    page = client.get(f"/expedientes/{case_id}/editar").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    data = {"csrf_token": token, "title": title, "version": version}
    return client.post(f"/expedientes/{case_id}/editar", data=data)


def test_a_writer_commits_while_a_pdf_renders_and_stale_content_is_never_issued(
    app, govs, people, slow_document
):
    ana, beto = people["ana"], people["beto"]
    case_id = create_case(ana, govs["huanuco"], title="Título original")
    thread, box = _in_background(lambda: issue(ana, case_id, slow_document))
    worker = _wait_for_render()

    # Another writer, on the very case being rendered: it commits at once (no lock held) ...
    started = time.monotonic()
    assert _edit_title(beto, case_id, "Título cambiado").status_code == 302
    assert create_case(beto, govs["huanuco"], title="Creado durante el render")
    took = time.monotonic() - started
    assert worker in _pool().busy_pids(), "the writes waited for the render to finish"
    assert took < 10

    # ... and the document rendered from the old title is not issued: a clean 409-style refusal.
    thread.join(300)
    assert box["response"].status_code == 303
    page = ana.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "El expediente cambió mientras se generaba el documento" in page
    assert _documents(app) == 0
    # The retry issues the current content.
    assert issue(ana, case_id, slow_document).status_code == 303
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == case_id))
        text = flat(pdf_text(document.content))
    assert "Título cambiado" in text and "Título original" not in text
    assert f"Persona {SLOW_ROWS - 1}" in text


def test_concurrent_issues_all_succeed_with_a_concurrent_writer(app, govs, people, slow_document):
    cases = {name: create_case(client, govs["huanuco"], title=f"Caso de {name}") for name, client in people.items()}
    threads = [
        _in_background(lambda c=client, i=cases[name]: issue(c, i, slow_document)) for name, client in people.items()
    ]
    _wait_for_render()
    extra = create_case(people["ana"], govs["huanuco"], title="Escrito mientras tanto")
    assert extra
    for thread, _box in threads:
        thread.join(600)
    for (_thread, box), (name, client) in zip(threads, people.items(), strict=True):
        assert box["response"].status_code == 303
        page = client.get(f"/expedientes/{cases[name]}").get_data(as_text=True)
        assert "Documento" in page and "emitido" in page, name
    assert _documents(app) == 3


def test_per_user_limit_refuses_a_second_render_in_spanish(app, govs, people, slow_document):
    app.config["DOCUMENT_RENDER_PER_USER"] = 1
    ana, beto = people["ana"], people["beto"]
    first = create_case(ana, govs["huanuco"])
    second = create_case(ana, govs["huanuco"])
    thread, box = _in_background(lambda: issue(ana, first, slow_document))
    _wait_for_render()
    assert issue(ana, second, "case_summary").status_code == 303
    assert "Ya tiene 1 documento(s) generándose" in ana.get(f"/expedientes/{second}").get_data(as_text=True)
    # another user is not held back by ana's render
    third = create_case(beto, govs["huanuco"])
    assert issue(beto, third, "case_summary").status_code == 303
    thread.join(300)
    assert box["response"].status_code == 303
    with app.app_context():
        issued = set(db.session.scalars(select(IssuedDocument.case_id)))
    assert issued == {first, third}


def _not_renderers() -> set[int]:
    """Children that are no render workers (a browser driver of the browser tests, an import's parser
    pool): left out of the orphan checks, which are about the render pool."""
    return _children() - set(_pool().worker_pids())


def test_a_killed_worker_issues_nothing_leaves_no_orphan_and_the_retry_works(app, govs, people, slow_document):
    ana = people["ana"]
    others = _not_renderers()
    case_id = create_case(ana, govs["huanuco"])
    thread, box = _in_background(lambda: issue(ana, case_id, slow_document))
    worker = _wait_for_render()
    os.kill(worker, signal.SIGKILL)
    thread.join(300)
    assert box["response"].status_code == 303
    page = ana.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "terminó inesperadamente" in page
    assert _documents(app) == 0
    assert worker not in _children()  # reaped: no zombie, no orphan
    assert _children() - others <= set(_pool().worker_pids())  # every child left is an idle pool worker
    assert issue(ana, case_id, "case_summary").status_code == 303
    assert _documents(app) == 1


def test_a_timeout_issues_nothing_and_leaves_no_orphan(app, govs, people, slow_document):
    ana = people["ana"]
    others = _not_renderers()
    case_id = create_case(ana, govs["huanuco"])
    app.config["DOCUMENT_RENDER_TIMEOUT"] = 1
    assert issue(ana, case_id, slow_document).status_code == 303
    assert "superó el tiempo límite de 1 segundos" in ana.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert _documents(app) == 0
    assert _children() - others <= set(_pool().worker_pids())
    app.config["DOCUMENT_RENDER_TIMEOUT"] = 300
    assert issue(ana, case_id, "case_summary").status_code == 303
    assert _documents(app) == 1


def test_draft_pdf_is_cached_by_content(app, govs, people):
    ana = people["ana"]
    case_id = create_case(ana, govs["huanuco"], title="Borrador")
    from core.documents import preview_cache

    preview_cache.clear()
    url = f"/documentos/vista-previa/{case_id}/case_summary.pdf"
    first = ana.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    idle_before = set(_pool().worker_pids())
    renders_before = sum(w.renders for w in _pool()._idle)
    second = ana.get(url)
    assert second.data == first.data
    assert sum(w.renders for w in _pool()._idle) == renders_before  # served from the cache, not rendered
    assert set(_pool().worker_pids()) == idle_before
    assert ana.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # a change in the content is a new draft
    _edit_title(ana, case_id, "Borrador corregido")
    third = ana.get(url)
    assert third.headers["ETag"] != first.headers["ETag"]
    assert "Borrador corregido" in flat(pdf_text(third.data))
    # the HTML preview answers 304 while its content is unchanged
    html_url = f"/documentos/vista-previa/{case_id}/case_summary"
    etag = ana.get(html_url).headers["ETag"]
    assert ana.get(html_url, headers={"If-None-Match": etag}).status_code == 304
    # also a second later: the toolbar's CSRF token is signed with the time and must not change the ETag
    time.sleep(1.1)
    assert ana.get(html_url, headers={"If-None-Match": etag}).status_code == 304


def test_the_render_limit_must_stay_below_the_server_timeout(databases):  # noqa: ANN001
    from core.app import create_app

    database = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    # gunicorn's own default timeout (30 s) against the default render limit (30 s): refused
    with pytest.raises(RuntimeError, match="DOCUMENT_RENDER_TIMEOUT .* SERVER_TIMEOUT"):
        create_app({"TESTING": True, **database, "SERVER_TIMEOUT": 30})
    app = create_app({"TESTING": True, **database, "DOCUMENT_RENDER_TIMEOUT": 20, "SERVER_TIMEOUT": 30})
    assert app.config["DOCUMENT_RENDER_TIMEOUT"] == 20
    assert create_app({"TESTING": True, **database}).config["SERVER_TIMEOUT"] == 60  # gunicorn.conf.py's timeout
