"""API of the results-based budget under /api/v1/operations/budget/ (in the OpenAPI document): a plan's
budget lines (list, set one, import a file), its alignment check, and the alignment report (PDF, XLSX).
Writes call the operations (``api_run``)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import PAGE_PARAMETERS, json_object, page_json, page_schema
from core.documents import DocumentError
from core.operations import Refusal, api_refusal, api_run, load_or_404
from core.security import READ, can, current_scope
from core.web.pagination import paginate
from plugins.diagnosis.models import Plan
from plugins.operations.budget.alignment import alignment
from plugins.operations.budget.fields import BUDGET_LINE, THRESHOLD
from plugins.operations.budget.models import BudgetLine
from plugins.operations.budget.operations import CONFIGURE_ACTION, EDIT_ACTION
from plugins.operations.budget.report import XLSX_MIME, alignment_pdf, alignment_xlsx
from plugins.operations.places import numbers_accepted

PREFIX = "/operations/budget"
TAG = "presupuesto por resultados"
FIGURES = {
    "type": "object",
    "properties": {
        "number": {"type": "string"},
        "name": {"type": "string"},
        "planned": {"type": ["string", "null"]},
        "pia": {"type": ["string", "null"]},
        "pim": {"type": ["string", "null"]},
        "accrued": {"type": ["string", "null"]},
        "allocated_percent": {"type": ["string", "null"]},
        "execution_percent": {"type": ["string", "null"]},
        "flag": {"type": ["string", "null"], "enum": ["missing", "under", None]},
    },
}
ALIGNMENT_SCHEMA = {
    "type": "object",
    "required": ["plan_id", "min_share", "results", "programs", "flagged"],
    "properties": {
        "plan_id": {"type": "integer"},
        "min_share": {"type": "string"},
        "lines": {"type": "integer"},
        "total": FIGURES,
        "results": {"type": "array", "items": FIGURES},
        "programs": {"type": "array", "items": FIGURES},
        "quarters": {"type": "array", "items": {"type": "object"}},
        "sources": {"type": "array", "items": {"type": "object"}},
        "flagged": {"type": "array", "items": {"type": "string"}},
    },
}
REPORT_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}, "rows": {"type": "integer"}, "saved": {"type": "integer"}},
}


def line_json(line: BudgetLine) -> dict[str, Any]:
    out = BUDGET_LINE.serialize(line)
    out["quarter"] = str(line.quarter)
    return out


def _plan(case_id: int, action: str = READ) -> Plan:
    """The plan (404 out of reach, 403 when ``action`` is not allowed), before any body is read."""
    try:
        return load_or_404(Plan, case_id, action=action)
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: Any) -> None:
    line_schema = BUDGET_LINE.json_schema()

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/lines",
        summary=_l("Budget lines (PIA, PIM, accrued) of a plan's activities"),
        tag=TAG,
        response=page_schema(line_schema),
        parameters=PAGE_PARAMETERS,
    )
    def budget_lines(case_id: int):
        plan = _plan(case_id)
        query = (
            select(BudgetLine)
            .where(BudgetLine.plan_id == plan.id)
            .options(selectinload(BudgetLine.activity), selectinload(BudgetLine.territory))
            .order_by(BudgetLine.id)
        )
        return page_json(paginate(query, BudgetLine.id), line_json)

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/lines",
        ("PUT",),
        summary=_l("Record or correct a line (activity, source, quarter and place)"),
        tag=TAG,
        request_body=numbers_accepted(BUDGET_LINE.json_schema(for_input=True)),
        response=line_schema,
    )
    def budget_line_set(case_id: int):
        _plan(case_id, EDIT_ACTION)
        line = api_run("operations.budget.line.set", current_user, json_object(plan_id=case_id))
        return jsonify(line_json(line))

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/import",
        ("POST",),
        summary=_l("Import lines from a CSV/XLSX like the MEF's «Consulta Amigable» (all or nothing)"),
        tag=TAG,
        request_body={"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
        request_content_type="multipart/form-data",
        response=REPORT_SCHEMA,
        extra_errors=(413,),
    )
    def budget_import(case_id: int):
        _plan(case_id, EDIT_ACTION)
        upload = request.files.get("file")
        if upload is None:
            api_refusal(Refusal(_("The file («file») is missing."), 400))
        data = {"plan_id": case_id, "filename": upload.filename, "content": upload.read()}
        report = api_run("operations.budget.import", current_user, data)
        return jsonify(report.as_dict())

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/alignment",
        summary=_l("Alignment: PIM against the plan's budget by result and strategic programme"),
        tag=TAG,
        response=ALIGNMENT_SCHEMA,
    )
    def budget_alignment(case_id: int):
        return jsonify(alignment(_plan(case_id).id).as_json())

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/alignment.pdf",
        summary=_l("Informe de Alineamiento Presupuestal (PDF)"),
        tag=TAG,
        response_content_type="application/pdf",
        extra_errors=(503,),
    )
    def budget_alignment_pdf(case_id: int):
        data = alignment(_plan(case_id).id)
        try:
            return Response(alignment_pdf(data), mimetype="application/pdf")
        except DocumentError as error:
            abort(error.status)

    @api.route(
        f"{PREFIX}/plans/<int:case_id>/alignment.xlsx",
        summary=_l("Informe de Alineamiento Presupuestal (XLSX)"),
        tag=TAG,
        response_content_type=XLSX_MIME,
    )
    def budget_alignment_xlsx(case_id: int):
        return Response(alignment_xlsx(alignment(_plan(case_id).id)), mimetype=XLSX_MIME)

    @api.route(
        f"{PREFIX}/threshold",
        ("PUT",),
        summary=_l("Set the minimum share of the planned budget (administrators)"),
        tag=TAG,
        request_body=numbers_accepted(THRESHOLD.json_schema(for_input=True)),
        response=THRESHOLD.json_schema(),
    )
    def budget_threshold():
        if not can(current_scope(), CONFIGURE_ACTION, None):
            api_refusal(Refusal(_("You do not have permission to do this."), 403))
        data = json_object()
        government_id = data.get("government_id")
        if government_id is not None and (isinstance(government_id, bool) or not isinstance(government_id, int)):
            api_refusal(Refusal(_("«government_id» must be the (integer) id of a government, or null."), 400))
        row = api_run("operations.budget.threshold.set", current_user, data)
        return jsonify(THRESHOLD.serialize(row))
