"""The local plan's timetable as deadlines (§5.1.2): once the plan is approved by ordinance or
resolution, each activity is a deadline due the last day of its last scheduled month (moved to
the next working day when that is not one, Ley N° 27444).

Writes through the deadlines subsystem's tables (rule «diagnosis.timetable_activity» of
deadlines.yaml); idempotent, one deadline per (plan, activity), ``period`` = the activity's id.
The deadline has no start date on purpose: the deadlines subsystem recomputes the due dates
of event rules from their start, and these dates come from the timetable, not from an event.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from core.extensions import db
from core.i18n import N_
from plugins.diagnosis.models import Plan, month_list

#: States from which the timetable binds (after the norm approved the plan).
BINDING_STATES = ("approved_norm", "submitted")
#: An activity's deadline label, shown in the reader's language (core.deadlines.set_label).
LOCAL_LABEL = N_("Local plan (PAL) %(year)s: %(activity)s")


def activity_due_dates(plan: Plan) -> list[tuple[Any, date]]:
    """(activity, due date) for every scheduled activity of the plan."""
    out = []
    for result in plan.results:
        for activity in result.activities:
            months = month_list(activity.months)
            if months:
                last = months[-1]
                out.append((activity, date(plan.year, last, calendar.monthrange(plan.year, last)[1])))
    return out


def sync_deadlines(plan: Plan) -> int:
    """Create the missing deadlines of a local plan's timetable; returns how many were created."""
    if plan.is_regional:
        return 0
    from core.deadlines import calendar_for, rule_by_key, set_label
    from core.deadlines.models import Deadline

    rule = rule_by_key("diagnosis.timetable_activity")
    if rule is None or not rule.active:
        return 0
    have = set(
        db.session.scalars(db.select(Deadline.period).where(Deadline.rule_id == rule.id, Deadline.case_id == plan.id))
    )
    created = 0
    working = calendar_for(plan.government)
    for activity, due in activity_due_dates(plan):
        if activity.id in have:
            continue
        deadline = Deadline(
            rule_id=rule.id,
            government_id=plan.government_id,
            year=plan.year,
            case_id=plan.id,
            period=activity.id,
            due_date=working.roll_forward(due),
        )
        # the activity's name stays as typed; "PAL" is the glossary's acronym, spelled out in English
        set_label(deadline, LOCAL_LABEL, year=plan.year, activity=activity.name)
        db.session.add(deadline)
        created += 1
    db.session.flush()
    return created
