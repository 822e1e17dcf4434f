"""The agreement's writes (``operations.agreement.*``): permission through core.security, one transaction.

The region (the case's government) drafts: the agreement, its goals, commitments and support
measures. The municipalities act on their part through the core's participant capability: they
accept in the workflow (``party: counterpart``) and report their commitments as fulfilled
(``case.party_write``). Progress reports are filed by either side while the agreement is in execution.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.attachments import AttachmentError, add_attachment
from core.cases import add_participant, case_types, check_version, create_case, editable_by, lock_for_append, touch
from core.cycles import current_year
from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, operation
from core.security import EDIT, READ, can
from core.values import ValueProblem, parse_date, parse_decimal, parse_integer
from core.workflow import get_workflow, perform
from plugins.diagnosis.models import PlanResult
from plugins.operations.agreements.fields import AGREEMENT, COMMITMENT, GOAL, REPORT, SUPPORT
from plugins.operations.agreements.models import (
    COUNTERPART,
    Acceptance,
    Agreement,
    AgreementCommitment,
    AgreementGoal,
    AgreementSupport,
    Evidence,
    ProgressReport,
    ProgressValue,
)
from plugins.operations.agreements.service import diagnosis_baseline, sync_commitment_deadlines


def _field_error(name: str, message: str, status: int = 400) -> Refusal:
    return Refusal(message, status, {name: [message]})


def _counterparts(region: Government, raw: Any) -> list[Government]:
    """The participant municipalities: ids of local governments of the region (refused by name otherwise)."""
    ids = raw if isinstance(raw, list | tuple) else [v for v in str(raw or "").replace(",", " ").split() if v]
    found = []
    for value in ids:
        try:
            government = db.session.get(Government, int(value))
        except (TypeError, ValueError):
            government = None
        if government is None:
            raise _field_error("counterparts", _("Municipalities: «%(value)s» is not a government.", value=value))
        if government.kind == "regional" or government.region_id != region.id:
            raise _field_error(
                "counterparts",
                _(
                    "Municipalities: %(name)s is not a municipality of %(region)s.",
                    name=government.name,
                    region=region.name,
                ),
            )
        found.append(government)
    return found


@operation("operations.agreement.create", fields=AGREEMENT, params=("government_id", "year", "counterparts"))
def create_agreement(ctx: Context, data: dict[str, Any]) -> Agreement:
    """Draft a convenio of a regional government with its municipalities (``counterparts``: government ids),
    or an inter-institutional agreement (``kind`` inter_institutional, ``external_name``)."""
    region = (
        db.session.get(Government, int(data.get("government_id") or 0))
        if str(data.get("government_id") or "").isdigit()
        else None
    )
    if region is None:
        raise _field_error("government_id", _("Government: choose the regional government."))
    ctx.require(EDIT, region)  # 404 out of reach, 403 without a writer's role there
    if not can(ctx.scope, "operations.agreements.create", region):
        raise _field_error("government_id", _("Government: agreements are signed by a regional government."))
    kind = data.get("kind") or "management"
    counterparts = _counterparts(region, data.get("counterparts"))
    if kind == "management" and not counterparts:
        raise _field_error("counterparts", _("Municipalities: name at least one municipality of the region."))
    if kind == "inter_institutional" and not data.get("external_name"):
        raise _field_error("external_name", _("External party: name the university, NGO or entity."))
    # The cycle year: given, else the term's first year, else the current one (Lima).
    try:
        year = parse_integer(data.get("year"), _("Year"))
    except ValueProblem as problem:
        raise _field_error("year", str(problem)) from problem
    year = year or (data["start_date"].year if data.get("start_date") else current_year())
    attributes = {k: data.get(k) for k in AGREEMENT.input_names if k != "title"}
    attributes["kind"] = kind
    agreement = create_case(case_types()["agreement"], region, year, data["title"], ctx.user, ctx.scope, **attributes)
    for government in counterparts:
        add_participant(agreement, government, COUNTERPART)
    return agreement


#: States in which the convenio's terms (its fields, goals, commitments, support) may change: once
#: signed they are what the parties signed.
TERM_STATES = ("draft", "negotiation", "agreed")


def _editable(ctx: Context, agreement: Agreement, version: Any, *, append: bool = False) -> None:
    if append:
        lock_for_append(agreement)
    if not editable_by(agreement, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    if agreement.state not in TERM_STATES:
        raise Refusal(_("The terms of a signed agreement cannot change."), 409)
    check_version(agreement, version, append=append)


@operation("operations.agreement.edit", fields=AGREEMENT, partial=True, params=("agreement_id", "version"))
def edit_agreement(ctx: Context, data: dict[str, Any]) -> Agreement:
    """Change the agreement's own fields (the region's, while its state lets them); 409 on a stale version."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=EDIT)
    _editable(ctx, agreement, data.get("version"))
    start = data.get("start_date", agreement.start_date)
    end = data.get("end_date", agreement.end_date)
    if start and end and end < start:
        raise _field_error("end_date", _("The end date («End of the term») cannot precede the start date."))
    for name in AGREEMENT.input_names:
        if name in data:
            setattr(agreement, name, data[name])
    touch(agreement, ctx.user)
    db.session.flush()
    return agreement


@operation("operations.agreement.goal.add", fields=GOAL, params=("agreement_id", "version"))
def add_goal(ctx: Context, data: dict[str, Any]) -> AgreementGoal:
    """Add a goal tied to a result of the Plan Articulado or a key indicator; without a baseline, the
    diagnosis's is taken."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=EDIT)
    _editable(ctx, agreement, data.get("version"), append=True)
    if not data.get("plan_result_id") and not data.get("key_indicator_id"):
        raise _field_error(
            "plan_result_id", _("Goal: tie it to a result of the Plan Articulado or to a key indicator.")
        )
    if data.get("plan_result_id"):
        result = db.session.get(PlanResult, data["plan_result_id"])
        if result is None or result.plan.government_id != agreement.government_id:
            raise _field_error(
                "plan_result_id", _("Result of the Plan Articulado: choose a result of the region's own plan.")
            )
    goal = AgreementGoal(**{k: data.get(k) for k in GOAL.input_names})
    if goal.baseline is None:  # read before the goal joins the session (a query would flush it half-made)
        goal.baseline = diagnosis_baseline(agreement, goal.plan_result_id, goal.key_indicator_id)
    goal.agreement = agreement
    db.session.add(goal)
    db.session.flush()
    return goal


@operation("operations.agreement.commitment.add", fields=COMMITMENT, params=("agreement_id", "version", "party"))
def add_commitment(ctx: Context, data: dict[str, Any]) -> AgreementCommitment:
    """Add a commitment of a party (``party``: "region", a participant government's id, or "external");
    its due date may not fall after the agreement's end."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=EDIT)
    _editable(ctx, agreement, data.get("version"), append=True)
    if agreement.end_date and data["due_date"] > agreement.end_date:
        raise _field_error("due_date", _("Due date: a commitment cannot fall due after the end of the agreement."))
    party = str(data.get("party") or "region")
    participants = {str(p.government_id): p.government_id for p in agreement.participants}
    if party == "external" and not agreement.external_name:
        raise _field_error("party", _("Party: this agreement has no external party."))
    if party not in ("region", "external") and party not in participants:
        raise _field_error("party", _("Party: choose the region or one of the agreement's municipalities."))
    commitment = AgreementCommitment(**{k: data.get(k) for k in COMMITMENT.input_names})
    commitment.party_external = party == "external"
    commitment.party_government_id = participants.get(party)
    commitment.agreement = agreement
    db.session.add(commitment)
    db.session.flush()
    sync_commitment_deadlines(agreement)
    return commitment


@operation("operations.agreement.support.add", fields=SUPPORT, params=("agreement_id", "version"))
def add_support(ctx: Context, data: dict[str, Any]) -> AgreementSupport:
    """Add one of the region's support measures (training, technical assistance, funds in soles)."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=EDIT)
    _editable(ctx, agreement, data.get("version"), append=True)
    support = AgreementSupport(agreement=agreement, **{k: data.get(k) for k in SUPPORT.input_names})
    db.session.add(support)
    db.session.flush()
    return support


@operation("operations.agreement.report.add", fields=REPORT, params=("agreement_id", "values"))
def add_report(ctx: Context, data: dict[str, Any]) -> ProgressReport:
    """File a progress report of a period with the value achieved per goal (``values``: {goal id: value});
    the region or a municipality of the agreement, while it is in execution."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=READ)
    if not can(ctx.scope, "operations.agreements.report", agreement):
        raise Refusal(_("You do not have permission to do this."), 403)
    lock_for_append(agreement)
    if agreement.state != "execution":
        raise Refusal(_("Progress reports are filed while the agreement is in execution."), 409)
    raw = data.get("values") or {}
    if not isinstance(raw, dict) or not raw:
        raise _field_error("values", _("Values: give the value achieved for at least one goal."))
    goals = {str(g.id): g for g in agreement.goals}
    report = ProgressReport(agreement=agreement, period=data["period"], summary=data.get("summary"))
    for key, value in raw.items():
        goal = goals.get(str(key))
        if goal is None:
            raise _field_error("values", _("Values: «%(key)s» is not a goal of this agreement.", key=key))
        if value in (None, ""):
            continue
        try:
            achieved = parse_decimal(value, _("Achieved value of «%(goal)s»", goal=goal.description))
        except ValueProblem as problem:
            raise _field_error("values", str(problem)) from problem
        report.values.append(ProgressValue(goal=goal, achieved=achieved))
    db.session.add(report)
    db.session.flush()
    return report


def _acts_for(ctx: Context, commitment: AgreementCommitment) -> None:
    """The commitment's own party acts on it: the region's writers for the region's and the external
    party's, a participant municipality's writers for its own (the region may record them too)."""
    agreement = commitment.agreement
    allowed = can(ctx.scope, EDIT, agreement.government) or (
        commitment.party_government_id is not None
        and can(ctx.scope, "government.write", commitment.party_government_id)
    )
    if not allowed:
        raise Refusal(_("You do not have permission to do this."), 403)


@operation("operations.agreement.commitment.evidence", params=("commitment_id", "upload", "description"))
def add_evidence(ctx: Context, data: dict[str, Any]) -> Evidence:
    """File a document as evidence of a commitment (``upload``: the file): stored as a core attachment of
    the agreement and tied to the commitment; by the commitment's party, while the agreement is in execution."""
    commitment = ctx.load(
        AgreementCommitment, data.get("commitment_id"), action=READ, government=lambda c: c.agreement.government
    )
    _acts_for(ctx, commitment)
    if commitment.agreement.state != "execution":
        raise Refusal(_("Evidence is filed while the agreement is in execution."), 409)
    description = data.get("description") or _("Evidence: %(what)s", what=commitment.what)
    try:
        attachment, _stored = add_attachment(commitment.agreement, data.get("upload"), description[:500], ctx.user)
    except AttachmentError as error:
        raise _field_error("file", str(error), error.status) from error
    evidence = Evidence(commitment=commitment, attachment=attachment)
    db.session.add(evidence)
    db.session.flush()
    return evidence


@operation("operations.agreement.commitment.fulfil", params=("commitment_id", "fulfilled_on"))
def fulfil_commitment(ctx: Context, data: dict[str, Any]) -> AgreementCommitment:
    """Record a commitment as fulfilled on a date: by its own party (the region, or the municipality
    through the participant capability); its deadline is met."""
    commitment = ctx.load(
        AgreementCommitment, data.get("commitment_id"), action=READ, government=lambda c: c.agreement.government
    )
    agreement = commitment.agreement
    _acts_for(ctx, commitment)
    if agreement.state != "execution":
        raise Refusal(_("Commitments are fulfilled while the agreement is in execution."), 409)
    commitment.fulfilled_on = parse_date(data.get("fulfilled_on"), _("Fulfilled on"))
    if commitment.fulfilled_on is None:
        raise _field_error("fulfilled_on", _("Fulfilled on: the date is required."))
    sync_commitment_deadlines(agreement, ctx.user)
    db.session.flush()
    return commitment


@operation("operations.agreement.accept", params=("agreement_id", "version"))
def accept_agreement(ctx: Context, data: dict[str, Any]) -> Agreement:
    """A municipality's coordinator accepts the convenio in negotiation on its side; the last acceptance
    moves it to "agreed" (the workflow's ``accept``, a counterpart's transition)."""
    agreement = ctx.load(Agreement, data.get("agreement_id"), action=READ)
    # Who accepts is the workflow's data: the roles of its counterpart transition "accept".
    roles = set(get_workflow(agreement.workflow_id).transitions["accept"].roles)
    own = [
        p.government
        for p in agreement.participants
        if p.party_role == COUNTERPART and roles & ctx.scope.roles_by_government.get(p.government_id, frozenset())
    ]
    if not own:
        raise Refusal(_("Only the coordinator of a municipality of the agreement accepts it."), 403)
    if data.get("version") is not None:
        check_version(agreement, data.get("version"))
    # Two municipalities accepting at once must not both see the other as pending (and leave it in
    # negotiation with every acceptance given): the case row is locked, the acceptances re-read.
    db.session.execute(select(Agreement.id).where(Agreement.id == agreement.id).with_for_update())
    db.session.expire(agreement, ["state", "acceptances"])
    if agreement.state != "negotiation":
        raise Refusal(_("The agreement is accepted while it is in negotiation."), 409)
    accepted = {a.government_id for a in agreement.acceptances}
    for government in own:
        if government.id not in accepted:
            agreement.acceptances.append(Acceptance(government=government, user_id=getattr(ctx.user, "id", None)))
    db.session.flush()
    if not agreement.pending_counterparts:
        perform(agreement, "accept", ctx.user, ctx.scope)
    return agreement


OPERATIONS = [
    create_agreement,
    edit_agreement,
    add_goal,
    add_commitment,
    add_support,
    accept_agreement,
    add_report,
    add_evidence,
    fulfil_commitment,
]
