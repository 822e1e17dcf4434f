"""Pages of stage 1 for the body: the list of bodies, members (add, edit, remove), the roster on a
date and its PDFs. The ordinance's pages are in pages_ordinance.py (same blueprint); the case
pages themselves (create, edit, transitions) are the engine's, with the type forms of fields.py.

Records are loaded through the scoping layer (``load_or_404``: 404 outside the user's
jurisdiction, 403 when the role may not write); every write is an operation run by ``form_run``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from core.documents import DocumentError, draft_pdf, render_html
from core.documents.access import pdf_response
from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, READ, can, current_scope, readable_clause
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.institutionalization.composition import by_category, roster, today_lima
from plugins.institutionalization.documents import credentials_context, dated_spec, roster_context
from plugins.institutionalization.fields import (
    DIRECTION_CHOICES,
    MEMBER,
    ORDINANCE,
    ORIGIN_CHOICES,
    ROLE_CHOICES,
    SUBJECT_CHOICES,
    VersionForm,
    member_form,
)
from plugins.institutionalization.models import ArticulationBody, BodyMember
from plugins.institutionalization.ordinance_text import article_heading

bp = Blueprint("institutionalization", __name__, url_prefix="/institucionalizacion")


@bp.app_context_processor
def _names() -> dict[str, Any]:
    """Labels of the plugin's codes for its pages, from the declared fields (documents and messages
    use the Spanish legal names of models.py instead)."""
    return {
        "inst_names": {
            "origins": ORIGIN_CHOICES,
            "direction_kinds": DIRECTION_CHOICES,
            "roles": ROLE_CHOICES,
            "session_kinds": ORDINANCE["session_kind"].choices,
            "votes": ORDINANCE["approval_vote"].choices,
            "subjects": SUBJECT_CHOICES,
        },
        "article_heading": article_heading,
    }


def load(model: type, record_id: int, action: str = READ, government: Any = None) -> Any:
    """A record through the scoping layer; 404 / 403 as the page's answer."""
    try:
        return load_or_404(model, record_id, current_scope(), action=action, government=government)
    except Refusal as refusal:
        abort(refusal.status)


def _member_government(member: BodyMember) -> Any:
    return member.body.government


def version_posted() -> Any:
    """The case version of a small POST form (CSRF checked); 400 without it."""
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return form.version.data


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
    if not can(current_scope(), "institutionalization.body.edit", body):
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
    return _member_page(load(ArticulationBody, case_id, EDIT), None)


@bp.route("/miembros/<int:member_id>/editar", methods=["GET", "POST"])
@login_required
def member_edit(member_id: int):
    member = load(BodyMember, member_id, EDIT, _member_government)
    return _member_page(member.body, member)


@bp.route("/miembros/<int:member_id>/eliminar", methods=["POST"])
@login_required
def member_delete(member_id: int):
    member = load(BodyMember, member_id, EDIT, _member_government)
    body_id = member.body_id
    data = {"member_id": member.id, "version": version_posted()}
    result, _status = form_run("institutionalization.member.remove", current_user, data)
    if result is not None:
        flash(_("Member removed from the records."), "success")
    return redirect(url_for("cases.detail", case_id=body_id), 303)


@bp.route("/instancias/<int:case_id>/relacion")
@login_required
def roster_page(case_id: int):
    """The roster on a date (the "Relación de Miembros"), and every membership period below it."""
    body = load(ArticulationBody, case_id)
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
    body = load(ArticulationBody, case_id)
    on = _date_arg()
    return _draft_pdf(
        body, "member_roster", lambda case: roster_context(case, on), f"relacion-{body.reference}-{on.isoformat()}"
    )


@bp.route("/miembros/<int:member_id>/credencial.pdf")
@login_required
def credential_pdf(member_id: int):
    """One member's credential as a PDF."""
    member = load(BodyMember, member_id, READ, _member_government)
    body = member.body
    return _draft_pdf(
        body, "member_credentials", lambda case: credentials_context(case, [member]), f"credencial-{member.id}"
    )
