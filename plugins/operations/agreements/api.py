"""API of the agreements under /api/v1/operations/agreements: list, detail, create, edit, goals,
commitments, support, progress reports, fulfilment, transitions and documents. Same operations and
scoping as the pages (a participant municipality reads its agreements; 404 for the others)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.api import PAGE_PARAMETERS, ApiRegistry, json_object, page_schema, scoped_page
from core.cases.api import case_json, transition_view
from core.documents.models import IssuedDocument
from core.extensions import db
from core.operations import api_refusal, api_run, load_or_404
from core.refusals import Refusal
from core.security import current_scope, readable_case_clause
from plugins.operations.agreements.fields import AGREEMENT, COMMITMENT, GOAL, REPORT, SUPPORT
from plugins.operations.agreements.models import Agreement

PREFIX = "/operations/agreements"
TAG = "operaciones"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def agreement_json(agreement: Agreement) -> dict[str, Any]:
    """The agreement's own fields, parties and children, added to the engine's case JSON."""
    return {
        **AGREEMENT.serialize(agreement),
        "counterparts": [{"id": g.id, "name": g.name} for g in agreement.counterparts],
        "goals": [{"id": g.id, **GOAL.serialize(g)} for g in agreement.goals],
        "commitments": [{"id": c.id, "party": c.party_name, **COMMITMENT.serialize(c)} for c in agreement.commitments],
        "supports": [{"id": s.id, **SUPPORT.serialize(s)} for s in agreement.supports],
        "accepted_by": [{"id": a.government_id, "name": a.government.name} for a in agreement.acceptances],
        "reports": [
            {
                "id": r.id,
                **REPORT.serialize(r),
                "values": {str(v.goal_id): _money(v.achieved) for v in r.values},
            }
            for r in agreement.reports
        ],
    }


def _full(agreement: Agreement) -> dict[str, Any]:
    return case_json(agreement, detail=True)


def _load(agreement_id: int) -> Agreement:
    try:
        return load_or_404(Agreement, agreement_id)
    except Refusal as refusal:
        api_refusal(refusal)


def register(api: ApiRegistry) -> None:
    case_ref = {"$ref": "#/components/schemas/Case"}
    with_version = {"version": {"type": "integer"}}

    def _input(fields: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        schema = fields.json_schema(for_input=True)
        schema.setdefault("properties", {}).update({**with_version, **(extra or {})})
        return schema

    @api.route(
        PREFIX,
        summary=_l("Convenios de Gestión within reach"),
        tag=TAG,
        response=page_schema(case_ref),
        parameters=PAGE_PARAMETERS,
    )
    def ops_agreements():
        reach = readable_case_clause(current_scope())
        return scoped_page(Agreement, _full, order_by=(Agreement.id.desc(),), reach=reach)

    @api.route(
        PREFIX,
        ("POST",),
        summary=_l("Create an agreement (region with municipalities, or with an external entity)"),
        tag=TAG,
        status=201,
        response=case_ref,
        request_body=_input(
            AGREEMENT,
            {
                "government_id": {"type": "integer"},
                "year": {"type": "integer"},
                "counterparts": {"type": "array", "items": {"type": "integer"}},
            },
        ),
    )
    def ops_agreement_create():
        agreement = api_run("operations.agreement.create", current_user, json_object())
        return jsonify(_full(agreement)), 201

    @api.route(f"{PREFIX}/<int:agreement_id>", summary=_l("One agreement"), tag=TAG, response=case_ref)
    def ops_agreement(agreement_id: int):
        return jsonify(_full(_load(agreement_id)))

    @api.route(
        f"{PREFIX}/<int:agreement_id>",
        ("PATCH",),
        summary=_l("Edit an agreement (409 if the version is not the current one)"),
        tag=TAG,
        response=case_ref,
        request_body=_input(AGREEMENT),
    )
    def ops_agreement_patch(agreement_id: int):
        agreement = api_run("operations.agreement.edit", current_user, json_object() | {"agreement_id": agreement_id})
        return jsonify(_full(agreement))

    def _child(path: str, operation: str, fields: Any, summary: str, extra: dict[str, Any] | None = None) -> None:
        def view(agreement_id: int):
            api_run(operation, current_user, json_object() | {"agreement_id": agreement_id})
            return jsonify(_full(_load(agreement_id))), 201

        view.__name__ = f"ops_agreement_{path}"
        api.route(
            f"{PREFIX}/<int:agreement_id>/{path}",
            ("POST",),
            summary=summary,
            tag=TAG,
            status=201,
            response=case_ref,
            request_body=_input(fields, extra),
        )(view)

    _child("goals", "operations.agreement.goal.add", GOAL, _l("Add a goal"))
    _child(
        "commitments",
        "operations.agreement.commitment.add",
        COMMITMENT,
        _l("Add a commitment of a party"),
        {"party": {"type": "string"}},
    )
    _child("supports", "operations.agreement.support.add", SUPPORT, _l("Add a support measure of the region"))
    _child(
        "reports",
        "operations.agreement.report.add",
        REPORT,
        _l("Record a progress report"),
        {"values": {"type": "object", "additionalProperties": {"type": "string"}}},
    )

    @api.route(
        f"{PREFIX}/<int:agreement_id>/accept",
        ("POST",),
        summary=_l("Accept the agreement (coordinator of a participating municipality)"),
        tag=TAG,
        response=case_ref,
        request_body={"type": "object", "properties": with_version},
    )
    def ops_agreement_accept(agreement_id: int):
        agreement = api_run("operations.agreement.accept", current_user, json_object() | {"agreement_id": agreement_id})
        return jsonify(_full(agreement))

    @api.route(
        "/operations/commitments/<int:commitment_id>/fulfil",
        ("POST",),
        summary=_l("Record the fulfilment of a commitment (by its party)"),
        tag=TAG,
        request_body={"type": "object", "properties": {"fulfilled_on": {"type": "string", "format": "date"}}},
    )
    def ops_commitment_fulfil(commitment_id: int):
        commitment = api_run(
            "operations.agreement.commitment.fulfil", current_user, json_object() | {"commitment_id": commitment_id}
        )
        return jsonify({"id": commitment.id, **COMMITMENT.serialize(commitment)})

    @api.route(
        "/operations/commitments/<int:commitment_id>/evidence",
        ("POST",),
        summary=_l("Submit a file as evidence of a commitment (multipart: file, description)"),
        tag=TAG,
        status=201,
        request_content_type="multipart/form-data",
        request_body={
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "description": {"type": "string", "maxLength": 500},
            },
        },
    )
    def ops_commitment_evidence(commitment_id: int):
        data = {
            "commitment_id": commitment_id,
            "upload": request.files.get("file"),
            "description": request.form.get("description", ""),
        }
        evidence = api_run("operations.agreement.commitment.evidence", current_user, data)
        return jsonify(
            {"id": evidence.id, "attachment_id": evidence.attachment_id, "commitment_id": commitment_id}
        ), 201

    @api.route(
        f"{PREFIX}/<int:agreement_id>/transitions/<name>",
        ("POST",),
        summary=_l("Run a transition of the agreement (the municipality accepts with «accept»)"),
        tag=TAG,
        response=case_ref,
        request_body={"type": "object", "properties": {"comment": {"type": "string"}, **with_version}},
    )
    def ops_agreement_transition(agreement_id: int, name: str):
        _load(agreement_id)
        return transition_view(agreement_id, name)

    @api.route(
        f"{PREFIX}/<int:agreement_id>/documents",
        summary=_l("The agreement's issued documents (Convenio, Informe de Evaluación)"),
        tag=TAG,
        response={"type": "array", "items": {"type": "object"}},
    )
    def ops_agreement_documents(agreement_id: int):
        agreement = _load(agreement_id)
        rows = db.session.scalars(
            select(IssuedDocument).where(IssuedDocument.case_id == agreement.id).order_by(IssuedDocument.id)
        )
        return jsonify(
            [
                {"id": d.id, "template": d.template_key, "number": d.number, "pdf": f"/documentos/{d.id}/pdf"}
                for d in rows
            ]
        )
