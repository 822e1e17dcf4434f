"""The region's overview of its municipalities: per municipality, stage 1 (the Instancia and its ordinance),
stage 2 (diagnosis and Plan Articulado), stage 3 (its convenios: goals achieved vs target, commitments with
their deadline status, the region's support measures; its training and technical-assistance events) and
whatever plugins report through the ``stage_status`` hook (stage 4 today: "sin datos" until one does).

Everything is read in a fixed number of statements, whatever the number of municipalities (Huánuco has 84
districts and 11 provinces): one per kind of record, for all of them at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.cases import case_types
from core.deadlines import rule_by_key, status_now
from core.deadlines.models import Deadline
from core.extensions import db
from core.models import Case, CaseParticipant, Government
from core.plugins import plugin_registry
from core.security import Scope, readable_clause
from core.workflow import get_workflow
from plugins.operations.agreements.models import COUNTERPART, Agreement, ProgressReport
from plugins.operations.training.models import TrainingEvent

#: Stage-1 and stage-2 records, and the states in which each counts as done.
MILESTONES = {
    "articulation_body": ("constituted", "installed", "reorganized"),  # constituted by ordinance
    "ordinance": ("approved", "published"),
    "diagnosis": ("validated",),
    "articulated_plan": ("approved_norm", "submitted"),
}
#: Commitment statuses that need attention on the overview.
ATTENTION = ("due_soon", "late")


@dataclass
class Milestone:
    """The latest case of a stage-1/2 type of a municipality (up to the year shown)."""

    case_id: int
    reference: str
    year: int
    state: str
    state_label: str
    done: bool


@dataclass
class GoalProgress:
    description: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    achieved: Decimal | None  # the latest progress report's value

    @property
    def percent(self) -> Decimal | None:
        if self.achieved is None or not self.target:
            return None
        return (self.achieved / self.target * 100).quantize(Decimal("0.1"))


@dataclass
class CommitmentDue:
    id: int
    party: str
    what: str
    due_date: date
    fulfilled_on: date | None
    status: str  # a deadline status (pending, due_soon, met, met_late, late), or "not_binding" before execution


@dataclass
class AgreementStatus:
    id: int
    reference: str
    title: str
    state: str
    state_label: str
    goals: list[GoalProgress]
    commitments: list[CommitmentDue]
    supports: list[dict[str, Any]]


@dataclass
class MunicipalityStatus:
    government: Government
    milestones: dict[str, Milestone | None]
    agreements: list[AgreementStatus] = field(default_factory=list)
    events: list[TrainingEvent] = field(default_factory=list)
    contributed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # stage → the hook's cells

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.agreements for c in a.commitments if c.status == "late")

    @property
    def due_soon(self) -> int:
        return sum(1 for a in self.agreements for c in a.commitments if c.status == "due_soon")


def regions_in_reach(scope: Scope) -> list[Government]:
    """The regions whose overview the user may open: those whose governments it reads (one statement)."""
    query = select(Government).where(Government.kind == "regional")
    if not scope.everything:
        reached = select(Government.region_id).where(readable_clause(scope, Government.id))
        query = query.where(Government.id.in_(reached))
    return list(db.session.scalars(query.order_by(Government.name)))


def municipalities(region: Government, scope: Scope) -> list[Government]:
    """The region's municipalities the user reads: all of them for the region and the national level, a
    province's districts for the province, its own row for a municipality. Provinces before their districts."""
    query = select(Government).where(
        Government.region_id == region.id, Government.kind != "regional", readable_clause(scope, Government.id)
    )
    return list(db.session.scalars(query.order_by(Government.ubigeo, Government.kind.desc())))


def _milestones(ids: list[int], year: int) -> dict[int, dict[str, Milestone | None]]:
    rows = db.session.execute(
        select(Case.id, Case.government_id, Case.type, Case.state, Case.year, Case.reference)
        .where(Case.government_id.in_(ids), Case.type.in_(list(MILESTONES)), Case.year <= year)
        .order_by(Case.year, Case.id)
    ).all()
    found: dict[int, dict[str, Milestone | None]] = {gid: dict.fromkeys(MILESTONES) for gid in ids}
    types = case_types()
    for row in rows:  # later rows (a later year, a newer case) replace earlier ones
        workflow = get_workflow(types[row.type].workflow)
        found[row.government_id][row.type] = Milestone(
            row.id,
            row.reference,
            row.year,
            row.state,
            workflow.state_label(row.state),
            row.state in MILESTONES[row.type],
        )
    return found


def _agreements(region: Government, names: dict[int, str], year: int) -> dict[int, list[AgreementStatus]]:
    """The year's convenios naming each municipality as counterpart, in four statements (plus the deadlines)."""
    pairs = db.session.execute(
        select(Agreement, CaseParticipant.government_id)
        .join(CaseParticipant, CaseParticipant.case_id == Agreement.id)
        .where(
            CaseParticipant.government_id.in_(list(names)),
            CaseParticipant.party_role == COUNTERPART,
            Agreement.year == year,
        )
        .options(
            selectinload(Agreement.goals),
            selectinload(Agreement.commitments),
            selectinload(Agreement.supports),
            selectinload(Agreement.reports).selectinload(ProgressReport.values),
        )
        .order_by(Agreement.id)
    ).all()
    statuses: dict[tuple[int, int], str] = {}
    rule = rule_by_key("operations.agreement_commitment")
    if pairs and rule is not None:
        deadlines = db.session.scalars(
            select(Deadline).where(Deadline.rule_id == rule.id, Deadline.case_id.in_({a.id for a, _g in pairs}))
        )
        statuses = {(d.case_id, d.period): status_now(d) for d in deadlines}
    workflow = get_workflow("agreement")
    result: dict[int, list[AgreementStatus]] = defaultdict(list)
    for agreement, government_id in pairs:
        latest: dict[int, Decimal] = {}
        for report in agreement.reports:  # by id: the newest report's value wins
            for value in report.values:
                latest[value.goal_id] = value.achieved
        # The municipality's own commitments and the region's (owed to all of its counterparts).
        mine = [
            c
            for c in agreement.commitments
            if c.party_government_id == government_id or (c.party_government_id is None and not c.party_external)
        ]
        result[government_id].append(
            AgreementStatus(
                agreement.id,
                agreement.reference,
                agreement.title,
                agreement.state,
                workflow.state_label(agreement.state),
                [
                    GoalProgress(g.description, g.unit or "", g.baseline, g.target, latest.get(g.id))
                    for g in agreement.goals
                ],
                [
                    CommitmentDue(
                        c.id,
                        names.get(c.party_government_id, "") if c.party_government_id else region.name,
                        c.what,
                        c.due_date,
                        c.fulfilled_on,
                        statuses.get((agreement.id, c.id), "not_binding"),
                    )
                    for c in mine
                ],
                [{"kind": s.kind, "description": s.description, "amount": s.amount} for s in agreement.supports],
            )
        )
    return result


def _events(ids: list[int], year: int) -> dict[int, list[TrainingEvent]]:
    events = db.session.scalars(
        select(TrainingEvent)
        .where(TrainingEvent.government_id.in_(ids), TrainingEvent.year == year)
        .order_by(TrainingEvent.start_date, TrainingEvent.id)
    )
    result: dict[int, list[TrainingEvent]] = defaultdict(list)
    for event in events:
        result[event.government_id].append(event)
    return result


def overview(region: Government, scope: Scope, year: int) -> list[MunicipalityStatus]:
    """One row per municipality of ``region`` that ``scope`` reads, for the cycle of ``year``."""
    governments = municipalities(region, scope)
    if not governments:
        return []
    ids = [g.id for g in governments]
    milestones = _milestones(ids, year)
    agreements = _agreements(region, {g.id: g.name for g in governments}, year)
    events = _events(ids, year)
    contributed: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for cell in plugin_registry().collect("stage_status", governments=governments, year=year):
        contributed[cell["government_id"]][cell["stage"]].append(cell)
    return [
        MunicipalityStatus(
            g, milestones[g.id], agreements.get(g.id, []), events.get(g.id, []), dict(contributed.get(g.id, {}))
        )
        for g in governments
    ]


def status_json(row: MunicipalityStatus) -> dict[str, Any]:
    """A municipality's row as the API gives it (amounts and values as strings, dates ISO)."""

    def milestone(key: str) -> dict[str, Any] | None:
        found = row.milestones.get(key)
        if found is None:
            return None
        return {
            "case_id": found.case_id,
            "reference": found.reference,
            "year": found.year,
            "state": found.state,
            "state_label": found.state_label,
            "done": found.done,
        }

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    g = row.government
    return {
        "government_id": g.id,
        "government": g.name,
        "kind": g.kind,
        "ubigeo": g.ubigeo,
        "institutionalization": {"body": milestone("articulation_body"), "ordinance": milestone("ordinance")},
        "diagnosis": {"diagnosis": milestone("diagnosis"), "plan": milestone("articulated_plan")},
        "operations": {
            "agreements": [
                {
                    "id": a.id,
                    "reference": a.reference,
                    "title": a.title,
                    "state": a.state,
                    "state_label": a.state_label,
                    "goals": [
                        {
                            "description": goal.description,
                            "unit": goal.unit,
                            "baseline": text(goal.baseline),
                            "target": text(goal.target),
                            "achieved": text(goal.achieved),
                            "percent": text(goal.percent),
                        }
                        for goal in a.goals
                    ],
                    "commitments": [
                        {
                            "id": c.id,
                            "party": c.party,
                            "what": c.what,
                            "due_date": c.due_date.isoformat(),
                            "fulfilled_on": c.fulfilled_on.isoformat() if c.fulfilled_on else None,
                            "status": c.status,
                        }
                        for c in a.commitments
                    ],
                    "supports": [{**s, "amount": text(s["amount"])} for s in a.supports],
                }
                for a in row.agreements
            ],
            "events": [
                {
                    "id": e.id,
                    "reference": e.reference,
                    "topic": e.title,
                    "kind": e.kind,
                    "provider": e.provider_name,
                    "start_date": e.start_date.isoformat(),
                    "state": e.state,
                }
                for e in row.events
            ],
            "commitments_overdue": row.overdue,
            "commitments_due_soon": row.due_soon,
        },
        "monitoring": row.contributed.get("monitoring", []),
        "contributed": row.contributed,
    }
