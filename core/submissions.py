"""Submissions: a government sends its issued documents to the level above (supplementary provision 8).

Regional governments send to the ST-CIAS; provincial and district municipalities send to
their regional government. A regional submission meets the 30 June rule
(``core.regional_submission``) of its year; the receiver sees what arrived and when, and
the national supervisor sees, for a year, every region: on time, late, or missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import ColumnElement

from core.extensions import db
from core.models import Government
from core.models.deadlines import DeadlineRule
from core.models.documents import IssuedDocument
from core.models.submissions import Submission, SubmissionItem
from core.models.user import utcnow
from core.security import EDIT, READ, Scope, can, readable_clause

REGIONAL_RULE = "core.regional_submission"


class SubmissionError(ValueError):
    """A refused submission; Spanish message and an HTTP-ish status."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


def recipient_of(government: Government) -> Government | None:
    """The level above: None (the ST-CIAS) for a regional government, else its regional government."""
    if government.kind == "regional":
        return None
    return government.region


def visible_clause(scope: Scope) -> ColumnElement[bool]:
    """Submissions a user may see: sent by a government in scope, or received by one.

    Submissions to the ST-CIAS are received by the national level: every user who reaches
    the whole country sees them.
    """
    if scope.everything:
        return true()
    return or_(
        readable_clause(scope, Submission.government_id),
        and_(
            Submission.recipient_government_id.is_not(None), readable_clause(scope, Submission.recipient_government_id)
        ),
    )


def may_receive(scope: Scope, submission: Submission) -> bool:
    """The receiver acknowledges (core.security's named action "submission.receive")."""
    return can(scope, "submission.receive", submission)


def submittable_documents(government: Government, year: int | None = None) -> list[IssuedDocument]:
    """The government's issued documents that are still in force (not superseded), newest first."""
    superseded = select(IssuedDocument.supersedes_id).where(IssuedDocument.supersedes_id.is_not(None))
    query = (
        select(IssuedDocument)
        .where(IssuedDocument.government_id == government.id, IssuedDocument.id.not_in(superseded))
        .order_by(IssuedDocument.issued_at.desc())
    )
    if year is not None:
        query = query.where(IssuedDocument.year == year)
    return list(db.session.scalars(query.limit(500)))


def _rule(key: str | None, government: Government) -> DeadlineRule | None:
    from core.deadlines import binds

    if not key:
        return None
    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == key, DeadlineRule.active.is_(True)))
    if rule is None:
        raise SubmissionError(f"Regla de plazo desconocida: «{key}».")
    if not binds(rule.level, government.kind):
        raise SubmissionError(f"La regla «{rule.label}» no obliga a {government.name}.")
    return rule


def submit(
    government: Government,
    document_ids: Iterable[Any],
    user: Any,
    scope: Scope,
    year: int,
    rule_key: str | None = None,
    note: str | None = None,
) -> Submission:
    """Send the documents; the caller commits. Refusals leave nothing written."""
    from core.deadlines import government_deadline, lima_today, meet_government_deadline

    if not can(scope, READ, government):
        raise SubmissionError("No existe el gobierno o está fuera de su jurisdicción.", status=404)
    if not can(scope, EDIT, government):
        raise SubmissionError("Solo el equipo del gobierno puede enviar sus documentos.", status=403)
    try:
        ids = sorted({int(i) for i in document_ids})
        year = int(year)
    except (TypeError, ValueError) as error:
        raise SubmissionError("Los documentos y el año deben ser números enteros.") from error
    if not ids:
        raise SubmissionError("Elija al menos un documento emitido para enviar.")
    if not 2000 <= year <= 2100:
        raise SubmissionError("El año debe estar entre 2000 y 2100.")
    note = (note or "").strip() or None
    if note and len(note) > 2000:
        raise SubmissionError("La nota admite como máximo 2000 caracteres.")
    documents = db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.id.in_(ids)).options(joinedload(IssuedDocument.superseded_by))
    ).all()
    foreign = [d for d in documents if d.government_id != government.id]
    if len(documents) != len(ids) or foreign:
        raise SubmissionError("Solo puede enviar documentos emitidos por su propio gobierno.")
    for document in documents:
        if document.superseded_by is not None:
            raise SubmissionError(
                f"El documento {document.number} fue reemplazado por {document.superseded_by.number}: envíe el vigente."
            )
    if rule_key is None and government.kind == "regional":
        rule_key = REGIONAL_RULE
    rule = _rule(rule_key, government)
    today = lima_today()
    deadline = government_deadline(government, year, rule) if rule else None
    recipient = recipient_of(government)
    submission = Submission(
        government=government,
        recipient_government=recipient,
        year=year,
        rule_key=rule.key if rule else None,
        due_date=deadline.due_date if deadline else None,
        submitted_on=today,
        on_time=(today <= deadline.due_date) if deadline else None,
        note=note,
        submitted_by_id=getattr(user, "id", None),
        items=[SubmissionItem(document=d) for d in documents],
    )
    db.session.add(submission)
    db.session.flush()
    submission.receipt_number = f"ENV-{year}-{submission.id:06d}"
    if rule is not None:
        meet_government_deadline(government, year, rule, user)
    db.session.flush()
    return submission


def acknowledge(submission: Submission, user: Any, scope: Scope) -> Submission:
    """The receiver records that it received the submission (once; the caller commits)."""
    if not may_receive(scope, submission):
        raise SubmissionError("Solo el destinatario puede registrar la recepción.", status=403)
    if submission.received_at is None:
        submission.received_at = utcnow()
        submission.received_by_id = getattr(user, "id", None)
    return submission


@dataclass
class RegionStatus:
    government: Government
    status: str  # on_time | late | missing
    submission: Submission | None
    due_date: date | None


def national_overview(year: int, rule_key: str = REGIONAL_RULE) -> list[RegionStatus]:
    """For a year, every regional government: submitted on time, late, or missing (two queries)."""
    from core.deadlines import due_date_for, lima_today

    regions = db.session.scalars(select(Government).where(Government.kind == "regional").order_by(Government.name))
    regions = list(regions)
    submissions = db.session.scalars(
        select(Submission)
        .where(
            Submission.year == year,
            Submission.rule_key == rule_key,
            Submission.government_id.in_([g.id for g in regions]),
        )
        .order_by(Submission.submitted_at)
    ).all()
    first: dict[int, Submission] = {}
    for submission in submissions:
        first.setdefault(submission.government_id, submission)
    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == rule_key))
    rows = []
    for region in regions:
        submission = first.get(region.id)
        if submission is not None:
            status = "on_time" if submission.on_time else "late"
            due = submission.due_date
        else:
            due = due_date_for(rule, year, 0, None, _calendar(region)) if rule else None
            status = "missing" if due is None or lima_today() > due else "pending"
        rows.append(RegionStatus(region, status, submission, due))
    return rows


def _calendar(region: Government):  # noqa: ANN202
    from core.deadlines import calendar_for

    return calendar_for(region)


def load_submission(submission_id: int, scope: Scope) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id, visible_clause(scope))
        .options(selectinload(Submission.items).joinedload(SubmissionItem.document))
    )


def init_app(app: Flask) -> None:
    """Register the submissions pages."""
    from core.web import submissions as web

    app.register_blueprint(web.bp)


def register_api(api: Any) -> None:
    from core.web.submissions import register_api_endpoints

    register_api_endpoints(api)


def register_admin(admin: Any) -> None:
    from core.web.submissions import register_admin_views

    register_admin_views(admin)
