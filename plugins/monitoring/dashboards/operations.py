"""The writes of the quarterly follow-up report, as named operations (core.operations):
``monitoring.quarterly_report.create`` and ``.edit``; approving and sending are the workflow's transitions,
and sending goes through core Submissions (:func:`send_report`, called by the ``after_transition`` hook)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.cases import case_types, check_version, create_case, editable_by, touch
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.monitoring.dashboards.fields import EDITABLE, REPORT
from plugins.monitoring.dashboards.models import QuarterlyReport

REPORT_DOCUMENT = "quarterly_report"


@operation("monitoring.quarterly_report.create", fields=REPORT, params=("government_id",))
def create_report(ctx: Context, data: dict[str, Any]) -> QuarterlyReport:
    """Draft a government's quarterly follow-up report of a year and quarter (one per quarter)."""
    government = ctx.load(Government, data.get("government_id"), action=EDIT, government=lambda g: g)
    existing = db.session.scalar(
        select(QuarterlyReport.reference).where(
            QuarterlyReport.government_id == government.id,
            QuarterlyReport.year == data["year"],
            QuarterlyReport.quarter == data["quarter"],
        )
    )
    if existing:
        message = _(
            "%(government)s already has the report of that quarter: %(reference)s.",
            government=government.name,
            reference=existing,
        )
        raise Refusal(message, 409, {"quarter": [message]})
    title = f"Informe Trimestral de Seguimiento — trimestre {data['quarter']} de {data['year']}"
    return create_case(
        case_types()["quarterly_report"],
        government,
        data["year"],
        title,
        ctx.user,
        ctx.scope,
        quarter=data["quarter"],
        **{name: data.get(name) for name in EDITABLE},
    )


@operation("monitoring.quarterly_report.edit", fields=REPORT, partial=True, params=("report_id", "version"))
def edit_report(ctx: Context, data: dict[str, Any]) -> QuarterlyReport:
    """Change the team's comments, difficulties and next steps (only the fields sent), while a draft."""
    report = ctx.load(QuarterlyReport, data.get("report_id"), action=EDIT)
    if not editable_by(report, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(report, data.get("version"))
    for name in ("year", "quarter"):
        if name in data and data[name] != getattr(report, name):
            message = _("The year and quarter of a report do not change: draft another report.")
            raise Refusal(message, 400, {name: [message]})
    for name in EDITABLE:
        if name in data:
            setattr(report, name, data[name])
    touch(report, ctx.user)
    db.session.flush()
    return report


def send_report(report: QuarterlyReport, user: Any) -> Any:
    """Send the report's issued PDF to the level above through core Submissions: it meets the
    government's quarterly deadline. Runs inside the "send" transition: a refusal undoes the transition."""
    from core.documents.models import IssuedDocument
    from core.security import scope_for, scope_for_cli
    from core.submissions import SubmissionError, submit
    from core.workflow import WorkflowError
    from plugins.monitoring.dashboards.hooks import QUARTERLY_RULE

    document_id = db.session.scalar(
        select(IssuedDocument.id)
        .where(IssuedDocument.case_id == report.id, IssuedDocument.template_key == REPORT_DOCUMENT)
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    if document_id is None:
        raise WorkflowError(_("The report's PDF has not been issued: it is issued when the report is approved."))
    scope = scope_for(user) if user is not None else scope_for_cli(None)
    try:
        return submit(
            report.government,
            [document_id],
            user,
            scope,
            report.year,
            rule_key=QUARTERLY_RULE,
            note=report.title[:2000],
            period=report.quarter,
        )
    except SubmissionError as error:
        raise WorkflowError(str(error), status=error.status) from error


def may_edit(scope: Any, case: Any) -> bool:
    """Named action ``monitoring.quarterly_report.edit``: change a report in its state."""
    return editable_by(case, scope)


OPERATIONS = [create_report, edit_report]
