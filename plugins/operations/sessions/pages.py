"""Pages of the Instancia's sessions under /operaciones/sesiones: the list, convening a session, the
session page (attendance with its quorum, agreements, follow-up), the pending agreements, the
panel on the Instancia's case page and the dashboard widget. Transitions, the acta and the
attachments are the engine's case page (/expedientes/<id>). Every write is an operation (form_run).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import Case
from core.operations import Refusal, form_run, load_or_404
from core.panels import Panel, register_case_panel
from core.security import EDIT, can, current_scope, readable_clause, scope_for, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.institutionalization.models import ArticulationBody
from plugins.operations.sessions.fields import AGREEMENT, ATTENDANCE_CHOICES, EFFECTIVE_CHOICES, SESSION, STATUS_CHOICES
from plugins.operations.sessions.models import InstanciaSession, SessionAgreement
from plugins.operations.sessions.quorum import body_pending, eligible, pending_agreements, quorum_of, today

bp = Blueprint("operations_sessions", __name__, url_prefix="/operaciones/sesiones")

SessionForm = SESSION.form_class(FlaskForm, versioned=False)
AgreementForm = AGREEMENT.form_class(FlaskForm, exclude=("status", "notes"))


def _load(model: type, record_id: int, **kwargs: Any) -> Any:
    """The record through the scoping layer: 404 out of reach, 403 not allowed (as the page answers)."""
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        abort(refusal.status)


@bp.app_context_processor
def _names() -> dict[str, Any]:
    return {
        "session_names": {
            "attendance": ATTENDANCE_CHOICES,
            "statuses": STATUS_CHOICES,
            "effective": EFFECTIVE_CHOICES,
        }
    }


def _bodies_for_new() -> list[tuple[int, str]]:
    scope = current_scope()
    query = select(ArticulationBody).where(ArticulationBody.state != "dissolved").order_by(ArticulationBody.title)
    if not scope.is_admin:
        query = query.where(ArticulationBody.government_id.in_(writable_government_ids(scope)))
    return [(b.id, f"{b.acronym} · {b.title}") for b in db.session.scalars(query.limit(500))]


@bp.route("/")
@login_required
def index() -> str:
    scope = current_scope()
    query = (
        select(InstanciaSession)
        .where(readable_clause(scope, InstanciaSession.government_id))
        .options(joinedload(InstanciaSession.government))
        .order_by(InstanciaSession.session_date.desc(), InstanciaSession.id.desc())
    )
    return render_template(
        "operations/sessions/index.html",
        page=paginate(query, InstanciaSession.id),
        workflow=get_workflow("instancia_session"),
        creatable=can(scope, "case.create"),
        pending=pending_agreements(scope, limit=10),
        today=today(),
    )


@bp.route("/nueva", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not can(current_scope(), "case.create"):
        abort(403)
    form = SessionForm()
    choices = _bodies_for_new()
    form.body_id.choices = choices  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in SESSION.input_names if name in request.form}
        session, status = form_run("operations.sessions.session.create", current_user, data, form)
        if session is not None:
            return redirect(url_for("operations_sessions.detail", session_id=session.id), 303)
    return render_template("operations/sessions/new.html", form=form, bodies=choices), status


def _detail_context(session: InstanciaSession) -> dict[str, Any]:
    scope = current_scope()
    members = eligible(session)
    status = {row.member_id: row.status for row in session.attendance}
    return {
        "session": session,
        "members": members,
        "status": status,
        "quorum": quorum_of(session, members),
        "workflow": get_workflow("instancia_session"),
        "can_edit": can(scope, "operations.sessions.edit", session),
        "can_follow_up": can(scope, "operations.sessions.follow_up", session),
        "today": today(),
    }


@bp.route("/<int:session_id>")
@login_required
def detail(session_id: int) -> str:
    session = _load(InstanciaSession, session_id)
    form = AgreementForm(formdata=None)
    return render_template("operations/sessions/detail.html", form=form, **_detail_context(session))


@bp.route("/<int:session_id>/asistencia", methods=["POST"])
@login_required
def attendance(session_id: int) -> Any:
    session = _load(InstanciaSession, session_id, action=EDIT)
    marks = {key.split("-", 1)[1]: value for key, value in request.form.items() if key.startswith("member-")}
    data = {"session_id": session.id, "version": request.form.get("version"), "attendance": marks}
    _result, status = form_run("operations.sessions.attendance.record", current_user, data)
    if status == 200:
        return redirect(url_for("operations_sessions.detail", session_id=session_id), 303)
    session = _load(InstanciaSession, session_id)
    return render_template(
        "operations/sessions/detail.html", form=AgreementForm(formdata=None), **_detail_context(session)
    ), status


@bp.route("/<int:session_id>/acuerdos", methods=["POST"])
@login_required
def agreement_add(session_id: int) -> Any:
    session = _load(InstanciaSession, session_id, action=EDIT)
    form = AgreementForm()
    data = {name: request.form.get(name, "") for name in ("text", "responsible_id", "due_date")}
    data |= {"session_id": session.id, "version": request.form.get("version")}
    _result, status = form_run("operations.sessions.agreement.add", current_user, data, form)
    if status == 200:
        return redirect(url_for("operations_sessions.detail", session_id=session_id) + "#acuerdos", 303)
    session = _load(InstanciaSession, session_id)
    return render_template("operations/sessions/detail.html", form=form, **_detail_context(session)), status


@bp.route("/acuerdos/<int:agreement_id>/seguimiento", methods=["POST"])
@login_required
def follow_up(agreement_id: int) -> Any:
    agreement = _load(SessionAgreement, agreement_id, action=EDIT, government=lambda a: a.session.government)
    session_id = agreement.session_id
    data = {
        "agreement_id": agreement.id,
        "version": request.form.get("version"),
        "status": request.form.get("status", ""),
        "notes": request.form.get("notes", ""),
    }
    form_run("operations.sessions.agreement.follow_up", current_user, data)
    return redirect(request.form.get("next") or url_for("operations_sessions.detail", session_id=session_id), 303)


@bp.route("/acuerdos")
@login_required
def agreements() -> str:
    scope = current_scope()
    return render_template(
        "operations/sessions/agreements.html", agreements=pending_agreements(scope, limit=500), today=today()
    )


# --- the Instancia's case page and the dashboard ----------------------------------------------------------


def _body_agreements_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if case.type != "articulation_body":
        return None
    sessions = db.session.scalars(
        select(InstanciaSession)
        .where(InstanciaSession.body_id == case.id)
        .order_by(InstanciaSession.session_date.desc())
    ).all()
    return {
        "body": case,
        "sessions": sessions,
        "agreements": body_pending(case.id),
        "today": today(),
        "workflow": get_workflow("instancia_session"),
        "can_create": can(scope, EDIT, case.government),
    }


def _session_panel(case: Case, scope: Any, **_: Any) -> dict[str, Any] | None:
    if not isinstance(case, InstanciaSession):
        return None
    return {"session": case, "quorum": quorum_of(case)}


def register_panels() -> None:
    register_case_panel(
        Panel("operations.sessions.body", "operations/sessions/panel_body.html", _body_agreements_panel, 40)
    )
    register_case_panel(
        Panel("operations.sessions.session", "operations/sessions/panel_session.html", _session_panel, 15)
    )


WIDGET_LIMIT = 8


def dashboard_widget(user: Any) -> dict[str, Any]:
    """The pending agreements of the user's own governments (the national roles: of everyone), earliest first."""
    scope = scope_for(user)
    own = None if scope.everything else sorted(scope.direct)
    rows = pending_agreements(scope, own, limit=WIDGET_LIMIT)
    return {
        "title": _("Pending agreements of the coordination body"),
        "template": "operations/sessions/widget.html",
        "context": {"agreements": rows, "today": today()},
        "order": 35,
    }
