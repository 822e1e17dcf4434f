"""The Plazos pages: the deadline list (mine, a government's, national), the secret iCalendar feed
and in-app notifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from core.collation import sorted_spanish
from core.deadlines.due_dates import reader_label, rule_reader_label
from core.deadlines.generation import binds, ensure_deadlines
from core.deadlines.ical import feed_ics, issue_feed_token, user_for_feed_token
from core.deadlines.models import STATUSES, CalendarFeedToken, Deadline, DeadlineRule, Notification
from core.deadlines.scopes import within_scope
from core.deadlines.settings import due_soon_days, lima_today
from core.deadlines.status import STATUS_UI, _rows, status_counts, status_css, status_expression
from core.extensions import csrf, db
from core.models import Government
from core.models.user import utcnow
from core.security import READ, current_scope, ensure, readable_clause
from core.submissions.overview import national_overview
from core.submissions.service import REGIONAL_RULE, missing_documents
from core.web.pagination import paginate

bp = Blueprint("deadlines", __name__, url_prefix="/plazos")


VIEWS = ("mine", "government", "national")


def deadline_date(value: date | None) -> str:
    """A due date for people: weekday and long date in the user's language ("setiembre" in Spanish)."""
    if value is None:
        return ""
    return format_date(value, "full").replace("septiembre", "setiembre")


@bp.app_context_processor
def _deadline_helpers() -> dict[str, Any]:
    return {
        "deadline_status_label": lambda s: str(STATUS_UI.get(s, s)),
        "deadline_status_css": status_css,
        "deadline_date": deadline_date,
        "deadline_missing": deadline_missing,
        "deadline_label": reader_label,  # the rule's English label for an English reader
        "rule_label": rule_reader_label,
    }


def deadline_missing(deadline: Deadline) -> list[str]:
    """For an unmet 30 June deadline: the policy documents still to be sent (SP 8)."""
    if deadline.met_at is not None or deadline.rule is None or deadline.rule.key != REGIONAL_RULE:
        return []
    return missing_documents(deadline.government, deadline.year)


def _int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _bound_government_ids(rule: DeadlineRule, region_id: int | None) -> list[int]:
    query = select(Government.id, Government.kind)
    if region_id:
        query = query.where(Government.region_id == region_id)
    return within_scope(rule.key, [gid for gid, kind in db.session.execute(query) if binds(rule.level, kind)])


# --- the Plazos page --------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    scope = current_scope()
    today = lima_today()
    soon = due_soon_days()
    national_allowed = scope.everything
    view = request.args.get("view") or ("mine" if scope.direct or not national_allowed else "national")
    if view not in VIEWS:
        abort(404)
    year = _int_arg("year") or today.year
    if not 2000 <= year <= 2100:
        abort(404)
    rules_query = select(DeadlineRule).where(DeadlineRule.active.is_(True)).order_by(DeadlineRule.label)
    rules = list(db.session.scalars(rules_query))
    rule = next((r for r in rules if r.key == request.args.get("rule")), None)
    if request.args.get("rule") and rule is None:
        abort(404)
    status = request.args.get("status") or ""
    if status and status not in STATUSES:
        abort(404)

    government = None
    region_id = None
    query = (
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .join(Government, Government.id == Deadline.government_id)
        .where(readable_clause(scope, Deadline.government_id), DeadlineRule.active.is_(True), Deadline.year == year)
    )
    if view == "mine":
        ids = sorted(scope.direct)
        generated = ensure_deadlines(year, ids)
        query = query.where(Deadline.government_id.in_(ids))
        order = (Deadline.due_date, Government.name, Deadline.id)
    elif view == "government":
        gov_id = _int_arg("government")
        government = db.session.get(Government, gov_id) if gov_id else None
        if government is None:
            abort(404)
        ensure(READ, government)
        generated = ensure_deadlines(year, [government.id])
        query = query.where(Deadline.government_id == government.id)
        order = (Deadline.due_date, Deadline.id)
    else:
        if not national_allowed:
            abort(403)
        rule = (
            rule
            or next((r for r in rules if r.key == "core.regional_submission"), None)
            or (rules[0] if rules else None)
        )
        region_id = _int_arg("region")
        generated = ensure_deadlines(year, _bound_government_ids(rule, region_id)) if rule is not None else 0
        if region_id:
            query = query.where(Government.region_id == region_id)
        order = (Government.name, Deadline.period, Deadline.id)
    if generated:  # the generation committed: reload the expired rules in one query, not one each
        rules = list(db.session.scalars(rules_query))
    overview = None
    if view == "national" and rule is not None:
        if rule.key == REGIONAL_RULE:
            # The 30 June rule reads the same here as on the Envíos page: one computation, one vocabulary.
            overview = national_overview(year, rule.key, region_id)
    if rule is not None:
        query = query.where(Deadline.rule_id == rule.id)
    counts = status_counts(query, today, soon)
    if status:
        query = query.where(status_expression(today, soon) == status)
    query = query.options(
        joinedload(Deadline.government), joinedload(Deadline.case), joinedload(Deadline.met_by)
    ).order_by(*order)
    page = paginate(query, Deadline.id)
    my_governments = sorted_spanish(db.session.scalars(select(Government).where(Government.id.in_(scope.direct))).all())
    regions = (
        sorted_spanish(db.session.scalars(select(Government).where(Government.kind == "regional")).all())
        if view == "national"
        else []
    )
    feed = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == current_user.id))
    return render_template(
        "deadlines/index.html",
        view=view,
        year=year,
        rules=rules,
        rule=rule,
        status=status,
        government=government,
        region_id=region_id,
        regions=regions,
        my_governments=my_governments,
        national_allowed=national_allowed,
        counts=counts,
        page=page,
        rows=_rows(page.items, today),
        statuses=STATUSES,
        status_ui=STATUS_UI,
        overview=overview,
        feed=feed,
    )


# --- iCalendar feed ----------------------------------------------------------------------------------


@bp.route("/calendario", methods=["POST"])
@login_required
def feed_token():
    """Create or regenerate (``action=create``) or revoke (``action=revoke``) the user's feed URL."""
    action = request.form.get("action", "create")
    if action == "revoke":
        # Through the ORM (not a bulk DELETE), so the audit trail records the revocation.
        for row in db.session.scalars(select(CalendarFeedToken).where(CalendarFeedToken.user_id == current_user.id)):
            db.session.delete(row)
        db.session.commit()
        flash(_("Your calendar address was revoked; calendars that used it stop updating."), "success")
        return redirect(url_for("deadlines.index"), 303)
    if action != "create":
        abort(400)
    plain = issue_feed_token(current_user)
    db.session.commit()
    feed_url = url_for("deadlines.feed", token=plain, _external=True)
    return render_template("deadlines/feed.html", feed_url=feed_url)


@bp.route("/<token>.ics")
@csrf.exempt
def feed(token: str):
    """The secret feed: no login, the token is the credential (unknown or replaced: 404)."""
    user = user_for_feed_token(token)
    if user is None:
        abort(404)
    body = feed_ics(user, request.url_root)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="plazos.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- notifications -----------------------------------------------------------------------------------


def _safe_next(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/avisos")
@login_required
def notifications():
    query = select(Notification).where(Notification.user_id == current_user.id)
    if request.args.get("unread"):
        query = query.where(Notification.read_at.is_(None))
    page = paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()), Notification.id)
    return render_template("deadlines/notifications.html", page=page)


@bp.route("/avisos/<int:notification_id>/leido", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(_safe_next(url_for("deadlines.notifications")), 303)


@bp.route("/avisos/leidos", methods=["POST"])
@login_required
def mark_all_read():
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return redirect(_safe_next(url_for("deadlines.notifications")), 303)
