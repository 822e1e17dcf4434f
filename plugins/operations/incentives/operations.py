"""The writes of a contest (``operations.contest.*``): permission through core.security, one transaction.

The convening government's writers draft the contest (its fields, criteria, prizes), designate the
jury and register the applications received; each juror declares that they have no conflict of
interest and scores. State changes (call, evaluation, results, award, cancel) are the workflow's
transitions (workflows/contest.yaml). Each refusal names its field; nothing is saved when refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.attachments import AttachmentError, add_attachment
from core.cases import add_participant, case_types, check_version, create_case, editable_by, lock_for_append, touch
from core.deadlines import lima_today
from core.extensions import db
from core.formatting import long_date, money
from core.models import Government, User
from core.models.user import utcnow
from core.operations import Context, Refusal, operation
from core.security import EDIT, READ, can, scope_for
from core.values import ValueProblem, parse_decimal
from plugins.operations.incentives.fields import APPLICATION, CONTEST, CRITERION, JUROR, PRIZE
from plugins.operations.incentives.models import (
    APPLICANT,
    MAX_CRITERIA,
    MAX_PRIZES,
    SCALE,
    ApplicationFile,
    Contest,
    ContestApplication,
    ContestCriterion,
    ContestJuror,
    ContestPrize,
    ContestScore,
)
from plugins.operations.incentives.service import in_conflict, juror_for, juror_governments

CASE_TYPE = "contest"
#: The Bases (fields, criteria, prizes) change only before the call.
BASES_STATES = ("draft",)
JURY_STATES = ("draft", "called", "evaluation")


def _refuse(field: str, message: str, status: int = 400) -> Refusal:
    return Refusal(message, status, {field: [message]})


def _contest(ctx: Context, contest_id: Any, action: str = EDIT) -> Contest:
    return ctx.load(Contest, contest_id, action=action)


def _editable(ctx: Context, contest: Contest, version: Any, states: tuple[str, ...], *, append: bool = False) -> None:
    if append:
        lock_for_append(contest)
    if not editable_by(contest, ctx.scope) or contest.state not in states:
        raise Refusal(
            _("You cannot change this contest in its current state."), 409 if editable_by(contest, ctx.scope) else 403
        )
    check_version(contest, version, append=append)


@operation("operations.contest.create", fields=CONTEST, params=("government_id", "year"))
def create_contest(ctx: Context, data: dict[str, Any]) -> Contest:
    """Draft a contest of a regional government (local best practices) or a municipality (its communities)."""
    raw = str(data.get("government_id") or "")
    government = db.session.get(Government, int(raw)) if raw.isdigit() else None
    if government is None:
        raise _refuse("government_id", _("Government: choose the convening government."))
    ctx.require(EDIT, government)  # 404 out of reach, 403 without a writer's role there
    year = data.get("year")
    if year is not None and not str(year).isdigit():
        raise _refuse("year", _("«%(name)s» must be a number.", name=_("Year")))
    dated = data.get("reception_deadline") or data.get("results_date")
    year = int(year) if year else (dated.year if dated else lima_today().year)
    values = {k: v for k, v in data.items() if k in CONTEST.input_names and k != "title"}
    return create_case(case_types()[CASE_TYPE], government, year, data["title"], ctx.user, ctx.scope, **values)


@operation("operations.contest.edit", fields=CONTEST, partial=True, params=("contest_id", "version"))
def edit_contest(ctx: Context, data: dict[str, Any]) -> Contest:
    """Change the contest's data before the call (only the fields sent); 409 on a stale version."""
    contest = _contest(ctx, data.get("contest_id"))
    _editable(ctx, contest, data.get("version"), BASES_STATES)
    merged = {name: getattr(contest, name) for name in CONTEST.input_names} | data
    for name, problem in [p for check in CONTEST.checks for p in check(merged)]:
        raise _refuse(name, str(problem))
    for name in CONTEST.input_names:
        if name in data:
            setattr(contest, name, data[name])
    touch(contest, ctx.user)
    db.session.flush()
    return contest


def _rows(raw: Any, name: str, label: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise _refuse(name, _("«%(label)s» must be a list of rows.", label=label))
    return raw


def _parse_row(fields: Any, row: dict[str, Any], name: str, label: str, number: int) -> dict[str, Any]:
    """One row parsed by its declared fields; a problem names the row and the field (by its label)."""
    parsed = {}
    for f in fields.inputs:
        try:
            value = f.parse(row.get(f.name), label=str(f.label))
            if value is not None and f.minimum is not None and not f.minimum <= value <= f.maximum:
                raise ValueProblem(
                    _("«%(label)s» must be between %(low)s and %(high)s.", label=f.label, low=f.minimum, high=f.maximum)
                )
        except ValueProblem as problem:
            message = _("%(label)s, row %(row)s: %(problem)s", label=label, row=number, problem=str(problem))
            raise _refuse(name, message) from None
        parsed[f.name] = value
    return parsed


@operation("operations.contest.criteria.set", params=("contest_id", "version", "criteria"))
def set_criteria(ctx: Context, data: dict[str, Any]) -> Contest:
    """Replace the evaluation criteria (``criteria``: [{name, description, weight}]); the weights
    (whole numbers) must add up to 100."""
    contest = _contest(ctx, data.get("contest_id"))
    _editable(ctx, contest, data.get("version"), BASES_STATES)
    label = _("Criteria")
    rows = [
        r
        for r in _rows(data.get("criteria"), "criteria", label)
        if any(str(v).strip() for v in r.values() if v is not None)
    ]
    if not rows:
        raise _refuse("criteria", _("Criteria: give at least one criterion with its weight."))
    if len(rows) > MAX_CRITERIA:
        raise _refuse("criteria", _("Criteria: at most %(n)s.", n=MAX_CRITERIA))
    parsed = [_parse_row(CRITERION, row, "criteria", label, n) for n, row in enumerate(rows, start=1)]
    total = sum(row["weight"] for row in parsed)
    if total != 100:
        raise _refuse("criteria", _("Criteria: the weights add up to %(total)s; they must add up to 100.", total=total))
    contest.criteria.clear()
    db.session.flush()
    for position, row in enumerate(parsed, start=1):
        contest.criteria.append(ContestCriterion(position=position, **row))
    touch(contest, ctx.user)
    db.session.flush()
    return contest


@operation("operations.contest.prizes.set", params=("contest_id", "version", "prizes"))
def set_prizes(ctx: Context, data: dict[str, Any]) -> Contest:
    """Replace the prizes (``prizes``: [{description, amount}], the first row is the first place); their
    amounts together stay within the budget cap."""
    contest = _contest(ctx, data.get("contest_id"))
    _editable(ctx, contest, data.get("version"), BASES_STATES)
    label = _("Prizes")
    rows = [
        r
        for r in _rows(data.get("prizes"), "prizes", label)
        if any(str(v).strip() for v in r.values() if v is not None)
    ]
    if not rows:
        raise _refuse("prizes", _("Prizes: give at least the first place's prize."))
    if len(rows) > MAX_PRIZES:
        raise _refuse("prizes", _("Prizes: at most %(n)s places.", n=MAX_PRIZES))
    parsed = [_parse_row(PRIZE, {**row, "place": n}, "prizes", label, n) for n, row in enumerate(rows, start=1)]
    total = sum((row.get("amount") or Decimal(0) for row in parsed), Decimal(0))
    if contest.budget_cap is not None and total > contest.budget_cap:
        raise _refuse(
            "prizes",
            _(
                "Prizes: they add up to %(total)s, over the budget cap of %(cap)s.",
                total=money(total),
                cap=money(contest.budget_cap),
            ),
        )
    contest.prizes.clear()
    db.session.flush()
    for row in parsed:
        contest.prizes.append(ContestPrize(**row))
    touch(contest, ctx.user)
    db.session.flush()
    return contest


@operation("operations.contest.juror.add", fields=JUROR, params=("contest_id", "version"))
def add_juror(ctx: Context, data: dict[str, Any]) -> ContestJuror:
    """Designate a user (by e-mail) to the jury: someone who can read the contest and may write (an
    auditor scores nothing)."""
    contest = _contest(ctx, data.get("contest_id"))
    _editable(ctx, contest, data.get("version"), JURY_STATES, append=True)
    email = data["email"].strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email, User.active.is_(True)))
    if user is None:
        raise _refuse("email", _("Juror's e-mail: no active user has the e-mail «%(email)s».", email=email))
    scope = scope_for(user)
    if not can(scope, "case.read", contest):
        raise _refuse("email", _("Juror's e-mail: %(name)s cannot see this contest.", name=user.name))
    if scope.read_only:
        raise _refuse("email", _("Juror's e-mail: %(name)s has a read-only role and scores nothing.", name=user.name))
    if any(j.user_id == user.id for j in contest.jurors):
        raise _refuse("email", _("Juror's e-mail: %(name)s is already a juror.", name=user.name))
    juror = ContestJuror(contest=contest, user=user, charge=data.get("charge"))
    db.session.add(juror)
    db.session.flush()
    return juror


@operation("operations.contest.juror.declare", params=("contest_id", "no_conflict"))
def declare(ctx: Context, data: dict[str, Any]) -> ContestJuror:
    """The juror declares, under their responsibility, that they have no conflict of interest with the
    applications they will score (``no_conflict``: true)."""
    contest = _contest(ctx, data.get("contest_id"), READ)
    juror = juror_for(contest, ctx.user)
    if juror is None:
        raise Refusal(_("Only a juror of the contest does this."), 403)
    if contest.state not in ("called", "evaluation"):
        raise Refusal(_("The declaration is made once the contest is called and before its results."), 409)
    if data.get("no_conflict") not in (True, "true", "on", "1", "y", "yes"):
        raise _refuse("no_conflict", _("Declaration: tick that you have no conflict of interest."))
    juror.declared_at = juror.declared_at or utcnow()
    db.session.flush()
    return juror


def _applicant_government(contest: Contest, data: dict[str, Any]) -> Government | None:
    raw = data.get("government_id")
    if raw in (None, ""):
        if data["applicant_kind"] == "municipality":
            raise _refuse("government_id", _("Municipality: choose the applicant municipality."))
        return None
    government = db.session.get(Government, int(raw))
    region_id = contest.government.id if contest.government.kind == "regional" else contest.government.region_id
    if government is None or government.kind == "regional" or government.region_id != region_id:
        raise _refuse("government_id", _("Municipality: choose a municipality of the convening government's region."))
    return government


@operation("operations.contest.application.add", fields=APPLICATION, params=("contest_id", "version"))
def add_application(ctx: Context, data: dict[str, Any]) -> ContestApplication:
    """Register an application received while the contest is called, by the reception deadline: a
    municipality's (regional contests) or a community organization's, with its evidence."""
    contest = _contest(ctx, data.get("contest_id"))
    _editable(ctx, contest, data.get("version"), ("called",), append=True)
    kind = data["applicant_kind"]
    if kind == "municipality" and contest.is_local:
        raise _refuse("applicant_kind", _("Applicant: in a local contest only community organizations apply."))
    if kind == "community_organization" and not data.get("organization_name"):
        raise _refuse("organization_name", _("Community organization: give its name."))
    government = _applicant_government(contest, data)
    submitted = data.get("submitted_on") or lima_today()
    if contest.reception_deadline and submitted > contest.reception_deadline:
        raise _refuse(
            "submitted_on",
            _("Submission date: the reception closed on %(date)s.", date=long_date(contest.reception_deadline)),
        )
    if kind == "municipality" and any(
        a.government_id == government.id and a.applicant_kind == kind for a in contest.applications
    ):
        raise _refuse("government_id", _("Municipality: %(name)s has already applied.", name=government.name))
    values = {k: data.get(k) for k in ("practice", "description", "evidence")}
    application = ContestApplication(
        contest=contest,
        applicant_kind=kind,
        government=government,
        organization_name=data.get("organization_name") if kind == "community_organization" else None,
        submitted_on=submitted,
        **values,
    )
    db.session.add(application)
    if kind == "municipality" and not any(p.government_id == government.id for p in contest.participants):
        add_participant(contest, government, APPLICANT)  # its users follow the contest
    db.session.flush()
    return application


@operation("operations.contest.application.file", params=("application_id", "upload", "description"))
def add_file(ctx: Context, data: dict[str, Any]) -> ApplicationFile:
    """File a document of evidence of an application (a core attachment of the contest), while called."""
    application = ctx.load(
        ContestApplication, data.get("application_id"), action=EDIT, government=lambda a: a.contest.government
    )
    contest = application.contest
    if not editable_by(contest, ctx.scope) or contest.state != "called":
        raise Refusal(_("Evidence is filed while the contest receives applications."), 409)
    description = data.get("description") or _("Evidence: %(practice)s", practice=application.practice)
    try:
        attachment, _stored = add_attachment(contest, data.get("upload"), str(description)[:500], ctx.user)
    except AttachmentError as error:
        raise _refuse("file", str(error), error.status) from error
    row = ApplicationFile(application=application, attachment=attachment)
    db.session.add(row)
    db.session.flush()
    return row


@operation("operations.contest.scores.set", params=("application_id", "scores"))
def set_scores(ctx: Context, data: dict[str, Any]) -> ContestApplication:
    """A juror scores an application (``scores``: {criterion id: 0 to 10}), during the evaluation, after
    declaring no conflict of interest; never their own municipality's application."""
    application = ctx.load(
        ContestApplication, data.get("application_id"), action=READ, government=lambda a: a.contest.government
    )
    contest = application.contest
    juror = juror_for(contest, ctx.user)
    if juror is None:
        raise Refusal(_("Only a juror of the contest scores."), 403)
    if contest.state != "evaluation":
        raise Refusal(_("Applications are scored while the contest is in evaluation."), 409)
    if juror.declared_at is None:
        raise Refusal(_("Declare that you have no conflict of interest before scoring."), 409)
    if in_conflict(contest, application, juror_governments(juror.user_id)):
        raise _refuse(
            "scores",
            _(
                "Scores: you belong to %(name)s, the applicant; a juror does not score their own municipality.",
                name=application.government.name,
            ),
        )
    raw = data.get("scores")
    if not isinstance(raw, dict) or not raw:
        raise _refuse("scores", _("Scores: give the score of at least one criterion."))
    criteria = {str(c.id): c for c in contest.criteria}
    existing = {s.criterion_id: s for s in application.scores if s.juror_id == juror.id}
    for key, value in raw.items():
        criterion = criteria.get(str(key))
        if criterion is None:
            raise _refuse("scores", _("Scores: «%(key)s» is not a criterion of this contest.", key=key))
        field = f"score_{criterion.id}"
        if value in (None, ""):
            continue
        try:
            score = parse_decimal(value, criterion.name)
        except ValueProblem as problem:
            raise _refuse(field, str(problem)) from problem
        if score is None or not 0 <= score <= SCALE:
            raise _refuse(
                field,
                _(
                    "Score of «%(criterion)s»: %(value)s is out of range (0 to %(scale)s).",
                    criterion=criterion.name,
                    value=value,
                    scale=SCALE,
                ),
            )
        row = existing.get(criterion.id)
        if row is None:
            db.session.add(ContestScore(application=application, criterion=criterion, juror=juror, score=score))
        else:
            row.score = score
    db.session.flush()
    return application


OPERATIONS = [
    create_contest,
    edit_contest,
    set_criteria,
    set_prizes,
    add_juror,
    declare,
    add_application,
    add_file,
    set_scores,
]
