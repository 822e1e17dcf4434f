"""Background jobs: large documents are issued by a Huey task, so no web request waits on a long render.

- **Queue**: Huey (https://huey.readthedocs.io) with SQLite storage in the instance folder by
  default (``HUEY_SQLITE_PATH``), or Redis when ``HUEY_REDIS_URL`` is set (install the
  ``redis`` extra). ``HUEY_IMMEDIATE`` runs tasks at once in the caller (scripts, tests).
- **Consumer**: ``articula jobs worker`` (``make run`` starts it next to the web server; under
  gunicorn run it as its own service, see README).
- **Large**: a document whose HTML exceeds ``DOCUMENT_BACKGROUND_KB`` is not rendered in the
  request: ``core.documents.issuing(..., allow_background=True)`` raises ``LargeDocument``,
  the route records a ``DocumentJob`` and enqueues it, and the user follows it on
  ``/documentos/trabajos/<id>`` (``GET /api/v1/document-jobs/<id>``) until the document is there.
- **The job** runs the same unit of work as the request would have (a manual issue, or the
  transition that issues), through ``issuing``: render outside any transaction, then one
  short transaction stores the document, applies the transition and marks the job done.
  A failure marks the job failed with a Spanish message and stores nothing; the user retries.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import func, select

from core.audit.actors import acting_as
from core.cases.service import CaseError, StaleCaseError
from core.database import writing
from core.documents.issue import can_issue, issue_document, issuing
from core.documents.models import DocumentJob, IssuedDocument
from core.documents.registry import DocumentError, spec_for
from core.extensions import db
from core.models import Case, User
from core.models.user import utcnow
from core.security import scope_for
from core.workflow import WorkflowError, perform

DEFAULTS = {
    "HUEY_REDIS_URL": None,  # e.g. redis://localhost:6379/0 — the queue on Redis instead of SQLite
    "HUEY_SQLITE_PATH": None,  # default: <instance>/huey.db
    "HUEY_IMMEDIATE": False,  # run tasks in the caller, without a consumer
    "DOCUMENT_BACKGROUND_KB": 100,  # documents whose HTML is larger (a plan of ~250+ activities) go to a job
    "DOCUMENT_JOB_RENDER_TIMEOUT": 300,  # seconds a background render may take
    "DOCUMENT_JOBS_PER_USER": 3,  # pending background jobs one user may have
}
TASK_NAME = "articula.document_job"
#: A job still "running" this long after its time limit lost its worker (killed consumer).
LOST_AFTER = timedelta(seconds=120)


# --- the queue ------------------------------------------------------------------------------------


def make_huey(app: Flask) -> Huey:
    """The app's Huey: Redis when configured, else SQLite storage (one file, no server needed)."""
    config = app.config
    if config.get("HUEY_REDIS_URL"):
        return RedisHuey("articula", url=config["HUEY_REDIS_URL"], immediate=bool(config["HUEY_IMMEDIATE"]))
    path = config.get("HUEY_SQLITE_PATH") or str(Path(app.instance_path) / "huey.db")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("articula", filename=path, immediate=bool(config["HUEY_IMMEDIATE"]))


def configure_huey(app: Flask) -> Huey:
    """(Re)build the app's Huey from its config and register the job task on it."""
    huey = make_huey(app)

    def document_job(job_id: int) -> None:
        run_job(app, job_id)

    app.extensions["articula.huey"] = huey
    app.extensions["articula.jobs.task"] = huey.task(name=TASK_NAME)(document_job)
    return huey


def get_huey(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["articula.huey"]


# --- enqueueing -----------------------------------------------------------------------------------


def enqueue(
    case_id: int,
    user: Any,
    *,
    template_key: str | None = None,
    transition: str | None = None,
    comment: str | None = None,
    case_version: int | None = None,
) -> DocumentJob:
    """Record a job and hand it to the queue (commits). The same pending job is reused, not repeated."""

    case = db.session.get(Case, case_id)
    same = (
        select(DocumentJob)
        .where(
            DocumentJob.case_id == case_id,
            DocumentJob.status.in_(("queued", "running")),
            DocumentJob.template_key.is_(None) if template_key is None else DocumentJob.template_key == template_key,
            DocumentJob.transition.is_(None) if transition is None else DocumentJob.transition == transition,
        )
        .order_by(DocumentJob.id.desc())
        .limit(1)
    )
    existing = db.session.scalar(same)
    if existing is not None and not is_lost(existing):
        return existing
    pending = db.session.scalar(
        select(func.count())
        .select_from(DocumentJob)
        .where(DocumentJob.user_id == user.id, DocumentJob.status.in_(("queued", "running")))
    )
    limit = int(current_app.config["DOCUMENT_JOBS_PER_USER"])
    if pending >= limit:
        raise DocumentError(
            _(
                "You already have %(limit)s document(s) being prepared in the background; wait for them to finish.",
                limit=limit,
            ),
            status=429,
        )
    job = DocumentJob(
        case_id=case_id,
        government_id=case.government_id,
        template_key=template_key,
        transition=transition,
        comment=comment,
        case_version=case_version,
        user_id=user.id,
        status="queued",
    )
    db.session.add(job)
    db.session.flush()
    job_id = job.id  # before the commit: reading it afterwards would open a transaction (SQLite: a lock)
    db.session.commit()
    current_app.extensions["articula.jobs.task"](job_id)  # after the commit: the consumer must see the row
    return db.session.get(DocumentJob, job_id)


def is_lost(job: DocumentJob) -> bool:
    """A job marked running longer than its time limit allows: its consumer died."""
    if job.status != "running" or job.started_at is None:
        return False
    limit = timedelta(seconds=float(current_app.config["DOCUMENT_JOB_RENDER_TIMEOUT"])) + LOST_AFTER
    return utcnow() - job.started_at > limit


def status_of(job: DocumentJob) -> str:
    return "failed" if is_lost(job) else job.status


def message_of(job: DocumentJob) -> str | None:
    if is_lost(job):
        return _("Preparing the document was interrupted (the process ended); nothing was issued. Try again.")
    return job.message


# --- running --------------------------------------------------------------------------------------


def run_job(app: Flask, job_id: int) -> None:
    """The task: issue the job's document (or apply its transition) as its requester, or mark it failed."""
    with app.app_context(), writing():
        job = db.session.get(DocumentJob, job_id)
        if job is None or job.status != "queued":
            return  # done already, or taken by another consumer
        job.status, job.started_at = "running", utcnow()
        user_id = job.user_id
        db.session.commit()
        user = db.session.get(User, user_id)
        # The job's messages are stored for its requester: in their language, not the consumer's.
        with force_locale(getattr(user, "locale", None) or app.config["BABEL_DEFAULT_LOCALE"]):
            try:
                if user is None or not user.is_active:
                    raise DocumentError(_("The account that asked for the document is no longer active."), status=403)
                with acting_as(user):
                    _issue_for_job(job_id, user)
                    db.session.commit()
            except (DocumentError, WorkflowError, CaseError) as error:
                db.session.rollback()
                _fail(job_id, "; ".join(getattr(error, "reasons", None) or [str(error)]))
            except Exception:  # noqa: BLE001 — the job must end, whatever happened
                db.session.rollback()
                app.logger.exception("trabajo de documento %s", job_id)
                _fail(
                    job_id, _("An internal error occurred while preparing the document; nothing was issued. Try again.")
                )


def _issue_for_job(job_id: int, user: User) -> None:
    scope = scope_for(user)

    def work() -> None:  # run twice by issuing: it loads everything itself
        job = db.session.get(DocumentJob, job_id)
        case = db.session.get(Case, job.case_id)
        if job.transition:
            if job.case_version is not None and case.version != job.case_version:
                raise StaleCaseError()
            perform(case, job.transition, user, scope, job.comment)
            document_id = db.session.scalar(
                select(IssuedDocument.id).where(IssuedDocument.case_id == case.id).order_by(IssuedDocument.id.desc())
            )
        else:
            spec = spec_for(case, job.template_key)
            if not can_issue(scope, case, spec):
                raise DocumentError(_("You cannot issue this document in this case."), status=403)
            document_id = issue_document(case, job.template_key, user).id
        job.status, job.document_id, job.finished_at, job.message = "done", document_id, utcnow(), None

    issuing(work, owner=f"user:{user.id}", timeout=float(current_app.config["DOCUMENT_JOB_RENDER_TIMEOUT"]))


def _fail(job_id: int, message: str) -> None:
    job = db.session.get(DocumentJob, job_id)
    job.status, job.message, job.finished_at = "failed", message[:2000], utcnow()
    db.session.commit()


# --- JSON -----------------------------------------------------------------------------------------

JOB_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "case_id": {"type": "integer"},
        "template": {"type": ["string", "null"]},
        "transition": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "message": {"type": ["string", "null"]},
        "document_id": {"type": ["integer", "null"]},
        "document_url": {"type": ["string", "null"]},
        "status_url": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
    },
}


def job_json(job: DocumentJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "case_id": job.case_id,
        "template": job.template_key,
        "transition": job.transition,
        "status": status_of(job),
        "message": message_of(job),
        "document_id": job.document_id,
        "document_url": url_for("api.get_document", document_id=job.document_id, _external=True)
        if job.document_id
        else None,
        "status_url": url_for("api.get_document_job", job_id=job.id, _external=True),
        "created_at": job.created_at.isoformat() + "Z",
        "finished_at": job.finished_at.isoformat() + "Z" if job.finished_at else None,
    }


# --- command line ---------------------------------------------------------------------------------


@click.group("jobs", help="Trabajos en segundo plano (documentos grandes).")
def jobs_cli() -> None:
    """Trabajos en segundo plano (documentos grandes)."""


@jobs_cli.command("worker")
@click.option("-w", "--workers", default=2, show_default=True, help="Hilos que ejecutan trabajos.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Ejecuta los trabajos en cola (el consumidor de Huey) hasta recibir SIGINT o SIGTERM."""
    huey = get_huey()
    click.echo(
        _(
            "Job consumer: %(name)s, %(workers)s thread(s).",
            name=type(huey.storage).__name__,
            workers=workers,
        )
    )
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


def init_app(app: Flask) -> None:
    """Settings and the app's queue (called by the documents package's ``init_app``)."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    configure_huey(app)
