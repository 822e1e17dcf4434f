"""Staff pages of the Ventanilla CRECER under /seguimiento/ventanilla: the registry (filters, pagination), the
offices and their staff, registering an in-person or phone entry, the entry page with its timeline and actions,
and the Oficio de derivación. Every write is an operation (core.operations.run); reads go through access.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government, Institution, User
from core.operations import Refusal, form_refusal, run
from core.security import EDIT, READ, WRITE_ROLES, can, current_scope, readable_clause, scope_for
from core.web.pagination import paginate
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.access import load_entry, readable_entries
from plugins.monitoring.ventanilla.fields import ENTRY, KIND_CHOICES, OFFICE, STATUS_CHOICES, program_choices
from plugins.monitoring.ventanilla.models import DONE_STATUSES, VentanillaEntry, VentanillaOffice
from plugins.monitoring.ventanilla.privacy import audit_personal_data_view, may_see_personal_data

bp = Blueprint("ventanilla", __name__, url_prefix="/seguimiento/ventanilla")

OfficeForm = OFFICE.form_class(FlaskForm, versioned=False)
EntryForm = ENTRY.form_class(FlaskForm, versioned=False)
ACTIONS = ("classify", "refer", "program_answer", "answer", "resolve", "close", "reopen", "note")


def _or_abort(refusal: Refusal) -> None:
    abort(refusal.status)


def registry_query(scope: Any, args: Any) -> Any:
    """The entries the scope reads, filtered by the registry's arguments (each filter on an indexed column)."""
    query = select(VentanillaEntry).where(readable_entries(scope))
    if args.get("office", type=int):
        query = query.where(VentanillaEntry.office_id == args.get("office", type=int))
    if args.get("kind") in KIND_CHOICES:
        query = query.where(VentanillaEntry.kind == args["kind"])
    if args.get("status") in STATUS_CHOICES:
        query = query.where(VentanillaEntry.status == args["status"])
    if args.get("program", type=int):
        query = query.where(VentanillaEntry.program_id == args.get("program", type=int))
    if args.get("emergency"):
        query = query.where(VentanillaEntry.emergency.is_(True))
    if args.get("recurrent"):
        query = query.where(VentanillaEntry.recurrent.is_(True))
    if args.get("overdue"):
        query = query.where(VentanillaEntry.due_date < lima_today(), VentanillaEntry.status.not_in(DONE_STATUSES))
    for name, compare in (("since", VentanillaEntry.created_at.__ge__), ("until", VentanillaEntry.created_at.__lt__)):
        try:
            day = date.fromisoformat(args.get(name) or "")
        except ValueError:
            continue
        query = query.where(compare(datetime.combine(day + timedelta(days=name == "until"), datetime.min.time())))
    return query


@bp.route("/")
@login_required
def index() -> str:
    scope = current_scope()
    query = (
        registry_query(scope, request.args)
        .options(
            joinedload(VentanillaEntry.office).joinedload(VentanillaOffice.government),
            joinedload(VentanillaEntry.place),
            joinedload(VentanillaEntry.program),
        )
        .order_by(VentanillaEntry.created_at.desc(), VentanillaEntry.id.desc())
    )
    offices = db.session.scalars(
        select(VentanillaOffice)
        .join(Government)
        .where(readable_clause(scope, VentanillaOffice.government_id))
        .options(joinedload(VentanillaOffice.government))
        .order_by(Government.name)
        .limit(300)
    ).all()
    return render_template(
        "monitoring/ventanilla/index.html",
        page=paginate(query, VentanillaEntry.id),
        offices=offices,
        attended=[o for o in offices if can(scope, "monitoring.ventanilla.attend", (o, current_user))],
        kinds=KIND_CHOICES,
        statuses=STATUS_CHOICES,
        programs=program_choices(),
        today=lima_today(),
        display=codes.display,
    )


@bp.route("/oficinas/<int:government_id>", methods=["GET", "POST"])
@login_required
def office(government_id: int) -> Any:
    scope = current_scope()
    government = db.session.get(Government, government_id)
    if government is None or not can(scope, READ, government):
        abort(404)
    found = db.session.scalar(select(VentanillaOffice).where(VentanillaOffice.government_id == government_id))
    manage = can(scope, "monitoring.ventanilla.manage", government)
    form = OfficeForm(obj=found)
    status = 200
    if request.method == "POST":
        if not manage:
            abort(403)
        data = {name: request.form.get(name) for name in OFFICE.input_names if name in request.form}
        for flag in ("juntos_support", "active"):
            data[flag] = request.form.get(flag) == "y"
        data.update(government_id=government_id, version=request.form.get("version"))
        try:
            run("monitoring.ventanilla.office.save", current_user, data)
        except Refusal as refusal:
            status = form_refusal(refusal, form)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("ventanilla.office", government_id=government_id), 303)
    members = []
    if manage:
        from core.models import Membership

        members = (
            db.session.scalars(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.government_id == government_id, Membership.role.in_(sorted(WRITE_ROLES[EDIT])))
                .order_by(User.name)
            )
            .unique()
            .all()
        )
    return render_template(
        "monitoring/ventanilla/office.html",
        government=government,
        office=found,
        form=form,
        manage=manage,
        members=members,
    ), status


@bp.route("/oficinas/<int:government_id>/personal", methods=["POST"])
@login_required
def staff(government_id: int) -> Any:
    found = db.session.scalar(select(VentanillaOffice).where(VentanillaOffice.government_id == government_id))
    if found is None:
        abort(404)
    name = "monitoring.ventanilla.staff.remove" if request.form.get("remove") else "monitoring.ventanilla.staff.add"
    try:
        run(name, current_user, {"office_id": found.id, "user_id": request.form.get("user_id")})
    except Refusal as refusal:
        form_refusal(refusal)
    return redirect(url_for("ventanilla.office", government_id=government_id), 303)


@bp.route("/entradas/nueva", methods=["GET", "POST"])
@login_required
def new() -> Any:
    scope = current_scope()
    offices = [
        o
        for o in db.session.scalars(
            select(VentanillaOffice)
            .options(joinedload(VentanillaOffice.government))
            .where(VentanillaOffice.government_id.in_(scope.direct or [0]))
        )
        if can(scope, "monitoring.ventanilla.attend", (o, current_user))
    ]
    if not offices and not scope.is_admin:
        abort(403)
    form = EntryForm()
    status = 200
    if request.method == "POST":
        data = {name: request.form.get(name, "") for name in ENTRY.input_names}
        data.update(
            office_id=request.form.get("office_id"),
            channel=request.form.get("channel"),
            emergency=request.form.get("emergency") == "y",
        )
        try:
            entry = run("monitoring.ventanilla.entry.register", current_user, data)
        except Refusal as refusal:
            status = form_refusal(refusal, form)
        else:
            flash(_("Entry registered with code %(code)s.", code=codes.display(entry.code)), "success")
            return redirect(url_for("ventanilla.entry", entry_id=entry.id), 303)
    # the place is picked like on the public page (department → province → district, or by name), never typed
    # as a code; the operation still checks it is a known district
    from plugins.monitoring.ventanilla.public import place_context

    context = place_context()
    return render_template(
        "monitoring/ventanilla/new.html", form=form, offices=offices, place=context["place"], place_ctx=context
    ), status


@bp.route("/entradas/<int:entry_id>")
@login_required
def entry(entry_id: int) -> Any:
    scope = current_scope()
    try:
        found = load_entry(entry_id, scope)
    except Refusal as refusal:
        _or_abort(refusal)
    personal = may_see_personal_data(scope, found, current_user)
    if personal and found.has_personal_data:
        audit_personal_data_view(found)
        db.session.commit()
    return render_template(
        "monitoring/ventanilla/entry.html",
        entry=found,
        code=codes.display(found.code),
        personal=personal,
        attend=can(scope, "monitoring.ventanilla.attend", (found.office, current_user)),
        institutions=db.session.scalars(
            select(Institution).where(Institution.active.is_(True)).order_by(Institution.name)
        ).all(),
        kinds=KIND_CHOICES,
        today=lima_today(),
    )


@bp.route("/entradas/<int:entry_id>/<action>", methods=["POST"])
@login_required
def act(entry_id: int, action: str) -> Any:
    if action not in ACTIONS:
        abort(404)
    data = {
        key: request.form.get(key)
        for key in ("version", "text", "institution_id", "kind", "request_kind", "program_id")
        if key in request.form
    }
    if action == "classify":
        data["emergency"] = request.form.get("emergency") == "y"
    data["entry_id"] = entry_id
    try:
        run(f"monitoring.ventanilla.entry.{action}", current_user, data)
    except Refusal as refusal:
        status = form_refusal(refusal)
        if status in (403, 404):
            abort(status)
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("ventanilla.entry", entry_id=entry_id), 303)


@bp.route("/entradas/<int:entry_id>/oficio.pdf")
@login_required
def referral(entry_id: int) -> Any:
    from core.documents.access import pdf_response
    from plugins.monitoring.ventanilla.documents import referral_pdf

    scope = current_scope()
    try:
        found = load_entry(entry_id, scope)
    except Refusal as refusal:
        _or_abort(refusal)
    if not can(scope, "monitoring.ventanilla.attend", (found.office, current_user)):
        abort(403)
    if request.args.get("nacional"):
        event = next((e for e in found.events if e.kind == "national"), None)
        if event is None:
            abort(404)
        pdf = referral_pdf(found, national_to=event.institution)
        return pdf_response(pdf, f"oficio-comunicacion-nacional-{codes.display(found.code)}.pdf")
    if found.referred_to is None:
        abort(404)
    return pdf_response(referral_pdf(found), f"oficio-derivacion-{codes.display(found.code)}.pdf")


def dashboard_widget(user: Any) -> dict[str, Any]:
    """The overdue and emergency entries of the user's offices (national roles: everyone's), oldest due first."""
    scope = scope_for(user)
    rows = db.session.scalars(
        select(VentanillaEntry)
        .where(
            readable_entries(scope),
            VentanillaEntry.status.not_in(DONE_STATUSES),
            (VentanillaEntry.due_date < lima_today()) | VentanillaEntry.emergency.is_(True),
        )
        .options(joinedload(VentanillaEntry.office).joinedload(VentanillaOffice.government))
        .order_by(VentanillaEntry.due_date)
        .limit(10)
    ).all()
    return {
        "title": _("Ventanilla CRECER: overdue and emergency entries"),
        "template": "monitoring/ventanilla/widget.html",
        "context": {"ventanilla_rows": rows, "display": codes.display, "today": lima_today()},
        "order": 45,
    }
