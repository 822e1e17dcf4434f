"""Case pages: inbox, create, detail (fields, history, panels, transitions), edit, transitions, cycle page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from core.cases.forms import CaseCreateForm, CaseEditForm, build_form, custom_from_form, type_field_names
from core.cases.search import search_clause
from core.cases.service import CaseError, StaleCaseError, create_case, editable_by, update_case
from core.cases.types import case_type_of, case_types, stage_label
from core.collation import sorted_spanish
from core.custom_fields import FieldValueError, display, fields_for, form_value, parse_values
from core.cycles import current_year, standing_cases
from core.documents.issue import issuing
from core.documents.jobs import enqueue
from core.documents.registry import DocumentError, LargeDocument
from core.extensions import db
from core.models import STAGES, Case, Cycle, Government
from core.panels import case_panels, cycle_panels, inbox_filters, render_context
from core.security import (
    EDIT,
    READ,
    can,
    current_scope,
    ensure,
    ensure_case,
    readable_case_clause,
    writable_government_ids,
)
from core.web.pagination import paginate
from core.workflow import WorkflowError, available_transitions, get_workflow, later_requirements, perform

bp = Blueprint("cases", __name__)


@bp.app_context_processor
def _case_helpers() -> dict[str, Any]:
    return {"stage_label": stage_label, "state_label": _state_label, "later_requirements": later_requirements}


def _state_label(case: Case) -> str:
    try:
        return get_workflow(case.workflow_id).state_label(case.state)
    except WorkflowError:
        return case.state


def load_case(case_id: int, action: str = READ) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    ensure_case(action, case)  # participant governments read it too (DESIGN §11)
    return case


# --- inbox -----------------------------------------------------------------------------------------


@bp.route("/expedientes/")
@login_required
def inbox():
    scope = current_scope()
    query = (
        select(Case)
        .where(readable_case_clause(scope))
        .options(joinedload(Case.government))
        .order_by(Case.updated_at.desc(), Case.id.desc())
    )
    filters = {k: request.args.get(k, "").strip() for k in ("view", "type", "state", "government", "year", "q")}
    if filters["view"] == "mine":
        mine = writable_government_ids(scope)
        query = query.where(or_(Case.created_by_id == current_user.id, Case.government_id.in_(mine)))
    if filters["type"] in case_types():
        query = query.where(Case.type == filters["type"])
    if filters["state"]:
        query = query.where(Case.state == filters["state"])
    if filters["government"].isdigit():
        query = query.where(Case.government_id == int(filters["government"]))
    if filters["year"].isdigit():
        query = query.where(Case.year == int(filters["year"]))
    if filters["q"]:
        query = query.where(search_clause(filters["q"]))

    for key, apply in inbox_filters().items():
        if request.args.get(key):
            query = apply(query, request.args.get(key))
    page = paginate(query, Case.id)
    return render_template("core/cases/inbox.html", page=page, filters=filters, types=case_types())


@bp.route("/expedientes/nuevo", methods=["GET", "POST"])
@login_required
def create():
    scope = current_scope()
    case_type = case_types().get(request.args.get("tipo", "generic"))
    if case_type is None:
        abort(404)
    if not case_type.generic_create:  # the type's own page creates it; nothing is created here
        return redirect(url_for(case_type.create_endpoint), 303)
    governments = (
        db.session.scalars(
            select(Government).where(Government.id.in_(writable_government_ids(scope))).order_by(Government.name)
        ).all()
        if not scope.is_admin
        else []
    )
    if scope.is_admin:
        governments = db.session.scalars(select(Government).order_by(Government.name).limit(3000)).all()
    governments = sorted_spanish(g for g in governments if case_type.allowed_for(g))
    if not governments:
        abort(403)
    # The cycle year: the one the cycle page links with (?anio=2026), else the current year in Lima.
    requested = request.args.get("anio", "")
    year = int(requested) if requested.isdigit() and 2000 <= int(requested) <= 2100 else current_year()
    form = build_form(CaseCreateForm, case_type, data={"year": year})
    form.government.choices = [(g.id, g.name) for g in governments]
    if request.method == "GET" and request.args.get("gobierno", "").isdigit():
        form.government.data = int(request.args["gobierno"])
    if case_type.stage:
        del form.stage
    status = 200
    if form.validate_on_submit():
        government = db.session.get(Government, form.government.data)
        ensure(EDIT, government)
        attributes = {name: form[name].data for name in type_field_names(case_type)}
        try:
            case = create_case(
                case_type,
                government,
                form.year.data,
                form.title.data,
                current_user,
                scope,
                stage=form.stage.data if "stage" in form else None,
                custom=custom_from_form(form, case_type),
                **attributes,
            )
            db.session.commit()
        except (CaseError, FieldValueError, WorkflowError) as error:
            db.session.rollback()
            flash(str(error), "error")
            status = getattr(error, "status", 400)
        else:
            flash(_("Case %(reference)s created.", reference=case.reference), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    elif request.method == "POST":
        status = 400
    return render_template("core/cases/form.html", form=form, case_type=case_type, case=None), status


# --- detail, edit, transitions ---------------------------------------------------------------------


def detail_rows(case: Case) -> list[tuple[str, str]]:
    rows = []
    for field in fields_for(case.type, include_archived=True):
        value = (case.custom or {}).get(field.name)
        if field.archived_at is not None and value in (None, "", []):
            continue
        label = field.label + (" " + _("(archived)") if field.archived_at else "")
        rows.append((label, display(field, value)))
    return rows


@bp.route("/expedientes/<int:case_id>")
@login_required
def detail(case_id: int):
    case = load_case(case_id)
    scope = current_scope()
    workflow = get_workflow(case.workflow_id)
    transitions = available_transitions(case, scope) if not scope.read_only or scope.is_admin else []
    panels = render_context(case_panels(), case=case, scope=scope)
    return render_template(
        "core/cases/detail.html",
        case=case,
        case_type=case_type_of(case),
        workflow=workflow,
        custom_rows=detail_rows(case),
        transitions=transitions,
        can_edit=editable_by(case, scope),
        can_mark_policy=not scope.read_only and can(scope, EDIT, case.government),
        panels=panels,
    )


@bp.route("/expedientes/<int:case_id>/editar", methods=["GET", "POST"])
@login_required
def edit(case_id: int):
    case = load_case(case_id, EDIT)
    scope = current_scope()
    if not editable_by(case, scope):
        abort(403)
    case_type = case_type_of(case)
    data = {"title": case.title, "version": case.version}
    data.update({name: getattr(case, name) for name in type_field_names(case_type)})
    for field in fields_for(case.type):
        data[f"custom__{field.name}"] = form_value(field, (case.custom or {}).get(field.name))
    form = build_form(CaseEditForm, case_type, data=data if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        attributes = {name: form[name].data for name in type_field_names(case_type)}
        try:
            update_case(
                case,
                scope,
                current_user,
                form.version.data,
                title=form.title.data,
                custom=custom_from_form(form, case_type),
                **attributes,
            )
            db.session.commit()
        except (CaseError, FieldValueError) as error:
            db.session.rollback()
            status = getattr(error, "status", 400)
            return render_template(
                "core/cases/form.html", form=form, case_type=case_type, case=case, error=str(error), stale=status == 409
            ), status
        except Exception as error:  # StaleDataError from a race between check and write
            db.session.rollback()
            if not isinstance(error, StaleDataError):
                raise

            return render_template(
                "core/cases/form.html",
                form=form,
                case_type=case_type,
                case=case,
                error=str(StaleCaseError()),
                stale=True,
            ), 409
        flash(_("Changes saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    elif request.method == "POST":
        status = 400
    return render_template("core/cases/form.html", form=form, case_type=case_type, case=case), status


@bp.route("/expedientes/<int:case_id>/transiciones/<name>", methods=["POST"])
@login_required
def transition(case_id: int, name: str):
    load_case(case_id)  # 404 outside the jurisdiction comes before 403 for a read-only role
    scope = current_scope()
    if scope.read_only and not scope.is_admin:
        abort(403)
    version = request.form.get("version")

    def work() -> Case:  # run twice when the transition issues a document (core.documents.issuing)
        case = load_case(case_id)
        if version is not None and str(case.version) != version:
            raise StaleCaseError()
        perform(case, name, current_user, scope, request.form.get("comment"))
        return case

    try:
        try:
            case = issuing(work, allow_background=True)
            db.session.commit()
        except LargeDocument:
            db.session.rollback()
            job = enqueue(
                case_id,
                current_user,
                transition=name,
                comment=request.form.get("comment"),
                case_version=int(version) if version and version.isdigit() else None,
            )
            flash(_("The document is large: it is being prepared in the background."), "info")
            return redirect(url_for("documents.job", job_id=job.id), 303)
    except WorkflowError as error:
        db.session.rollback()
        for reason in error.reasons:
            flash(reason, "error")
        if error.status == 403:
            abort(403)
        return redirect(url_for("cases.detail", case_id=case_id)), 303
    except (CaseError, DocumentError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cases.detail", case_id=case_id)), 303
    flash(_("Done: %(state)s.", state=_state_label(case)), "success")
    return redirect(url_for("cases.detail", case_id=case_id), 303)


@bp.route("/expedientes/<int:case_id>/politica", methods=["POST"])
@login_required
def policy_document(case_id: int):
    """The government marks (or unmarks) the case as one of its social-policy documents: SP 8 asks
    for them by 30 June (core/submissions/service.py). Allowed in any state: an approved ordinance is one."""
    case = load_case(case_id, EDIT)
    scope = current_scope()
    if scope.read_only:
        abort(403)
    version = request.form.get("version")
    if version is not None and str(case.version) != version:
        flash(str(StaleCaseError()), "error")
        return redirect(url_for("cases.detail", case_id=case.id), 303)
    case.policy_document = request.form.get("policy_document") == "1"
    case.updated_by_id = current_user.id
    db.session.commit()
    flash(
        _("Marked as a social-policy document.") if case.policy_document else _("No longer a social-policy document."),
        "success",
    )
    return redirect(url_for("cases.detail", case_id=case.id), 303)


# --- the cycle page --------------------------------------------------------------------------------


@bp.route("/ciclos/<int:government_id>/<int:year>")
@login_required
def cycle(government_id: int, year: int):
    government = db.session.get(Government, government_id)
    if government is None:
        abort(404)
    ensure(READ, government)
    cases = db.session.scalars(
        select(Case).where(Case.government_id == government.id, Case.year == year).order_by(Case.stage, Case.id)
    ).all()
    by_stage = {stage: [c for c in cases if c.stage == stage] for stage in STAGES}
    cycle_row = db.session.scalar(select(Cycle).where(Cycle.government_id == government.id, Cycle.year == year))
    scope = current_scope()
    carried = standing_cases(government, year)
    panels = render_context(cycle_panels(), government=government, year=year, scope=scope)
    creatable = [t for t in case_types().values() if t.allowed_for(government)]
    return render_template(
        "core/cases/cycle.html",
        government=government,
        year=year,
        by_stage=by_stage,
        carried={stage: [c for c in carried if c.stage == stage] for stage in STAGES},
        current_year=current_year(),
        cycle=cycle_row,
        panels=panels,
        creatable=creatable,
        can_create=scope.is_admin or not scope.read_only,
    )


def case_values_for_documents(case: Case) -> dict[str, str]:
    """Custom field values by name, formatted, for document templates."""
    return {f.name: display(f, (case.custom or {}).get(f.name)) for f in fields_for(case.type, include_archived=True)}


__all__ = ["bp", "case_values_for_documents", "parse_values"]
