"""API of the key indicators under /api/v1/monitoring: the catalog, measurements (list with filters, record,
correct, import) and targets (in force for a government and year, adjustments, from an approved plan),
and the link of a plan indicator to a key indicator. Scoped like everything else: a region reads its local
governments, national reads all, auditors only read; writes are operations."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, json_object, page_json, page_schema
from core.extensions import db
from core.models import Government
from core.operations import Refusal, api_refusal, api_run, load_or_404
from core.security import READ, can, current_scope
from core.web.pagination import paginate
from plugins.monitoring.indicators import queries
from plugins.monitoring.indicators.fields import ADJUSTMENT, CORRECTION, LINK, MEASUREMENT
from plugins.monitoring.indicators.imports import COLUMNS
from plugins.monitoring.indicators.models import LEVELS, Measurement, MonitoredIndicator, NationalGoal
from plugins.monitoring.indicators.periods import period_code

PREFIX = "/monitoring"
TAG = "seguimiento: indicadores clave"
MAX_UPLOAD = 5 * 1024 * 1024


def _decimal(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def indicator_json(indicator: MonitoredIndicator) -> dict[str, Any]:
    levels = queries.source_levels()
    return {
        "number": indicator.number,
        "key": indicator.key,
        "name": indicator.name,
        "short_name": indicator.short_name,
        "definition": indicator.definition,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "unit": indicator.unit,
        "factor": indicator.factor,
        "direction": indicator.direction,
        "disaggregations": indicator.disaggregation_list,
        "periodicity": indicator.periodicity,
        "measures": [key for key, _name in queries.measures_of(indicator)],
        "sources": [
            {"source": s.source, "lowest_level": levels.get(s.source), "notes": s.notes} for s in indicator.sources
        ],
    }


def measurement_json(row: Measurement) -> dict[str, Any]:
    return {
        "id": row.id,
        "indicator": row.indicator.number,
        "measure": row.measure,
        "ubigeo": row.ubigeo,
        "level": row.level,
        "government_id": row.government_id,
        "period": period_code(row.year, row.period_kind, row.period_number),
        "year": row.year,
        "period_kind": row.period_kind,
        "period_number": row.period_number,
        "source": row.source,
        "area": row.area,
        "sex": row.sex,
        "value": _decimal(row.value),
        "numerator": _decimal(row.numerator),
        "denominator": _decimal(row.denominator),
        "notes": row.notes,
        "demo": row.demo,
        "version": row.version,
    }


def target_json(target: Any) -> dict[str, Any]:
    return {
        "origin": target.origin,
        "government_id": target.government_id,
        "year": target.year,
        "indicator": target.indicator.number if target.indicator_id else None,
        "measure": target.measure,
        "area": target.area,
        "value": _decimal(target.value),
        "unit": target.unit,
        "label": target.label,
        "plan_id": target.plan_id,
        "justification": target.justification,
        "approved_by": target.approved_by,
        "approved_on": target.approved_on.isoformat() if target.approved_on else None,
    }


STRING_OR_NULL = {"type": ["string", "null"]}
INDICATOR = {
    "type": "object",
    "required": ["number", "key", "name", "unit", "factor", "direction", "sources"],
    "properties": {
        "number": {"type": "integer"},
        "key": {"type": "string"},
        "name": {"type": "string"},
        "short_name": STRING_OR_NULL,
        "definition": STRING_OR_NULL,
        "numerator": STRING_OR_NULL,
        "denominator": STRING_OR_NULL,
        "unit": {"type": "string"},
        "factor": {"type": "integer"},
        "direction": {"type": "string", "enum": ["lower", "higher"]},
        "disaggregations": {"type": "array", "items": {"type": "string"}},
        "periodicity": {"type": "string"},
        "measures": {"type": "array", "items": {"type": "string"}},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"source": {"type": "string"}, "lowest_level": STRING_OR_NULL, "notes": STRING_OR_NULL},
            },
        },
    },
}
MEASUREMENT_OUT = {
    "type": "object",
    "required": ["id", "indicator", "ubigeo", "level", "period", "source", "value", "version"],
    "properties": {
        "id": {"type": "integer"},
        "indicator": {"type": "integer"},
        "measure": {"type": "string"},
        "ubigeo": {"type": "string"},
        "level": {"type": "string", "enum": list(LEVELS)},
        "government_id": {"type": ["integer", "null"]},
        "period": {"type": "string"},
        "year": {"type": "integer"},
        "period_kind": {"type": "string"},
        "period_number": {"type": "integer"},
        "source": {"type": "string"},
        "area": {"type": "string"},
        "sex": {"type": "string"},
        "value": {"type": "string"},
        "numerator": STRING_OR_NULL,
        "denominator": STRING_OR_NULL,
        "notes": STRING_OR_NULL,
        "demo": {"type": "boolean"},
        "version": {"type": "integer"},
    },
}
TARGET_OUT = {
    "type": "object",
    "required": ["origin", "year", "value"],
    "properties": {
        "origin": {"type": "string", "enum": ["national", "plan", "adjustment"]},
        "government_id": {"type": ["integer", "null"]},
        "year": {"type": "integer"},
        "indicator": {"type": ["integer", "null"]},
        "measure": {"type": "string"},
        "area": {"type": "string"},
        "value": {"type": "string"},
        "unit": STRING_OR_NULL,
        "label": STRING_OR_NULL,
        "plan_id": {"type": ["integer", "null"]},
        "justification": STRING_OR_NULL,
        "approved_by": STRING_OR_NULL,
        "approved_on": STRING_OR_NULL,
    },
}
REPORT = {
    "type": "object",
    "required": ["ok", "rows", "saved", "errors"],
    "properties": {
        "ok": {"type": "boolean"},
        "rows": {"type": "integer"},
        "saved": {"type": "integer"},
        "unchanged": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        bad_request(_("«%(name)s» must be a number.", name=name))
    return int(raw)


def register(api: ApiRegistry) -> None:
    @api.route(
        f"{PREFIX}/indicators",
        summary=_l("The key indicators (Figure 05) with their sources and valid levels"),
        tag=TAG,
        response={"type": "array", "items": INDICATOR},
    )
    def monitoring_indicators():
        return jsonify([indicator_json(i) for i in queries.indicators()])

    @api.route(
        f"{PREFIX}/indicators/<int:number>",
        summary=_l("One key indicator"),
        tag=TAG,
        response=INDICATOR,
    )
    def monitoring_indicator(number: int):
        indicator = queries.indicator_by_code(number)
        if indicator is None:
            api_refusal(Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404))
        return jsonify(indicator_json(indicator))

    @api.route(
        f"{PREFIX}/measurements",
        summary=_l("Measurements within your reach (filters: indicator, ubigeo, year, source, level)"),
        tag=TAG,
        response=page_schema(MEASUREMENT_OUT),
        parameters=[
            {"name": "indicator", "in": "query", "schema": {"type": "integer"}},
            {"name": "ubigeo", "in": "query", "schema": {"type": "string"}},
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {"name": "source", "in": "query", "schema": {"type": "string"}},
            {"name": "level", "in": "query", "schema": {"type": "string", "enum": list(LEVELS)}},
            *PAGE_PARAMETERS,
        ],
    )
    def monitoring_measurements():
        query = (
            select(Measurement)
            .where(queries.readable_measurements(current_scope()))
            .order_by(Measurement.period_start.desc(), Measurement.ubigeo, Measurement.id.desc())
        )
        number, year = _int_arg("indicator"), _int_arg("year")
        if number is not None:
            query = query.where(Measurement.indicator.has(MonitoredIndicator.number == number))
        if year is not None:
            query = query.where(Measurement.year == year)
        ubigeo = request.args.get("ubigeo")
        if ubigeo:
            query = query.where(Measurement.ubigeo == ubigeo)
        if request.args.get("source"):
            query = query.where(Measurement.source == request.args["source"].upper())
        level = request.args.get("level")
        if level:
            if level not in LEVELS:
                bad_request(_("«%(name)s» must be one of: %(options)s.", name="level", options=", ".join(LEVELS)))
            query = query.where(Measurement.level == level)
        return page_json(paginate(query, Measurement.id), measurement_json)

    @api.route(
        f"{PREFIX}/measurements",
        ("POST",),
        summary=_l("Record a measurement (indicator 1–9, ubigeo, period, source, value or numerator and denominator)"),
        status=201,
        tag=TAG,
        response=MEASUREMENT_OUT,
        request_body={**MEASUREMENT.json_schema(for_input=True), "required": ["indicator", "ubigeo", "year", "source"]},
    )
    def monitoring_measurement_create():
        row = api_run("monitoring.measurement.record", current_user, json_object())
        return jsonify(measurement_json(row)), 201

    @api.route(
        f"{PREFIX}/measurements/<int:measurement_id>",
        summary=_l("One measurement and its corrections"),
        tag=TAG,
        response=MEASUREMENT_OUT,
    )
    def monitoring_measurement(measurement_id: int):
        try:
            row = load_or_404(Measurement, measurement_id, action=READ)
        except Refusal as refusal:
            api_refusal(refusal)
        history = [
            {
                "changed_at": r.changed_at.isoformat(),
                "changed_by_id": r.changed_by_id,
                "old_value": _decimal(r.old_value),
                "old_numerator": _decimal(r.old_numerator),
                "old_denominator": _decimal(r.old_denominator),
                "reason": r.reason,
            }
            for r in row.revisions
        ]
        return jsonify({**measurement_json(row), "history": history})

    @api.route(
        f"{PREFIX}/measurements/<int:measurement_id>",
        ("PATCH",),
        summary=_l("Correct a measurement (reason required; 409 if the version is not the current one)"),
        tag=TAG,
        response=MEASUREMENT_OUT,
        request_body={
            **CORRECTION.json_schema(for_input=True),
            "required": ["version", "reason"],
            "properties": {"version": {"type": "integer"}, **CORRECTION.json_schema(for_input=True)["properties"]},
        },
    )
    def monitoring_measurement_correct(measurement_id: int):
        data = json_object() | {"measurement_id": measurement_id}
        return jsonify(measurement_json(api_run("monitoring.measurement.correct", current_user, data)))

    @api.route(
        f"{PREFIX}/measurements/import",
        ("POST",),
        summary=_l("Import measurements from CSV or XLSX (multipart: file); nothing is saved if a row fails"),
        tag=TAG,
        response=REPORT,
        request_content_type="multipart/form-data",
        request_body={
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary", "description": ", ".join(COLUMNS)}},
        },
    )
    def monitoring_measurements_import():
        file = request.files.get("file")
        data = {"filename": file.filename if file else "", "content": file.read(MAX_UPLOAD + 1) if file else b""}
        report = api_run("monitoring.measurements.import", current_user, data)
        return jsonify(report.as_dict())

    @api.route(
        f"{PREFIX}/targets",
        summary=_l("Targets in force for a government and year (adjustment, else plan, else national goal)"),
        tag=TAG,
        response={"type": "array", "items": TARGET_OUT},
        parameters=[
            {"name": "government_id", "in": "query", "schema": {"type": "integer"}},
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
        ],
    )
    def monitoring_targets():
        government_id, year = _int_arg("government_id"), _int_arg("year")
        if government_id is None:  # no government: the national goals the standard states (of the year)
            query = select(NationalGoal).order_by(NationalGoal.year, NationalGoal.position)
            if year is not None:
                query = query.where(NationalGoal.year == year)
            return jsonify([target_json(goal) for goal in db.session.scalars(query)])
        if year is None:
            bad_request(_("«government_id» and «year» are required."))
        government = db.session.get(Government, government_id)
        if government is None or not can(current_scope(), READ, government):
            api_refusal(Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404))
        return jsonify([target_json(t) for t in queries.targets_for(government_id, year)])

    @api.route(
        f"{PREFIX}/targets/adjustments",
        ("POST",),
        summary=_l("Adjust a target in evaluation (justification and who approved it)"),
        status=201,
        tag=TAG,
        response=TARGET_OUT,
        request_body={**ADJUSTMENT.json_schema(for_input=True), "required": [f.name for f in ADJUSTMENT if f.required]},
    )
    def monitoring_target_adjust():
        return jsonify(target_json(api_run("monitoring.target.adjust", current_user, json_object()))), 201

    @api.route(
        f"{PREFIX}/plans/<int:plan_id>/targets",
        ("POST",),
        summary=_l("Targets from an approved plan (result goals and linked indicator goals)"),
        tag=TAG,
        response={"type": "array", "items": TARGET_OUT},
    )
    def monitoring_targets_from_plan(plan_id: int):
        rows = api_run("monitoring.targets.from_plan", current_user, {"plan_id": plan_id})
        return jsonify([target_json(t) for t in rows])

    @api.route(
        f"{PREFIX}/plan-indicators/<int:plan_indicator_id>/link",
        ("PUT",),
        summary=_l("Link a plan indicator to a key indicator (no indicator: unlink)"),
        tag=TAG,
        request_body=LINK.json_schema(for_input=True),
    )
    def monitoring_plan_indicator_link(plan_indicator_id: int):
        data = json_object() | {"plan_indicator_id": plan_indicator_id}
        link = api_run("monitoring.plan_indicator.link", current_user, data)
        if link is None:
            return jsonify({"plan_indicator_id": plan_indicator_id, "indicator": None, "measure": ""})
        return jsonify(
            {"plan_indicator_id": plan_indicator_id, "indicator": link.indicator.number, "measure": link.measure}
        )
