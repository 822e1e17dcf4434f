"""Large documents as background jobs (issue 13, point 11): Huey with SQLite storage and a real
consumer, the status page and API, a transition whose document goes to the background, and a
job that fails leaving nothing issued and a clean retry."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from core.documents.jobs import configure_huey
from core.documents.models import DocumentJob, IssuedDocument
from core.extensions import db
from core.models import Case
from tests.core import test_documents as documents_tests
from tests.core.test_documents import create_case, flat, pdf_text
from tests.core.test_documents import issue as issue_document

huanuco = documents_tests.huanuco  # fixtures shared with the documents tests
generic_issues_on_approve = documents_tests.generic_issues_on_approve


@pytest.fixture
def jobs(app, tmp_path) -> Iterator[dict]:  # noqa: ANN001
    """Every document counts as large; the queue in a fresh SQLite file (restored afterwards)."""
    keys = ("DOCUMENT_BACKGROUND_KB", "HUEY_SQLITE_PATH", "HUEY_IMMEDIATE", "DOCUMENT_JOB_RENDER_TIMEOUT")
    saved = {k: app.config[k] for k in keys}
    app.config.update(DOCUMENT_BACKGROUND_KB=0, HUEY_SQLITE_PATH=str(tmp_path / "huey.db"), HUEY_IMMEDIATE=False)
    yield {"huey": configure_huey(app)}
    app.config.update(saved)
    configure_huey(app)


@pytest.fixture
def consumer(app, jobs) -> Iterator[None]:  # noqa: ANN001
    """A real Huey consumer in this process (worker threads reading the SQLite queue)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    running = jobs["huey"].create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    running.start()
    yield
    running.stop(graceful=True)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def _wait_done(client, job_id: int, timeout: float = 120) -> dict:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(f"/api/v1/document-jobs/{job_id}").get_json()
        if data["status"] in ("done", "failed"):
            return data
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_a_large_document_is_issued_by_the_consumer_and_followed_on_its_page(app, govs, huanuco, consumer):
    team = huanuco["team"]
    case_id = create_case(team, govs["huanuco"], title="Plan extenso")
    response = issue_document(team, case_id)
    assert response.status_code == 303
    assert "/documentos/trabajos/" in response.headers["Location"]
    job_url = response.headers["Location"]
    job_id = int(job_url.rstrip("/").split("/")[-1])
    first = team.get(job_url)
    assert "Documento en preparación" in first.get_data(as_text=True)
    data = _wait_done(team, job_id)
    assert data["status"] == "done", data
    page = team.get(job_url)
    assert "Refresh" not in page.headers
    html = page.get_data(as_text=True)
    assert "Listo." in html and f"/documentos/{data['document_id']}/pdf" in html
    pdf = team.get(f"/documentos/{data['document_id']}/pdf")
    assert pdf.status_code == 200
    assert "Plan extenso" in flat(pdf_text(pdf.data))
    with app.app_context():
        document = db.session.get(IssuedDocument, data["document_id"])
        assert document.issued_by.email == "equipo@huanuco.pe" and document.case_id == case_id


def test_api_answers_202_and_a_transition_issues_in_the_background(
    app, govs, huanuco, api_token, make_user, generic_issues_on_approve, jobs
):
    app.config["HUEY_IMMEDIATE"] = True  # the task runs in the caller: this test is about the API
    configure_huey(app)
    team = huanuco["team"]
    case_id = create_case(team, govs["huanuco"], title="Expediente grande")
    with app.app_context():
        coord_id = db.session.scalar(select(func.min(DocumentJob.id)))  # none yet
        assert coord_id is None
        from core.models import User

        coord_id = db.session.scalar(select(User.id).where(User.email == "coord@huanuco.pe"))
        team_id = db.session.scalar(select(User.id).where(User.email == "equipo@huanuco.pe"))
    client = app.test_client()
    team_headers = {"Authorization": f"Bearer {api_token(team_id)}"}
    coord_headers = {"Authorization": f"Bearer {api_token(coord_id)}"}
    issued = client.post(f"/api/v1/cases/{case_id}/documents/case_summary", headers=team_headers)
    assert issued.status_code == 202, issued.get_json()
    assert issued.headers["Location"].endswith(f"/api/v1/document-jobs/{issued.get_json()['id']}")
    job = client.get(issued.headers["Location"], headers=team_headers).get_json()
    assert job["status"] == "done" and job["document_id"]

    assert client.post(f"/api/v1/cases/{case_id}/transitions/submit", headers=team_headers).status_code == 200
    moved = client.post(f"/api/v1/cases/{case_id}/transitions/approve", headers=coord_headers, json={})
    assert moved.status_code == 202, moved.get_json()
    job = client.get(moved.headers["Location"], headers=coord_headers).get_json()
    assert job["status"] == "done", job
    with app.app_context():
        assert db.session.get(Case, case_id).state == "approved"
        document = db.session.get(IssuedDocument, job["document_id"])
        text = flat(pdf_text(document.content))
    assert "En revisión → Aprobado" in text  # rendered for the state it was issued in
    # Another government's user cannot follow the job.
    cusco = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    other = {"Authorization": f"Bearer {api_token(cusco)}"}
    assert client.get(moved.headers["Location"], headers=other).status_code == 404


def test_a_failed_job_issues_nothing_and_the_retry_works(app, govs, huanuco, consumer):
    team = huanuco["team"]
    case_id = create_case(team, govs["huanuco"])
    app.config["DOCUMENT_JOB_RENDER_TIMEOUT"] = 0.001
    job_url = issue_document(team, case_id).headers["Location"]
    data = _wait_done(team, int(job_url.rstrip("/").split("/")[-1]))
    assert data["status"] == "failed"
    assert "superó el tiempo límite" in data["message"]
    assert "No se emitió nada" in team.get(job_url).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 0
    app.config["DOCUMENT_JOB_RENDER_TIMEOUT"] = 300
    retry_url = issue_document(team, case_id).headers["Location"]
    assert retry_url != job_url  # a new job, not the failed one
    assert _wait_done(team, int(retry_url.rstrip("/").split("/")[-1]))["status"] == "done"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1


def test_a_failed_jobs_message_is_in_its_requesters_language(app, govs, huanuco, consumer):
    """The consumer has no request: it stores the failure in the requester's language (English here)."""
    from core.models import User

    team = huanuco["team"]
    case_id = create_case(team, govs["huanuco"])
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "equipo@huanuco.pe")).locale = "en"
        db.session.commit()
    app.config["DOCUMENT_JOB_RENDER_TIMEOUT"] = 0.001
    job_url = issue_document(team, case_id).headers["Location"]
    data = _wait_done(team, int(job_url.rstrip("/").split("/")[-1]))
    app.config["DOCUMENT_JOB_RENDER_TIMEOUT"] = 300
    assert data["status"] == "failed"
    assert "could not be issued" in data["message"] and "took longer than the time limit" in data["message"]
    assert "superó" not in data["message"]
