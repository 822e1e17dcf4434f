"""Deadlines in the admin: rules (validated; deleting deactivates), deadlines, non-working days
(recomputing what they move), reminders, notifications and feed tokens."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash
from flask_admin import Admin
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from core.admin import ReadOnlyModelView, ScopedModelView
from core.cases.types import case_types
from core.deadlines.due_dates import reader_label
from core.deadlines.generation import ALL_REGIONS, recompute_due_dates, refresh_rule_deadlines
from core.deadlines.models import (
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
from core.deadlines.rules import KIND_UI, LEVEL_UI, RULE_FIELDS, normalize_rule, rule_problems
from core.deadlines.settings import due_soon_days, lima_today
from core.deadlines.status import STATUS_UI, status_css, status_expression, status_of
from core.extensions import db
from core.models import Government
from core.security import current_scope

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
        "label_en": {"description": _l("What users who read English see; empty: the Spanish label.")},
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
        form.kind.choices = [(k, str(KIND_UI[k])) for k in RULE_KINDS]
        form.level.choices = [(k, str(LEVEL_UI[k])) for k in RULE_LEVELS]
        form.case_type.choices = [("", "—")] + [(k, str(t.label)) for k, t in case_types().items()]
        return form

    def on_model_change(self, form: Any, model: DeadlineRule, is_created: bool) -> None:
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


def _label_cell(view: Any, context: Any, model: Deadline, name: str) -> str:
    return reader_label(model)


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
    # a label a plugin composed reads in the administrator's language (searching matches the Spanish one)
    column_formatters = {"status": _status_cell, "label": _label_cell}
    column_formatters_export = {"status": _status_text, "label": _label_cell}
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
