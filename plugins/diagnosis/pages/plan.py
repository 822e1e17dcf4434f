"""The Plan Articulado's pages: the matrix (results, indicators, activities), its XLSX out and in,
next year's plan, and the ordinance's annex (which plan it approves).

Each page reads through the scoping layer and writes through a named operation (submit)."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.extensions import db
from core.models import Institution, StrategicProgram
from core.operations import form_run
from plugins.diagnosis import matrix, workbook
from plugins.diagnosis.models import Plan
from plugins.diagnosis.pages.common import bp, can_write, case_data, load_case, posted, submit, upload
from plugins.institutionalization.models import Ordinance


def _plan(case_id: int) -> Plan:
    """The plan (scoped: 404 out of reach) with its whole matrix loaded."""
    return matrix.load_plan(load_case(case_id, Plan).id)


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
def plan_matrix(case_id: int, status: int = 200, report: Any = None):
    plan = _plan(case_id)
    return render_template(
        "diagnosis/matrix.html",
        case=plan,
        plan=plan,
        totals=matrix.totals(plan),
        gaps=matrix.gaps(plan),
        can_write=can_write(plan),
        report=report,
        **_catalogs(),
    ), status


def _row(verb: str, record: str, plan: Plan, row_id: int | None, **ids: Any) -> Any:
    """Add, edit or remove (a «delete» field) one row of the matrix, back to the matrix page."""
    values = {k: v for k, v in posted().items() if k not in ("csrf_token", "_form", "version", "delete")}
    if row_id is not None:
        ids[f"{record}_id"] = row_id
        verb = "remove" if request.form.get("delete") else "edit"
    if verb == "remove":
        values = {}
    done = url_for("diagnosis.plan_matrix", case_id=plan.id)
    return submit(
        f"diagnosis.{record}.{verb}",
        case_data(plan, **values, **ids),
        done,
        lambda status=200, report=None: plan_matrix(plan.id, status, report),
    )


@bp.route("/planes/<int:case_id>/resultados", methods=["POST"])
@bp.route("/planes/<int:case_id>/resultados/<int:result_id>", methods=["POST"])
@login_required
def plan_result(case_id: int, result_id: int | None = None):
    return _row("add", "result", load_case(case_id, Plan), result_id)


@bp.route("/planes/<int:case_id>/resultados/<int:result_id>/indicadores", methods=["POST"])
@bp.route("/planes/<int:case_id>/resultados/<int:result_id>/indicadores/<int:indicator_id>", methods=["POST"])
@login_required
def plan_indicator(case_id: int, result_id: int, indicator_id: int | None = None):
    plan = load_case(case_id, Plan)
    if indicator_id is None:
        return _row("add", "indicator", plan, None, result_id=result_id)
    return _row("edit", "indicator", plan, indicator_id)


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
        result = next((r for r in plan.results if r.id == result_id), None)
        if result is None:
            abort(404)

    def page(status: int = 200, **_: Any) -> Any:
        return render_template(
            "diagnosis/activity.html",
            case=plan,
            plan=plan,
            result=result,
            activity=activity,
            form=request.form if status != 200 else None,
            can_write=can_write(plan),
            **_catalogs(),
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.plan_matrix", case_id=plan.id)
    if activity is not None and request.form.get("delete"):
        return submit("diagnosis.activity.remove", case_data(plan, activity_id=activity.id), done, page)
    values = {k: v for k, v in posted().items() if k not in ("csrf_token", "_form", "version")}
    # Multiple selections: none chosen means none (the form always sends the whole activity).
    values["institutions"] = request.form.getlist("institutions")
    values["months"] = request.form.getlist("months")
    if activity is None:
        return submit("diagnosis.activity.add", case_data(plan, result_id=result.id, **values), done, page)
    return submit("diagnosis.activity.edit", case_data(plan, activity_id=activity.id, **values), done, page)


@bp.route("/planes/<int:case_id>/matriz.xlsx")
@login_required
def plan_xlsx(case_id: int):
    plan = _plan(case_id)
    name = f"matriz-{plan.acronym}-{plan.year}-{plan.government.ubigeo}.xlsx"
    return send_file(
        io.BytesIO(workbook.export_matrix(plan)), mimetype=workbook.XLSX_MIME, as_attachment=True, download_name=name
    )


@bp.route("/planes/<int:case_id>/matriz/importar", methods=["POST"])
@login_required
def plan_import(case_id: int):
    plan = load_case(case_id, Plan)
    return submit(
        "diagnosis.matrix.import",
        case_data(plan, **upload()),
        url_for("diagnosis.plan_matrix", case_id=plan.id),
        lambda status=200, report=None: plan_matrix(plan.id, status, report),
    )


@bp.route("/planes/<int:case_id>/siguiente-ciclo", methods=["POST"])
@login_required
def next_cycle(case_id: int):
    """Next year's plan from this one: structure copied, goals left to update."""
    plan = load_case(case_id, Plan)
    existing = db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == plan.id))
    if existing:
        flash(_("Next year's plan already exists."), "info")
        return redirect(url_for("cases.detail", case_id=existing), 303)
    new, _status = form_run("diagnosis.plan.next_cycle", current_user, {"case_id": plan.id})
    if new is None:
        return redirect(url_for("cases.detail", case_id=plan.id), 303)
    flash(_("Plan for %(year)s created: update its goals.", year=new.year), "success")
    return redirect(url_for("cases.detail", case_id=new.id), 303)


@bp.route("/ordenanzas/<int:case_id>/plan", methods=["POST"])
@login_required
def ordinance_plan(case_id: int):
    """Link the ordinance to the plan whose objectives and goals it approves (its annex)."""
    ordinance = load_case(case_id, Ordinance)
    data = {
        "ordinance_id": ordinance.id,
        "plan_id": request.form.get("plan_id"),
        "version": request.form.get("version"),
    }
    plan, status = form_run("diagnosis.annex.link", current_user, data)
    if status == 200:
        flash(
            _("Annex: %(plan)s.", plan=plan.reference) if plan is not None else _("The ordinance has no annex now."),
            "success",
        )
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="anexo"), 303)
