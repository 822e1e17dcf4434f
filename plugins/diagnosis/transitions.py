"""What the plan's workflow does beyond changing state (the ``after_transition`` hook):

- approved by ordinance or resolution → a local plan's timetable becomes deadlines (timetable.py);
- submitted → the issued Plan Articulado PDF is sent to the level above through the submissions
  subsystem (regional governments to the ST-CIAS, which meets the 30 June rule
  «core.regional_submission»; municipalities to their regional government), with a receipt number.

A failure raises WorkflowError, so the transition and everything it wrote roll back together.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from plugins.diagnosis.models import Plan
from plugins.diagnosis.timetable import BINDING_STATES, sync_deadlines

SUBMITTED_STATE = "submitted"
PLAN_DOCUMENT = "plan_articulado"


def installed_body(plan: Plan) -> Any:
    """The government's installed Instancia de Articulación (the body that approves its plan)."""
    from plugins.institutionalization.models import ArticulationBody

    return db.session.scalar(
        select(ArticulationBody)
        .where(ArticulationBody.government_id == plan.government_id, ArticulationBody.state == "installed")
        .order_by(ArticulationBody.id.desc())
        .limit(1)
    )


def approval_gaps(plan: Plan) -> list[str]:
    """Guard ``plan_complete``: the plan is approved by the government's Instancia de Articulación,
    so one must be installed (§4.1.1); then the matrix must be complete (matrix.gaps)."""
    from plugins.diagnosis.matrix import gaps

    problems = []
    if installed_body(plan) is None:
        kind = "Regional" if plan.is_regional else "Local"
        problems.append(
            _(
                "%(government)s has no installed Instancia de Articulación %(kind)s: the Instancia approves the "
                "plan, and it must be constituted by ordinance and installed.",
                government=plan.government.name,
                kind=kind,
            )
        )
    return problems + gaps(plan)


def after_transition(case: Any, transition: Any, user: Any) -> None:
    if not isinstance(case, Plan):
        return
    if transition.target == "approved_instancia":
        # the plan is linked to the Instancia that approved it and to the diagnosis it is based on
        body = installed_body(case)
        case.body_id = body.id if body is not None else None
        if case.diagnosis_id is None:
            from plugins.diagnosis.lifecycle import diagnosis_for

            case.diagnosis = diagnosis_for(case)
    if transition.target in BINDING_STATES:
        sync_deadlines(case)
    if transition.target == SUBMITTED_STATE:
        submit_plan(case, user)


def submit_plan(plan: Plan, user: Any) -> Any:
    """Send the plan's latest issued PDF to the level above; returns the Submission."""
    from core.documents.models import IssuedDocument
    from core.security import scope_for, scope_for_cli
    from core.submissions import DuplicateSubmission, SubmissionError, submit
    from core.workflow import WorkflowError

    document_id = db.session.scalar(
        select(IssuedDocument.id)
        .where(IssuedDocument.case_id == plan.id, IssuedDocument.template_key == PLAN_DOCUMENT)
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    if document_id is None:
        raise WorkflowError(
            _("The plan's PDF has not been issued: it is issued when its approval by the norm is recorded.")
        )
    scope = scope_for(user) if user is not None else scope_for_cli(None)
    try:
        return submit(
            plan.government,
            [document_id],
            user,
            scope,
            plan.year,
            note=f"{plan.acronym} {plan.year}: {plan.title}"[:2000],
        )
    except DuplicateSubmission as error:
        # The plan's PDF already went out by the send form: that submission is the plan's; the
        # one path to send never records it twice.
        return error.existing
    except SubmissionError as error:
        raise WorkflowError(str(error), status=error.status) from error


def required_plan_documents(governments: list[Any], year: int) -> list[dict[str, Any]]:
    """SP 8: the approved Plan Articulado of the year is the policy document every regional
    government sends by 30 June: for each government, its issued PDF once approved by ordinance or
    resolution, or a line saying it is still to be approved. Two queries for any number of governments."""
    from sqlalchemy import func

    from core.documents.models import IssuedDocument
    from plugins.diagnosis.timetable import BINDING_STATES

    ids = [g.id for g in governments]
    binding: dict[int, Plan] = {}
    # newest first: a plan reformulated after its evaluation replaces the earlier version of the same year
    plans = db.session.scalars(
        select(Plan).where(Plan.government_id.in_(ids), Plan.year == year).order_by(Plan.id.desc())
    )
    for plan in plans:
        if plan.state in BINDING_STATES:
            binding.setdefault(plan.government_id, plan)
    documents: dict[int, int] = {}
    if binding:
        superseded = select(IssuedDocument.supersedes_id).where(IssuedDocument.supersedes_id.is_not(None))
        documents = dict(
            db.session.execute(
                select(IssuedDocument.case_id, func.max(IssuedDocument.id))
                .where(
                    IssuedDocument.case_id.in_([p.id for p in binding.values()]),
                    IssuedDocument.template_key == PLAN_DOCUMENT,
                    IssuedDocument.id.not_in(superseded),
                )
                .group_by(IssuedDocument.case_id)
            ).all()
        )
    required = []
    for government in governments:
        name = "Plan Articulado Regional" if government.kind == "regional" else "Plan Articulado Local"
        plan = binding.get(government.id)
        if plan is None:
            required.append({"government_id": government.id, "label": f"{name} {year} aprobado", "document_id": None})
        else:
            required.append(
                {
                    "government_id": government.id,
                    "label": f"{name} {year} aprobado ({plan.reference})",
                    "document_id": documents.get(plan.id),
                }
            )
    return required
