"""Generic case endpoints of /api/v1: list with filters, detail, create, edit (409 on stale), transitions."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from core.api import PAGE_PARAMETERS, ApiRegistry, bad_request, json_object, page_schema
from core.cases.search import search_clause
from core.cases.service import CaseError, StaleCaseError, create_case, editable_by, update_case
from core.cases.types import case_type_of, case_types
from core.custom_fields import FieldValueError, fields_for, json_schema
from core.documents.access import job_accepted
from core.documents.issue import issuing
from core.documents.jobs import enqueue
from core.documents.registry import DocumentError, LargeDocument
from core.extensions import db
from core.models import STAGES, Case, Government
from core.references import find_reference, reference_message
from core.security import READ, current_scope, ensure_case, readable_case_clause
from core.web.pagination import paginate
from core.workflow import WorkflowError, available_transitions, get_workflow, perform

CASE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "type": {"type": "string"},
        "reference": {"type": "string"},
        "title": {"type": "string"},
        "government_id": {"type": "integer"},
        "year": {"type": "integer"},
        "stage": {"type": "string", "enum": list(STAGES)},
        "state": {"type": "string"},
        "state_label": {"type": "string"},
        "version": {"type": "integer"},
        "custom": {"type": "object"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}


CASE_PAGE_SCHEMA = page_schema({"$ref": "#/components/schemas/Case"})
CASE_PAGE_SCHEMA["properties"]["next_after"] = {"type": ["integer", "null"]}


def case_json(case: Case, detail: bool = False) -> dict[str, Any]:
    workflow = get_workflow(case.workflow_id)
    data = {
        "id": case.id,
        "type": case.type,
        "reference": case.reference,
        "title": case.title,
        "government_id": case.government_id,
        "government": case.government.name,
        "year": case.year,
        "stage": case.stage,
        "state": case.state,
        "state_label": workflow.state_label(case.state),
        "version": case.version,
        "custom": dict(case.custom or {}),
        "created_at": case.created_at.isoformat() + "Z" if case.created_at else None,
        "updated_at": case.updated_at.isoformat() + "Z" if case.updated_at else None,
    }
    if detail:
        scope = current_scope()
        info = case_type_of(case)
        if info and info.serialize:
            data.update(info.serialize(case))
        data["editable"] = editable_by(case, scope)
        data["transitions"] = [
            {
                "name": t.key,
                "label": t.label,
                "to": t.target,
                "allowed": not reasons,
                "reasons": reasons,
                "comment": t.comment,
            }
            for t, reasons in (available_transitions(case, scope) if not scope.read_only or scope.is_admin else [])
        ]
        data["history"] = [
            {
                "name": h.name,
                "from": h.from_state,
                "to": h.to_state,
                "user_id": h.user_id,
                "comment": h.comment,
                "at": h.at.isoformat() + "Z",
            }
            for h in case.transitions
        ]
    return data


def custom_field_schemas() -> dict[str, dict[str, Any]]:
    """One schema per case type, with its custom fields: the OpenAPI document follows the admin's edits."""
    schemas = {"Case": CASE_SCHEMA}
    for key in case_types():
        schemas[f"CaseCustom_{key}"] = {
            "type": "object",
            "properties": {f.name: json_schema(f) for f in fields_for(key)},
            "required": [f.name for f in fields_for(key) if f.required],
        }
    return schemas


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    ensure_case(READ, case)  # participant governments read it too (DESIGN §11)
    return case


def transition_view(case_id: int, name: str) -> Any:
    """Run transition ``name`` on the case from a JSON request (also a plugin's own route, e.g. the
    agreements' ``…/transitions/<name>``): 202 when its document goes to a background job."""
    data = request.get_json(silent=True) or {}

    def work() -> Case:  # run twice when the transition issues a document (core.documents.issuing)
        case = _case_or_404(case_id)
        if "version" in data and data["version"] != case.version:
            raise StaleCaseError()
        perform(case, name, current_user, current_scope(), data.get("comment"))
        return case

    try:
        try:
            case = issuing(work, allow_background=True)
            db.session.commit()
        except LargeDocument:
            db.session.rollback()
            version = data.get("version")
            return job_accepted(
                enqueue(
                    case_id,
                    current_user,
                    transition=name,
                    comment=data.get("comment"),
                    case_version=version if isinstance(version, int) else None,
                )
            )
    except WorkflowError as error:
        db.session.rollback()
        bad_request(error.reasons, error.status)
    except (CaseError, DocumentError) as error:
        db.session.rollback()
        bad_request(str(error), error.status)
    return jsonify(case_json(case, detail=True))


def register_case_endpoints(api: ApiRegistry) -> None:
    api.schema_providers.append(custom_field_schemas)
    case_ref = {"$ref": "#/components/schemas/Case"}

    @api.route(
        "/case-types",
        summary=_l("Case types, their workflow and their custom fields"),
        tag="expedientes",
        response={"type": "array", "items": {"type": "object"}},
    )
    def list_case_types():
        return jsonify(
            [
                {
                    "key": t.key,
                    "label": str(t.label),
                    "workflow": t.workflow,
                    "stage": t.stage,
                    "levels": list(t.levels),
                    "generic_create": t.generic_create,
                    "custom_fields": [
                        {
                            "name": f.name,
                            "label": f.label,
                            "type": f.field_type,
                            "required": f.required,
                            "choices": f.choice_list,
                        }
                        for f in fields_for(t.key)
                    ],
                }
                for t in case_types().values()
            ]
        )

    @api.route(
        "/cases",
        summary=_l("Cases in your scope"),
        tag="expedientes",
        response=CASE_PAGE_SCHEMA,
        parameters=[
            {"name": n, "in": "query", "schema": {"type": t}}
            for n, t in (
                ("type", "string"),
                ("state", "string"),
                ("government", "integer"),
                ("year", "integer"),
                ("q", "string"),
            )
        ]
        + PAGE_PARAMETERS
        + [
            {
                "name": "after",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
                "description": _l(
                    "id of the last case of the previous page (keyset pagination, same speed at any depth; "
                    "replaces «page»): use «next_after» from the response"
                ),
            }
        ],
    )
    def list_cases():
        query = (
            select(Case)
            .where(readable_case_clause(current_scope()))
            .options(joinedload(Case.government))
            .order_by(Case.id.desc())
        )
        args = request.args
        if args.get("type"):
            query = query.where(Case.type == args["type"])
        if args.get("state"):
            query = query.where(Case.state == args["state"])
        for name, column in (("government", Case.government_id), ("year", Case.year)):
            if args.get(name):
                if not args[name].isdigit():
                    bad_request(_("«%(name)s» must be an integer.", name=name))
                query = query.where(column == int(args[name]))
        if args.get("q"):
            query = query.where(search_clause(args["q"]))
        after = None
        if args.get("after"):
            if not args["after"].isdigit() or len(args["after"]) > 18:
                bad_request(_("«after» must be the id of a case."))
            after = Case.id < int(args["after"])
        page = paginate(query, Case.id, after=after)
        return jsonify(
            {
                "items": [case_json(c) for c in page.items],
                "total": page.total,
                "page": page.page,
                "per_page": page.per_page,
                "pages": page.pages,
                # The next page's cursor (ids descend): null on the last page.
                "next_after": page.items[-1].id if len(page.items) == page.per_page else None,
            }
        )

    @api.route(
        "/cases",
        ("POST",),
        summary=_l("Create a case"),
        status=201,
        tag="expedientes",
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["type", "government_id", "year", "title"],
            "properties": {
                "type": {"type": "string"},
                "government_id": {"type": "integer"},
                "year": {"type": "integer"},
                "title": {"type": "string"},
                "stage": {"type": "string", "enum": list(STAGES)},
                "custom": {"type": "object"},
            },
        },
    )
    def create_case_endpoint():
        data = json_object()
        case_type = case_types().get(str(data.get("type", "")))
        if case_type is None:
            bad_request(_("Unknown case type: «%(case_type)s».", case_type=data.get("type")))
        if not case_type.generic_create:
            bad_request(
                _(
                    "Cases of type «%(case_type)s» are created through their own endpoint, not this one.",
                    case_type=case_type.key,
                )
            )
        government = find_reference(Government, data.get("government_id"), scope=current_scope())
        if government is None:
            bad_request(reference_message("government_id"), 404)  # out of scope is 404 (architecture)
        if not isinstance(data.get("year"), int):
            bad_request(_("«year» must be an integer."))
        try:
            case = create_case(
                case_type,
                government,
                data["year"],
                str(data.get("title") or ""),
                current_user,
                current_scope(),
                stage=data.get("stage"),
                custom=data.get("custom") or {},
            )
            db.session.commit()
        except (CaseError, FieldValueError, WorkflowError) as error:
            db.session.rollback()
            bad_request(str(error), getattr(error, "status", 400))
        return jsonify(case_json(case, detail=True)), 201

    @api.route(
        "/cases/<int:case_id>",
        summary=_l("One case, with what you can do now"),
        tag="expedientes",
        response=case_ref,
    )
    def get_case(case_id: int):
        return jsonify(case_json(_case_or_404(case_id), detail=True))

    @api.route(
        "/cases/<int:case_id>",
        ("PATCH",),
        summary=_l("Edit a case (409 if the version is not the current one)"),
        tag="expedientes",
        response=case_ref,
        request_body={
            "type": "object",
            "required": ["version"],
            "properties": {"version": {"type": "integer"}, "title": {"type": "string"}, "custom": {"type": "object"}},
        },
    )
    def patch_case(case_id: int):
        case = _case_or_404(case_id)
        data = json_object()
        try:
            update_case(
                case,
                current_scope(),
                current_user,
                data.get("version"),
                title=data.get("title"),
                custom=data.get("custom"),
            )
            db.session.commit()
        except (CaseError, FieldValueError) as error:
            db.session.rollback()
            bad_request(str(error), getattr(error, "status", 400))
        except StaleDataError:
            db.session.rollback()
            bad_request(str(StaleCaseError()), 409)
        return jsonify(case_json(case, detail=True))

    @api.route(
        "/cases/<int:case_id>/transitions/<name>",
        ("POST",),
        summary=_l("Run a transition"),
        tag="expedientes",
        response=case_ref,
        request_body={"type": "object", "properties": {"comment": {"type": "string"}, "version": {"type": "integer"}}},
    )
    def post_transition(case_id: int, name: str):
        return transition_view(case_id, name)
