# Just over 400 lines: one nested view per endpoint of the two areas, kept together as every plugin's API.
"""API of supervision and community monitoring under /api/v1/monitoring/… (in the OpenAPI document):
the fichas (read), visits (list, read, record, correct, answers), findings and commitments (list, add, follow up),
community organizations and their reports (list, read, register, submit, consolidate, act).
Reads are scoped (a region reads its local governments, national reads all); writes call the operations."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import PAGE_PARAMETERS, filter_parameters, json_object, page_json, page_schema, scoped_page
from core.extensions import db
from core.operations import Refusal, api_refusal, api_run, load_or_404
from core.security import READ, current_scope, readable_clause
from core.web.pagination import paginate
from plugins.monitoring.supervision.actions import finding_actions
from plugins.monitoring.supervision.community import WRITE_ACTION
from plugins.monitoring.supervision.fields import FINDING, ORGANIZATION, REPORT, VISIT, VISIT_EDIT
from plugins.monitoring.supervision.models import (
    CommunityOrganization,
    CommunityReport,
    SupervisionChecklist,
    SupervisionVisit,
    VisitFinding,
)

SUPERVISION = "/monitoring/supervision"
COMMUNITY = "/monitoring/community"
TAG = "supervisión y vigilancia comunitaria"
GOVERNMENT_PARAMETER = {"name": "government", "in": "query", "schema": {"type": "integer", "minimum": 1}}
CHECKLIST_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "key": {"type": "string"},
        "service_kind": {"type": "string", "enum": ["health_facility", "school", "program_point"]},
        "name": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "active": {"type": "boolean"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "position": {"type": "integer"},
                    "section": {"type": ["string", "null"]},
                    "text": {"type": "string"},
                    "weight": {"type": "string"},
                    "max_points": {"type": "integer"},
                },
                "required": ["id", "position", "section", "text", "weight", "max_points"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["id", "key", "service_kind", "name", "description", "active", "items"],
    "additionalProperties": False,
}
ANSWERS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "item_id": {"type": "integer"},
            "points": {"type": ["integer", "string", "null"], "description": '0..max_points, or "na"'},
            "remark": {"type": ["string", "null"], "maxLength": 500},
        },
        "required": ["item_id"],
    },
}


def checklist_json(checklist: SupervisionChecklist) -> dict[str, Any]:
    return {
        "id": checklist.id,
        "key": checklist.key,
        "service_kind": checklist.service_kind,
        "name": checklist.name,
        "description": checklist.description,
        "active": checklist.active,
        "items": [
            {
                "id": i.id,
                "position": i.position,
                "section": i.section,
                "text": i.text,
                "weight": format(i.weight, "f"),
                "max_points": i.max_points,
            }
            for i in checklist.items
            if i.active
        ],
    }


def finding_json(finding: VisitFinding) -> dict[str, Any]:
    return FINDING.serialize(finding)


def visit_json(visit: SupervisionVisit) -> dict[str, Any]:
    return {
        **VISIT.serialize(visit),
        "reference": visit.reference,
        "state": visit.state,
        "version": visit.version,
        "answers": [{"item_id": a.item_id, "points": a.points, "remark": a.remark} for a in visit.answers],
        "findings": [finding_json(f) for f in visit.findings],
    }


def organization_json(organization: CommunityOrganization) -> dict[str, Any]:
    return ORGANIZATION.serialize(organization)


def report_json(report: CommunityReport) -> dict[str, Any]:
    return REPORT.serialize(report)


def versioned_input(fields: Any) -> dict[str, Any]:
    schema = fields.json_schema(for_input=True)
    return {**schema, "properties": {"version": {"type": "integer"}, **schema["properties"]}, "required": ["version"]}


def _load(model: type, record_id: int, action: str = READ, **kwargs: Any) -> Any:
    try:
        return load_or_404(model, record_id, action=action, **kwargs)
    except Refusal as refusal:
        api_refusal(refusal)


def _visit_schema() -> dict[str, Any]:
    schema = VISIT.json_schema()
    extra = {
        "reference": {"type": "string"},
        "state": {"type": "string"},
        "version": {"type": "integer"},
        "answers": ANSWERS_SCHEMA,
        "findings": {"type": "array", "items": FINDING.json_schema()},
    }
    return {**schema, "properties": {**schema["properties"], **extra}, "required": [*schema["required"], *extra]}


def register(api: Any) -> None:  # noqa: C901 — one nested view per endpoint, as every plugin's API
    visit_schema = _visit_schema()

    @api.route(
        f"{SUPERVISION}/checklists",
        summary=_l("Supervision factsheets and their weighted items"),
        tag=TAG,
        response={"type": "array", "items": CHECKLIST_SCHEMA},
    )
    def supervision_checklists():
        rows = db.session.scalars(select(SupervisionChecklist).order_by(SupervisionChecklist.id)).all()
        return jsonify([checklist_json(c) for c in rows])

    @api.route(
        f"{SUPERVISION}/checklists/<int:checklist_id>",
        summary=_l("One supervision factsheet"),
        tag=TAG,
        response=CHECKLIST_SCHEMA,
    )
    def supervision_checklist(checklist_id: int):
        checklist = db.session.get(SupervisionChecklist, checklist_id)
        if checklist is None:
            api_refusal(Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404))
        return jsonify(checklist_json(checklist))

    @api.route(
        f"{SUPERVISION}/visits",
        summary=_l("Supervision visits within your reach"),
        tag=TAG,
        response=page_schema(visit_schema),
        parameters=filter_parameters("government"),
    )
    def supervision_visits():
        return scoped_page(
            SupervisionVisit,
            visit_json,
            order_by=(SupervisionVisit.id,),
            filters={"government": SupervisionVisit.government_id},
            options=(selectinload(SupervisionVisit.answers), selectinload(SupervisionVisit.findings)),
        )

    @api.route(
        f"{SUPERVISION}/visits",
        ("POST",),
        summary=_l("Record a supervision visit (answers optional)"),
        tag=TAG,
        request_body={
            **VISIT.json_schema(for_input=True),
            "properties": {**VISIT.json_schema(for_input=True)["properties"], "answers": ANSWERS_SCHEMA},
        },
        response=visit_schema,
        status=201,
    )
    def supervision_visit_create():
        return jsonify(visit_json(api_run("monitoring.supervision.visit.create", current_user, json_object()))), 201

    @api.route(
        f"{SUPERVISION}/visits/<int:visit_id>",
        summary=_l("One supervision visit, its answers and findings"),
        tag=TAG,
        response=visit_schema,
    )
    def supervision_visit(visit_id: int):
        return jsonify(visit_json(_load(SupervisionVisit, visit_id)))

    @api.route(
        f"{SUPERVISION}/visits/<int:visit_id>",
        ("PATCH",),
        summary=_l("Correct a visit's date, place or supervisor while it is editable"),
        tag=TAG,
        request_body=versioned_input(VISIT_EDIT),
        response=visit_schema,
    )
    def supervision_visit_edit(visit_id: int):
        _load(SupervisionVisit, visit_id, "edit")
        visit = api_run("monitoring.supervision.visit.edit", current_user, {**json_object(), "visit_id": visit_id})
        return jsonify(visit_json(visit))

    @api.route(
        f"{SUPERVISION}/visits/<int:visit_id>/answers",
        ("PUT",),
        summary=_l("Replace the answers of a visit (the score is recomputed)"),
        tag=TAG,
        request_body={
            "type": "object",
            "properties": {"version": {"type": "integer"}, "answers": ANSWERS_SCHEMA},
            "required": ["version", "answers"],
        },
        response=visit_schema,
    )
    def supervision_visit_answers(visit_id: int):
        _load(SupervisionVisit, visit_id, "edit")
        visit = api_run("monitoring.supervision.visit.answers", current_user, {**json_object(), "visit_id": visit_id})
        return jsonify(visit_json(visit))

    @api.route(
        f"{SUPERVISION}/visits/<int:visit_id>/findings",
        ("POST",),
        summary=_l("Add a finding and its commitment (the due date becomes a deadline)"),
        tag=TAG,
        request_body=FINDING.json_schema(for_input=True),
        response=FINDING.json_schema(),
        status=201,
    )
    def supervision_finding_add(visit_id: int):
        _load(SupervisionVisit, visit_id, "edit")
        finding = api_run("monitoring.supervision.finding.add", current_user, {**json_object(), "visit_id": visit_id})
        return jsonify(finding_json(finding)), 201

    @api.route(
        f"{SUPERVISION}/findings",
        summary=_l("Findings and commitments of the visits within your reach"),
        tag=TAG,
        response=page_schema(FINDING.json_schema()),
        parameters=[GOVERNMENT_PARAMETER, *PAGE_PARAMETERS],
    )
    def supervision_findings():
        query = (
            select(VisitFinding)
            .join(SupervisionVisit, SupervisionVisit.id == VisitFinding.visit_id)
            .where(readable_clause(current_scope(), SupervisionVisit.government_id))
        )
        government = request.args.get("government", type=int)
        if government:
            query = query.where(SupervisionVisit.government_id == government)
        return page_json(paginate(query.order_by(VisitFinding.id), VisitFinding.id), finding_json)

    @api.route(
        f"{SUPERVISION}/findings/<int:finding_id>",
        ("PATCH",),
        summary=_l("Follow up a commitment: done (its deadline is met) or pending"),
        tag=TAG,
        request_body={
            "type": "object",
            "properties": {"status": {"enum": ["pending", "done"]}, "done_on": {"type": ["string", "null"]}},
            "required": ["status"],
        },
        response=FINDING.json_schema(),
    )
    def supervision_finding_follow_up(finding_id: int):
        _load(VisitFinding, finding_id, "edit", government=lambda f: f.visit.government)
        finding = api_run(
            "monitoring.supervision.finding.follow_up", current_user, {**json_object(), "finding_id": finding_id}
        )
        return jsonify(finding_json(finding))

    # --- community monitoring -------------------------------------------------------------------------

    @api.route(
        f"{COMMUNITY}/organizations",
        summary=_l("Community organizations within your reach"),
        tag=TAG,
        response=page_schema(ORGANIZATION.json_schema()),
        parameters=filter_parameters("government"),
    )
    def community_organizations():
        return scoped_page(
            CommunityOrganization,
            organization_json,
            order_by=(CommunityOrganization.id,),
            filters={"government": CommunityOrganization.government_id},
        )

    @api.route(
        f"{COMMUNITY}/organizations",
        ("POST",),
        summary=_l("Register a community organization of a municipality"),
        tag=TAG,
        request_body=ORGANIZATION.json_schema(for_input=True),
        response=ORGANIZATION.json_schema(),
        status=201,
    )
    def community_organization_create():
        organization = api_run("monitoring.supervision.organization.register", current_user, json_object())
        return jsonify(organization_json(organization)), 201

    @api.route(
        f"{COMMUNITY}/organizations/<int:organization_id>",
        summary=_l("One community organization"),
        tag=TAG,
        response=ORGANIZATION.json_schema(),
    )
    def community_organization(organization_id: int):
        return jsonify(organization_json(_load(CommunityOrganization, organization_id)))

    @api.route(
        f"{COMMUNITY}/reports",
        summary=_l("Community monitoring reports within your reach"),
        tag=TAG,
        response=page_schema(REPORT.json_schema()),
        parameters=filter_parameters("government"),
    )
    def community_reports():
        return scoped_page(
            CommunityReport,
            report_json,
            order_by=(CommunityReport.id,),
            filters={"government": CommunityReport.government_id},
        )

    @api.route(
        f"{COMMUNITY}/reports",
        ("POST",),
        summary=_l("Record a report of a community organization"),
        tag=TAG,
        request_body=REPORT.json_schema(for_input=True),
        response=REPORT.json_schema(),
        status=201,
    )
    def community_report_submit():
        report = api_run("monitoring.supervision.community_report.submit", current_user, json_object())
        return jsonify(report_json(report)), 201

    @api.route(
        f"{COMMUNITY}/reports/<int:report_id>",
        summary=_l("One community monitoring report"),
        tag=TAG,
        response=REPORT.json_schema(),
    )
    def community_report(report_id: int):
        return jsonify(report_json(_load(CommunityReport, report_id)))

    @api.route(
        f"{COMMUNITY}/reports/<int:report_id>/consolidate",
        ("POST",),
        summary=_l("Consolidate a report (the municipality's note)"),
        tag=TAG,
        request_body={"type": "object", "properties": {"note": {"type": ["string", "null"]}}},
        response=REPORT.json_schema(),
    )
    def community_report_consolidate(report_id: int):
        _load(CommunityReport, report_id, WRITE_ACTION)
        report = api_run(
            "monitoring.supervision.community_report.consolidate", current_user, json_object(report_id=report_id)
        )
        return jsonify(report_json(report))

    @api.route(
        f"{COMMUNITY}/reports/<int:report_id>/actions/<key>",
        ("POST",),
        summary=_l("Turn a report into an action (supervision_visit, or one another sub-package offers)"),
        tag=TAG,
        request_body={"type": "object"},
        response=REPORT.json_schema(),
    )
    def community_report_act(report_id: int, key: str):
        _load(CommunityReport, report_id, WRITE_ACTION)
        if key not in finding_actions():
            api_refusal(Refusal(_("«Action»: «%(key)s» is not an action offered for reports.", key=key), 404))
        report = api_run(
            "monitoring.supervision.community_report.act",
            current_user,
            {**json_object(), "report_id": report_id, "action": key},
        )
        return jsonify(report_json(report))
