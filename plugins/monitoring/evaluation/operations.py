"""The writes of the yearly evaluation, as named operations (core.operations): ``monitoring.evaluation.create``,
``.edit`` (lessons, conclusions), ``.appraisal.set`` (one result's eficacia, eficiencia, efectividad) and
``.adjustment.set`` (one plan indicator's goal for next year). Approving is the workflow's transition; its
``after_transition`` either feeds the adjusted goals into next year's plan (:func:`apply_adjustments`, transition
``approve``) or opens a reformulated version of the plan carrying them (:func:`reformulate`, transition
``approve_reformulate``), which is re-approved in the plan's workflow and whose PDF supersedes the earlier one
(:func:`superseded_plan_document`)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.cases import case_types, check_version, create_case, editable_by, touch
from core.deadlines.settings import lima_today
from core.extensions import db
from core.operations import Context, Refusal, operation
from core.security import EDIT, scope_for_cli
from plugins.diagnosis.models import Plan, PlanIndicator, PlanResult
from plugins.diagnosis.timetable import BINDING_STATES
from plugins.monitoring.evaluation.fields import ADJUSTMENT, APPRAISAL, EVALUATION
from plugins.monitoring.evaluation.models import GoalAdjustment, PlanEvaluation, ResultAppraisal
from plugins.monitoring.indicators.models import PlanIndicatorLink, Target

#: Only a plan approved by its norm (in force) is evaluated.
EVALUABLE_STATES = BINDING_STATES


def _editable(ctx: Context, evaluation: PlanEvaluation, version: Any) -> None:
    if not editable_by(evaluation, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(evaluation, version)


@operation("monitoring.evaluation.create", params=("plan_id",))
def create_evaluation(ctx: Context, data: dict[str, Any]) -> PlanEvaluation:
    """Open the yearly evaluation of an approved plan (one per plan), in the plan's government and year."""
    plan = ctx.load(Plan, data.get("plan_id"), action=EDIT)
    if plan.state not in EVALUABLE_STATES:
        raise Refusal(_("Only an approved plan is evaluated: this one is not approved yet."), 409)
    existing = db.session.scalar(select(PlanEvaluation.reference).where(PlanEvaluation.plan_id == plan.id))
    if existing:
        raise Refusal(_("The plan already has its evaluation: %(reference)s.", reference=existing), 409)
    return create_case(
        case_types()["plan_evaluation"],
        plan.government,
        plan.year,
        f"Evaluación anual del {plan.acronym} {plan.year}",
        ctx.user,
        ctx.scope,
        plan_id=plan.id,
    )


@operation("monitoring.evaluation.edit", fields=EVALUATION, partial=True, params=("evaluation_id", "version"))
def edit_evaluation(ctx: Context, data: dict[str, Any]) -> PlanEvaluation:
    """Change the lessons learned and conclusions (only the fields sent)."""
    evaluation = ctx.load(PlanEvaluation, data.get("evaluation_id"), action=EDIT)
    _editable(ctx, evaluation, data.get("version"))
    for name in EVALUATION.input_names:
        if name in data:
            setattr(evaluation, name, data[name])
    touch(evaluation, ctx.user)
    db.session.flush()
    return evaluation


def _child(evaluation: PlanEvaluation, model: type, key: str, record_id: Any, parent: type) -> Any:
    record = db.session.get(parent, int(record_id)) if str(record_id or "").isdigit() else None
    plan_of = (lambda r: r.plan_id) if parent is PlanResult else (lambda r: r.result.plan_id)
    if record is None or plan_of(record) != evaluation.plan_id:
        message = _("It is not part of the evaluated plan.")
        raise Refusal(message, 400, {key: [message]})
    return record


@operation(
    "monitoring.evaluation.appraisal.set",
    fields=APPRAISAL,
    params=("evaluation_id", "version", "result_id"),
)
def set_appraisal(ctx: Context, data: dict[str, Any]) -> ResultAppraisal:
    """Appraise one result's interventions: eficacia, eficiencia, efectividad (replaces the earlier text)."""
    evaluation = ctx.load(PlanEvaluation, data.get("evaluation_id"), action=EDIT)
    _editable(ctx, evaluation, data.get("version"))
    result = _child(evaluation, ResultAppraisal, "result_id", data.get("result_id"), PlanResult)
    appraisal = next((a for a in evaluation.appraisals if a.result_id == result.id), None)
    if appraisal is None:
        appraisal = ResultAppraisal(result_id=result.id)
        evaluation.appraisals.append(appraisal)
    for name in APPRAISAL.input_names:
        setattr(appraisal, name, data.get(name))
    touch(evaluation, ctx.user)
    db.session.flush()
    return appraisal


@operation(
    "monitoring.evaluation.adjustment.set",
    fields=ADJUSTMENT,
    params=("evaluation_id", "version", "indicator_id"),
)
def set_adjustment(ctx: Context, data: dict[str, Any]) -> GoalAdjustment:
    """Adjust one plan indicator's goal for next year, with its justification (replaces an earlier one)."""
    evaluation = ctx.load(PlanEvaluation, data.get("evaluation_id"), action=EDIT)
    _editable(ctx, evaluation, data.get("version"))
    indicator = _child(evaluation, GoalAdjustment, "indicator_id", data.get("indicator_id"), PlanIndicator)
    adjustment = next((a for a in evaluation.adjustments if a.indicator_id == indicator.id), None)
    if adjustment is None:
        adjustment = GoalAdjustment(indicator_id=indicator.id)
        evaluation.adjustments.append(adjustment)
    adjustment.target, adjustment.justification = data["target"], data["justification"]
    touch(evaluation, ctx.user)
    db.session.flush()
    return adjustment


def apply_adjustments(evaluation: PlanEvaluation, user: Any) -> Plan:
    """On approval: next year's plan from the evaluated one (created as ``diagnosis.plan.next_cycle`` does, or
    the one already there) gets the adjusted goals on its indicators, matched by result and indicator position;
    an adjusted plan indicator linked to a key indicator also becomes that key indicator's goal for next year
    (a ``Target`` of origin "adjustment", with its justification and who approved it)."""
    from plugins.diagnosis.matrix import copy_structure

    plan = evaluation.plan
    following = db.session.scalar(select(Plan).where(Plan.previous_plan_id == plan.id).order_by(Plan.id))
    if following is None:
        following = create_case(
            case_types()["articulated_plan"],
            plan.government,
            plan.year + 1,
            f"{plan.title[:280]} ({plan.year + 1})",
            user,
            scope_for_cli(None),
            previous_plan_id=plan.id,
        )
        copy_structure(plan, following)
        db.session.flush()
    _carry_adjustments(evaluation, following, user)
    evaluation.next_plan_id = following.id
    db.session.flush()
    return following


def reformulate(evaluation: PlanEvaluation, user: Any) -> Plan:
    """On approval "to reformulate": a new version of the evaluated plan (same government and year, in the plan's
    workflow from its draft) with the same matrix — sections, results with their goals, indicators with their
    baseline and goal, activities — and the adjusted goals in place of the earlier ones. Once approved by its norm,
    its PDF supersedes the earlier plan's (:func:`superseded_plan_document`); the earlier plan stays as it was."""
    from plugins.diagnosis.matrix import copy_structure

    plan = evaluation.plan
    reformulated = create_case(
        case_types()["articulated_plan"],
        plan.government,
        plan.year,
        f"{plan.title[:280]} (reformulado)",
        user,
        scope_for_cli(None),
        # as next year's copy: not seeded with the four standard results, the copy brings them
        previous_plan_id=plan.id,
        diagnosis_id=plan.diagnosis_id,
    )
    copy_structure(plan, reformulated)
    # a new version of the same plan, not its successor: it follows what the earlier one followed, and keeps
    # the earlier goals (copy_structure leaves them to update, as for next year)
    reformulated.previous_plan_id = plan.previous_plan_id
    pairs = []
    for old_result, new_result in zip(plan.results, reformulated.results, strict=True):
        new_result.goal_value = old_result.goal_value
        for old_indicator, new_indicator in zip(old_result.indicators, new_result.indicators, strict=True):
            new_indicator.baseline, new_indicator.target = old_indicator.baseline, old_indicator.target
            pairs.append((old_indicator.id, new_indicator))
    db.session.flush()
    # the matrix indicators keep the key indicator they measure, so the new version's goals become targets too
    links = dict(
        db.session.execute(
            select(PlanIndicatorLink.plan_indicator_id, PlanIndicatorLink).where(
                PlanIndicatorLink.plan_indicator_id.in_([old_id for old_id, _new in pairs])
            )
        ).all()
    )
    for old_id, new_indicator in pairs:
        if old_id in links:
            link = links[old_id]
            db.session.add(
                PlanIndicatorLink(
                    plan_indicator_id=new_indicator.id, indicator_id=link.indicator_id, measure=link.measure
                )
            )
    _carry_adjustments(evaluation, reformulated, user)
    evaluation.reformulated_plan_id = reformulated.id
    db.session.flush()
    return reformulated


def superseded_plan_document(plan: Plan, key: str) -> int | None:
    """The earlier plan's issued PDF that the first PDF of a reformulated ``plan`` supersedes (its latest one
    not superseded yet), or None when ``plan`` reformulates no plan."""
    from core.documents.models import IssuedDocument

    if key != "plan_articulado":
        return None
    earlier = db.session.scalar(select(PlanEvaluation.plan_id).where(PlanEvaluation.reformulated_plan_id == plan.id))
    if earlier is None:
        return None
    superseded = select(IssuedDocument.supersedes_id).where(IssuedDocument.supersedes_id.is_not(None))
    return db.session.scalar(
        select(IssuedDocument.id)
        .where(
            IssuedDocument.case_id == earlier,
            IssuedDocument.template_key == key,
            IssuedDocument.id.not_in(superseded),
        )
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )


def _carry_adjustments(evaluation: PlanEvaluation, destination: Plan, user: Any) -> None:
    """The adjusted goals into ``destination`` (next year's plan or the reformulated one), matched by result and
    indicator position and name; a goal of a plan indicator linked to a key indicator also becomes that key
    indicator's goal for next year (a ``Target`` of origin "adjustment")."""
    plan = evaluation.plan
    slots = {
        (result.position, result.name, indicator.position, indicator.name): indicator
        for result in destination.results
        for indicator in result.indicators
    }
    links = dict(
        db.session.execute(
            select(PlanIndicatorLink.plan_indicator_id, PlanIndicatorLink).where(
                PlanIndicatorLink.plan_indicator_id.in_([a.indicator_id for a in evaluation.adjustments])
            )
        ).all()
    )
    for adjustment in evaluation.adjustments:
        old = adjustment.indicator
        target = slots.get((old.result.position, old.result.name, old.position, old.name))
        if target is not None:
            target.target = adjustment.target
        link = links.get(old.id)
        if link is not None:
            # a key indicator's goal for next year, adjusted in evaluation: the dashboards read it (Target)
            db.session.add(
                Target(
                    origin="adjustment",
                    government_id=plan.government_id,
                    year=plan.year + 1,
                    indicator_id=link.indicator_id,
                    measure=link.measure,
                    value=adjustment.target,
                    label=old.name[:300],
                    plan_id=destination.id,
                    plan_indicator_id=target.id if target is not None else None,
                    justification=adjustment.justification,
                    approved_by=(getattr(user, "name", None) or "")[:300] or None,
                    approved_on=lima_today(),
                    created_by_id=getattr(user, "id", None),
                )
            )


def may_edit(scope: Any, case: Any) -> bool:
    """Named action ``monitoring.evaluation.edit``: change an evaluation in its state."""
    return editable_by(case, scope)


OPERATIONS = [create_evaluation, edit_evaluation, set_appraisal, set_adjustment]
