"""Deadlines in the API: /api/v1/deadlines, a case's deadlines, the rules; their JSON schemas."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import PAGE_PARAMETERS, bad_request, page_json, page_schema
from core.deadlines.due_dates import english_label
from core.deadlines.generation import ensure_deadlines
from core.deadlines.models import RULE_KINDS, RULE_LEVELS, STATUSES, Deadline, DeadlineRule
from core.deadlines.settings import due_soon_days, lima_today
from core.deadlines.status import case_deadlines_query, status_expression, status_of
from core.extensions import db
from core.models import Case, Government
from core.security import READ, current_scope, ensure, readable_clause
from core.web.pagination import paginate

# --- API ------------------------------------------------------------------------------------------------

DEADLINE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "rule": {"type": "string"},
        "label": {"type": "string", "description": "Spanish, as stored"},
        "label_en": {"type": ["string", "null"], "description": "English (null: none; read label)"},
        "government_id": {"type": "integer"},
        "government": {"type": "string"},
        "year": {"type": "integer"},
        "period": {"type": "integer"},
        "case_id": {"type": ["integer", "null"]},
        "start_date": {"type": ["string", "null"], "format": "date"},
        "due_date": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "met_at": {"type": ["string", "null"], "format": "date-time"},
        "met_by_id": {"type": ["integer", "null"]},
        "met_case_id": {"type": ["integer", "null"]},
    },
}
RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "label": {"type": "string"},
        "kind": {"type": "string", "enum": list(RULE_KINDS)},
        "level": {"type": "string", "enum": list(RULE_LEVELS)},
        "month": {"type": ["integer", "null"]},
        "day": {"type": ["integer", "null"]},
        "quarter_offset_days": {"type": ["integer", "null"]},
        "quarter_dates": {"type": ["string", "null"]},
        "days": {"type": ["integer", "null"]},
        "event": {"type": ["string", "null"]},
        "case_type": {"type": ["string", "null"]},
        "owner": {"type": "string"},
        "active": {"type": "boolean"},
    },
}


def deadline_json(d: Deadline, today: date, soon: int) -> dict[str, Any]:
    return {
        "id": d.id,
        "rule": d.rule.key,
        "label": d.label,
        "label_en": english_label(d),
        "government_id": d.government_id,
        "government": d.government.name,
        "year": d.year,
        "period": d.period,
        "case_id": d.case_id,
        "start_date": d.start_date.isoformat() if d.start_date else None,
        "due_date": d.due_date.isoformat(),
        "status": status_of(d.due_date, d.met_on, today, soon),
        "met_at": d.met_at.isoformat() + "Z" if d.met_at else None,
        "met_by_id": d.met_by_id,
        "met_case_id": d.met_case_id,
    }


def rule_json(rule: DeadlineRule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in RULE_SCHEMA["properties"]}


def register_api(api: Any) -> None:
    api.schemas.update({"Deadline": DEADLINE_SCHEMA, "DeadlineRule": RULE_SCHEMA})
    ref = {"$ref": "#/components/schemas/Deadline"}

    @api.route(
        "/deadlines",
        summary=_l("Deadlines in your scope, with their status"),
        tag="plazos",
        response=page_schema(ref),
        parameters=[
            {"name": "government", "in": "query", "schema": {"type": "integer"}},
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
            {"name": "rule", "in": "query", "schema": {"type": "string"}},
            {"name": "case", "in": "query", "schema": {"type": "integer"}},
            *PAGE_PARAMETERS,
        ],
    )
    def list_deadlines():
        scope = current_scope()
        today, soon = lima_today(), due_soon_days()
        args = request.args
        numbers = {}
        for name in ("government", "year", "case"):
            if args.get(name):
                if not args[name].isdigit():
                    bad_request(_("«%(name)s» must be an integer.", name=name))
                numbers[name] = int(args[name])
        query = (
            select(Deadline)
            .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
            .where(readable_clause(scope, Deadline.government_id), DeadlineRule.active.is_(True))
        )
        if "government" in numbers:
            government = db.session.get(Government, numbers["government"])
            if government is None:
                bad_request(_("«government» is not a government."), 404)
            ensure(READ, government)
            query = query.where(Deadline.government_id == government.id)
        if "year" in numbers:
            if not 2000 <= numbers["year"] <= 2100:
                bad_request(_("«year» must be between 2000 and 2100."))
            query = query.where(Deadline.year == numbers["year"])
            # Lazy generation of that year for what the caller can read.
            if "government" in numbers:
                ensure_deadlines(numbers["year"], [numbers["government"]])
            elif scope.everything:
                ensure_deadlines(numbers["year"], None)
            else:
                ids = db.session.scalars(select(Government.id).where(readable_clause(scope, Government.id))).all()
                ensure_deadlines(numbers["year"], list(ids))
        if "case" in numbers:
            query = query.where(Deadline.case_id == numbers["case"])
        if args.get("rule"):
            query = query.where(DeadlineRule.key == args["rule"])
        if args.get("status"):
            if args["status"] not in STATUSES:
                bad_request(_("Unknown status: use %(statuses)s.", statuses=", ".join(STATUSES)))
            query = query.where(status_expression(today, soon) == args["status"])
        query = query.options(joinedload(Deadline.rule), joinedload(Deadline.government)).order_by(
            Deadline.due_date, Deadline.id
        )
        return page_json(paginate(query, Deadline.id), lambda d: deadline_json(d, today, soon))

    @api.route(
        "/cases/<int:case_id>/deadlines",
        summary=_l("Deadlines of a case"),
        tag="plazos",
        response={"type": "object", "properties": {"items": {"type": "array", "items": ref}}},
    )
    def case_deadlines(case_id: int):
        case = db.session.get(Case, case_id)
        if case is None:
            abort(404)
        ensure(READ, case.government)
        today, soon = lima_today(), due_soon_days()
        deadlines = db.session.scalars(
            case_deadlines_query(case).options(joinedload(Deadline.rule), joinedload(Deadline.government))
        ).unique()
        return jsonify({"items": [deadline_json(d, today, soon) for d in deadlines]})

    @api.route(
        "/deadline-rules",
        summary=_l("Deadline rules (fixed date, quarterly, working or calendar days after an event)"),
        tag="plazos",
        response={"type": "array", "items": {"$ref": "#/components/schemas/DeadlineRule"}},
    )
    def list_deadline_rules():
        rules = db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.key))
        return jsonify([rule_json(r) for r in rules])
