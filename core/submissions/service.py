"""Submissions: a government sends its issued documents to the level above (supplementary provision 8).

Regional governments send to the ST-CIAS; provincial and district municipalities send to
their regional government. A regional submission meets the 30 June rule
(``core.regional_submission``) of its year; the receiver sees what arrived and when, and
the national supervisor sees, for a year, every region: on time, late, or missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import ColumnElement

from core.deadlines.events import government_deadline, meet_government_deadline
from core.deadlines.generation import binds
from core.deadlines.models import DeadlineRule
from core.deadlines.settings import lima_today
from core.documents.models import IssuedDocument
from core.extensions import db
from core.models import Case, Government
from core.models.submissions import Submission, SubmissionItem
from core.models.user import utcnow
from core.plugins import plugin_registry
from core.security import EDIT, READ, Scope, can, readable_clause

REGIONAL_RULE = "core.regional_submission"


class SubmissionError(ValueError):
    """A refused submission; Spanish message and an HTTP-ish status."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


class DuplicateSubmission(SubmissionError):
    """The same documents were already sent to the same recipient for the same year."""

    def __init__(self, existing: Submission) -> None:
        self.existing = existing
        super().__init__(
            _(
                "These documents were already sent to %(recipient)s for %(year)s (submission "
                "%(receipt_number)s, of %(day)s): an identical submission is not recorded.",
                recipient=existing.recipient_label,
                year=existing.year,
                receipt_number=existing.receipt_number,
                day=existing.submitted_on.strftime("%d/%m/%Y"),
            ),
            status=409,
        )


def identical_submission(government: Government, year: int, document_ids: Iterable[int]) -> Submission | None:
    """An earlier submission of exactly these documents, to the same recipient, for the same year."""
    wanted = set(document_ids)
    recipient = recipient_of(government)
    candidates = db.session.scalars(
        select(Submission)
        .where(
            Submission.government_id == government.id,
            Submission.year == year,
            Submission.recipient_government_id.is_(None)
            if recipient is None
            else Submission.recipient_government_id == recipient.id,
        )
        .options(selectinload(Submission.items))
        .order_by(Submission.id)
    )
    return next((c for c in candidates if {i.document_id for i in c.items} == wanted), None)


def sent_in(government: Government, document_ids: Iterable[int]) -> dict[int, list[Submission]]:
    """Per document, the submissions that already carried it (for the warning on the send form)."""
    ids = list(document_ids)
    found: dict[int, list[Submission]] = {}
    if not ids:
        return found
    rows = db.session.execute(
        select(SubmissionItem.document_id, Submission)
        .join(Submission, Submission.id == SubmissionItem.submission_id)
        .where(Submission.government_id == government.id, SubmissionItem.document_id.in_(ids))
        .order_by(Submission.id)
    ).all()
    for document_id, submission in rows:
        found.setdefault(document_id, []).append(submission)
    return found


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
    """The receiver acknowledges (core.security's named action "submission.receive"): the ST-CIAS
    (``national``) for a submission to the national level, the regional government's team for one to
    a region."""
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
    if not key:
        return None
    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == key, DeadlineRule.active.is_(True)))
    if rule is None:
        raise SubmissionError(_("Unknown deadline rule: «%(key)s».", key=key))
    if not binds(rule.level, government.kind):
        raise SubmissionError(
            _(
                "The rule «%(label)s» does not bind %(name)s.",
                label=rule.label,
                name=government.name,
            )
        )
    return rule


def submit(
    government: Government,
    document_ids: Iterable[Any],
    user: Any,
    scope: Scope,
    year: int | None = None,
    rule_key: str | None = None,
    note: str | None = None,
    period: int | None = None,
) -> Submission:
    """Send the documents; the caller commits. Refusals leave nothing written.

    The one way to send, used by the send form, the API and the plan's "Remitir el plan
    aprobado": ``year`` defaults to the documents' year, and an identical resubmission (same
    documents, same recipient, same year) is refused with ``DuplicateSubmission``. ``period``: the quarter
    of a quarterly rule the submission answers (default: the earliest unmet one)."""

    if not can(scope, READ, government):
        raise SubmissionError(_("The government does not exist or is outside your jurisdiction."), status=404)
    if not can(scope, EDIT, government):
        raise SubmissionError(_("Only the government's team can send its documents."), status=403)
    try:
        ids = sorted({int(i) for i in document_ids})
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError) as error:
        raise SubmissionError(_("The documents and the year must be integers.")) from error
    if not ids:
        raise SubmissionError(_("Choose at least one issued document to send."))
    if year is None:
        # the cycle year of the document's case (a 2008 plan approved in January 2009 is of 2008)
        years = set(
            db.session.scalars(
                select(func.coalesce(Case.year, IssuedDocument.year))
                .select_from(IssuedDocument)
                .outerjoin(Case, Case.id == IssuedDocument.case_id)
                .where(IssuedDocument.id.in_(ids))
            )
        )
        if len(years) != 1:
            raise SubmissionError(
                _(
                    "The chosen documents are from different years: give the year of the cycle the submission "
                    "belongs to."
                )
            )
        year = years.pop()
    if not 2000 <= year <= 2100:
        raise SubmissionError(_("The year must be between 2000 and 2100."))
    note = (note or "").strip() or None
    if note and len(note) > 2000:
        raise SubmissionError(_("The note admits at most 2000 characters."))
    documents = db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.id.in_(ids)).options(joinedload(IssuedDocument.superseded_by))
    ).all()
    foreign = [d for d in documents if d.government_id != government.id]
    if len(documents) != len(ids) or foreign:
        raise SubmissionError(_("You can only send documents issued by your own government."))
    for document in documents:
        if document.superseded_by is not None:
            raise SubmissionError(
                _(
                    "The document %(number)s was replaced by %(replacement)s: send the current one.",
                    number=document.number,
                    replacement=document.superseded_by.number,
                )
            )
    existing = identical_submission(government, year, ids)
    if existing is not None:
        raise DuplicateSubmission(existing)
    if rule_key is None and government.kind == "regional":
        rule_key = REGIONAL_RULE
    rule = _rule(rule_key, government)
    today = lima_today()
    deadline = government_deadline(government, year, rule, period) if rule else None
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
    # SP 8 asks for the approved policy documents: an incomplete submission is recorded, but the
    # 30 June rule is met only once everything required has been sent (this or earlier submissions).
    submission.missing = missing_documents(government, year) if rule is not None and rule.key == REGIONAL_RULE else []
    if rule is not None and not submission.missing:
        meet_government_deadline(government, year, rule, user, period=period)
    db.session.flush()
    return submission


def acknowledge(submission: Submission, user: Any, scope: Scope) -> Submission:
    """The receiver records that it received the submission (once; the caller commits)."""
    if not may_receive(scope, submission):
        raise SubmissionError(_("Only the recipient can record the receipt."), status=403)
    if submission.received_at is None:
        submission.received_at = utcnow()
        submission.received_by_id = getattr(user, "id", None)
    return submission


# --- what the 30 June rule asks for (supplementary provision 8) -------------------------------------


@dataclass
class RequiredDocument:
    label: str
    document_id: int | None  # None: not issued yet (the document is not approved)


def policy_documents(governments: Iterable[Government], year: int) -> dict[int, list[RequiredDocument]]:
    """The approved policy documents each of ``governments`` sends for ``year``: those the plugins
    require (the Plan Articulado) and the cases the government marked as policy documents.

    A fixed number of queries for any number of governments (the national overview asks for all 25
    regions at once)."""

    governments = list(governments)
    ids = [g.id for g in governments]
    required: dict[int, list[RequiredDocument]] = {i: [] for i in ids}
    if not ids:
        return required
    for item in plugin_registry().collect("policy_documents", governments=governments, year=year):
        required[item["government_id"]].append(RequiredDocument(str(item["label"]), item.get("document_id")))
    marked = db.session.execute(
        select(Case.id, Case.government_id, Case.reference, Case.title)
        .where(Case.government_id.in_(ids), Case.year == year, Case.policy_document.is_(True))
        .order_by(Case.id)
    ).all()
    latest: dict[int, int] = {}
    if marked:
        superseded = select(IssuedDocument.supersedes_id).where(IssuedDocument.supersedes_id.is_not(None))
        latest = dict(
            db.session.execute(
                select(IssuedDocument.case_id, func.max(IssuedDocument.id))
                .where(IssuedDocument.case_id.in_([m.id for m in marked]), IssuedDocument.id.not_in(superseded))
                .group_by(IssuedDocument.case_id)
            ).all()
        )
    for case_id, government_id, reference, title in marked:
        required[government_id].append(RequiredDocument(f"{reference} — {title}", latest.get(case_id)))
    for government_id, items in required.items():
        unique: dict[Any, RequiredDocument] = {}
        for item in items:
            unique.setdefault(item.document_id if item.document_id is not None else item.label, item)
        required[government_id] = list(unique.values())
    return required


def missing_documents_of(governments: Iterable[Government], year: int) -> dict[int, list[str]]:
    """What each of ``governments`` still has to send for ``year`` to the level above: Spanish lines."""
    governments = list(governments)
    required = policy_documents(governments, year)
    if not governments:
        return {}
    sent: dict[tuple[int, int | None], set[int]] = {}
    for government_id, recipient_id, document_id in db.session.execute(
        select(Submission.government_id, Submission.recipient_government_id, SubmissionItem.document_id)
        .join(SubmissionItem, SubmissionItem.submission_id == Submission.id)
        .where(Submission.government_id.in_([g.id for g in governments]), Submission.year == year)
    ):
        sent.setdefault((government_id, recipient_id), set()).add(document_id)
    missing: dict[int, list[str]] = {}
    for government in governments:
        # The level above: the ST-CIAS (no government) for a region, else the government's region.
        recipient_id = None if government.kind == "regional" else government.region_id
        delivered = sent.get((government.id, recipient_id), set())
        missing[government.id] = [
            _("%(label)s (not approved yet: no issued document)", label=item.label)
            if item.document_id is None
            else item.label
            for item in required[government.id]
            if item.document_id is None or item.document_id not in delivered
        ]
    return missing


def missing_documents(government: Government, year: int) -> list[str]:
    """What is still to be sent for ``year`` to the level above: each a Spanish line."""
    return missing_documents_of([government], year)[government.id]


def load_submission(submission_id: int, scope: Scope) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id, visible_clause(scope))
        .options(selectinload(Submission.items).joinedload(SubmissionItem.document))
    )
