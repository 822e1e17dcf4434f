"""Pages of stage 2: the diagnosis's instruments and the plan's matrix, its XLSX, the next cycle,
the list of plans and the dashboard widget.

Every page loads its case through ``_case`` (404 outside the user's jurisdiction) and every
write goes through ``_write``: the user may edit the case in its current state
(core.cases.editable_by), the form carries the case version (a stale form gets 409), and the
case is touched so its version moves with any change to its child records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

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
from core.formatting import money
from core.models import Case, Institution, SocialProgram, StrategicProgram, Territory
from core.security import EDIT, READ, can, current_scope, ensure, readable_clause
from core.web.pagination import paginate
from core.workflow import WorkflowError
from plugins.diagnosis import instruments, matrix, workbook
from plugins.diagnosis.labels import (
    ACTOR_KIND_LABELS,
    ACTOR_LEVEL_LABELS,
    CAUSE_LEVEL_LABELS,
    FUNDING_SOURCE_LABELS,
    MONTHS_SHORT,
    RELATION_KIND_LABELS,
    SURVEY_SECTION_LABELS,
    WEALTH_CATEGORY_LABELS,
    label,
)
from plugins.diagnosis.matrix import MatrixError
from plugins.diagnosis.models import (
    Actor,
    ActorRelation,
    Baseline,
    Cause,
    Diagnosis,
    DistrictRecord,
    NominalChild,
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanResult,
    SurveyAnswer,
    WealthItem,
    month_list,
)
from plugins.diagnosis.privacy import audit_nominal_access, can_see_nominal_list
from plugins.diagnosis.tabular import ImportReport, TableError
from plugins.diagnosis.transitions import approval_gaps

bp = Blueprint("diagnosis", __name__)

WRITE_ERRORS = (MatrixError, CaseError, TableError, WorkflowError)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "dx_label": label,
        "ACTOR_KIND_LABELS": ACTOR_KIND_LABELS,
        "ACTOR_LEVEL_LABELS": ACTOR_LEVEL_LABELS,
        "RELATION_KIND_LABELS": RELATION_KIND_LABELS,
        "CAUSE_LEVEL_LABELS": CAUSE_LEVEL_LABELS,
        "WEALTH_CATEGORY_LABELS": WEALTH_CATEGORY_LABELS,
        "SURVEY_SECTION_LABELS": SURVEY_SECTION_LABELS,
        "FUNDING_SOURCE_LABELS": FUNDING_SOURCE_LABELS,
        "MONTHS_SHORT": MONTHS_SHORT,
        "month_list": month_list,
        "dx_diagnosis_summary": diagnosis_summary,
        "dx_plan_summary": plan_summary,
        "dx_money": money,
        "typed": typed,
        "typed_chosen": typed_chosen,
        "typed_open": typed_open,
    }


# --- keeping what was typed when a form is refused ------------------------------------------------------
# A refused POST re-renders its page in the same request (success redirects), so the page can fill
# the form that was sent from request.form. Each form names itself with a hidden «_form» field
# (macro ``hidden(case, form_id)``) so that only that form is refilled, not the page's other forms.


def _sent(form_id: str) -> Any:
    if request.method == "POST" and request.form.get("_form") == form_id:
        return request.form
    return None


def typed(form_id: str, name: str, stored: Any = "") -> Any:
    """What was typed in ``name`` if ``form_id`` was just refused, else the stored value."""
    sent = _sent(form_id)
    if sent is not None:
        return sent.get(name, "")
    return "" if stored is None else stored


def typed_chosen(form_id: str, name: str, value: Any, stored: bool = False) -> bool:
    """Whether option ``value`` of ``name`` is chosen (select option, checkbox) — as sent, or as stored."""
    sent = _sent(form_id)
    if sent is not None:
        return str(value) in sent.getlist(name)
    return stored


def typed_open(form_id: str) -> bool:
    """A folded form (``<details>``) is shown open when it is the one refused."""
    return _sent(form_id) is not None


def diagnosis_summary(case: Diagnosis) -> dict[str, Any]:
    """What the case page shows of a diagnosis: counts per instrument and what blocks validation."""
    counts = {}
    for key, model in (("actors", Actor), ("causes", Cause), ("baselines", Baseline), ("wealth", WealthItem)):
        counts[key] = db.session.scalar(select(func.count(model.id)).where(model.diagnosis_id == case.id))
    counts["fichas"] = db.session.scalar(
        select(func.count(DistrictRecord.id)).where(DistrictRecord.diagnosis_id == case.id)
    )
    return {"counts": counts, "gaps": instruments.gaps(case), "can_write": _can_write(case)}


def plan_summary(case: Plan) -> dict[str, Any]:
    plan = matrix.load_plan(case.id)
    next_plan = db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == case.id))
    return {
        "plan": plan,
        "totals": matrix.totals(plan),
        "gaps": approval_gaps(plan),
        "next_plan_id": next_plan,
        "can_create_next": can(current_scope(), "government.write", case.government_id),
    }


# --- loading and guarding ----------------------------------------------------------------------------


def _case(case_id: int, model: type[Case]) -> Any:
    case = db.session.get(model, case_id)
    if case is None:
        abort(404)
    ensure(READ, case.government)
    return case


def _can_write(case: Case) -> bool:
    return editable_by(case, current_scope())


def _write(
    case: Case, action: Callable[[], Any], on_error: Callable[[list[str], int], Any], done: str, *, append: bool = False
) -> Any:
    """Run ``action`` as one transaction on ``case``'s child records; errors re-render the page.

    ``append`` (adding a new row): no version check and no bump, so concurrent appends never
    conflict with each other (core.cases.lock_for_append).
    """
    ensure(EDIT, case.government)
    if append:
        lock_for_append(case)
    if not _can_write(case):
        abort(403)
    try:
        check_version(case, request.form.get("version"), append=append)
        outcome = action()
        if isinstance(outcome, ImportReport) and not outcome.ok:
            db.session.rollback()  # nothing of a refused import is kept
            return outcome  # the caller shows the report
        touch(case, current_user, append=append)  # bumps the case version: child edits are case edits
        db.session.commit()
    except WRITE_ERRORS as error:
        db.session.rollback()
        reasons = getattr(error, "reasons", None) or [str(error)]
        return on_error(reasons, getattr(error, "status", 400))
    except StaleDataError:
        db.session.rollback()
        return on_error([str(StaleCaseError())], 409)
    flash(_("Saved."), "success")
    return redirect(done, 303)


def _form() -> dict[str, Any]:
    return {k: (v if len(request.form.getlist(k)) == 1 else request.form.getlist(k)) for k, v in request.form.items()}


def _upload() -> tuple[str, bytes]:
    file = request.files.get("file")
    if file is None or not file.filename:
        raise TableError("Elija un archivo.")
    data = file.read(5 * 1024 * 1024 + 1)
    return file.filename, data


# --- list of plans, dashboard widget -----------------------------------------------------------------


@bp.route("/planes/")
@login_required
def plans():
    """Plans and diagnoses in the user's scope, newest first, paginated."""
    scope = current_scope()
    query = (
        select(Case)
        .where(Case.type.in_(("articulated_plan", "diagnosis")), readable_clause(scope, Case.government_id))
        .options(joinedload(Case.government))
        .order_by(Case.year.desc(), Case.id.desc())
    )
    year = request.args.get("year", "")
    if year.isdigit():
        query = query.where(Case.year == int(year))
    page = paginate(query, Case.id)
    return render_template("diagnosis/plans.html", page=page, types=case_types(), year=year)


def dashboard_widget(user: Any) -> dict[str, Any] | None:
    """The user's plans of the latest year in scope: state and total budget (two queries)."""
    scope = current_scope()
    if not (scope.everything or scope.direct):
        return None
    plans = db.session.scalars(
        select(Plan)
        .where(readable_clause(scope, Case.government_id))
        .options(joinedload(Plan.government))
        .order_by(Case.year.desc(), Case.id.desc())
        .limit(5)
    ).all()
    totals = dict(
        db.session.execute(
            select(PlanResult.plan_id, func.coalesce(func.sum(PlanActivity.budget), 0))
            .join(PlanActivity, PlanActivity.result_id == PlanResult.id)
            .where(PlanResult.plan_id.in_([p.id for p in plans]))
            .group_by(PlanResult.plan_id)
        ).all()
    )
    return {
        "title": _("Plans Articulados"),
        "template": "diagnosis/widget.html",
        "context": {"plans": plans, "totals": totals},
        "order": 20,
    }


# --- Diagnosis: Fichas Distritales -------------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/fichas")
@login_required
def fichas(case_id: int):
    diagnosis = _case(case_id, Diagnosis)
    items = instruments.social_items()
    records = instruments.records_with_values(diagnosis.id)
    return render_template(
        "diagnosis/fichas.html",
        case=diagnosis,
        records=records,
        items=items,
        can_write=_can_write(diagnosis),
        can_nominal=can_see_nominal_list(current_scope(), diagnosis),
    )


@bp.route("/diagnosticos/<int:case_id>/fichas/<int:record_id>", methods=["GET", "POST"])
@login_required
def ficha(case_id: int, record_id: int):
    diagnosis = _case(case_id, Diagnosis)
    record = db.session.get(DistrictRecord, record_id)
    if record is None or record.diagnosis_id != diagnosis.id:
        abort(404)
    items = instruments.social_items()

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        by_item = {v.item_id: v for v in record.values}
        nominal_count = None
        if diagnosis.keeps_nominal_list and can_see_nominal_list(current_scope(), diagnosis):
            nominal_count = db.session.scalar(
                select(func.count(NominalChild.id)).where(NominalChild.record_id == record.id)
            )
        return render_template(
            "diagnosis/ficha.html",
            case=diagnosis,
            record=record,
            rows=[(item, by_item.get(item.id)) for item in items],
            can_write=_can_write(diagnosis),
            nominal_count=nominal_count,
            errors=errors,
            form=request.form if errors else None,
        ), status

    if request.method == "GET":
        return page()

    def save() -> None:
        problems = []
        for item in items:
            prefix = f"item_{item.id}_"
            try:
                instruments.set_record_value(
                    record,
                    item,
                    request.form.get(prefix + "value"),
                    request.form.get(prefix + "source"),
                    request.form.get(prefix + "as_of"),
                    request.form.get(prefix + "notes"),
                )
            except MatrixError as error:
                problems.append(str(error))
        record.notes = matrix.clean_text(request.form.get("notes"), "Notas", limit=20000)
        if problems:
            raise MatrixError(" ".join(problems))

    return _write(diagnosis, save, page, url_for("diagnosis.fichas", case_id=diagnosis.id))


@bp.route("/diagnosticos/<int:case_id>/lista-nominal", methods=["POST"])
@login_required
def nominal_setting(case_id: int):
    """Whether this government keeps the nominal list of item (g): its coordinators decide."""
    diagnosis = _case(case_id, Diagnosis)
    if not can_see_nominal_list(current_scope(), diagnosis):
        abort(403)

    def save() -> None:
        keep = request.form.get("keep") == "1"
        if not keep and diagnosis.keeps_nominal_list:
            # Stopping the list deletes it: personal data is not kept longer than needed (Ley N° 29733).
            ids = [r.id for r in diagnosis.records]
            db.session.execute(db.delete(NominalChild).where(NominalChild.record_id.in_(ids)))
            audit_nominal_access("nominal_list_deleted", diagnosis, "lista nominal eliminada")
        diagnosis.keeps_nominal_list = keep

    return _write(
        diagnosis,
        save,
        lambda errors, status: (render_template("core/error.html", code=status, message=" ".join(errors)), status),
        url_for("diagnosis.fichas", case_id=diagnosis.id),
    )


@bp.route("/diagnosticos/<int:case_id>/fichas/<int:record_id>/lista-nominal", methods=["GET", "POST"])
@login_required
def nominal_list(case_id: int, record_id: int):
    """Item (g), nominal list: the government's coordinators only; every access is audited."""
    diagnosis = _case(case_id, Diagnosis)
    record = db.session.get(DistrictRecord, record_id)
    if record is None or record.diagnosis_id != diagnosis.id:
        abort(404)
    if not can_see_nominal_list(current_scope(), diagnosis) or not diagnosis.keeps_nominal_list:
        abort(403)

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        children = db.session.scalars(
            select(NominalChild).where(NominalChild.record_id == record.id).order_by(NominalChild.full_name)
        ).all()
        audit_nominal_access("nominal_list_viewed", diagnosis, f"ficha {record.territory.ubigeo}: {len(children)}")
        db.session.commit()
        response = render_template(
            "diagnosis/nominal.html",
            case=diagnosis,
            record=record,
            children=children,
            can_write=_can_write(diagnosis),
            errors=errors,
        )
        return response, status, {"Cache-Control": "no-store, private"}

    if request.method == "GET":
        return page()

    def save() -> None:
        delete_id = request.form.get("delete")
        if delete_id:
            child = db.session.get(NominalChild, int(delete_id)) if delete_id.isdigit() else None
            if child is None or child.record_id != record.id:
                raise MatrixError("Registro no encontrado.")
            db.session.delete(child)
            audit_nominal_access("nominal_child_deleted", diagnosis, f"ficha {record.territory.ubigeo}")
            return
        dni = (request.form.get("dni") or "").strip() or None
        if dni is not None and (not dni.isdigit() or len(dni) != 8):
            raise MatrixError("El DNI tiene 8 dígitos.")
        child = NominalChild(
            record_id=record.id,
            full_name=matrix.clean_text(request.form.get("full_name"), "Nombres y apellidos", required=True, limit=200),
            dni=dni,
            birth_date=instruments.parse_as_of(request.form.get("birth_date"), "Fecha de nacimiento"),
            community=matrix.clean_text(request.form.get("community"), "Comunidad", limit=200),
        )
        db.session.add(child)
        audit_nominal_access("nominal_child_added", diagnosis, f"ficha {record.territory.ubigeo}")

    return _write(diagnosis, save, page, url_for("diagnosis.nominal_list", case_id=diagnosis.id, record_id=record.id))


# --- Diagnosis: baselines ----------------------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/lineas-de-base", methods=["GET", "POST"])
@login_required
def baselines(case_id: int):
    diagnosis = _case(case_id, Diagnosis)
    territories = instruments.territories_in_scope(diagnosis.government)
    indicators = instruments.key_indicators()

    # One column per indicator, or per measure of an indicator measured several ways (1: poverty and
    # extreme poverty): (indicator, measure key, label).
    columns = []
    for indicator in indicators:
        measures = instruments.measures_of(indicator)
        if measures:
            columns += [(indicator, key, f"{indicator.position}. {m.name}") for key, m in measures.items()]
        else:
            columns.append((indicator, "", str(indicator.position)))

    def page(errors: list[str] | None = None, status: int = 200, report: ImportReport | None = None) -> Any:
        rows = db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == diagnosis.id)).all()
        cells = {(b.territory_id, b.indicator_id, b.measure): b for b in rows}
        return render_template(
            "diagnosis/baselines.html",
            case=diagnosis,
            territories=territories,
            indicators=indicators,
            columns=columns,
            sources=instruments.data_sources(),
            cells=cells,
            can_write=_can_write(diagnosis),
            errors=errors,
            report=report,
        ), status

    if request.method == "GET":
        return page()
    by_id = {str(t.id): t for t in territories}
    indicator_by_id = {str(i.id): i for i in indicators}

    def save() -> Any:
        if request.files.get("file"):
            filename, data = _upload()
            return instruments.import_baselines(diagnosis, filename, data)
        territory = by_id.get(request.form.get("territory", ""))
        # "12" (an indicator) or "12:pobreza_extrema" (one of its measures)
        indicator_id, _, measure = request.form.get("indicator", "").partition(":")
        indicator = indicator_by_id.get(indicator_id)
        if territory is None or indicator is None:
            raise MatrixError("Elija un territorio del ámbito y un indicador.")
        instruments.upsert_baseline(
            diagnosis,
            territory,
            indicator,
            request.form.get("value"),
            request.form.get("year"),
            request.form.get("source"),
            request.form.get("notes"),
            measure=measure,
        )

    outcome = _write(diagnosis, save, page, url_for("diagnosis.baselines", case_id=diagnosis.id))
    if isinstance(outcome, ImportReport):
        return page(report=outcome, status=400)
    return outcome


# --- Diagnosis: Mapa de Actores ----------------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/actores", methods=["GET", "POST"])
@login_required
def actors(case_id: int):
    diagnosis = _case(case_id, Diagnosis)

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        actor_rows = db.session.scalars(
            select(Actor)
            .where(Actor.diagnosis_id == diagnosis.id)
            .options(selectinload(Actor.programs))
            .order_by(Actor.kind, Actor.name)
        ).all()
        relations = db.session.scalars(
            select(ActorRelation)
            .where(ActorRelation.diagnosis_id == diagnosis.id)
            .options(joinedload(ActorRelation.source), joinedload(ActorRelation.target))
            .order_by(ActorRelation.id)
        ).all()
        programs = db.session.scalars(
            select(SocialProgram).where(SocialProgram.active.is_(True)).order_by(SocialProgram.position)
        ).all()
        return render_template(
            "diagnosis/actors.html",
            case=diagnosis,
            actors=actor_rows,
            relations=relations,
            programs=programs,
            can_write=_can_write(diagnosis),
            errors=errors,
        ), status

    if request.method == "GET":
        return page()

    def save() -> None:
        action = request.form.get("action")
        data = _form()
        if action == "add_actor":
            actor = Actor()
            instruments.apply_actor(diagnosis, actor, data)
            db.session.add(actor)
        elif action == "add_relation":
            relation = ActorRelation()
            instruments.apply_relation(diagnosis, relation, data)
            db.session.add(relation)
        elif action in ("delete_actor", "delete_relation"):
            model = Actor if action == "delete_actor" else ActorRelation
            row = db.session.get(model, int(request.form.get("id", 0) or 0))
            if row is None or row.diagnosis_id != diagnosis.id:
                raise MatrixError("Registro no encontrado.")
            db.session.delete(row)
        else:
            raise MatrixError("Acción desconocida.")

    return _write(diagnosis, save, page, url_for("diagnosis.actors", case_id=diagnosis.id))


# --- Diagnosis: Mapa de Coincidencias ----------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/coincidencias", methods=["GET", "POST"])
@login_required
def coverage(case_id: int):
    diagnosis = _case(case_id, Diagnosis)

    def page(errors: list[str] | None = None, status: int = 200, report: ImportReport | None = None) -> Any:
        grid = instruments.coincidence_matrix(diagnosis)
        # A region has ~80 districts: the grid is shown one province at a time (gaps listed for all).
        parents = {
            t.id: t.name
            for t in db.session.scalars(
                select(Territory).where(Territory.id.in_({d.parent_id for d in grid.districts}))
            )
        }
        provinces = sorted({(d.ubigeo[:4], parents.get(d.parent_id, d.ubigeo[:4])) for d in grid.districts})
        province = request.args.get("provincia") or (provinces[0][0] if len(provinces) > 1 else "")
        shown = [d for d in grid.districts if d.ubigeo.startswith(province)]
        return render_template(
            "diagnosis/coverage.html",
            case=diagnosis,
            matrix=grid,
            shown=shown,
            provinces=provinces,
            province=province,
            can_write=_can_write(diagnosis),
            errors=errors,
            report=report,
        ), status

    if request.method == "GET":
        return page()

    def save() -> Any:
        if request.files.get("file"):
            filename, data = _upload()
            return instruments.import_coverage(diagnosis, filename, data)
        grid = instruments.coincidence_matrix(diagnosis)
        problems = []
        for program in grid.programs:
            for district in grid.districts:
                name = f"c_{program.id}_{district.id}"
                if name not in request.form:
                    continue
                value = request.form.get(name, "").strip()
                # A ticked cell or a typed number means the program intervenes; neither removes it.
                checked = request.form.get(f"on_{program.id}_{district.id}") == "1" or bool(value)
                try:
                    instruments.set_coverage(diagnosis, program, district, (value or "sí") if checked else "no")
                except MatrixError as error:
                    problems.append(f"{program.acronym or program.name} / {district.name}: {error}")
        if problems:
            raise MatrixError(" ".join(problems))

    done = url_for("diagnosis.coverage", case_id=diagnosis.id, provincia=request.args.get("provincia", ""))
    outcome = _write(diagnosis, save, page, done)
    if isinstance(outcome, ImportReport):
        return page(report=outcome, status=400)
    return outcome


# --- Diagnosis: causes and production diagnosis ------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/causas", methods=["GET", "POST"])
@login_required
def causes(case_id: int):
    diagnosis = _case(case_id, Diagnosis)

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        rows = db.session.scalars(select(Cause).where(Cause.diagnosis_id == diagnosis.id).order_by(Cause.id)).all()
        return render_template(
            "diagnosis/causes.html", case=diagnosis, causes=rows, can_write=_can_write(diagnosis), errors=errors
        ), status

    if request.method == "GET":
        return page()

    def save() -> None:
        if request.form.get("delete"):
            row = db.session.get(Cause, int(request.form["delete"]) if request.form["delete"].isdigit() else 0)
            if row is None or row.diagnosis_id != diagnosis.id:
                raise MatrixError("Registro no encontrado.")
            db.session.delete(row)
            return
        cause = Cause()
        instruments.apply_cause(diagnosis, cause, _form())
        db.session.add(cause)

    return _write(diagnosis, save, page, url_for("diagnosis.causes", case_id=diagnosis.id))


@bp.route("/diagnosticos/<int:case_id>/productivo", methods=["GET", "POST"])
@login_required
def production(case_id: int):
    diagnosis = _case(case_id, Diagnosis)
    districts = instruments.districts_in_scope(diagnosis.government)

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        wealth = db.session.scalars(
            select(WealthItem)
            .where(WealthItem.diagnosis_id == diagnosis.id)
            .options(joinedload(WealthItem.territory))
            .order_by(WealthItem.category, WealthItem.name)
        ).all()
        answers = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.diagnosis_id == diagnosis.id)).all()
        selected = request.args.get("distrito") or (districts[0].ubigeo if districts else "")
        district = next((d for d in districts if d.ubigeo == selected), districts[0] if districts else None)
        by_section = {a.section: a.content for a in answers if district and a.territory_id == district.id}
        return render_template(
            "diagnosis/production.html",
            case=diagnosis,
            wealth=wealth,
            districts=districts,
            district=district,
            answers=by_section,
            can_write=_can_write(diagnosis),
            errors=errors,
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.production", case_id=diagnosis.id, distrito=request.form.get("district", ""))

    def save() -> None:
        action = request.form.get("action")
        if action == "add_wealth":
            item = WealthItem()
            instruments.apply_wealth(diagnosis, item, _form())
            db.session.add(item)
        elif action == "delete_wealth":
            row = db.session.get(WealthItem, int(request.form.get("id", 0) or 0))
            if row is None or row.diagnosis_id != diagnosis.id:
                raise MatrixError("Registro no encontrado.")
            db.session.delete(row)
        elif action == "survey":
            from plugins.diagnosis.models import SURVEY_SECTIONS

            for section in SURVEY_SECTIONS:
                instruments.set_survey_answer(
                    diagnosis, request.form.get("district"), section, request.form.get(section)
                )
        else:
            raise MatrixError("Acción desconocida.")

    return _write(diagnosis, save, page, done)


# --- Plan Articulado: the matrix ---------------------------------------------------------------------


def _plan(case_id: int) -> Plan:
    plan = matrix.load_plan(case_id)
    if plan is None:
        abort(404)
    ensure(READ, plan.government)
    return plan


def _catalogs() -> dict[str, Any]:
    return {
        "strategic_programs": db.session.scalars(
            select(StrategicProgram).where(StrategicProgram.active.is_(True)).order_by(StrategicProgram.position)
        ).all(),
        "institutions": db.session.scalars(
            select(Institution).where(Institution.active.is_(True)).order_by(Institution.position)
        ).all(),
    }


@bp.route("/planes/<int:case_id>/matriz")
@login_required
def plan_matrix(case_id: int, errors: list[str] | None = None, status: int = 200, report: ImportReport | None = None):
    plan = _plan(case_id)
    return render_template(
        "diagnosis/matrix.html",
        case=plan,
        plan=plan,
        totals=matrix.totals(plan),
        gaps=matrix.gaps(plan),
        can_write=_can_write(plan),
        errors=errors,
        report=report,
        **_catalogs(),
    ), status


def _matrix_error(case_id: int) -> Callable[[list[str], int], Any]:
    return lambda errors, status: plan_matrix(case_id, errors=errors, status=status)


def _result_of(plan: Plan, result_id: int) -> PlanResult:
    result = next((r for r in plan.results if r.id == result_id), None)
    if result is None:
        abort(404)
    return result


@bp.route("/planes/<int:case_id>/resultados", methods=["POST"])
@bp.route("/planes/<int:case_id>/resultados/<int:result_id>", methods=["POST"])
@login_required
def plan_result(case_id: int, result_id: int | None = None):
    plan = _plan(case_id)
    result = _result_of(plan, result_id) if result_id else None

    def save() -> None:
        if result is not None and request.form.get("delete"):
            plan.results.remove(result)
            return
        target = result or PlanResult(position=len(plan.results) + 1)
        matrix.apply_result(target, _form())
        if result is None:
            plan.results.append(target)

    return _write(
        plan, save, _matrix_error(case_id), url_for("diagnosis.plan_matrix", case_id=plan.id), append=result is None
    )


@bp.route("/planes/<int:case_id>/resultados/<int:result_id>/indicadores", methods=["POST"])
@bp.route("/planes/<int:case_id>/resultados/<int:result_id>/indicadores/<int:indicator_id>", methods=["POST"])
@login_required
def plan_indicator(case_id: int, result_id: int, indicator_id: int | None = None):
    plan = _plan(case_id)
    result = _result_of(plan, result_id)
    indicator = None
    if indicator_id:
        indicator = next((i for i in result.indicators if i.id == indicator_id), None) or abort(404)

    def save() -> None:
        if indicator is not None and request.form.get("delete"):
            result.indicators.remove(indicator)
            return
        target = indicator or PlanIndicator(position=len(result.indicators) + 1)
        matrix.apply_indicator(target, _form())
        if indicator is None:
            result.indicators.append(target)

    return _write(
        plan, save, _matrix_error(case_id), url_for("diagnosis.plan_matrix", case_id=plan.id), append=indicator is None
    )


@bp.route("/planes/<int:case_id>/resultados/<int:result_id>/actividades/nueva", methods=["GET", "POST"])
@bp.route("/planes/<int:case_id>/actividades/<int:activity_id>", methods=["GET", "POST"])
@login_required
def plan_activity(case_id: int, result_id: int | None = None, activity_id: int | None = None):
    plan = _plan(case_id)
    activity = None
    if activity_id:
        activity = next((a for r in plan.results for a in r.activities if a.id == activity_id), None)
        if activity is None:
            abort(404)
        result = activity.result
    else:
        result = _result_of(plan, result_id)

    def page(errors: list[str] | None = None, status: int = 200) -> Any:
        return render_template(
            "diagnosis/activity.html",
            case=plan,
            plan=plan,
            result=result,
            activity=activity,
            form=request.form if errors else None,
            can_write=_can_write(plan),
            errors=errors,
            **_catalogs(),
        ), status

    if request.method == "GET":
        return page()

    def save() -> None:
        if activity is not None and request.form.get("delete"):
            result.activities.remove(activity)
            return
        data = _form()
        # Multiple selections: none chosen means none (the form always sends the whole activity).
        data["institutions"] = request.form.getlist("institutions")
        data["months"] = request.form.getlist("months")
        target = activity or PlanActivity(position=len(result.activities) + 1)
        matrix.apply_activity(target, data)
        if activity is None:
            result.activities.append(target)

    return _write(plan, save, page, url_for("diagnosis.plan_matrix", case_id=plan.id), append=activity is None)


@bp.route("/planes/<int:case_id>/matriz.xlsx")
@login_required
def plan_xlsx(case_id: int):
    import io

    plan = _plan(case_id)
    data = workbook.export_matrix(plan)
    name = f"matriz-{plan.acronym}-{plan.year}-{plan.government.ubigeo}.xlsx"
    return send_file(io.BytesIO(data), mimetype=workbook.XLSX_MIME, as_attachment=True, download_name=name)


@bp.route("/planes/<int:case_id>/matriz/importar", methods=["POST"])
@login_required
def plan_import(case_id: int):
    plan = _plan(case_id)

    def save() -> ImportReport:
        _filename, data = _upload()
        return workbook.import_matrix(plan, data)

    outcome = _write(plan, save, _matrix_error(case_id), url_for("diagnosis.plan_matrix", case_id=plan.id))
    if isinstance(outcome, ImportReport):
        return plan_matrix(case_id, report=outcome, status=400)
    return outcome


@bp.route("/planes/<int:case_id>/siguiente-ciclo", methods=["POST"])
@login_required
def next_cycle(case_id: int):
    """Next year's plan from this one: structure copied, goals left to update."""
    plan = _plan(case_id)
    ensure(EDIT, plan.government)
    scope = current_scope()
    existing = db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == plan.id))
    if existing:
        flash(_("Next year's plan already exists."), "info")
        return redirect(url_for("cases.detail", case_id=existing), 303)
    try:
        new = create_case(
            case_types()["articulated_plan"],
            plan.government,
            plan.year + 1,
            _("%(title)s (%(year)s)", title=plan.title[:280], year=plan.year + 1),
            current_user,
            scope,
            previous_plan_id=plan.id,
        )
        matrix.copy_structure(plan, new)
        db.session.commit()
    except WRITE_ERRORS as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cases.detail", case_id=plan.id), 303)
    flash(_("Plan for %(year)s created: update its goals.", year=new.year), "success")
    return redirect(url_for("cases.detail", case_id=new.id), 303)


@bp.route("/ordenanzas/<int:case_id>/plan", methods=["POST"])
@login_required
def ordinance_plan(case_id: int):
    """Link the ordinance to the plan whose objectives and goals it approves (its annex)."""
    from plugins.diagnosis.ordinance_annex import link
    from plugins.institutionalization.models import Ordinance

    ordinance = _case(case_id, Ordinance)
    ensure(EDIT, ordinance.government)
    token_ok = request.form.get("version") == str(ordinance.version)
    raw = (request.form.get("plan_id") or "").strip()
    plan = None
    if raw:
        plan = db.session.get(Plan, int(raw)) if raw.isdigit() else None
        if plan is None:
            abort(404)
    try:
        if not token_ok:
            raise StaleCaseError()
        link(ordinance, plan, current_scope(), current_user)
        db.session.commit()
    except CaseError as error:
        db.session.rollback()
        flash(str(error), "error")
        if error.status == 403:
            abort(403)
        return redirect(url_for("cases.detail", case_id=case_id, _anchor="anexo"), 303)
    flash(
        _("Annex: %(plan)s.", plan=plan.reference) if plan is not None else _("The ordinance has no annex now."),
        "success",
    )
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="anexo"), 303)
