"""Deadlines on the web, the API and the admin: the "Plazos" page, the secret iCalendar feed,
in-app notifications, case and cycle panels, the dashboard widget, /api/v1/deadlines, admin views."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_admin import Admin
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from core.admin import ReadOnlyModelView, ScopedModelView
from core.collation import sorted_spanish
from core.deadlines import (
    ALL_REGIONS,
    RULE_FIELDS,
    binds,
    due_soon_days,
    ensure_deadlines,
    feed_ics,
    issue_feed_token,
    lima_today,
    normalize_rule,
    recompute_due_dates,
    refresh_rule_deadlines,
    rule_problems,
    status_css,
    status_expression,
    status_of,
    user_for_feed_token,
)
from core.extensions import csrf, db
from core.models import Case, Government
from core.models.deadlines import (
    RULE_KINDS,
    RULE_LEVELS,
    STATUSES,
    CalendarFeedToken,
    Deadline,
    DeadlineRule,
    NonWorkingDay,
    Notification,
    Reminder,
)
from core.models.user import utcnow
from core.panels import Panel, register_case_panel, register_cycle_panel
from core.security import READ, current_scope, ensure, readable_clause
from core.web.pagination import paginate

bp = Blueprint("deadlines", __name__, url_prefix="/plazos")

STATUS_UI = {
    "pending": _l("Pending"),
    "due_soon": _l("Due soon"),
    "met": _l("Met"),
    "met_late": _l("Met late"),
    "late": _l("Late"),
}
KIND_UI = {
    "fixed_yearly": _l("Fixed date every year"),
    "quarterly": _l("Every quarter"),
    "working_days_after": _l("Working days after an event"),
    "calendar_days_after": _l("Calendar days after an event"),
}
LEVEL_UI = {
    "regional": _l("Regional governments"),
    "local": _l("Local governments (provincial and district)"),
    "provincial": _l("Provincial municipalities"),
    "district": _l("District municipalities"),
    "all": _l("Every government"),
}
VIEWS = ("mine", "government", "national")


def deadline_date(value: date | None) -> str:
    """A due date for people: weekday and long date in the user's language ("setiembre" in Spanish)."""
    if value is None:
        return ""
    from flask_babel import format_date

    return format_date(value, "full").replace("septiembre", "setiembre")


@bp.app_context_processor
def _deadline_helpers() -> dict[str, Any]:
    return {
        "deadline_status_label": lambda s: str(STATUS_UI.get(s, s)),
        "deadline_status_css": status_css,
        "deadline_date": deadline_date,
        "deadline_missing": deadline_missing,
    }


def deadline_missing(deadline: Deadline) -> list[str]:
    """For an unmet 30 June deadline: the policy documents still to be sent (SP 8)."""
    from core.submissions import REGIONAL_RULE, missing_documents

    if deadline.met_at is not None or deadline.rule is None or deadline.rule.key != REGIONAL_RULE:
        return []
    return missing_documents(deadline.government, deadline.year)


def _int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _rows(deadlines: list[Deadline], today: date | None = None) -> list[tuple[Deadline, str]]:
    today = today or lima_today()
    soon = due_soon_days()
    return [(d, status_of(d.due_date, d.met_on, today, soon)) for d in deadlines]


def status_counts(query: Any, today: date, soon: int) -> dict[str, int]:
    """Deadlines of ``query`` per status (grouped over a subquery: PostgreSQL will not group by a
    CASE whose parameters are bound twice)."""
    sub = query.with_only_columns(status_expression(today, soon).label("status")).order_by(None).subquery()
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)):
        counts[status] = count
    return counts


def _bound_government_ids(rule: DeadlineRule, region_id: int | None) -> list[int]:
    query = select(Government.id, Government.kind)
    if region_id:
        query = query.where(Government.region_id == region_id)
    return [gid for gid, kind in db.session.execute(query) if binds(rule.level, kind)]


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
        from core.submissions import REGIONAL_RULE, national_overview

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


# --- panels and dashboard ------------------------------------------------------------------------------


def case_deadlines_query(case: Case) -> Any:
    """A case's deadlines: its own (event rules), those it met, and its government's deadline of the
    case's year when the rule is bound to the case's type."""
    return (
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(
            DeadlineRule.active.is_(True),
            or_(
                Deadline.case_id == case.id,
                Deadline.met_case_id == case.id,
                and_(
                    Deadline.case_id.is_(None),
                    Deadline.government_id == case.government_id,
                    Deadline.year == case.year,
                    DeadlineRule.case_type == case.type,
                ),
            ),
        )
        .options(joinedload(Deadline.met_by), joinedload(Deadline.met_case))
        .order_by(Deadline.due_date, Deadline.id)
    )


def case_panel_context(case: Case, **_: Any) -> dict[str, Any] | None:
    deadlines = db.session.scalars(case_deadlines_query(case)).unique().all()
    if not deadlines:
        return None
    return {"rows": _rows(list(deadlines))}


def cycle_panel_context(government: Government, year: int, **_: Any) -> dict[str, Any]:
    ensure_deadlines(year, [government.id])
    deadlines = db.session.scalars(
        select(Deadline)
        .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
        .where(Deadline.government_id == government.id, Deadline.year == year, DeadlineRule.active.is_(True))
        .options(joinedload(Deadline.case), joinedload(Deadline.met_by), joinedload(Deadline.met_case))
        .order_by(Deadline.due_date, Deadline.id)
    ).all()
    return {"rows": _rows(list(deadlines)), "government_id": government.id, "year": year}


def register_panels() -> None:
    register_case_panel(Panel("deadlines", "deadlines/_case_panel.html", case_panel_context, order=30))
    register_cycle_panel(Panel("deadlines", "deadlines/_cycle_panel.html", cycle_panel_context, order=10))


def dashboard_widget(user: Any) -> dict[str, Any]:
    """Unread notifications and the next (or overdue) deadlines of the user's governments."""
    scope = current_scope()
    today = lima_today()
    unread_query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    unread = db.session.scalars(unread_query.order_by(Notification.created_at.desc()).limit(5)).all()
    unread_total = db.session.scalar(select(func.count()).select_from(unread_query.subquery())) or 0
    upcoming: list[tuple[Deadline, str]] = []
    if scope.direct:
        ensure_deadlines(today.year, sorted(scope.direct))
        upcoming = _rows(
            list(
                db.session.scalars(
                    select(Deadline)
                    .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
                    .where(
                        Deadline.government_id.in_(scope.direct),
                        DeadlineRule.active.is_(True),
                        Deadline.met_at.is_(None),
                        Deadline.due_date >= date(today.year - 1, 1, 1),
                    )
                    .options(joinedload(Deadline.government))
                    .order_by(Deadline.due_date, Deadline.id)
                    .limit(8)
                )
            ),
            today,
        )
    return {
        "title": _("Deadlines"),
        "template": "deadlines/_widget.html",
        "context": {"unread": unread, "unread_total": unread_total, "upcoming": upcoming},
        "order": 10,
    }


# --- API ------------------------------------------------------------------------------------------------

DEADLINE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "rule": {"type": "string"},
        "label": {"type": "string"},
        "government_id": {"type": "integer"},
        "government": {"type": "string"},
        "year": {"type": "integer"},
        "period": {"type": "integer"},
        "case_id": {"type": ["integer", "null"]},
        "start_date": {"type": ["string", "null"], "format": "date"},
        "due_date": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "met_at": {"type": ["string", "null"], "format": "date-time"},
        "met_by_id": {"type": ["integer", "null"]},
        "met_case_id": {"type": ["integer", "null"]},
    },
}
RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "label": {"type": "string"},
        "kind": {"type": "string", "enum": list(RULE_KINDS)},
        "level": {"type": "string", "enum": list(RULE_LEVELS)},
        "month": {"type": ["integer", "null"]},
        "day": {"type": ["integer", "null"]},
        "quarter_offset_days": {"type": ["integer", "null"]},
        "quarter_dates": {"type": ["string", "null"]},
        "days": {"type": ["integer", "null"]},
        "event": {"type": ["string", "null"]},
        "case_type": {"type": ["string", "null"]},
        "owner": {"type": "string"},
        "active": {"type": "boolean"},
    },
}


def deadline_json(d: Deadline, today: date, soon: int) -> dict[str, Any]:
    return {
        "id": d.id,
        "rule": d.rule.key,
        "label": d.label,
        "government_id": d.government_id,
        "government": d.government.name,
        "year": d.year,
        "period": d.period,
        "case_id": d.case_id,
        "start_date": d.start_date.isoformat() if d.start_date else None,
        "due_date": d.due_date.isoformat(),
        "status": status_of(d.due_date, d.met_on, today, soon),
        "met_at": d.met_at.isoformat() + "Z" if d.met_at else None,
        "met_by_id": d.met_by_id,
        "met_case_id": d.met_case_id,
    }


def rule_json(rule: DeadlineRule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in RULE_SCHEMA["properties"]}


def register_api(api: Any) -> None:
    from core.api import PAGE_PARAMETERS, bad_request, page_json, page_schema

    api.schemas.update({"Deadline": DEADLINE_SCHEMA, "DeadlineRule": RULE_SCHEMA})
    ref = {"$ref": "#/components/schemas/Deadline"}

    @api.route(
        "/deadlines",
        summary=_l("Deadlines in your scope, with their status"),
        tag="plazos",
        response=page_schema(ref),
        parameters=[
            {"name": "government", "in": "query", "schema": {"type": "integer"}},
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
            {"name": "rule", "in": "query", "schema": {"type": "string"}},
            {"name": "case", "in": "query", "schema": {"type": "integer"}},
            *PAGE_PARAMETERS,
        ],
    )
    def list_deadlines():
        scope = current_scope()
        today, soon = lima_today(), due_soon_days()
        args = request.args
        numbers = {}
        for name in ("government", "year", "case"):
            if args.get(name):
                if not args[name].isdigit():
                    bad_request(_("«%(name)s» must be an integer.", name=name))
                numbers[name] = int(args[name])
        query = (
            select(Deadline)
            .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
            .where(readable_clause(scope, Deadline.government_id), DeadlineRule.active.is_(True))
        )
        if "government" in numbers:
            government = db.session.get(Government, numbers["government"])
            if government is None:
                bad_request(_("«government» is not a government."), 404)
            ensure(READ, government)
            query = query.where(Deadline.government_id == government.id)
        if "year" in numbers:
            if not 2000 <= numbers["year"] <= 2100:
                bad_request(_("«year» must be between 2000 and 2100."))
            query = query.where(Deadline.year == numbers["year"])
            # Lazy generation of that year for what the caller can read.
            if "government" in numbers:
                ensure_deadlines(numbers["year"], [numbers["government"]])
            elif scope.everything:
                ensure_deadlines(numbers["year"], None)
            else:
                ids = db.session.scalars(select(Government.id).where(readable_clause(scope, Government.id))).all()
                ensure_deadlines(numbers["year"], list(ids))
        if "case" in numbers:
            query = query.where(Deadline.case_id == numbers["case"])
        if args.get("rule"):
            query = query.where(DeadlineRule.key == args["rule"])
        if args.get("status"):
            if args["status"] not in STATUSES:
                bad_request(_("Unknown status: use %(statuses)s.", statuses=", ".join(STATUSES)))
            query = query.where(status_expression(today, soon) == args["status"])
        query = query.options(joinedload(Deadline.rule), joinedload(Deadline.government)).order_by(
            Deadline.due_date, Deadline.id
        )
        return page_json(paginate(query, Deadline.id), lambda d: deadline_json(d, today, soon))

    @api.route(
        "/cases/<int:case_id>/deadlines",
        summary=_l("Deadlines of a case"),
        tag="plazos",
        response={"type": "object", "properties": {"items": {"type": "array", "items": ref}}},
    )
    def case_deadlines(case_id: int):
        from flask import jsonify

        case = db.session.get(Case, case_id)
        if case is None:
            abort(404)
        ensure(READ, case.government)
        today, soon = lima_today(), due_soon_days()
        deadlines = db.session.scalars(
            case_deadlines_query(case).options(joinedload(Deadline.rule), joinedload(Deadline.government))
        ).unique()
        return jsonify({"items": [deadline_json(d, today, soon) for d in deadlines]})

    @api.route(
        "/deadline-rules",
        summary=_l("Deadline rules (fixed date, quarterly, working or calendar days after an event)"),
        tag="plazos",
        response={"type": "array", "items": {"$ref": "#/components/schemas/DeadlineRule"}},
    )
    def list_deadline_rules():
        from flask import jsonify

        rules = db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.key))
        return jsonify([rule_json(r) for r in rules])


# --- admin -------------------------------------------------------------------------------------------------


class DeadlineRuleView(ScopedModelView):
    """Rules: every member reads them; administrators edit or add them, validated on save. Deleting
    deactivates (deadlines already created keep their rule)."""

    column_list = ("key", "label", "kind", "level", "month", "day", "days", "case_type", "owner", "active", "edited")
    column_searchable_list = ("key", "label")
    column_filters = ("kind", "level", "owner", "active", "edited")
    column_default_sort = "key"
    column_formatters = {
        "kind": lambda v, c, m, n: KIND_UI.get(m.kind, m.kind),
        "level": lambda v, c, m, n: LEVEL_UI.get(m.level, m.level),
    }
    form_columns = RULE_FIELDS
    form_overrides = {
        "kind": SelectField,
        "level": SelectField,
        "case_type": SelectField,
        "description": TextAreaField,
    }
    form_args = {
        "key": {"description": _l("Lower case letters, digits and _; e.g. admin.regional_report. Cannot change.")},
        "month": {"description": _l("Fixed date every year: month (1-12).")},
        "day": {"description": _l("Fixed date every year: day of the month.")},
        "quarter_offset_days": {"description": _l("Every quarter: days after each quarter's end (0 = 31 Mar…).")},
        "quarter_dates": {
            "description": _l("Every quarter, explicit dates: four MM-DD, e.g. 04-15, 07-15, 10-15, 01-15.")
        },
        "days": {"description": _l("Days after the event (working or calendar days, by kind).")},
        "event": {"description": _l("What starts the period, e.g. receipt of the request.")},
    }

    def create_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().create_form(obj))

    def edit_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().edit_form(obj))

    def _with_choices(self, form: Any) -> Any:
        from core.cases import case_types

        form.kind.choices = [(k, str(KIND_UI[k])) for k in RULE_KINDS]
        form.level.choices = [(k, str(LEVEL_UI[k])) for k in RULE_LEVELS]
        form.case_type.choices = [("", "—")] + [(k, str(t.label)) for k, t in case_types().items()]
        return form

    def on_model_change(self, form: Any, model: DeadlineRule, is_created: bool) -> None:
        from core.cases import case_types

        owner = "admin" if is_created else model.owner
        values = normalize_rule({name: getattr(model, name) for name in RULE_FIELDS}, owner)
        problems = rule_problems(values, case_types())
        if not is_created and form.key.object_data not in (None, values["key"]):
            problems.insert(0, _("A rule's key cannot be changed (the workflows use it)."))
        with self.session.no_autoflush:
            duplicate = self.session.scalar(
                select(DeadlineRule.id).where(DeadlineRule.key == values["key"], DeadlineRule.id != (model.id or 0))
            )
        if duplicate:
            problems.insert(0, _("A rule with the key «%(key)s» already exists.", key=values["key"]))
        if problems:
            raise ValidationError(" ".join(problems))
        for name, value in values.items():
            setattr(model, name, value)
        model.owner = owner
        model.edited = True  # a shipped rule an administrator changed is kept on reload
        if not is_created:
            self.session.flush()
            refresh_rule_deadlines(model)

    def delete_model(self, model: DeadlineRule) -> bool:
        model.active = False
        model.edited = True
        self.session.commit()
        flash(_("The rule was deactivated; its deadlines are kept but no longer shown."), "info")
        return True


class StatusFilter(BaseSQLAFilter):
    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        return query.filter(status_expression(lima_today(), due_soon_days()) == value)

    def operation(self) -> Any:
        return _l("equals")


def _status_cell(view: Any, context: Any, model: Deadline, name: str) -> Any:
    status = status_of(model.due_date, model.met_on, lima_today(), due_soon_days())
    return Markup('<span class="{}">{}</span>').format(status_css(status), STATUS_UI[status])


def _status_text(view: Any, context: Any, model: Deadline, name: str) -> str:
    return str(STATUS_UI[status_of(model.due_date, model.met_on, lima_today(), due_soon_days())])


class DeadlineView(ReadOnlyModelView):
    government_column = Deadline.government_id
    large_table = True
    column_list = ("government", "label", "year", "due_date", "status", "met_at", "met_by", "case")
    column_details_list = (
        "government",
        "rule",
        "label",
        "year",
        "period",
        "case",
        "start_date",
        "due_date",
        "status",
        "met_at",
        "met_by",
        "met_case",
        "created_at",
    )
    column_export_list = ("government", "label", "year", "period", "due_date", "status", "met_at", "met_by", "case")
    column_labels = {"rule.key": _l("Rule key"), "rule.label": _l("Rule")}
    column_formatters = {"status": _status_cell}
    column_formatters_export = {"status": _status_text}
    column_searchable_list = ("label",)
    column_select_related_list = ("government", "met_by", "case")
    column_default_sort = ("due_date", False)
    column_filters = (
        StatusFilter(Deadline.due_date, _l("Status"), options=[(s, STATUS_UI[s]) for s in STATUSES]),
        "rule.key",
        "rule.label",
        "year",
        "due_date",
    )


def _regional_governments() -> Any:
    return Government.query.filter(Government.kind == "regional").order_by(Government.name)


class NonWorkingDayView(ScopedModelView):
    """The administrator's table of decreed non-working days and regional holidays; saving one
    recomputes the unmet deadlines it can move, in the same transaction."""

    column_list = ("date", "name", "region")
    column_labels = {"region": _l("Region (empty: national)")}
    column_filters = ("date", "name")
    column_searchable_list = ("name",)
    column_select_related_list = ("region",)
    column_default_sort = ("date", True)
    form_columns = ("date", "name", "region")
    form_args = {
        "region": {
            "query_factory": _regional_governments,
            "allow_blank": True,
            "blank_text": "— Nacional —",
            "description": _l("Leave empty for a national non-working day; choose a region for a regional holiday."),
        }
    }

    def on_model_change(self, form: Any, model: NonWorkingDay, is_created: bool) -> None:
        problems = []
        if model.date is None:
            problems.append(_("Give the date."))
        model.name = (model.name or "").strip()
        if not model.name:
            problems.append(_("Give the name of the non-working day (e.g. «Día no laborable, D.S. N° …»)."))
        if model.region is not None and model.region.kind != "regional":
            problems.append(_("The region must be a regional government."))
        if not problems:
            with self.session.no_autoflush:
                duplicate = self.session.scalar(
                    select(NonWorkingDay.id).where(
                        NonWorkingDay.date == model.date,
                        NonWorkingDay.region_id.is_(None)
                        if model.region is None
                        else NonWorkingDay.region_id == model.region.id,
                        NonWorkingDay.id != (model.id or 0),
                    )
                )
            if duplicate:
                problems.append(_("That day is already registered for that jurisdiction."))
        if problems:
            raise ValidationError(" ".join(problems))
        before = [] if is_created else [(form.date.object_data, getattr(form.region.object_data, "id", None))]
        self.session.flush()
        _recompute_for([*before, (model.date, model.region_id)])

    def delete_model(self, model: NonWorkingDay) -> bool:
        try:
            affected = [(model.date, model.region_id)]
            self.session.delete(model)
            self.session.flush()
            _recompute_for(affected)
            self.session.commit()
        except Exception as error:  # noqa: BLE001 — reported like flask-admin's own failures
            self.session.rollback()
            flash(_("The day was not deleted: %(error)s", error=str(error)), "error")
            return False
        return True


def _recompute_for(changes: list[tuple[date | None, int | None]]) -> int:
    """Recompute the unmet deadlines a changed non-working day can move (due on or after it)."""
    changes = [(d, r) for d, r in changes if d is not None]
    if not changes:
        return 0
    since = min(d for d, _r in changes)
    regions = {r for _d, r in changes}
    if None in regions:
        changed = recompute_due_dates(since, ALL_REGIONS)
    else:
        changed = sum(recompute_due_dates(since, region) for region in regions)
    if changed:
        flash(_("%(num)s due dates were recomputed.", num=changed), "info")
    return changed


class ReminderView(ReadOnlyModelView):
    admin_only = True
    large_table = True
    column_list = ("sent_at", "deadline", "user", "kind", "channel")
    column_filters = ("kind", "channel", "sent_at")
    column_select_related_list = ("deadline", "user")
    column_default_sort = ("sent_at", True)


class NotificationView(ReadOnlyModelView):
    admin_only = True
    large_table = True
    column_list = ("created_at", "user", "message", "link", "read_at")
    column_filters = ("created_at", "read_at")
    column_searchable_list = ("message",)
    column_select_related_list = ("user",)
    column_default_sort = ("created_at", True)


class CalendarFeedTokenView(ReadOnlyModelView):
    """Administrators see who has a calendar address (never the token) and may revoke one."""

    admin_only = True
    column_list = ("user", "prefix", "created_at", "last_used_at")
    column_select_related_list = ("user",)

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return current_user.is_authenticated and current_scope().is_admin


def register_admin(admin: Admin) -> None:
    session = db.session
    category = _l("Deadlines")
    admin.add_view(DeadlineRuleView(DeadlineRule, session, name=_l("Deadline rules"), category=category))
    admin.add_view(DeadlineView(Deadline, session, name=_l("Deadlines"), category=category))
    admin.add_view(NonWorkingDayView(NonWorkingDay, session, name=_l("Non-working days"), category=category))
    admin.add_view(ReminderView(Reminder, session, name=_l("Reminders"), category=category))
    admin.add_view(NotificationView(Notification, session, name=_l("Notifications"), category=category))
    admin.add_view(CalendarFeedTokenView(CalendarFeedToken, session, name=_l("Calendar addresses"), category=category))
