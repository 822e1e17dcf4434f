"""/api/v1 endpoints of stage 2: the plan's matrix (read, edit row by row, XLSX in and out, next
cycle) and the diagnosis's instruments. Reads go through the scoping layer (404 outside the
jurisdiction); every write is a named operation (plugins/diagnosis/operations/) run by
``api_run``, which answers its refusal (403 not editable, 409 stale ``version``, 400 with the
reasons, an import's report). The nominal list of item (g) is never served here.
"""

from __future__ import annotations

import io
from typing import Any

from flask import jsonify, request, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.api import json_object
from core.models import Case
from core.operations import Refusal, api_refusal, api_run, load_or_404
from plugins.diagnosis import matrix, workbook
from plugins.diagnosis.fields import ACTIVITY, ACTOR, CAUSE, INDICATOR, PLAN, RELATION, RESULT
from plugins.diagnosis.models import Diagnosis, Plan
from plugins.diagnosis.operations.plan import ROWS
from plugins.diagnosis.serializers import diagnosis_json, plan_json
from plugins.diagnosis.tabular import MAX_UPLOAD_BYTES

VERSION_BODY = {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}


def _with_version(schema: dict[str, Any]) -> dict[str, Any]:
    """A declared input schema that also carries the case ``version`` the client read."""
    properties = {**schema["properties"], "version": {"type": "integer"}}
    return {**schema, "properties": properties, "required": ["version"]}


def _read(model: type[Case], case_id: int) -> Any:
    try:
        case = load_or_404(model, case_id)
    except Refusal as refusal:
        api_refusal(refusal)
    return matrix.load_plan(case.id) if model is Plan else case


def _upload(**ids: Any) -> dict[str, Any]:
    """A multipart upload (``file``, ``version``) as an import operation takes it (no file: empty,
    which the operation refuses once it has checked the caller may write there)."""
    file = request.files.get("file")
    content = file.read(MAX_UPLOAD_BYTES + 1) if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    return {"filename": filename, "content": content, "version": request.form.get("version"), **ids}


def _write(name: str, data: dict[str, Any], status: int = 200) -> Any:
    """Run the operation; answer the case's new version (and the new row's id, or an import's report)."""
    result = api_run(name, current_user, data)
    case = Plan if name.split(".")[1] in ("plan", "result", "indicator", "activity", "matrix") else Diagnosis
    version = load_or_404(case, data["case_id"]).version
    if hasattr(result, "as_dict"):
        return jsonify(result.as_dict()), status
    created = {"id": result.id} if status == 201 else {}
    return jsonify({"version": version, **created}), status


def register(api: Any) -> None:
    tag = "plan articulado"

    @api.route("/plans/<int:case_id>", summary=_l("Plan Articulado: sections, matrix, totals and gaps"), tag=tag)
    def get_plan(case_id: int):
        plan = _read(Plan, case_id)
        return jsonify({"id": plan.id, "version": plan.version, "state": plan.state, **plan_json(plan)})

    @api.route(
        "/plans/<int:case_id>/sections",
        ("PATCH",),
        summary=_l("Edit the plan's sections and approval data"),
        tag=tag,
        request_body=_with_version(PLAN.json_schema(for_input=True)),
    )
    def patch_sections(case_id: int):
        return _write("diagnosis.plan.edit", json_object(case_id=case_id))

    # The matrix's rows: the same two routes (add; edit or delete) for each kind, from its declared fields.
    for record, fields, parent, add_summary, edit_summary in (
        ("result", RESULT, "", _l("Add a result"), _l("Edit or delete a result")),
        (
            "indicator",
            INDICATOR,
            "/results/<int:result_id>",
            _l("Add an indicator (formula and source)"),
            _l("Edit or delete an indicator"),
        ),
        (
            "activity",
            ACTIVITY,
            "/results/<int:result_id>",
            _l("Add an activity (budget, programme, source, responsible parties, months)"),
            _l("Edit or delete an activity"),
        ),
    ):
        rows = ROWS[record][1]
        body = _with_version(fields.json_schema(for_input=True))
        api.route(
            f"/plans/<int:case_id>{parent}/{rows}",
            ("POST",),
            summary=add_summary,
            tag=tag,
            request_body=body,
            status=201,
        )(_row_view(record, "add"))
        api.route(
            f"/plans/<int:case_id>/{rows}/<int:{record}_id>",
            ("PATCH", "DELETE"),
            summary=edit_summary,
            tag=tag,
            request_body=body,
        )(_row_view(record, "edit"))

    @api.route(
        "/plans/<int:case_id>/matrix.xlsx",
        summary=_l("The matrix in Excel (XLSX)"),
        tag=tag,
        response={"type": "string", "format": "binary"},
        response_content_type=workbook.XLSX_MIME,
    )
    def matrix_xlsx(case_id: int):
        plan = _read(Plan, case_id)
        name = f"matriz-{plan.acronym}-{plan.year}-{plan.government.ubigeo}.xlsx"
        return send_file(
            io.BytesIO(workbook.export_matrix(plan)),
            mimetype=workbook.XLSX_MIME,
            as_attachment=True,
            download_name=name,
        )

    @api.route(
        "/plans/<int:case_id>/matrix.xlsx",
        ("PUT",),
        summary=_l("Replace the matrix from an XLSX (multipart: file, version); nothing is saved if a row fails"),
        tag=tag,
    )
    def matrix_import(case_id: int):
        return _write("diagnosis.matrix.import", _upload(case_id=case_id))

    @api.route(
        "/plans/<int:case_id>/next-cycle",
        ("POST",),
        summary=_l("Create the next year's plan from this one (goals to update)"),
        status=201,
        tag=tag,
    )
    def api_next_cycle(case_id: int):
        new = api_run("diagnosis.plan.next_cycle", current_user, {"case_id": case_id})
        return jsonify({"id": new.id, "reference": new.reference, "year": new.year}), 201

    # --- diagnosis ---------------------------------------------------------------------------------------
    dtag = "diagnóstico"

    @api.route("/diagnoses/<int:case_id>", summary=_l("Diagnosis: fichas, baselines, coincidences, gaps"), tag=dtag)
    def get_diagnosis(case_id: int):
        diagnosis = _read(Diagnosis, case_id)
        return jsonify(
            {"id": diagnosis.id, "version": diagnosis.version, "state": diagnosis.state, **diagnosis_json(diagnosis)}
        )

    @api.route(
        "/diagnoses/<int:case_id>/fichas/<ubigeo>",
        ("PUT",),
        summary=_l("Values of a Ficha Distrital: {items: {letter: {value, source, date, notes}}}"),
        tag=dtag,
        request_body=VERSION_BODY,
    )
    def put_ficha(case_id: int, ubigeo: str):
        return _write("diagnosis.ficha.edit", json_object(case_id=case_id, ubigeo=ubigeo))

    @api.route(
        "/diagnoses/<int:case_id>/baselines",
        ("POST",),
        summary=_l("Baselines: {version, rows: [{ubigeo, indicator, measure, value, year, source}]}"),
        tag=dtag,
        request_body=VERSION_BODY,
    )
    def post_baselines(case_id: int):
        return _write("diagnosis.baselines.save", json_object(case_id=case_id))

    @api.route(
        "/diagnoses/<int:case_id>/baselines/import",
        ("POST",),
        summary=_l("Import baselines from CSV or XLSX (multipart: file, version)"),
        tag=dtag,
    )
    def import_baselines(case_id: int):
        return _write("diagnosis.baselines.import", _upload(case_id=case_id))

    @api.route(
        "/diagnoses/<int:case_id>/coverage",
        ("POST",),
        summary=_l("Mapa de Coincidencias: {version, rows: [{program, ubigeo, beneficiaries}]}"),
        tag=dtag,
        request_body=VERSION_BODY,
    )
    def post_coverage(case_id: int):
        return _write("diagnosis.coverage.set", json_object(case_id=case_id))

    for path, record, fields, summary in (
        ("actors", "actor", ACTOR, _l("Add an actor {name, kind, level, role, programs}")),
        ("relations", "relation", RELATION, _l("Add a relation {source_id, target_id, kind}")),
        ("causes", "cause", CAUSE, _l("Add a cause {level, description, evidence, source}")),
    ):
        api.route(
            f"/diagnoses/<int:case_id>/{path}",
            ("POST",),
            summary=summary,
            tag=dtag,
            request_body=_with_version(fields.json_schema(for_input=True)),
            status=201,
        )(_adder(record, f"add_{path}"))


def _adder(record: str, name: str) -> Any:
    def view(case_id: int) -> Any:
        return _write(f"diagnosis.{record}.add", json_object(case_id=case_id), 201)

    view.__name__ = name
    return view


def _row_view(record: str, verb: str) -> Any:
    """The endpoint that adds a matrix row (201 with its id), or edits or (DELETE) removes one."""

    def view(case_id: int, **ids: int) -> Any:
        if verb == "add":
            return _write(f"diagnosis.{record}.add", json_object(case_id=case_id, **ids), 201)
        action = "remove" if request.method == "DELETE" else "edit"
        return _write(f"diagnosis.{record}.{action}", json_object(case_id=case_id, **ids))

    view.__name__ = f"{verb}_{record}"
    return view
