"""The two supervision documents of a government (not of a case) issued with a number and a verification code
(core.documents.issue_government_document): the blank «Ficha de Supervisión» of a ficha, printed for field visits,
and the «Informe Consolidado de Supervisión» of a period. Their operations, ``monitoring.supervision.blank.issue``
and ``monitoring.supervision.report.issue``, and their API endpoints; the pages call the same operations.

Both are issued by whoever writes in the government (its team or coordinator); a re-issue supersedes only the
earlier document of the same number (the same ficha, the same period)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import json_object
from core.deadlines import lima_today
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, api_run, load_or_404, operation
from core.security import EDIT
from plugins.monitoring.supervision.documents import (
    BLANK_KEY,
    REPORT_KEY,
    Period,
    blank_context,
    blank_number,
    report_context,
    report_number,
)
from plugins.monitoring.supervision.models import SupervisionChecklist


def _issue(work: Any) -> Any:
    from core.documents import DocumentError, issuing

    try:
        return issuing(work)
    except DocumentError as error:  # a missing year name (409), a render that failed or timed out
        raise Refusal(str(error), error.status) from error


def _government(ctx: Context, raw: Any) -> int:
    government = load_or_404(Government, raw, ctx.scope, action=EDIT, government=lambda g: g)
    return government.id


def period_of(year: Any, quarter: Any) -> Period:
    """The period asked for: a year from 2000 to this one and a quarter 1 to 4 (none: the whole year)."""
    message = _("The period must be a year from 2000 to this year and a quarter 1 to 4.")
    year, quarter = str(year or lima_today().year).strip(), str(quarter or "").strip()
    if not year.isdigit() or (quarter and not quarter.isdigit()):
        raise Refusal(message, 400, {"year": [message]})
    period = Period(int(year), int(quarter) if quarter else None)
    if not 2000 <= period.year <= lima_today().year or period.quarter not in (None, 1, 2, 3, 4):
        raise Refusal(message, 400, {"year": [message]})
    return period


@operation("monitoring.supervision.blank.issue", params=("checklist_id", "government_id"))
def issue_blank(ctx: Context, data: dict[str, Any]) -> Any:
    """Issue the blank ficha of ``checklist_id`` for ``government_id``: stored, numbered, verifiable."""
    from core.documents import issue_government_document

    raw = data.get("checklist_id")
    checklist = db.session.get(SupervisionChecklist, int(raw)) if str(raw or "").isdigit() else None
    if checklist is None:
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    government_id, checklist_id = _government(ctx, data.get("government_id")), checklist.id

    def work() -> Any:  # runs twice: it loads what it needs itself (core.documents.issuing)
        government = db.session.get(Government, government_id)
        ficha = db.session.get(SupervisionChecklist, checklist_id)
        context = blank_context(ficha, government)
        return issue_government_document(
            government, BLANK_KEY, blank_number(ficha), ficha.name, context, ctx.user, by_number=True
        )

    return _issue(work)


@operation("monitoring.supervision.report.issue", params=("government_id", "year", "quarter"))
def issue_report(ctx: Context, data: dict[str, Any]) -> Any:
    """Issue the consolidated supervision report of ``government_id`` for a year or a quarter."""
    from core.documents import issue_government_document

    government_id = _government(ctx, data.get("government_id"))
    period = period_of(data.get("year"), data.get("quarter"))

    def work() -> Any:
        government = db.session.get(Government, government_id)
        context = report_context(government, period)
        return issue_government_document(
            government,
            REPORT_KEY,
            report_number(government, period),
            f"{government.name}, {period.text}",
            context,
            ctx.user,
            by_number=True,
        )

    return _issue(work)


OPERATIONS = [issue_blank, issue_report]

ISSUE_ERRORS = (409, 503)


def register_api(api: Any, prefix: str, tag: str) -> None:
    """``POST {prefix}/checklists/<id>/issue`` and ``POST {prefix}/report/issue`` (201: the issued document)."""
    from core.documents.api import document_json

    document = {"$ref": "#/components/schemas/IssuedDocument"}

    @api.route(
        f"{prefix}/checklists/<int:checklist_id>/issue",
        ("POST",),
        summary=_l("Issue the blank supervision factsheet for a government (stored, verifiable)"),
        tag=tag,
        status=201,
        response=document,
        request_body={
            "type": "object",
            "required": ["government_id"],
            "properties": {"government_id": {"type": "integer"}},
        },
        extra_errors=ISSUE_ERRORS,
    )
    def supervision_blank_issue(checklist_id: int):
        body = json_object()
        data = {"checklist_id": checklist_id, "government_id": body.get("government_id")}
        return jsonify(document_json(api_run("monitoring.supervision.blank.issue", current_user, data))), 201

    @api.route(
        f"{prefix}/report/issue",
        ("POST",),
        summary=_l("Issue the consolidated supervision report of a government and period (stored, verifiable)"),
        tag=tag,
        status=201,
        response=document,
        request_body={
            "type": "object",
            "required": ["government_id", "year"],
            "properties": {
                "government_id": {"type": "integer"},
                "year": {"type": "integer"},
                "quarter": {"type": ["integer", "null"], "minimum": 1, "maximum": 4},
            },
        },
        extra_errors=ISSUE_ERRORS,
    )
    def supervision_report_issue():
        body = json_object()
        data = {k: body.get(k) for k in ("government_id", "year", "quarter")}
        return jsonify(document_json(api_run("monitoring.supervision.report.issue", current_user, data))), 201
