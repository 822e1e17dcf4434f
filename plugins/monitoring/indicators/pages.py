"""Pages of the key indicators under /seguimiento/indicadores: the catalog and each indicator (sources and
their valid level), the measurements list with filters, recording and correcting one (with its history),
the import with its per-row report, and the targets in force for a government and year (the government chosen
by a search over every government the user reaches). A plan's page, linking its indicators to the key
indicators and loading its targets, is plan_pages.py. Every write is an operation (form_run)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_refusal, form_run, load_or_404, run
from core.security import READ, can, current_scope, readable_clause, writable_government_ids
from core.territories import reachable_governments
from core.web.pagination import paginate
from plugins.monitoring.indicators import plan_pages, queries
from plugins.monitoring.indicators.fields import ADJUSTMENT, CORRECTION, MEASUREMENT
from plugins.monitoring.indicators.models import LEVELS, Measurement, NationalGoal
from plugins.monitoring.indicators.periods import period_label
from plugins.monitoring.indicators.rules import LEVEL_NAMES, WRITE_ACTION

bp = Blueprint("monitoring_indicators", __name__, url_prefix="/seguimiento/indicadores")

MeasurementForm = MEASUREMENT.form_class(FlaskForm, versioned=False)
CorrectionForm = CORRECTION.form_class(FlaskForm)
AdjustmentForm = ADJUSTMENT.form_class(FlaskForm, versioned=False, exclude=("government_id", "year"))
MAX_UPLOAD = 5 * 1024 * 1024


@bp.app_template_filter("period_label")
def _period_label(measurement: Measurement) -> str:
    return period_label(measurement.year, measurement.period_kind, measurement.period_number)


def _may_record() -> bool:
    scope = current_scope()
    return not scope.read_only or scope.is_admin or "national" in scope.global_roles


@bp.route("/")
@login_required
def index() -> str:
    return render_template(
        "monitoring/indicators/index.html", indicators=queries.indicators(), may_record=_may_record()
    )


@bp.route("/<int:number>")
@login_required
def detail(number: int) -> str:
    indicator = queries.indicator_by_code(number)
    if indicator is None:
        abort(404)
    levels = queries.source_levels()
    goals = db.session.scalars(
        select(NationalGoal).where(NationalGoal.indicator_id == indicator.id).order_by(NationalGoal.position)
    ).all()
    return render_template(
        "monitoring/indicators/detail.html",
        indicator=indicator,
        sources=[(s, levels.get(s.source)) for s in indicator.sources],
        measures=queries.measures_of(indicator),
        goals=goals,
        level_names=LEVEL_NAMES,
        levels=LEVELS,
    )


def _filters() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in ("indicator", "ubigeo", "year", "source", "level")}


@bp.route("/mediciones")
@login_required
def measurements() -> str:
    scope = current_scope()
    filters = _filters()
    query = (
        select(Measurement)
        .where(queries.readable_measurements(scope))
        .options(joinedload(Measurement.indicator), joinedload(Measurement.territory))
        .order_by(Measurement.period_start.desc(), Measurement.ubigeo, Measurement.id.desc())
    )
    indicator = queries.indicator_by_code(filters["indicator"]) if filters["indicator"] else None
    if indicator is not None:
        query = query.where(Measurement.indicator_id == indicator.id)
    if filters["ubigeo"].isdigit():
        query = query.where(Measurement.ubigeo.startswith(filters["ubigeo"].rstrip("0")[:6] or "0"))
    if filters["year"].isdigit():
        query = query.where(Measurement.year == int(filters["year"]))
    if filters["source"]:
        query = query.where(Measurement.source == filters["source"].upper())
    if filters["level"] in LEVELS:
        query = query.where(Measurement.level == filters["level"])
    return render_template(
        "monitoring/indicators/measurements.html",
        page=paginate(query, Measurement.id),
        filters=filters,
        indicators=queries.indicators(),
        sources=list(queries.source_levels()),
        level_names=LEVEL_NAMES,
        levels=LEVELS,
        may_record=_may_record(),
    )


@bp.route("/mediciones/nueva", methods=["GET", "POST"])
@login_required
def new_measurement() -> Any:
    if not _may_record():
        abort(403)
    form = MeasurementForm(data={"indicator": request.args.get("indicator", ""), "period_kind": "year"})
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in MEASUREMENT.input_names if name in request.form}
        row, status = form_run("monitoring.measurement.record", current_user, data, form)
        if row is not None:
            return redirect(url_for("monitoring_indicators.measurement", measurement_id=row.id), 303)
    return render_template("monitoring/indicators/new.html", form=form), status


@bp.route("/mediciones/<int:measurement_id>", methods=["GET", "POST"])
@login_required
def measurement(measurement_id: int) -> Any:
    try:
        row: Measurement = load_or_404(Measurement, measurement_id, action=READ)
    except Refusal as refusal:
        abort(refusal.status)
    writable = can(current_scope(), WRITE_ACTION, row)
    recorded = {"value": row.value, "numerator": row.numerator, "denominator": row.denominator, "notes": row.notes}
    form = CorrectionForm(data={**recorded, "version": row.version})
    status = 200
    if request.method == "POST":
        if not writable:
            abort(403)
        data = {name: request.form[name] for name in CORRECTION.input_names if name in request.form}
        data |= {"measurement_id": row.id, "version": request.form.get("version")}
        done, status = form_run("monitoring.measurement.correct", current_user, data, form)
        if done is not None:
            return redirect(url_for("monitoring_indicators.measurement", measurement_id=row.id), 303)
    return render_template(
        "monitoring/indicators/measurement.html", row=row, form=form, writable=writable, level_names=LEVEL_NAMES
    ), status


@bp.route("/importar", methods=["GET", "POST"])
@login_required
def import_page() -> Any:
    if not _may_record():
        abort(403)
    report, status = None, 200
    if request.method == "POST":
        file = request.files.get("file")
        data = {"filename": file.filename if file else "", "content": file.read(MAX_UPLOAD + 1) if file else b""}
        try:
            report = run("monitoring.measurements.import", current_user, data)
        except Refusal as refusal:
            report = getattr(refusal, "report", None)
            status = form_refusal(refusal)
    return render_template("monitoring/indicators/import.html", report=report), status


# --- targets -----------------------------------------------------------------------------------------


#: How many governments the picker offers for one search (a national user reaches 1,900: one searches).
PICKER_SIZE = 50


def _governments(search: str) -> tuple[list[Government], int]:
    """The governments the picker offers and how many matched: those the user reaches whose name or ubigeo
    has ``search`` (the first PICKER_SIZE by name); without a search, the user's own governments and, for
    whoever reaches more (region, ST-CIAS, auditor), the regional governments to start from."""
    scope = current_scope()
    if search:
        query = reachable_governments(search)
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        return list(db.session.scalars(query.order_by(Government.name).limit(PICKER_SIZE))), total
    own = writable_government_ids(scope) if not scope.is_admin else set()
    query = select(Government).where(
        readable_clause(scope, Government.id), or_(Government.id.in_(own), Government.kind == "regional")
    )
    rows = list(db.session.scalars(query.order_by(Government.kind.desc(), Government.name).limit(PICKER_SIZE)))
    # the user's own first: the default choice
    rows.sort(key=lambda g: g.id not in own)
    return rows, len(rows)


@bp.route("/metas", methods=["GET", "POST"])
@login_required
def targets() -> Any:
    from core.deadlines import lima_today

    scope = current_scope()
    search = (request.args.get("q") or "").strip()[:100]
    governments, matched = _governments(search)
    chosen = request.values.get("government_id", type=int) or (governments[0].id if governments else None)
    year = request.values.get("year", type=int) or lima_today().year
    government = db.session.get(Government, chosen) if chosen else None
    if government is not None and not can(scope, READ, government):
        abort(404)
    if government is not None and government not in governments:
        governments = [government, *governments]  # any reachable government is reached by its id
    form = AdjustmentForm()
    status = 200
    if request.method == "POST" and government is not None:
        data = {name: request.form[name] for name in ADJUSTMENT.input_names if name in request.form}
        data |= {"government_id": government.id, "year": year}
        done, status = form_run("monitoring.target.adjust", current_user, data, form)
        if done is not None:
            return redirect(url_for("monitoring_indicators.targets", government_id=government.id, year=year), 303)
    in_force = queries.targets_for(government.id, year) if government else []
    baselines = {}
    if government is not None:
        for indicator in queries.indicators():
            for measure in [key for key, _name in queries.measures_of(indicator)] or [""]:
                baseline = queries.baseline_for(government, indicator, measure)
                if baseline is not None:
                    baselines[(indicator.id, measure)] = baseline
    return render_template(
        "monitoring/indicators/targets.html",
        governments=governments,
        search=search,
        matched=matched,
        picker_size=PICKER_SIZE,
        plans=plan_pages.approved_plans(government) if government is not None else [],
        government=government,
        year=year,
        targets=in_force,
        baselines=baselines,
        form=form,
        may_adjust=government is not None and can(scope, "edit", government),
    ), status
