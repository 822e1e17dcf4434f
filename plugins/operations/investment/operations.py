"""Writes of the social-investment portfolio, as named operations (core.operations): register and edit a
project, set its funding by source, move it to a later phase (dated), record its progress per quarter.

Every operation loads through the scoping layer (404 outside the user's jurisdiction, 403 without
``operations.investment.edit`` there) and runs in one unit of work.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from core.extensions import db
from core.models import Government
from core.operations import Context, Refusal, load_or_404, operation
from plugins.diagnosis.models import PlanActivity
from plugins.operations.investment.fields import FUNDING, PHASE_CHANGE, PHASE_LABELS, PROGRESS, PROJECT
from plugins.operations.investment.models import (
    PHASES,
    PROGRESS_PHASES,
    InvestmentProject,
    ProjectFunding,
    ProjectPhaseChange,
    ProjectProgress,
)
from plugins.operations.places import places_of

EDIT_ACTION = "operations.investment.edit"
#: Invierte.pe replaced the SNIP in 2017: a project registered from then on has a CUI.
CUI_SINCE = date(2017, 1, 1)


def _refuse(field: str, message: str) -> Refusal:
    return Refusal(message, 400, {field: [message]})


def _check_links(project: InvestmentProject, government: Government, data: dict[str, Any]) -> None:
    """The plan activity must be of a plan of the same government; places inside its territory."""
    if data.get("activity_id") is not None:
        activity = db.session.get(PlanActivity, data["activity_id"])
        if activity is None or activity.result.plan.government_id != government.id:
            raise _refuse("activity_id", _("The activity is not in a plan of %(name)s.", name=government.name))
    if "places" in data:
        territories, problems = places_of(government, data["places"])
        if problems:
            raise Refusal(" ".join(problems), 400, {"places": problems})
        data["places"] = ",".join(t.ubigeo for t in territories) or None


def _apply(project: InvestmentProject, data: dict[str, Any]) -> None:
    for name in PROJECT.input_names:
        if name in data and name != "government_id":
            setattr(project, name, data[name])
    if project.funding and project.cost is not None and project.funded > project.cost:
        raise _refuse("cost", _("The cost cannot be lower than the funding already recorded."))


@operation("operations.investment.project.create", fields=PROJECT, params=("registered_on", "phase"))
def create_project(ctx: Context, data: dict[str, Any]) -> InvestmentProject:
    """Register a project in a government's portfolio, in its current phase.

    The phase is dated ``registered_on`` (today by default)."""
    government = db.session.get(Government, data["government_id"])
    ctx.require(EDIT_ACTION, government)
    registered = _registered_on(data.pop("registered_on", None))
    if data.get("code_kind") == "snip" and registered >= CUI_SINCE:
        raise _refuse("code_kind", _("Projects registered since 2017 have a CUI (Invierte.pe), not a SNIP code."))
    phase = data.pop("phase", None) or "idea"
    if phase not in PHASES:
        raise _refuse("phase", _("«%(value)s» is not a phase of the investment cycle.", value=phase))
    project = InvestmentProject(government=government, phase=phase)
    _check_links(project, government, data)
    _apply(project, data)
    project.phase_changes.append(ProjectPhaseChange(phase=project.phase, on=registered, note=None))
    db.session.add(project)
    db.session.flush()
    return project


def _registered_on(raw: Any) -> date:
    if raw in (None, ""):
        return date.today()
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise _refuse("registered_on", _("«registered_on» must be a date (YYYY-MM-DD).")) from None


def _load(ctx: Context, project_id: Any) -> InvestmentProject:
    return ctx.load(InvestmentProject, project_id, action=EDIT_ACTION)


@operation("operations.investment.project.edit", fields=PROJECT, partial=True, params=("project_id",))
def edit_project(ctx: Context, data: dict[str, Any]) -> InvestmentProject:
    """Change a project's data (only the fields sent); its phase changes through ``.phase``."""
    project = _load(ctx, data.pop("project_id", None))
    if "government_id" in data and data["government_id"] != project.government_id:
        raise _refuse("government_id", _("A project cannot move to another government."))
    if "phase" in data:
        raise _refuse("phase", _("The phase changes with its own action, dated."))
    _check_links(project, project.government, data)
    _apply(project, data)
    if project.code_kind in ("snip", "cui"):
        problems = PROJECT.checks[0]({"code_kind": project.code_kind, "code": project.code})
        if problems:
            raise _refuse(*problems[0])
    db.session.flush()
    return project


@operation("operations.investment.project.phase", fields=PHASE_CHANGE, params=("project_id",))
def change_phase(ctx: Context, data: dict[str, Any]) -> InvestmentProject:
    """Move a project to a later phase of the investment cycle on a date.

    The date is not before the last change, nor in the future."""
    project = _load(ctx, data.pop("project_id", None))
    new = data["phase"]
    if PHASES.index(new) <= PHASES.index(project.phase):
        raise _refuse(
            "phase",
            _("A project in phase «%(current)s» can only move to a later phase.", current=PHASE_LABELS[project.phase]),
        )
    last = project.phase_changes[-1].on if project.phase_changes else None
    if last is not None and data["on"] < last:
        raise _refuse("on", _("The date cannot precede the last phase change (%(date)s).", date=last.isoformat()))
    if data["on"] > date.today():
        raise _refuse("on", _("The date of the change cannot be in the future."))
    project.phase = new
    project.phase_changes.append(ProjectPhaseChange(phase=new, on=data["on"], note=data.get("note")))
    db.session.flush()
    return project


@operation("operations.investment.funding.set", fields=FUNDING, params=("project_id",))
def set_funding(ctx: Context, data: dict[str, Any]) -> InvestmentProject:
    """Set how much a funding source pays of the project (0 removes the source); the total may not exceed the cost."""
    project = _load(ctx, data.pop("project_id", None))
    row = next((f for f in project.funding if f.source == data["source"]), None)
    if data["amount"] == 0:
        if row is not None:
            project.funding.remove(row)
    elif row is None:
        project.funding.append(ProjectFunding(source=data["source"], amount=data["amount"]))
    else:
        row.amount = data["amount"]
    if project.funded > project.cost:
        raise _refuse(
            "amount", _("The funding by source (S/ %(total)s) exceeds the project's cost.", total=project.funded)
        )
    db.session.flush()
    return project


@operation("operations.investment.progress.record", fields=PROGRESS, params=("project_id",))
def record_progress(ctx: Context, data: dict[str, Any]) -> ProjectProgress:
    """Record (or correct) the physical and financial progress of a project in execution at the end of a quarter."""
    project = _load(ctx, data.pop("project_id", None))
    if project.phase not in PROGRESS_PHASES:
        raise _refuse("year", _("Progress is recorded once the project is in execution."))
    if not 2000 <= data["year"] <= date.today().year:
        raise _refuse("year", _("The year must be between 2000 and the current year."))
    if data["financial"] > project.cost:
        raise _refuse("financial", _("The financial progress cannot exceed the project's cost."))
    quarter = int(data["quarter"])
    row = next((p for p in project.progress if (p.year, p.quarter) == (data["year"], quarter)), None)
    if row is None:
        row = ProjectProgress(year=data["year"], quarter=quarter, physical=Decimal("0"), financial=Decimal("0"))
        project.progress.append(row)
    row.physical, row.financial = data["physical"], data["financial"]
    db.session.flush()
    return row


@operation("operations.investment.portfolio.issue", params=("government_id",))
def issue_portfolio(ctx: Context, data: dict[str, Any]) -> Any:
    """Issue the «Cartera de Proyectos de Inversión Social» of a government: stored, numbered, verifiable.

    The PDF is rendered between a dry run and the real one (core.documents.issuing), outside any transaction.
    """
    from core.documents import DocumentError, issue_government_document, issuing
    from plugins.operations.investment.report import KEY, portfolio_context, portfolio_number

    government_id = data.get("government_id")
    load_or_404(Government, government_id, ctx.scope, action=EDIT_ACTION, government=lambda g: g)

    def work() -> Any:  # runs twice: it loads what it needs itself (core.documents.issuing)
        government = db.session.get(Government, int(government_id))
        context = portfolio_context(government)
        return issue_government_document(
            government, KEY, portfolio_number(government, context["document_date"]), government.name, context, ctx.user
        )

    try:
        return issuing(work)
    except DocumentError as error:  # a missing year name (409), a render that failed or timed out
        raise Refusal(str(error), error.status) from error


OPERATIONS = [create_project, edit_project, change_phase, set_funding, record_progress, issue_portfolio]
