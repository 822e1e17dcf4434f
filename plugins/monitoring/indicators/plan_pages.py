"""A plan's page under /seguimiento/indicadores/planes/<plan>: each indicator of its matrix linked to the key
indicator (and measure) it measures, one form per row, and, once the plan is approved, one button that loads the
government's targets from it (result goals and linked indicator goals). The writes are the operations
``monitoring.plan_indicator.link`` and ``monitoring.targets.from_plan`` (the API calls the same ones)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, READ, can, current_scope
from plugins.diagnosis.models import Plan
from plugins.monitoring.indicators.fields import LINK
from plugins.monitoring.indicators.models import PlanIndicatorLink
from plugins.monitoring.indicators.operations import APPROVED_PLAN_STATES

bp = Blueprint("monitoring_plan_targets", __name__, url_prefix="/seguimiento/indicadores/planes")

LinkForm = LINK.form_class(FlaskForm, versioned=False)


def approved_plans(government: Government) -> list[Plan]:
    """The government's plans, newest first (the approved ones load targets; any links its indicators)."""
    return list(
        db.session.scalars(
            select(Plan).where(Plan.government_id == government.id).order_by(Plan.year.desc(), Plan.id.desc()).limit(20)
        )
    )


@bp.route("/<int:plan_id>", methods=["GET", "POST"])
@login_required
def plan(plan_id: int) -> Any:
    try:
        record = load_or_404(Plan, plan_id, action=EDIT if request.method == "POST" else READ)
    except Refusal as refusal:
        abort(refusal.status)
    status, failed = 200, None
    if request.method == "POST":
        if request.form.get("form") == "targets":
            targets, status = form_run("monitoring.targets.from_plan", current_user, {"plan_id": record.id})
            if targets is not None:
                count = len(targets)
                flash(ngettext("%(num)d target loaded from the plan.", "%(num)d targets loaded from the plan.", count))
                return redirect(
                    url_for("monitoring_indicators.targets", government_id=record.government_id, year=record.year), 303
                )
        else:
            indicator_id = request.form.get("plan_indicator_id", type=int)
            prefix = f"i{indicator_id}-"
            form = LinkForm(prefix=prefix)
            data = {n: request.form.get(prefix + n, "") for n in LINK.input_names}
            saved, status = form_run(
                "monitoring.plan_indicator.link", current_user, {**data, "plan_indicator_id": indicator_id}, form
            )
            if status == 200:
                flash(_("The link was saved."))
                return redirect(url_for("monitoring_plan_targets.plan", plan_id=record.id), 303)
            failed = (prefix, form)
    indicator_ids = [i.id for r in record.results for i in r.indicators]
    links = {
        link.plan_indicator_id: link
        for link in db.session.scalars(
            select(PlanIndicatorLink).where(PlanIndicatorLink.plan_indicator_id.in_(indicator_ids))
        )
    }
    return render_template(
        "monitoring/indicators/plan.html",
        plan=record,
        links=links,
        link_form=LinkForm,
        failed=failed,
        approved=record.state in APPROVED_PLAN_STATES,
        may_edit=can(current_scope(), EDIT, record.government),
    ), status
