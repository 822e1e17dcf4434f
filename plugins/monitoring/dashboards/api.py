"""API of the dashboards and the quarterly follow-up report under /api/v1/monitoring: a government's
dashboard, a region's governments side by side, the national table; reports (list, draft, one, comments).
Approving and sending a report are the engine's transitions (/api/v1/cases/<id>/…)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, json_object, page_json, page_schema
from core.models import Government
from core.operations import api_refusal, api_run, load_or_404
from core.refusals import Refusal
from core.security import EDIT, current_scope, readable_clause
from core.web.pagination import paginate
from plugins.monitoring.dashboards.board import Board, Cell, government_board, national_board, region_board
from plugins.monitoring.dashboards.fields import EDITABLE, REPORT
from plugins.monitoring.dashboards.models import QuarterlyReport

PREFIX = "/monitoring"
TAG = "seguimiento: tableros"


def report_json(case: QuarterlyReport) -> dict[str, Any]:
    """The report's own fields (added to the engine's case JSON)."""
    return {k: v for k, v in REPORT.serialize(case).items() if k != "id"}


def _number(value: Any) -> str | None:
    # decimals as strings (no float rounding), without trailing zeros: the same on SQLite and PostgreSQL
    return None if value is None else format(Decimal(value).normalize(), "f")


def cell_json(cell: Cell, series: bool = False) -> dict[str, Any]:
    result = {
        "baseline": _number(cell.baseline),
        "baseline_year": cell.baseline_year,
        "target": _number(cell.target),
        "target_year": cell.target_year,
        "value": _number(cell.value),
        "period": cell.period.label if cell.period else None,
        "computed": bool(cell.latest and cell.latest[3]),
        "gap": _number(cell.gap),
        "status": cell.status,
    }
    if series:
        result["series"] = [{"period": p.label, "value": _number(v)} for p, v in cell.series()]
    return result


def board_json(board: Board, series: bool = False) -> dict[str, Any]:
    return {
        "year": board.year,
        "indicators": [
            {"code": line.code, "number": line.number, "name": line.label, "unit": line.unit} for line in board.lines
        ],
        "governments": [
            {
                "id": g.id,
                "name": g.name,
                "kind": g.kind,
                "ubigeo": g.ubigeo,
                "indicators": {line.code: cell_json(board.cell(g.id, line), series) for line in board.lines},
            }
            for g in board.governments
        ],
    }


def _government(government_id: int) -> Government:
    try:
        return load_or_404(Government, government_id, government=lambda g: g)
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: ApiRegistry) -> None:
    from core.cases.api import case_json

    cell_schema = {
        "type": "object",
        "properties": {
            "baseline": {"type": ["string", "null"]},
            "baseline_year": {"type": ["integer", "null"]},
            "target": {"type": ["string", "null"]},
            "target_year": {"type": ["integer", "null"]},
            "value": {"type": ["string", "null"]},
            "period": {"type": ["string", "null"]},
            "computed": {"type": "boolean"},
            "gap": {"type": ["string", "null"]},
            "status": {"type": "string", "enum": ["on_track", "at_risk", "off_track", "no_data"]},
            "series": {"type": "array", "items": {"type": "object"}},
        },
    }
    api.schemas["MonitoringDashboard"] = {
        "type": "object",
        "properties": {
            "year": {"type": ["integer", "null"]},
            "indicators": {"type": "array", "items": {"type": "object"}},
            "governments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "indicators": {"type": "object", "additionalProperties": cell_schema},
                    },
                },
            },
        },
    }
    board_ref = {"$ref": "#/components/schemas/MonitoringDashboard"}
    case_ref = {"$ref": "#/components/schemas/Case"}
    report_input = REPORT.json_schema(for_input=True)

    @api.route(
        f"{PREFIX}/dashboards/governments/<int:government_id>",
        summary=_l("A government's dashboard: each indicator's baseline, goal, values by period, gap and status"),
        tag=TAG,
        response=board_ref,
        parameters=[{"name": "year", "in": "query", "schema": {"type": "integer"}}],
    )
    def monitoring_dashboard_government(government_id: int):
        government = _government(government_id)
        raw = request.args.get("year", "")
        if raw and not raw.isdigit():
            bad_request(_("«%(name)s» must be a number.", name="year"))
        return jsonify(board_json(government_board(government, int(raw) if raw else None), series=True))

    @api.route(
        f"{PREFIX}/dashboards/regions/<int:government_id>",
        summary=_l("A region's governments side by side: each one's latest value and status per indicator"),
        tag=TAG,
        response=board_ref,
    )
    def monitoring_dashboard_region(government_id: int):
        government = _government(government_id)
        if government.kind != "regional":
            abort(404)
        return jsonify(board_json(region_board(government)))

    @api.route(
        f"{PREFIX}/dashboards/national",
        summary=_l("The national dashboard: every region's latest value and status per indicator"),
        tag=TAG,
        response=board_ref,
    )
    def monitoring_dashboard_national():
        if not current_scope().everything:
            api_refusal(Refusal(_("Only the national supervisor reads the national dashboard."), 403))
        return jsonify(board_json(national_board()))

    @api.route(
        f"{PREFIX}/quarterly-reports",
        summary=_l("Quarterly follow-up reports within your reach"),
        tag=TAG,
        response=page_schema(case_ref),
        parameters=[{"name": "government_id", "in": "query", "schema": {"type": "integer"}}, *PAGE_PARAMETERS],
    )
    def monitoring_quarterly_reports():
        query = (
            select(QuarterlyReport)
            .where(readable_clause(current_scope(), QuarterlyReport.government_id))
            .order_by(QuarterlyReport.year.desc(), QuarterlyReport.quarter.desc(), QuarterlyReport.id.desc())
        )
        raw = request.args.get("government_id")
        if raw:
            if not raw.isdigit():
                bad_request(_("«%(name)s» must be a number.", name="government_id"))
            query = query.where(QuarterlyReport.government_id == int(raw))
        return page_json(paginate(query, QuarterlyReport.id), lambda case: case_json(case))

    @api.route(
        f"{PREFIX}/quarterly-reports",
        ("POST",),
        summary=_l("Draft a government's quarterly follow-up report"),
        status=201,
        tag=TAG,
        response=case_ref,
        request_body={
            **report_input,
            "required": ["government_id", "year", "quarter"],
            "properties": {"government_id": {"type": "integer"}, **report_input["properties"]},
        },
    )
    def monitoring_quarterly_report_create():
        report = api_run("monitoring.quarterly_report.create", current_user, json_object())
        return jsonify(case_json(report, detail=True)), 201

    @api.route(
        f"{PREFIX}/quarterly-reports/<int:case_id>", summary=_l("One quarterly report"), tag=TAG, response=case_ref
    )
    def monitoring_quarterly_report(case_id: int):
        try:
            report = load_or_404(QuarterlyReport, case_id)
        except Refusal as refusal:
            api_refusal(refusal)
        return jsonify(case_json(report, detail=True))

    @api.route(
        f"{PREFIX}/quarterly-reports/<int:case_id>",
        ("PATCH",),
        summary=_l("Change a draft report's comments; 409 if the version is not the current one"),
        tag=TAG,
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version"],
            "properties": {
                "version": {"type": "integer"},
                **{k: v for k, v in report_input["properties"].items() if k in EDITABLE},
            },
        },
    )
    def monitoring_quarterly_report_patch(case_id: int):
        try:
            load_or_404(QuarterlyReport, case_id, action=EDIT)  # 404 / 403 before the body is read
        except Refusal as refusal:
            api_refusal(refusal)
        data = json_object() | {"report_id": case_id}
        return jsonify(case_json(api_run("monitoring.quarterly_report.edit", current_user, data), detail=True))
