"""Pages of stage 1: the list of bodies, members (add, edit, remove), the roster on a date, the
ordinance's clauses (add, edit, move, remove, refresh from the body), the case-page panels and
the dashboard widget. The case pages themselves (create, edit, transitions) are the engine's.

Every route asks core.security first (404 outside the user's jurisdiction, 403 when the role
may not write); every write goes through service.py (state and version checks) in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from core.cases import CaseError, editable_by
from core.cycles import current_year
from core.extensions import db
from core.models import Case, Government
from core.operations import Refusal, form_run, load_or_404
from core.panels import Panel, register_case_panel
from core.security import EDIT, READ, can, current_scope, ensure, readable_clause, scope_for
from core.web.pagination import paginate
from core.workflow import WorkflowError, get_workflow
from plugins.institutionalization import service
from plugins.institutionalization.clauses import SUBJECT_CHOICES, ClauseForm
from plugins.institutionalization.composition import (
    by_category,
    composition,
    roster,
    today_lima,
)
from plugins.institutionalization.forms import BodyForm, OrdinanceForm, VersionForm
from plugins.institutionalization.members import MEMBER, ROLE_CHOICES, member_form
from plugins.institutionalization.models import (
    BODY_CLOSED_STATES,
    ArticulationBody,
    BodyMember,
    Ordinance,
    OrdinanceClause,
)
from plugins.institutionalization.ordinance_text import article_heading, minimum_content_gaps

bp = Blueprint("institutionalization", __name__, url_prefix="/institucionalizacion")


def _choice_labels(field: Any) -> dict[str, Any]:
    return {value: label for value, label in field.kwargs["choices"] if value}


@bp.app_context_processor
def _names() -> dict[str, Any]:
    """Labels of the plugin's codes for its pages: the forms' translated choices (documents and
    messages use the Spanish names of models.py instead)."""
    return {
        "inst_names": {
            "origins": _choice_labels(BodyForm.origin),
            "direction_kinds": _choice_labels(BodyForm.direction_kind),
            "roles": ROLE_CHOICES,
            "session_kinds": _choice_labels(OrdinanceForm.session_kind),
            "votes": _choice_labels(OrdinanceForm.approval_vote),
            "subjects": SUBJECT_CHOICES,
        },
        "article_heading": article_heading,
    }


# --- loading records through the scoping layer --------------------------------------------------------


def _body(case_id: int, action: str = READ) -> ArticulationBody:
    body = db.session.get(ArticulationBody, case_id)
    if body is None:
        abort(404)
    ensure(action, body.government)
    return body


def _ordinance(case_id: int, action: str = READ) -> Ordinance:
    ordinance = db.session.get(Ordinance, case_id)
    if ordinance is None:
        abort(404)
    ensure(action, ordinance.government)
    return ordinance


def _member(member_id: int, action: str = READ) -> BodyMember:
    try:
        return load_or_404(
            BodyMember, member_id, current_scope(), action=action, government=lambda m: m.body.government
        )
    except Refusal as refusal:
        abort(refusal.status)


def _clause(clause_id: int, action: str = READ) -> OrdinanceClause:
    clause = db.session.get(OrdinanceClause, clause_id)
    if clause is None:
        abort(404)
    ensure(action, clause.ordinance.government)
    return clause


def _date_arg(name: str = "fecha") -> date:
    """?fecha=AAAA-MM-DD, or today (Lima) with a message when it is not a date."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return today_lima()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        flash(_("«%(value)s» is not a date (YYYY-MM-DD); showing today.", value=raw), "error")
        return today_lima()


def _fail(error: CaseError | WorkflowError) -> int:
    """Flash a refused write (Spanish reasons) and give the status the page answers with."""
    reasons = error.reasons if isinstance(error, WorkflowError) else [str(error)]
    for reason in reasons:
        flash(reason, "error")
    if error.status == 403:
        abort(403)
    return error.status


# --- the list of bodies -------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    scope = current_scope()
    query = (
        select(ArticulationBody)
        .where(readable_clause(scope, ArticulationBody.government_id))
        .options(joinedload(ArticulationBody.government))
        .order_by(ArticulationBody.updated_at.desc(), ArticulationBody.id.desc())
    )
    filters = {k: request.args.get(k, "").strip() for k in ("state", "kind", "q")}
    if filters["state"]:
        query = query.where(ArticulationBody.state == filters["state"])
    if filters["kind"] in ("regional", "provincial", "district"):
        query = query.where(ArticulationBody.government.has(Government.kind == filters["kind"]))
    if filters["q"]:
        like = f"%{filters['q']}%"
        query = query.where(
            or_(
                ArticulationBody.title.ilike(like),
                ArticulationBody.reference.ilike(like),
                ArticulationBody.government.has(Government.name.ilike(like)),
            )
        )
    page = paginate(query, ArticulationBody.id)
    today = today_lima()
    ids = [b.id for b in page.items]
    counts = dict(
        db.session.execute(
            select(BodyMember.body_id, func.count())
            .where(
                BodyMember.body_id.in_(ids),
                BodyMember.active_from <= today,
                or_(BodyMember.active_to.is_(None), BodyMember.active_to >= today),
            )
            .group_by(BodyMember.body_id)
        ).all()
    )
    workflow = get_workflow("articulation_body")
    creatable = can(scope, "case.create")
    return render_template(
        "institutionalization/index.html",
        page=page,
        filters=filters,
        counts=counts,
        workflow=workflow,
        creatable=creatable,
    )


# --- members ------------------------------------------------------------------------------------------


def _member_page(body: ArticulationBody, member: BodyMember | None):  # noqa: ANN202
    """Add (``member`` None) or edit a member: the form generated from the fields declared in
    members.py, the write by the operation; a refusal re-renders the form with the input kept."""
    if not editable_by(body, current_scope()):
        abort(403)
    data = None
    if request.method == "GET":
        initial = MEMBER.form_data(member) if member else {"active_from": today_lima()}
        data = initial | {"version": body.version}
    form = member_form(body, data=data)
    status = 200
    if form.validate_on_submit():
        values = {name: form[name].data for name in MEMBER.input_names} | {"version": form.version.data}
        if member is None:
            result, status = form_run(
                "institutionalization.member.add", current_user, values | {"body_id": body.id}, form
            )
        else:
            values |= {"member_id": member.id}
            result, status = form_run("institutionalization.member.edit", current_user, values, form)
        if result is not None:
            flash(_("Member added.") if member is None else _("Member updated."), "success")
            return redirect(url_for("cases.detail", case_id=body.id))
    elif request.method == "POST":
        status = 400
    return render_template("institutionalization/member_form.html", form=form, body=body, member=member), status


@bp.route("/instancias/<int:case_id>/miembros/nuevo", methods=["GET", "POST"])
@login_required
def member_new(case_id: int):
    return _member_page(_body(case_id, EDIT), None)


@bp.route("/miembros/<int:member_id>/editar", methods=["GET", "POST"])
@login_required
def member_edit(member_id: int):
    member = _member(member_id, EDIT)
    return _member_page(member.body, member)


@bp.route("/miembros/<int:member_id>/eliminar", methods=["POST"])
@login_required
def member_delete(member_id: int):
    member = _member(member_id, EDIT)
    body_id = member.body_id
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    data = {"member_id": member.id, "version": form.version.data}
    result, _status = form_run("institutionalization.member.remove", current_user, data)
    if result is not None:
        flash(_("Member removed from the records."), "success")
    return redirect(url_for("cases.detail", case_id=body_id), 303)


@bp.route("/instancias/<int:case_id>/relacion")
@login_required
def roster_page(case_id: int):
    """The roster on a date (the "Relación de Miembros"), and every membership period below it."""
    body = _body(case_id)
    on = _date_arg()
    history = paginate(
        select(BodyMember)
        .where(BodyMember.body_id == body.id)
        .options(joinedload(BodyMember.category), joinedload(BodyMember.institution))
        .order_by(BodyMember.active_from.desc(), BodyMember.id.desc()),
        BodyMember.id,
    )
    return render_template(
        "institutionalization/roster.html",
        body=body,
        on=on,
        groups=by_category(roster(body, on)),
        history=history,
    )


def _draft_pdf(body: ArticulationBody, key: str, context_fn: Any, filename: str):  # noqa: ANN202
    """A preview PDF of a body's document rendered with another context (a date, one member):
    marked as a preview, never stored; the issued versions come from the case's documents panel."""
    from core.documents import DocumentError, draft_pdf, render_html
    from core.documents.access import pdf_response
    from plugins.institutionalization.documents import dated_spec

    body_id = body.id
    try:
        pdf, _digest = draft_pdf(render_html(body, dated_spec(key, context_fn)))  # cached by content hash
    except DocumentError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.detail", case_id=body_id), 303)
    return pdf_response(pdf, filename, inline=True)


@bp.route("/instancias/<int:case_id>/relacion.pdf")
@login_required
def roster_pdf(case_id: int):
    """The Relación de Miembros on ?fecha= (default today) as a PDF."""
    from plugins.institutionalization.documents import roster_context

    body = _body(case_id)
    on = _date_arg()
    return _draft_pdf(
        body, "member_roster", lambda case: roster_context(case, on), f"relacion-{body.reference}-{on.isoformat()}"
    )


@bp.route("/miembros/<int:member_id>/credencial.pdf")
@login_required
def credential_pdf(member_id: int):
    """One member's credential as a PDF."""
    from plugins.institutionalization.documents import credentials_context

    member = _member(member_id)
    body = member.body
    return _draft_pdf(
        body, "member_credentials", lambda case: credentials_context(case, [member]), f"credencial-{member.id}"
    )


# --- ordinances and their clauses ----------------------------------------------------------------------


@bp.route("/instancias/<int:case_id>/ordenanza", methods=["POST"])
@login_required
def ordinance_new(case_id: int):
    body = _body(case_id, EDIT)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    instrument = request.form.get("instrument", "ordinance")
    if instrument not in ("ordinance", "resolution"):
        abort(400)
    # The ordinance belongs to the cycle of the year it is made in (default: the current year),
    # not to the year the standing body was created.
    raw_year = (request.form.get("year") or "").strip()
    if raw_year and not (raw_year.isdigit() and 2000 <= int(raw_year) <= 2100):
        flash(_("Enter a year between 2000 and 2100."), "error")
        return redirect(url_for("cases.detail", case_id=body.id), 303)
    year = int(raw_year) if raw_year else None
    try:
        ordinance = service.run(
            service.create_ordinance, body, current_user, current_scope(), year=year, instrument=instrument
        )
    except CaseError as error:
        _fail(error)
        return redirect(url_for("cases.detail", case_id=body.id), 303)
    flash(
        _("Ordinance %(reference)s created from the body; review its text.", reference=ordinance.reference), "success"
    )
    return redirect(url_for("cases.detail", case_id=ordinance.id), 303)


def _clause_page(ordinance: Ordinance, clause: OrdinanceClause | None, kind: str):  # noqa: ANN202
    """Add (``clause`` None) or edit a clause: the form generated from the fields declared in
    clauses.py, the write by the operation; a refusal re-renders the form with the input kept."""
    if not editable_by(ordinance, current_scope()) or ordinance.text_frozen:
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
    ordinance = _ordinance(case_id, EDIT)
    kind = request.args.get("tipo", "article")
    if kind not in ("article", "considering"):
        abort(404)
    return _clause_page(ordinance, None, kind)


@bp.route("/clausulas/<int:clause_id>/editar", methods=["GET", "POST"])
@login_required
def clause_edit(clause_id: int):
    clause = _clause(clause_id, EDIT)
    return _clause_page(clause.ordinance, clause, clause.kind)


@bp.route("/clausulas/<int:clause_id>/eliminar", methods=["POST"])
@login_required
def clause_delete(clause_id: int):
    clause = _clause(clause_id, EDIT)
    ordinance_id = clause.ordinance_id
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    data = {"clause_id": clause.id, "version": form.version.data}
    result, _status = form_run("institutionalization.clause.remove", current_user, data)
    if result is not None:
        flash(_("Clause removed."), "success")
    return redirect(url_for("cases.detail", case_id=ordinance_id, _anchor="texto"), 303)


@bp.route("/clausulas/<int:clause_id>/mover", methods=["POST"])
@login_required
def clause_move(clause_id: int):
    clause = _clause(clause_id, EDIT)
    ordinance_id = clause.ordinance_id
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    data = {"clause_id": clause.id, "version": form.version.data, "direction": request.form.get("direction", "")}
    form_run("institutionalization.clause.move", current_user, data)
    return redirect(url_for("cases.detail", case_id=ordinance_id, _anchor="texto"), 303)


@bp.route("/ordenanzas/<int:case_id>/actualizar-articulos", methods=["POST"])
@login_required
def articles_refresh(case_id: int):
    ordinance = _ordinance(case_id, EDIT)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.run(service.refresh_articles, ordinance, current_scope(), current_user, form.version.data)
    except CaseError as error:
        _fail(error)
    else:
        flash(_("The pre-filled articles now reflect the body's current members."), "success")
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="texto"), 303)


# --- panels of the case page ---------------------------------------------------------------------------


def _body_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if not isinstance(case, ArticulationBody):
        return None
    check = composition(case)
    ordinances = db.session.scalars(
        select(Ordinance).where(Ordinance.body_id == case.id).order_by(Ordinance.id.desc())
    ).all()
    return {
        "body": case,
        "check": check,
        "groups": by_category(check.members),
        "ordinances": ordinances,
        "ordinance_workflow": get_workflow("ordinance"),
        "current_year": current_year(),
        "can_edit": editable_by(case, scope),
    }


def _ordinance_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if not isinstance(case, Ordinance):
        return None
    return {
        "ordinance": case,
        "gaps": minimum_content_gaps(case) if not case.text_frozen else [],
        "can_edit_text": editable_by(case, scope) and not case.text_frozen,
    }


def register_panels() -> None:
    register_case_panel(Panel("institutionalization.body", "institutionalization/panel_body.html", _body_panel, 20))
    register_case_panel(
        Panel("institutionalization.ordinance", "institutionalization/panel_ordinance.html", _ordinance_panel, 20)
    )


# --- the dashboard widget ------------------------------------------------------------------------------

WIDGET_LIMIT = 10


def dashboard_widget(user: Any) -> dict[str, Any]:
    """Body status, missing categories and next deadline of the user's own governments; for
    national roles (who reach every government) the count of bodies per state."""
    scope = scope_for(user)
    workflow = get_workflow("articulation_body")
    context: dict[str, Any] = {"rows": [], "totals": [], "workflow": workflow}
    own = sorted(scope.direct)[:WIDGET_LIMIT]
    if own:
        governments = db.session.scalars(select(Government).where(Government.id.in_(own)).order_by(Government.name))
        bodies = db.session.scalars(
            select(ArticulationBody)
            .where(ArticulationBody.government_id.in_(own), ArticulationBody.state.not_in(BODY_CLOSED_STATES))
            .order_by(ArticulationBody.id.desc())
        ).all()
        latest: dict[int, ArticulationBody] = {}
        for body in bodies:
            latest.setdefault(body.government_id, body)
        deadlines = next_deadlines(own)
        for government in governments:
            body = latest.get(government.id)
            context["rows"].append(
                {
                    "government": government,
                    "body": body,
                    "check": composition(body) if body else None,
                    "deadline": deadlines.get(government.id),
                }
            )
    elif scope.everything:
        context["totals"] = db.session.execute(
            select(ArticulationBody.state, func.count())
            .group_by(ArticulationBody.state)
            .order_by(ArticulationBody.state)
        ).all()
    return {
        "title": _l("Coordination bodies"),
        "template": "institutionalization/widget.html",
        "context": context,
        "order": 10,
    }


def next_deadlines(government_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each government's next unmet deadline of the current year still ahead (generated if
    missing, as the deadlines pages do)."""
    from core.deadlines import ensure_deadlines, lima_today, status_now
    from core.deadlines.models import Deadline, DeadlineRule

    # The current year's deadlines still ahead: a standing body created in 2008 must not put
    # 30 June 2008 next to the 2026 cycle (overdue ones are on the deadlines page).
    today = lima_today()
    years = [today.year]
    ensure_deadlines(today.year, government_ids)
    rows = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            Deadline.government_id.in_(government_ids),
            Deadline.year.in_(years),
            Deadline.due_date >= today,
            Deadline.met_at.is_(None),
            DeadlineRule.active.is_(True),
        )
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    found: dict[int, dict[str, Any]] = {}
    for deadline in rows:
        if deadline.government_id not in found:
            found[deadline.government_id] = {
                "label": deadline.label,
                "due": deadline.due_date,
                "status": status_now(deadline),
            }
    return found


__all__ = ["bp", "dashboard_widget", "register_panels"]
