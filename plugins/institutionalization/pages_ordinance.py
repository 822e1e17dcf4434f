"""Pages of stage 1 for the ordinance: a new ordinance drafted from the body, its clauses (add,
edit, move, remove) and the refresh of the pre-filled articles. Same blueprint as pages.py; every
write is an operation run by ``form_run``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.operations import form_run
from core.security import EDIT, can, current_scope
from plugins.institutionalization.fields import ClauseForm
from plugins.institutionalization.models import ArticulationBody, Ordinance, OrdinanceClause
from plugins.institutionalization.pages import bp, load, version_posted


def _clause_government(clause: OrdinanceClause) -> Any:
    return clause.ordinance.government


@bp.route("/instancias/<int:case_id>/ordenanza", methods=["POST"])
@login_required
def ordinance_new(case_id: int):
    body = load(ArticulationBody, case_id, EDIT)
    data = {
        "body_id": body.id,
        "version": version_posted(),
        "instrument": request.form.get("instrument", "ordinance"),
        # The ordinance belongs to the cycle of the year it is made in (default: the current year),
        # not to the year the standing body was created.
        "year": (request.form.get("year") or "").strip() or None,
    }
    ordinance, _status = form_run("institutionalization.ordinance.create", current_user, data)
    if ordinance is None:
        return redirect(url_for("cases.detail", case_id=body.id), 303)
    flash(
        _("Ordinance %(reference)s created from the body; review its text.", reference=ordinance.reference), "success"
    )
    return redirect(url_for("cases.detail", case_id=ordinance.id), 303)


def _clause_page(ordinance: Ordinance, clause: OrdinanceClause | None, kind: str):  # noqa: ANN202
    """Add (``clause`` None) or edit a clause: the form generated from the fields declared in
    clauses.py, the write by the operation; a refusal re-renders the form with the input kept."""
    if not can(current_scope(), "institutionalization.ordinance.edit_text", ordinance):
        abort(403)
    data = None
    if request.method == "GET":
        data = {"version": ordinance.version}
        if clause is not None:
            data |= {"text": clause.text, "subject": clause.subject or "other"}
    form = ClauseForm(data=data)
    status = 200
    if form.validate_on_submit():
        values = {"text": form.text.data, "subject": form.subject.data, "version": form.version.data}
        if clause is None:
            values |= {"ordinance_id": ordinance.id, "kind": kind}
            result, status = form_run("institutionalization.clause.add", current_user, values, form)
        else:
            result, status = form_run(
                "institutionalization.clause.edit", current_user, values | {"clause_id": clause.id}, form
            )
        if result is not None:
            flash(_("Clause added.") if clause is None else _("Clause saved."), "success")
            return redirect(url_for("cases.detail", case_id=ordinance.id, _anchor="texto"))
    elif request.method == "POST":
        status = 400
    return render_template(
        "institutionalization/clause_form.html", form=form, ordinance=ordinance, kind=kind, clause=clause
    ), status


@bp.route("/ordenanzas/<int:case_id>/clausulas/nueva", methods=["GET", "POST"])
@login_required
def clause_new(case_id: int):
    ordinance = load(Ordinance, case_id, EDIT)
    kind = request.args.get("tipo", "article")
    if kind not in ("article", "considering"):
        abort(404)
    return _clause_page(ordinance, None, kind)


@bp.route("/clausulas/<int:clause_id>/editar", methods=["GET", "POST"])
@login_required
def clause_edit(clause_id: int):
    clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
    return _clause_page(clause.ordinance, clause, clause.kind)


@bp.route("/clausulas/<int:clause_id>/eliminar", methods=["POST"])
@login_required
def clause_delete(clause_id: int):
    clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
    ordinance_id = clause.ordinance_id
    data = {"clause_id": clause.id, "version": version_posted()}
    result, _status = form_run("institutionalization.clause.remove", current_user, data)
    if result is not None:
        flash(_("Clause removed."), "success")
    return redirect(url_for("cases.detail", case_id=ordinance_id, _anchor="texto"), 303)


@bp.route("/clausulas/<int:clause_id>/mover", methods=["POST"])
@login_required
def clause_move(clause_id: int):
    clause = load(OrdinanceClause, clause_id, EDIT, _clause_government)
    ordinance_id = clause.ordinance_id
    data = {"clause_id": clause.id, "version": version_posted(), "direction": request.form.get("direction", "")}
    form_run("institutionalization.clause.move", current_user, data)
    return redirect(url_for("cases.detail", case_id=ordinance_id, _anchor="texto"), 303)


@bp.route("/ordenanzas/<int:case_id>/actualizar-articulos", methods=["POST"])
@login_required
def articles_refresh(case_id: int):
    ordinance = load(Ordinance, case_id, EDIT)
    data = {"ordinance_id": ordinance.id, "version": version_posted()}
    result, _status = form_run("institutionalization.ordinance.refresh_articles", current_user, data)
    if result is not None:
        flash(_("The pre-filled articles now reflect the body's current members."), "success")
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="texto"), 303)
