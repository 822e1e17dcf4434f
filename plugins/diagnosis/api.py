"""/api/v1 endpoints of stage 2: the plan's matrix (read, edit row by row, XLSX in and out, next
cycle) and the diagnosis's instruments. Same rules as the web: scoped reads (404 outside the
jurisdiction), writes only where the case is editable, every write carries the case ``version``
(409 when stale). The nominal list of item (g) is never served here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, jsonify, request, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.api import bad_request
from core.cases import (
    CaseError,
    StaleCaseError,
    case_types,
    check_version,
    create_case,
    editable_by,
    lock_for_append,
    touch,
)
from core.extensions import db
from core.models import Case, Territory
from core.security import EDIT, READ, current_scope, ensure
from plugins.diagnosis import instruments, matrix, workbook
from plugins.diagnosis.matrix import MatrixError
from plugins.diagnosis.models import (
    Actor,
    ActorRelation,
    Baseline,
    Cause,
    Diagnosis,
    DistrictRecord,
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanResult,
    month_list,
)
from plugins.diagnosis.tabular import ImportReport, TableError


def _dec(value: Any) -> str | None:
    return None if value is None else str(value)


# --- serializers (also the case types' ``serialize``: extra fields of GET /cases/<id>) -------------------


def activity_json(act: PlanActivity) -> dict[str, Any]:
    return {
        "id": act.id,
        "name": act.name,
        "budget": _dec(act.budget),
        "strategic_program": act.strategic_program.key if act.strategic_program else None,
        "funding_source": act.funding_source,
        "institutions": [i.key for i in act.institutions],
        "months": month_list(act.months),
        "official": act.official,
        "physical_goal": _dec(act.physical_goal),
        "physical_unit": act.physical_unit,
        "communities": act.communities,
    }


def plan_json(case: Case) -> dict[str, Any]:
    plan = matrix.load_plan(case.id)
    figures = matrix.totals(plan)
    return {
        "plan": {
            "acronym": plan.acronym,
            "sections": {
                name: getattr(plan, name)
                for name in (
                    "background",
                    "justification",
                    "general_objective",
                    "specific_objectives",
                    "alignment_pdc",
                    "alignment_participatory_budget",
                    "alignment_institutional",
                )
            },
            "approval": {
                "instrument": plan.approval_instrument,
                "number": plan.approval_number,
                "date": plan.approval_date.isoformat() if plan.approval_date else None,
            },
            "previous_plan_id": plan.previous_plan_id,
            "results": [
                {
                    "id": res.id,
                    "name": res.name,
                    "goal_value": res.goal_value,
                    "goal_unit": res.goal_unit,
                    "indicators": [
                        {
                            "id": ind.id,
                            "name": ind.name,
                            "formula": ind.formula,
                            "source": ind.source,
                            "baseline": _dec(ind.baseline),
                            "target": _dec(ind.target),
                        }
                        for ind in res.indicators
                    ],
                    "activities": [activity_json(a) for a in res.activities],
                }
                for res in plan.results
            ],
            "totals": {
                "total": str(figures.total),
                "by_result": [{"result_id": r.id, "total": str(t)} for r, t in figures.by_result],
                "by_strategic_program": [{"program": n, "total": str(t)} for n, t in figures.by_program],
            },
            "gaps": matrix.gaps(plan),
        }
    }


def diagnosis_json(case: Case) -> dict[str, Any]:
    diagnosis: Diagnosis = case  # type: ignore[assignment]
    items = instruments.social_items()
    records = instruments.records_with_values(diagnosis.id)
    grid = instruments.coincidence_matrix(diagnosis)
    baselines = db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == diagnosis.id)).all()
    territory_ubigeo = {t.id: t.ubigeo for t in instruments.territories_in_scope(diagnosis.government)}
    indicator_position = {i.id: i.position for i in instruments.key_indicators()}
    letters = {i.id: i.letter for i in items}
    return {
        "diagnosis": {
            "summary": diagnosis.summary,
            "methodology": diagnosis.methodology,
            "keeps_nominal_list": diagnosis.keeps_nominal_list,
            # Item (g) is the count only: the nominal list is never part of the API.
            "fichas": [
                {
                    "ubigeo": r.territory.ubigeo,
                    "district": r.territory.name,
                    "items": {
                        letters[v.item_id]: {
                            "value": v.value,
                            "source": v.source,
                            "date": v.as_of.isoformat() if v.as_of else None,
                            "notes": v.notes,
                        }
                        for v in r.values
                        if v.item_id in letters
                    },
                }
                for r in records
            ],
            "baselines": [
                {
                    "ubigeo": territory_ubigeo.get(b.territory_id),
                    "indicator": indicator_position.get(b.indicator_id),
                    "measure": b.measure or None,
                    "value": str(b.value),
                    "year": b.year,
                    "source": b.source,
                }
                for b in baselines
            ],
            "coverage": [
                {"program": p.key, "ubigeo": d.ubigeo, "beneficiaries": c.beneficiaries}
                for (p_id, d_id), c in grid.cells.items()
                for p in grid.programs
                if p.id == p_id
                for d in grid.districts
                if d.id == d_id
            ],
            "uncovered_districts": [d.ubigeo for d in grid.uncovered_districts],
            "gaps": instruments.gaps(diagnosis),
        }
    }


# --- write helper --------------------------------------------------------------------------------------


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        bad_request("El cuerpo debe ser un objeto JSON.")
    return data


def _load(case_id: int, model: type[Case]) -> Any:
    """The case (404 outside the jurisdiction); for a write, 403 unless the user may edit there."""
    case = matrix.load_plan(case_id) if model is Plan else db.session.get(model, case_id)
    if case is None:
        abort(404)
    ensure(READ if request.method in ("GET", "HEAD") else EDIT, case.government)
    return case


def _write(case: Case, version: Any, action: Callable[[], Any], status: int = 200, *, append: bool = False) -> Any:
    """One transaction: edit rights in the case's state, fresh version, the action, a version bump.

    ``append`` (adding a new row): no version check and no bump, so concurrent appends never
    conflict with each other (core.cases.lock_for_append).
    """
    ensure(EDIT, case.government)
    if append:
        lock_for_append(case)
    if not editable_by(case, current_scope()):
        bad_request("No puede editar este expediente en su estado actual.", 403)
    try:
        check_version(case, version, append=append)
        outcome = action()
        if isinstance(outcome, ImportReport) and not outcome.ok:
            db.session.rollback()
            response = jsonify(
                {"error": {"code": 400, "message": "Importación rechazada: no se guardó nada."}, **outcome.as_dict()}
            )
            response.status_code = 400
            return response
        touch(case, current_user, append=append)
        db.session.commit()
    except (MatrixError, CaseError, TableError) as error:
        db.session.rollback()
        bad_request(str(error), getattr(error, "status", 400))
    except StaleDataError:
        db.session.rollback()
        bad_request(str(StaleCaseError()), 409)
    if isinstance(outcome, ImportReport):
        return jsonify(outcome.as_dict()), status
    return jsonify({"version": case.version, **(outcome or {})}), status


def _result(plan: Plan, result_id: int) -> PlanResult:
    result = next((r for r in plan.results if r.id == result_id), None)
    if result is None:
        abort(404)
    return result


def register(api: Any) -> None:
    tag = "plan articulado"
    version_body = {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}

    @api.route("/plans/<int:case_id>", summary="Plan Articulado: secciones, matriz, totales y brechas", tag=tag)
    def get_plan(case_id: int):
        plan = _load(case_id, Plan)
        return jsonify({"id": plan.id, "version": plan.version, "state": plan.state, **plan_json(plan)})

    @api.route(
        "/plans/<int:case_id>/sections",
        ("PATCH",),
        summary="Editar secciones y datos de aprobación del plan",
        tag=tag,
        request_body=version_body,
    )
    def patch_sections(case_id: int):
        plan = _load(case_id, Plan)
        data = _body()
        return _write(plan, data.get("version"), lambda: matrix.apply_sections(plan, data))

    @api.route(
        "/plans/<int:case_id>/results",
        ("POST",),
        summary="Agregar un resultado",
        tag=tag,
        request_body=version_body,
        status=201,
    )
    def add_result(case_id: int):
        plan = _load(case_id, Plan)
        data = _body()

        def action() -> dict[str, Any]:
            result = PlanResult(position=len(plan.results) + 1)
            matrix.apply_result(result, data)
            plan.results.append(result)
            db.session.flush()
            return {"id": result.id}

        return _write(plan, data.get("version"), action, 201, append=True)

    @api.route(
        "/plans/<int:case_id>/results/<int:result_id>",
        ("PATCH", "DELETE"),
        summary="Editar o eliminar un resultado",
        tag=tag,
        request_body=version_body,
    )
    def edit_result(case_id: int, result_id: int):
        plan = _load(case_id, Plan)
        result = _result(plan, result_id)
        data = _body()
        if request.method == "DELETE":
            return _write(plan, data.get("version"), lambda: plan.results.remove(result))
        return _write(plan, data.get("version"), lambda: matrix.apply_result(result, data))

    @api.route(
        "/plans/<int:case_id>/results/<int:result_id>/indicators",
        ("POST",),
        summary="Agregar un indicador (fórmula y fuente)",
        status=201,
        tag=tag,
        request_body=version_body,
    )
    def add_indicator(case_id: int, result_id: int):
        plan = _load(case_id, Plan)
        result = _result(plan, result_id)
        data = _body()

        def action() -> dict[str, Any]:
            indicator = PlanIndicator(position=len(result.indicators) + 1)
            matrix.apply_indicator(indicator, data)
            result.indicators.append(indicator)
            db.session.flush()
            return {"id": indicator.id}

        return _write(plan, data.get("version"), action, 201, append=True)

    @api.route(
        "/plans/<int:case_id>/indicators/<int:indicator_id>",
        ("PATCH", "DELETE"),
        summary="Editar o eliminar un indicador",
        tag=tag,
        request_body=version_body,
    )
    def edit_indicator(case_id: int, indicator_id: int):
        plan = _load(case_id, Plan)
        indicator = next((i for r in plan.results for i in r.indicators if i.id == indicator_id), None)
        if indicator is None:
            abort(404)
        data = _body()
        if request.method == "DELETE":
            return _write(plan, data.get("version"), lambda: indicator.result.indicators.remove(indicator))
        return _write(plan, data.get("version"), lambda: matrix.apply_indicator(indicator, data))

    @api.route(
        "/plans/<int:case_id>/results/<int:result_id>/activities",
        ("POST",),
        summary="Agregar una actividad (presupuesto, programa, fuente, responsables, meses)",
        status=201,
        tag=tag,
        request_body=version_body,
    )
    def add_activity(case_id: int, result_id: int):
        plan = _load(case_id, Plan)
        result = _result(plan, result_id)
        data = _body()

        def action() -> dict[str, Any]:
            activity = PlanActivity(position=len(result.activities) + 1)
            matrix.apply_activity(activity, data)
            result.activities.append(activity)
            db.session.flush()
            return {"id": activity.id}

        return _write(plan, data.get("version"), action, 201, append=True)

    @api.route(
        "/plans/<int:case_id>/activities/<int:activity_id>",
        ("PATCH", "DELETE"),
        summary="Editar o eliminar una actividad",
        tag=tag,
        request_body=version_body,
    )
    def edit_activity(case_id: int, activity_id: int):
        plan = _load(case_id, Plan)
        activity = next((a for r in plan.results for a in r.activities if a.id == activity_id), None)
        if activity is None:
            abort(404)
        data = _body()
        if request.method == "DELETE":
            return _write(plan, data.get("version"), lambda: activity.result.activities.remove(activity))
        return _write(plan, data.get("version"), lambda: matrix.apply_activity(activity, data))

    @api.route(
        "/plans/<int:case_id>/matrix.xlsx",
        summary="La matriz en Excel (XLSX)",
        tag=tag,
        response={"type": "string", "format": "binary"},
        response_content_type=workbook.XLSX_MIME,
    )
    def matrix_xlsx(case_id: int):
        import io

        plan = _load(case_id, Plan)
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
        summary="Reemplazar la matriz desde un XLSX (multipart: file, version); nada se guarda si una fila falla",
        tag=tag,
    )
    def matrix_import(case_id: int):
        plan = _load(case_id, Plan)
        file = request.files.get("file")
        if file is None:
            bad_request("Envíe el archivo en el campo «file» (multipart/form-data).")
        data = file.read(5 * 1024 * 1024 + 1)
        return _write(plan, request.form.get("version"), lambda: workbook.import_matrix(plan, data))

    @api.route(
        "/plans/<int:case_id>/next-cycle",
        ("POST",),
        summary="Crear el plan del año siguiente a partir de este (metas por actualizar)",
        status=201,
        tag=tag,
    )
    def api_next_cycle(case_id: int):
        plan = _load(case_id, Plan)
        ensure(EDIT, plan.government)
        if db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == plan.id)):
            bad_request("El plan del año siguiente ya existe.", 409)
        try:
            new = create_case(
                case_types()["articulated_plan"],
                plan.government,
                plan.year + 1,
                f"{plan.title[:280]} ({plan.year + 1})",
                current_user,
                current_scope(),
                previous_plan_id=plan.id,
            )
            matrix.copy_structure(plan, new)
            db.session.commit()
        except CaseError as error:
            db.session.rollback()
            bad_request(str(error), error.status)
        return jsonify({"id": new.id, "reference": new.reference, "year": new.year}), 201

    # --- diagnosis ---------------------------------------------------------------------------------------
    dtag = "diagnóstico"

    @api.route(
        "/diagnoses/<int:case_id>", summary="Diagnóstico: fichas, líneas de base, coincidencias, brechas", tag=dtag
    )
    def get_diagnosis(case_id: int):
        diagnosis = _load(case_id, Diagnosis)
        return jsonify(
            {"id": diagnosis.id, "version": diagnosis.version, "state": diagnosis.state, **diagnosis_json(diagnosis)}
        )

    @api.route(
        "/diagnoses/<int:case_id>/fichas/<ubigeo>",
        ("PUT",),
        summary="Valores de una Ficha Distrital: {items: {letra: {value, source, date, notes}}}",
        tag=dtag,
        request_body=version_body,
    )
    def put_ficha(case_id: int, ubigeo: str):
        diagnosis = _load(case_id, Diagnosis)
        record = db.session.scalar(
            select(DistrictRecord)
            .join(Territory, DistrictRecord.territory_id == Territory.id)
            .where(DistrictRecord.diagnosis_id == diagnosis.id, Territory.ubigeo == ubigeo)
        )
        if record is None:
            abort(404)
        data = _body()
        items = {i.letter: i for i in instruments.social_items()}

        def action() -> None:
            values = data.get("items")
            if not isinstance(values, dict):
                raise MatrixError("«items» debe ser un objeto {letra: {value, source, date, notes}}.")
            for letter, entry in values.items():
                if letter not in items or not isinstance(entry, dict):
                    raise MatrixError(f"Ítem desconocido «{letter}» (use a–k).")
                if set(entry) - {"value", "source", "date", "notes"}:
                    raise MatrixError(f"Ítem {letter}: solo se admiten value, source, date y notes.")
                instruments.set_record_value(
                    record,
                    items[letter],
                    entry.get("value"),
                    entry.get("source"),
                    entry.get("date"),
                    entry.get("notes"),
                )

        return _write(diagnosis, data.get("version"), action)

    @api.route(
        "/diagnoses/<int:case_id>/baselines",
        ("POST",),
        summary="Líneas de base: {version, rows: [{ubigeo, indicator, measure, value, year, source}]}",
        tag=dtag,
        request_body=version_body,
    )
    def post_baselines(case_id: int):
        diagnosis = _load(case_id, Diagnosis)
        data = _body()
        territories = {t.ubigeo: t for t in instruments.territories_in_scope(diagnosis.government)}
        indicators = instruments.indicator_lookup()

        def action() -> ImportReport:
            report = ImportReport()
            rows = data.get("rows")
            if not isinstance(rows, list):
                raise MatrixError("«rows» debe ser una lista.")
            report.rows = len(rows)
            checked = []
            for number, row in enumerate(rows, start=1):
                row = row if isinstance(row, dict) else {}
                territory = territories.get(str(row.get("ubigeo", "")))
                indicator = indicators.get(str(row.get("indicator", "")).lower())
                if territory is None:
                    report.add(number, "ubigeo", "Territorio fuera del ámbito del diagnóstico.")
                if indicator is None:
                    report.add(number, "indicator", "Indicador desconocido (1 a 9).")
                if territory and indicator:
                    checked.append((number, territory, indicator, row))
            for number, territory, indicator, row in checked:
                try:
                    instruments.upsert_baseline(
                        diagnosis,
                        territory,
                        indicator,
                        row.get("value"),
                        row.get("year"),
                        row.get("source"),
                        row.get("notes"),
                        measure=row.get("measure"),
                    )
                    report.saved += 1
                except MatrixError as error:
                    report.add(number, "value/year/source", str(error))
            return report

        return _write(diagnosis, data.get("version"), action)

    @api.route(
        "/diagnoses/<int:case_id>/baselines/import",
        ("POST",),
        summary="Importar líneas de base desde CSV o XLSX (multipart: file, version)",
        tag=dtag,
    )
    def import_baselines(case_id: int):
        diagnosis = _load(case_id, Diagnosis)
        file = request.files.get("file")
        if file is None:
            bad_request("Envíe el archivo en el campo «file» (multipart/form-data).")
        data = file.read(5 * 1024 * 1024 + 1)
        return _write(
            diagnosis,
            request.form.get("version"),
            lambda: instruments.import_baselines(diagnosis, file.filename or "", data),
        )

    @api.route(
        "/diagnoses/<int:case_id>/coverage",
        ("POST",),
        summary="Mapa de Coincidencias: {version, rows: [{program, ubigeo, beneficiaries}]}",
        tag=dtag,
        request_body=version_body,
    )
    def post_coverage(case_id: int):
        diagnosis = _load(case_id, Diagnosis)
        data = _body()
        districts = {d.ubigeo: d for d in instruments.districts_in_scope(diagnosis.government)}
        programs = instruments.program_lookup()

        def action() -> None:
            rows = data.get("rows")
            if not isinstance(rows, list):
                raise MatrixError("«rows» debe ser una lista.")
            for number, row in enumerate(rows, start=1):
                row = row if isinstance(row, dict) else {}
                program = programs.get(str(row.get("program", "")).lower())
                district = districts.get(str(row.get("ubigeo", "")))
                if program is None or district is None:
                    raise MatrixError(f"Fila {number}: programa o distrito desconocido.")
                beneficiaries = row.get("beneficiaries")
                instruments.set_coverage(
                    diagnosis, program, district, "no" if beneficiaries is False else beneficiaries
                )

        return _write(diagnosis, data.get("version"), action)

    for path, model, apply, summary in (
        ("actors", Actor, instruments.apply_actor, "Agregar un actor {name, kind, level, role, programs}"),
        ("relations", ActorRelation, instruments.apply_relation, "Agregar una relación {source_id, target_id, kind}"),
        ("causes", Cause, instruments.apply_cause, "Agregar una causa {level, description, evidence, source}"),
    ):
        api.route(
            f"/diagnoses/<int:case_id>/{path}",
            ("POST",),
            summary=summary,
            tag=dtag,
            request_body=version_body,
            status=201,
        )(
            _adder(model, apply, f"add_{path}")
        )


def _adder(model: type, apply: Callable[..., None], name: str) -> Callable[[int], Any]:
    def view(case_id: int) -> Any:
        diagnosis = _load(case_id, Diagnosis)
        data = _body()

        def action() -> dict[str, Any]:
            row = model()
            apply(diagnosis, row, data)
            db.session.add(row)
            db.session.flush()
            return {"id": row.id}

        return _write(diagnosis, data.get("version"), action, 201, append=True)

    view.__name__ = name
    return view
