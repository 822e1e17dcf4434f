"""The public pages of the Ventanilla CRECER, without login (DESIGN §11): /ventanilla to pick the place and send
an entry, the receipt PDF, and /ventanilla/seguimiento to follow it by its code. Spanish, plain HTML forms (no
script, no external resource), usable by keyboard on a small phone. Nothing here shows personal data, internal
notes, or whether a mistyped code belongs to someone else."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import joinedload

from core.database import writing
from core.documents.access import pdf_response
from core.extensions import db
from core.models import SocialProgram, Territory
from core.models.user import utcnow
from core.operations import Refusal, form_refusal, run
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.fields import ENTRY
from plugins.monitoring.ventanilla.models import (
    VentanillaEntry,
    VentanillaEvent,
    VentanillaLookupMiss,
    VentanillaOffice,
)
from plugins.monitoring.ventanilla.rules import district, serving_office
from plugins.monitoring.ventanilla.settings import setting

bp = Blueprint("ventanilla_public", __name__, url_prefix="/ventanilla")

EntryForm = ENTRY.form_class(FlaskForm, versioned=False)


def ip_hash() -> str:
    """A keyed hash of the sender's address: enough to count submissions, useless to identify anyone."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, (request.remote_addr or "").encode(), hashlib.sha256).hexdigest()


def _children(parent_id: int | None, level: str) -> list[Territory]:
    query = select(Territory).where(Territory.level == level).order_by(Territory.name)
    if parent_id is not None:
        query = query.where(Territory.parent_id == parent_id)
    return list(db.session.scalars(query))


def programs_present(place: Territory) -> list[SocialProgram]:
    """The social programs present in the district, from the Coincidence Map of the diagnosis."""
    from plugins.diagnosis.models import Coverage

    query = (
        select(SocialProgram)
        .where(SocialProgram.id.in_(select(Coverage.program_id).where(Coverage.territory_id == place.id)))
        .order_by(SocialProgram.name)
    )
    return list(db.session.scalars(query))


def place_context() -> dict[str, Any]:
    """The place being chosen (``?distrito=``, or the form's ``place``), or the steps to choose it: the
    departments, the chosen department's provinces, the chosen province's districts, or a search by name
    (templates: _place_picker.html). Shared by the public form and the staff's in-person form."""
    args = request.values
    place = district(args.get("place") or args.get("distrito"))
    context: dict[str, Any] = {"place": place, "query": (args.get("q") or "").strip()[:80]}
    if context["query"]:
        pattern = f"%{context['query'].lower()}%"
        context["matches"] = list(
            db.session.scalars(
                select(Territory)
                .where(Territory.level == "district", func.lower(Territory.name).like(pattern))
                .order_by(Territory.name)
                .limit(30)
            )
        )
    if place is None:
        department = db.session.scalar(select(Territory).where(Territory.ubigeo == args.get("departamento", "")))
        province = db.session.scalar(select(Territory).where(Territory.ubigeo == args.get("provincia", "")))
        context["departments"] = _children(None, "department")
        context["department"] = department
        context["provinces"] = _children(department.id, "province") if department else []
        context["province"] = province
        context["districts"] = _children(province.id, "district") if province else []
    else:
        context["office"] = serving_office(place)
        context["programs"] = programs_present(place)
    return context


@bp.route("", methods=["GET", "POST"])
def form() -> Any:
    entry_form = EntryForm()
    status = 200
    if request.method == "POST":
        data = {name: request.form.get(name, "") for name in ENTRY.input_names}
        data.update(
            ip_hash=ip_hash(), website=request.form.get("website", ""), attachments=request.files.getlist("attachments")
        )
        try:
            entry = run("monitoring.ventanilla.entry.submit", None, data)
        except Refusal as refusal:
            status = form_refusal(refusal, entry_form)
        else:
            return render_template(
                "monitoring/ventanilla/public_done.html", entry=entry, code=codes.display(entry.code)
            ), 201
    context = place_context()
    if context["place"] is not None:
        entry_form.place.data = context["place"].ubigeo
    response = current_app.make_response(
        (
            render_template("monitoring/ventanilla/public_form.html", form=entry_form, place_ctx=context, **context),
            status,
        )
    )
    if status == 429:
        response.headers["Retry-After"] = "3600"
    return response


#: The lookups as statements built once, their values bound per request: the public tracking page is the
#: Ventanilla's busiest read, and building a SELECT with its eager loads costs as much as running it.
_MISSES = (
    select(func.count(VentanillaLookupMiss.id))
    .where(VentanillaLookupMiss.ip_hash == bindparam("sender"), VentanillaLookupMiss.at >= bindparam("since"))
    .scalar_subquery()
)
_BY_CODE = (
    select(VentanillaEntry, _MISSES)
    .where(VentanillaEntry.code == bindparam("code"))
    .options(
        joinedload(VentanillaEntry.office).joinedload(VentanillaOffice.government),
        joinedload(VentanillaEntry.events),
    )
)
_MISSES_ONLY = select(_MISSES)


def _window(sender: str) -> dict[str, Any]:
    """This address's misses within the hour: the bound values of ``_MISSES``."""
    return {"sender": sender, "since": utcnow() - timedelta(hours=1)}


def _over_limit(misses: int) -> Refusal | None:
    if misses >= int(setting("VENTANILLA_LOOKUP_MISSES_PER_HOUR")):
        return Refusal(
            _("Too many codes that do not exist were looked up from this connection. Wait an hour and try again."), 429
        )
    return None


def lookup(raw: str | None) -> tuple[VentanillaEntry | None, Refusal | None]:
    """The entry of a tracking code, under the lookup limit (per sender address like the submission limit):
    after VENTANILLA_LOOKUP_MISSES_PER_HOUR codes that matched nothing within the hour, every lookup — a hit
    too, or guessing would go on — is refused (429) until the hour passes. A citizen checking their own code
    again and again is never counted; a code that matches nothing is (``record_miss``). An existing code costs
    one statement (its misses counted inside it); ``(None, None)``: no such entry."""
    sender = ip_hash()
    code = codes.normalize(raw)
    if code is not None:
        row = db.session.execute(_BY_CODE, {"code": code, **_window(sender)}).unique().first()
        if row is not None:
            refused = _over_limit(row[1])
            return (None, refused) if refused else (row[0], None)
    refused = _over_limit(db.session.scalar(_MISSES_ONLY, _window(sender)) or 0)
    if refused is None:
        record_miss()
    return None, refused


def record_miss() -> None:
    """Count a code that matched nothing (its own short write; a page that only reads has no transaction
    to piggyback on), dropping this address's misses older than the window."""
    sender = ip_hash()
    db.session.commit()  # end the read transaction: SQLite takes the write lock at BEGIN
    with writing():
        db.session.execute(
            delete(VentanillaLookupMiss).where(
                VentanillaLookupMiss.ip_hash == sender, VentanillaLookupMiss.at < utcnow() - timedelta(hours=1)
            )
        )
        db.session.add(VentanillaLookupMiss(ip_hash=sender, at=utcnow()))
        db.session.commit()


def public_events(entry: VentanillaEntry) -> list[VentanillaEvent]:
    return [event for event in entry.events if event.public]


@bp.route("/seguimiento")
def track() -> Any:
    raw = request.args.get("codigo")
    entry, refused = lookup(raw) if raw else (None, None)
    status = 200
    message = None
    if refused is not None:
        message, status = refused.message, refused.status
    elif raw and entry is None:
        # the same answer for a mistyped code and for one never issued: nothing about other entries
        message = _("No entry has that code. Check it character by character (for example VC-7KQ3-M9TX).")
        status = 404
    response = current_app.make_response(
        (
            render_template(
                "monitoring/ventanilla/public_track.html",
                entry=entry,
                raw=raw or "",
                message=message,
                events=public_events(entry) if entry else [],
                code=codes.display(entry.code) if entry else "",
            ),
            status,
        )
    )
    if status == 429:
        response.headers["Retry-After"] = "3600"
    return response


@bp.route("/constancia/<code>.pdf")
def receipt(code: str) -> Any:
    from flask import abort

    from plugins.monitoring.ventanilla.documents import receipt_pdf

    entry, refused = lookup(code)  # the receipt answers by code too: the same limit
    if refused is not None:
        abort(429)
    if entry is None:
        abort(404)
    return pdf_response(receipt_pdf(entry), f"constancia-{codes.display(entry.code)}.pdf")


EVENT_NAMES = {
    "registered": _l("Registered"),
    "classified": _l("Classified"),
    "referred": _l("Referred to the program or sector"),
    "program_answer": _l("Answer of the program"),
    "answered": _l("Answer"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "escalated": _l("Escalated to the regional Ventanilla"),
    "national": _l("Communicated to the national office of the program or sector"),
    "note": _l("Internal note"),
}

REGISTRY_STATUSES = {
    "on_time": _l("Registry sent on time"),
    "late": _l("Registry sent late"),
    "overdue": _l("Registry not sent (overdue)"),
    "not_sent": _l("Registry not sent yet"),
}


@bp.app_context_processor
def _names() -> dict[str, Any]:
    from plugins.monitoring.ventanilla.fields import STATUS_CHOICES

    return {"status_names": STATUS_CHOICES, "event_names": EVENT_NAMES, "registry_statuses": REGISTRY_STATUSES}
