"""What a contest computes and draws from elsewhere: the ranking, the calendar's dates as core deadlines,
who may score what (conflicts), and the workflow's guards and after-transition steps.

Deadlines: the calendar's three dates are deadlines of the rules ``operations.contest_reception``,
``…_evaluation`` and ``…_results`` (hooks.py), created when the contest is called, due on the date
(moved to the next working day) and met by the transitions that close each step (contest.yaml).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core.deadlines import calendar_for, rule_by_key, set_label
from core.deadlines.models import Deadline
from core.extensions import db
from core.i18n import N_
from core.models import Membership
from plugins.operations.incentives.models import SCALE, Contest, ContestApplication, ContestJuror

#: (rule key, the contest's date column, what the deadline says), in the calendar's order.
CALENDAR = (
    ("operations.contest_reception", "reception_deadline", N_("%(reference)s: reception of applications")),
    ("operations.contest_evaluation", "evaluation_deadline", N_("%(reference)s: evaluation by the jury")),
    ("operations.contest_results", "results_date", N_("%(reference)s: publication of the results")),
)
CENT = Decimal("0.01")


# --- conflicts of interest --------------------------------------------------------------------------------


def juror_governments(user_id: int) -> set[int]:
    """The governments where the juror holds a membership (any role)."""
    return set(
        db.session.scalars(
            select(Membership.government_id).where(Membership.user_id == user_id, Membership.government_id.is_not(None))
        )
    )


def in_conflict(contest: Contest, application: ContestApplication, governments: set[int]) -> bool:
    """A juror belonging to the application's municipality does not score it; the convening government's
    own staff do judge its communities (a local contest is judged by the municipality that convenes it)."""
    return (
        application.government_id is not None
        and application.government_id != contest.government_id
        and application.government_id in governments
    )


def missing_scores(contest: Contest) -> list[str]:
    """What blocks the ranking: a juror who has not declared, or a score not given (each named)."""
    reasons = []
    scored = {(s.juror_id, s.application_id, s.criterion_id) for a in contest.applications for s in a.scores}
    for juror in contest.jurors:
        name = juror.user.name
        if juror.declared_at is None:
            reasons.append(_("%(juror)s has not declared the absence of conflicts of interest.", juror=name))
        governments = juror_governments(juror.user_id)
        for application in contest.applications:
            if in_conflict(contest, application, governments):
                continue
            missing = [c.name for c in contest.criteria if (juror.id, application.id, c.id) not in scored]
            if missing:
                reasons.append(
                    _(
                        "%(juror)s has not scored «%(practice)s» on: %(criteria)s.",
                        juror=name,
                        practice=application.practice,
                        criteria=", ".join(missing),
                    )
                )
    return reasons


# --- ranking ----------------------------------------------------------------------------------------------


def criterion_means(application: ContestApplication) -> dict[int, Decimal]:
    """Each criterion's mean score over the application's jurors."""
    sums: dict[int, list[Decimal]] = {}
    for score in application.scores:
        sums.setdefault(score.criterion_id, []).append(Decimal(score.score))
    return {key: sum(values, Decimal(0)) / len(values) for key, values in sums.items()}


def total_of(contest: Contest, application: ContestApplication) -> Decimal:
    """Σ weight × mean score / SCALE: 0 to 100 points."""
    means = criterion_means(application)
    total = sum((c.weight * means.get(c.id, Decimal(0)) / SCALE for c in contest.criteria), Decimal(0))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def ranking(contest: Contest) -> list[tuple[ContestApplication, Decimal]]:
    """The applications best first. Ties: the heavier criteria's mean scores in turn, then the earlier
    submission, then the earlier registration (models.py states the rule)."""
    heavy_first = sorted(contest.criteria, key=lambda c: (-c.weight, c.position))
    rows = []
    for application in contest.applications:
        means = criterion_means(application)
        total = total_of(contest, application)
        key = (-total, *[-means.get(c.id, Decimal(0)) for c in heavy_first], application.submitted_on, application.id)
        rows.append((key, application, total))
    rows.sort(key=lambda row: row[0])
    return [(application, total) for _key, application, total in rows]


def publish_ranking(contest: Contest) -> None:
    for place, (application, total) in enumerate(ranking(contest), start=1):
        application.total, application.rank = total, place
    db.session.flush()


# --- deadlines --------------------------------------------------------------------------------------------


def open_calendar_deadlines(contest: Contest) -> None:
    """The calendar's dates become the contest's deadlines (created once; moved while unmet)."""
    working = calendar_for(contest.government)
    for key, column, label in CALENDAR:
        rule, due = rule_by_key(key), getattr(contest, column)
        if rule is None or not rule.active or due is None:
            continue
        deadline = db.session.scalar(
            select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id == contest.id, Deadline.period == 0)
        )
        if deadline is None:
            deadline = Deadline(
                rule_id=rule.id,
                government_id=contest.government_id,
                year=contest.year,
                case_id=contest.id,
                period=0,
                due_date=working.roll_forward(due),
            )
            set_label(deadline, label, reference=contest.reference)
            db.session.add(deadline)
        elif deadline.met_at is None:
            deadline.due_date = working.roll_forward(due)
    db.session.flush()


def drop_open_deadlines(contest: Contest) -> None:
    """A cancelled contest owes nothing: its unmet deadlines go."""
    db.session.execute(delete(Deadline).where(Deadline.case_id == contest.id, Deadline.met_at.is_(None)))


# --- guards (workflows/contest.yaml) ------------------------------------------------------------------------


def call_blockers(contest: Contest) -> list[str]:
    """Before the call: the Bases are complete (purpose, who may apply, criteria summing 100, prizes
    within the budget cap, calendar)."""
    from core.formatting import money

    reasons = []
    if not contest.purpose:
        reasons.append(_("«Purpose» must be filled in."))
    if not contest.eligibility:
        reasons.append(_("«Who may apply» must be filled in."))
    if not (contest.reception_deadline and contest.evaluation_deadline and contest.results_date):
        reasons.append(_("The calendar (reception, evaluation and results dates) must be filled in."))
    if not contest.criteria:
        reasons.append(_("The contest must have evaluation criteria."))
    elif contest.weight_total != 100:
        reasons.append(
            _("The criteria's weights add up to %(total)s; they must add up to 100.", total=contest.weight_total)
        )
    if not contest.prizes:
        reasons.append(_("The contest must have at least one prize."))
    if contest.budget_cap is None:
        reasons.append(_("«Budget cap (S/)» must be filled in."))
    elif contest.prize_total > contest.budget_cap:
        reasons.append(
            _(
                "The prizes add up to %(total)s, over the budget cap of %(cap)s.",
                total=money(contest.prize_total),
                cap=money(contest.budget_cap),
            )
        )
    return reasons


def evaluation_blockers(contest: Contest) -> list[str]:
    reasons = []
    if not contest.applications:
        reasons.append(_("The contest has no applications to evaluate."))
    if not contest.jurors:
        reasons.append(_("Designate the jury before the evaluation."))
    return reasons


def results_blockers(contest: Contest) -> list[str]:
    return missing_scores(contest) or ([] if contest.jurors else [_("Designate the jury before the evaluation.")])


def award_blockers(contest: Contest) -> list[str]:
    if not contest.winners():
        return [_("No application reached a prized place.")]
    return []


def after_transition(case: Any, transition: Any, user: Any) -> None:
    """Calling opens the calendar's deadlines; the results fix the ranking; the award issues one
    certificate per winner (the Resolución is the workflow's own ``issue_document``); a cancelled
    contest drops its open deadlines."""
    if not isinstance(case, Contest):
        return
    if case.state == "called":
        open_calendar_deadlines(case)
    elif case.state == "results":
        publish_ranking(case)
    elif case.state == "awarded":
        from core.documents import issue_document

        for prize, _application in case.winners():
            issue_document(case, f"contest_certificate_{prize.place}", user)
    elif case.state == "cancelled":
        drop_open_deadlines(case)


def juror_for(contest: Contest, user: Any) -> ContestJuror | None:
    user_id = getattr(user, "id", None)
    return next((j for j in contest.jurors if j.user_id == user_id), None)
