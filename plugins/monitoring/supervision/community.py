"""The writes of community monitoring (vigilancia comunitaria, §5.1.4), as named operations:

- ``monitoring.supervision.organization.register``: a municipality registers a community organization;
- ``monitoring.supervision.community_report.submit``: the municipality records an organization's report
  (what it observed, on which program and place);
- ``monitoring.supervision.community_report.consolidate``: the municipality consolidates it (a note);
- ``monitoring.supervision.community_report.act``: it turns the report into an action of the seam in
  actions.py (a supervision visit here; a Ventanilla entry where that sub-package contributes it).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Government
from core.operations import Context, operation
from core.security import EDIT, can
from plugins.monitoring.supervision.actions import ActionResult, finding_actions
from plugins.monitoring.supervision.fields import ORGANIZATION, REPORT, VISIT
from plugins.monitoring.supervision.models import CommunityOrganization, CommunityReport
from plugins.monitoring.supervision.operations import check_not_future, check_place, new_visit, refuse

WRITE_ACTION = "monitoring.community.write"
#: Where a visit's page is (pages.py's blueprint prefix): stored on the report, so no request is needed.
VISIT_PAGES = "/seguimiento/supervision/visitas"


@operation("monitoring.supervision.organization.register", fields=ORGANIZATION)
def register_organization(ctx: Context, data: dict[str, Any]) -> CommunityOrganization:
    """A municipality registers a community organization that monitors the programs (vigilancia comunitaria)."""
    government = db.session.get(Government, data["government_id"])
    if government is None:
        raise refuse("government_id", _("Choose the municipality that registers the organization."), 404)
    ctx.require(WRITE_ACTION, government)
    if government.level != "local":
        raise refuse("government_id", _("«Municipality»: community organizations are registered by a municipality."))
    check_not_future(data["registered_on"], "registered_on", _("Registered on"))
    check_place(government, data["ubigeo"])
    organization = CommunityOrganization(
        government=government, **{k: v for k, v in data.items() if k != "government_id"}
    )
    db.session.add(organization)
    db.session.flush()
    return organization


@operation("monitoring.supervision.community_report.submit", fields=REPORT)
def submit_report(ctx: Context, data: dict[str, Any]) -> CommunityReport:
    """Record a monitoring report of a registered organization: date, program, place and what it observed."""
    organization = ctx.load(
        CommunityOrganization, data["organization_id"], action=WRITE_ACTION, government=lambda o: o.government
    )
    check_not_future(data["report_date"], "report_date", _("Date of the report"))
    if data["report_date"] < organization.registered_on:
        raise refuse("report_date", _("«Date of the report»: it is before the organization was registered."))
    check_place(organization.government, data["ubigeo"])
    report = CommunityReport(
        organization=organization,
        government_id=organization.government_id,
        **{k: v for k, v in data.items() if k != "organization_id"},
    )
    db.session.add(report)
    db.session.flush()
    return report


def _report(ctx: Context, report_id: Any) -> CommunityReport:
    return ctx.load(CommunityReport, report_id, action=WRITE_ACTION)


@operation("monitoring.supervision.community_report.consolidate", params=("report_id", "note"))
def consolidate_report(ctx: Context, data: dict[str, Any]) -> CommunityReport:
    """The municipality consolidates a report (``note``: what it makes of it)."""
    report = _report(ctx, data.get("report_id"))
    if report.status == "acted":
        raise refuse("note", _("The report was already turned into an action."))
    note = str(data.get("note") or "").strip()
    if len(note) > 5000:
        raise refuse("note", _("«Note of the municipality» is longer than 5000 characters."))
    report.status, report.consolidation_note = "consolidated", note or None
    db.session.flush()
    return report


@operation("monitoring.supervision.community_report.act", params=("report_id", "action"))
def act_on_report(ctx: Context, data: dict[str, Any]) -> CommunityReport:
    """Turn a report into an action (``action``: its key, e.g. supervision_visit) with the action's own fields."""
    report = _report(ctx, data.pop("report_id", None))
    key = data.pop("action", None)
    action = finding_actions().get(str(key))
    if action is None:
        raise refuse("action", _("«Action»: «%(key)s» is not an action offered for reports.", key=key))
    if report.status == "acted":
        raise refuse("action", _("The report was already turned into an action."))
    result = action.run(ctx, report, action.fields.parse(data, scope=ctx.scope))
    report.status, report.action_key = "acted", action.key
    report.action_label, report.action_url = result.label[:300], (result.url or "")[:300] or None
    if result.visit_id is not None:
        report.visit_id = result.visit_id
    db.session.flush()
    return report


#: What the supervision-visit action asks for: the visit's own fields but the place and government,
#: which come from the report.
VISIT_FROM_REPORT = RecordFields(
    "visit_from_report",
    [VISIT[name] for name in ("checklist_id", "visit_date", "facility", "supervisor")]
    + [Field("notes", "long_text", _l("General observations"), max_length=4000)],
)


def visit_from_report(ctx: Context, report: CommunityReport, data: dict[str, Any]) -> ActionResult:
    """The finding action ``supervision_visit``: a visit of the report's municipality to the report's place."""
    origin = (
        f"Visita originada por el reporte de vigilancia comunitaria de {report.organization.name} "
        f"del {report.report_date.strftime('%d/%m/%Y')} ({report.program}): {report.observation}"
    )
    notes = f"{origin}\n{data['notes']}" if data.get("notes") else origin
    visit = new_visit(ctx, report.organization.government, {**data, "ubigeo": report.ubigeo, "notes": notes})
    db.session.flush()
    return ActionResult(
        label=_("Supervision visit %(reference)s", reference=visit.reference),
        url=f"{VISIT_PAGES}/{visit.id}",
        visit_id=visit.id,
    )


def may_write(scope: Any, government: Government) -> bool:
    """Named action ``monitoring.community.write``: the municipality's team or coordinator (or an admin)."""
    return can(scope, EDIT, government)


OPERATIONS = [register_organization, submit_report, consolidate_report, act_on_report]
