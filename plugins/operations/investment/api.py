"""API of the social-investment portfolio under /api/v1/operations/investment/ (in the OpenAPI document):
list, read, register and edit projects, move their phase, set their funding, record progress, and the
portfolio report (PDF, XLSX). Writes call the operations (``api_run``)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, json_object, page_schema, scoped_page
from core.documents import DocumentError, verify_url
from core.extensions import db
from core.models import Government
from core.operations import Refusal, api_refusal, api_run, load_or_404
from core.security import READ, current_scope, readable_clause
from plugins.operations.investment.fields import FUNDING, PHASE_CHANGE, PROGRESS, PROJECT
from plugins.operations.investment.models import InvestmentProject
from plugins.operations.investment.operations import EDIT_ACTION
from plugins.operations.investment.report import XLSX_MIME, portfolio_pdf, portfolio_xlsx
from plugins.operations.places import numbers_accepted

PREFIX = "/operations/investment"
TAG = "inversión social"
GOVERNMENT_PARAMETER = {"name": "government", "in": "query", "schema": {"type": "integer", "minimum": 1}}


def project_json(project: InvestmentProject) -> dict[str, Any]:
    return {
        **PROJECT.serialize(project),
        "funding": [{"source": f.source, "amount": format(f.amount, "f")} for f in project.funding],
        "phases": [{"phase": c.phase, "on": c.on.isoformat(), "note": c.note} for c in project.phase_changes],
        "progress": [
            {
                "year": p.year,
                "quarter": p.quarter,
                "physical": format(p.physical, "f"),
                "financial": format(p.financial, "f"),
            }
            for p in project.progress
        ],
    }


def _project_schema() -> dict[str, Any]:
    schema = PROJECT.json_schema()
    money = {"type": "string"}
    extra = {
        "funding": {"type": "array", "items": {"type": "object", "properties": {"source": money, "amount": money}}},
        "phases": {"type": "array", "items": {"type": "object"}},
        "progress": {"type": "array", "items": {"type": "object"}},
    }
    return {**schema, "properties": {**schema["properties"], **extra}, "required": [*schema["required"], *extra]}


def _load(project_id: int, action: str = READ) -> InvestmentProject:
    """The project (404 out of reach, 403 when ``action`` is not allowed), before any body is read."""
    try:
        return load_or_404(InvestmentProject, project_id, action=action)
    except Refusal as refusal:
        api_refusal(refusal)


def _government_for_report() -> Government:
    """The report's government: the one asked for, else that of the newest project in the caller's scope."""
    raw = request.args.get("government", type=int)
    if raw is None:
        raw = db.session.scalar(
            select(InvestmentProject.government_id)
            .where(readable_clause(current_scope(), InvestmentProject.government_id))
            .order_by(InvestmentProject.id.desc())
            .limit(1)
        )
    government = db.session.get(Government, raw) if raw else None
    if government is None:
        api_refusal(Refusal(_("There are no projects nor a government for the report."), 404))
    try:
        load_or_404(Government, government.id, government=lambda g: g)
    except Refusal as refusal:
        api_refusal(refusal)
    return government


def register(api: Any) -> None:
    project_schema = _project_schema()

    @api.route(
        f"{PREFIX}/projects",
        summary=_l("Social investment projects within your reach"),
        tag=TAG,
        response=page_schema(project_schema),
        parameters=[GOVERNMENT_PARAMETER, *PAGE_PARAMETERS],
    )
    def investment_projects():
        filters = {"government": InvestmentProject.government_id}
        return scoped_page(InvestmentProject, project_json, order_by=(InvestmentProject.id,), filters=filters)

    @api.route(
        f"{PREFIX}/projects",
        ("POST",),
        summary=_l("Register a project (SNIP until 2016, CUI from 2017)"),
        tag=TAG,
        request_body={
            **numbers_accepted(PROJECT.json_schema(for_input=True)),
            "properties": {
                **numbers_accepted(PROJECT.json_schema(for_input=True))["properties"],
                "registered_on": {"type": ["string", "null"], "format": "date"},
            },
        },
        response=project_schema,
        status=201,
    )
    def investment_project_create():
        project = api_run("operations.investment.project.create", _user(), json_object())
        return jsonify(project_json(project)), 201

    @api.route(
        f"{PREFIX}/projects/<int:project_id>",
        summary=_l("One project, its phases, funding and progress"),
        tag=TAG,
        response=project_schema,
    )
    def investment_project(project_id: int):
        return jsonify(project_json(_load(project_id)))

    @api.route(
        f"{PREFIX}/projects/<int:project_id>",
        ("PATCH",),
        summary=_l("Edit a project (only the fields sent)"),
        tag=TAG,
        request_body=numbers_accepted(PROJECT.json_schema(for_input=True)),
        response=project_schema,
    )
    def investment_project_edit(project_id: int):
        _load(project_id, EDIT_ACTION)
        project = api_run("operations.investment.project.edit", _user(), {**json_object(), "project_id": project_id})
        return jsonify(project_json(project))

    @api.route(
        f"{PREFIX}/projects/<int:project_id>/phase",
        ("POST",),
        summary=_l("Move the project to a later phase, with its date"),
        tag=TAG,
        request_body=numbers_accepted(PHASE_CHANGE.json_schema(for_input=True)),
        response=project_schema,
    )
    def investment_project_phase(project_id: int):
        _load(project_id, EDIT_ACTION)
        project = api_run("operations.investment.project.phase", _user(), {**json_object(), "project_id": project_id})
        return jsonify(project_json(project))

    @api.route(
        f"{PREFIX}/projects/<int:project_id>/funding",
        ("PUT",),
        summary=_l("Set the amount of a funding source (0 removes it)"),
        tag=TAG,
        request_body=numbers_accepted(FUNDING.json_schema(for_input=True)),
        response=project_schema,
    )
    def investment_project_funding(project_id: int):
        _load(project_id, EDIT_ACTION)
        project = api_run("operations.investment.funding.set", _user(), {**json_object(), "project_id": project_id})
        return jsonify(project_json(project))

    @api.route(
        f"{PREFIX}/projects/<int:project_id>/progress",
        ("POST",),
        summary=_l("Record the physical and financial progress of a quarter"),
        tag=TAG,
        request_body=numbers_accepted(PROGRESS.json_schema(for_input=True)),
        response=project_schema,
    )
    def investment_project_progress(project_id: int):
        _load(project_id, EDIT_ACTION)
        row = api_run("operations.investment.progress.record", _user(), {**json_object(), "project_id": project_id})
        return jsonify(project_json(row.project))

    @api.route(
        f"{PREFIX}/portfolio.pdf",
        summary=_l("Cartera de Proyectos de Inversión Social (PDF)"),
        tag=TAG,
        parameters=[GOVERNMENT_PARAMETER],
        response_content_type="application/pdf",
        extra_errors=(503,),
    )
    def investment_portfolio_pdf():
        government = _government_for_report()
        try:
            return Response(portfolio_pdf(government), mimetype="application/pdf")
        except DocumentError as error:
            abort(error.status)

    @api.route(
        f"{PREFIX}/portfolio/issue",
        ("POST",),
        summary=_l("Issue the Cartera de Proyectos de Inversión Social of a government (stored, verifiable)"),
        tag=TAG,
        status=201,
        response={"$ref": "#/components/schemas/IssuedDocument"},
        request_body={
            "type": "object",
            "required": ["government_id"],
            "properties": {"government_id": {"type": "integer"}},
        },
        extra_errors=(409, 503),
    )
    def investment_portfolio_issue():
        body = json_object()
        document = api_run(
            "operations.investment.portfolio.issue", _user(), {"government_id": body.get("government_id")}
        )
        return jsonify(
            {
                "id": document.id,
                "case_id": None,
                "government_id": document.government_id,
                "template": document.template_key,
                "number": document.number,
                "title": document.title,
                "year": document.year,
                "sha256": document.sha256,
                "size": document.size,
                "issued_by_id": document.issued_by_id,
                "issued_at": document.issued_at.isoformat() + "Z",
                "code": document.code,
                "verify_url": verify_url(document.code),
                "pdf_url": url_for("api.get_document_pdf", document_id=document.id, _external=True),
                "supersedes_id": document.supersedes_id,
            }
        ), 201

    @api.route(
        f"{PREFIX}/portfolio.xlsx",
        summary=_l("Cartera de Proyectos de Inversión Social (XLSX)"),
        tag=TAG,
        parameters=[GOVERNMENT_PARAMETER],
        response_content_type=XLSX_MIME,
    )
    def investment_portfolio_xlsx():
        return Response(portfolio_xlsx(_government_for_report()), mimetype=XLSX_MIME)


def _user() -> Any:
    return current_user


