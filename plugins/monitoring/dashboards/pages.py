"""Pages of the dashboards under /seguimiento/: the user's government dashboard at /seguimiento/ itself,
any reachable government's, a region's governments side by side, the national table (25 regions × the
indicators, sortable, CSV), and the quarterly follow-up reports (list, draft, comments). Charts are
server-rendered SVG, each followed by its data table; the case page (approve, send) is the engine's."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, READ, current_scope, readable_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.monitoring.dashboards.board import Board, Line, government_board, national_board, region_board
from plugins.monitoring.dashboards.charts import STATUS_COLOURS, comparison_svg, dot_map_svg, trend_svg
from plugins.monitoring.dashboards.fields import EDITABLE, REPORT
from plugins.monitoring.dashboards.models import QuarterlyReport
from plugins.monitoring.dashboards.status import STATUSES

bp = Blueprint("monitoring_dashboards", __name__, url_prefix="/seguimiento")


class _WithGovernment(FlaskForm):
    government_id = SelectField(coerce=str)


ReportForm = REPORT.form_class(_WithGovernment, versioned=False)
CommentsForm = REPORT.form_class(FlaskForm, exclude=("year", "quarter"))


@bp.app_context_processor
def _names() -> dict[str, Any]:
    return {"dashboard_statuses": STATUSES, "status_colours": STATUS_COLOURS}


def _government(government_id: int, action: str = READ) -> Government:
    try:
        return load_or_404(Government, government_id, action=action, government=lambda g: g)
    except Refusal as refusal:
        abort(refusal.status)


def _chart_words() -> tuple[str, str, str]:
    return (_("Value"), _("Baseline"), _("Goal"))


def trend_charts(board: Board, government_id: int) -> dict[str, Any]:
    """Per line code, the inline SVG of its trend (None without data)."""
    charts = {}
    for line in board.lines:
        cell = board.cell(government_id, line)
        series = cell.series()[-12:]  # the last three years of quarters: a chart stays legible
        charts[line.code] = trend_svg(
            tuple((p.label, v) for p, v in series),
            cell.baseline,
            cell.target,
            _chart_words(),
            _("Trend of %(indicator)s", indicator=line.label),
        )
    return charts


def _render_government(government: Government) -> str:
    raw_year = request.args.get("anio", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else None
    board = government_board(government, year)
    return render_template(
        "monitoring/dashboards/government.html",
        government=government,
        board=board,
        charts=trend_charts(board, government.id),
        is_region=government.kind == "regional",
    )


@bp.route("/")
@login_required
def home() -> Any:
    """The dashboard of the user's own government; the national roles see the national table."""
    scope = current_scope()
    if scope.everything:
        return redirect(url_for("monitoring_dashboards.national"))
    if not scope.direct:
        abort(403)
    government = db.session.get(Government, min(scope.direct))
    return _render_government(government)


@bp.route("/gobierno/<int:government_id>")
@login_required
def government(government_id: int) -> str:
    return _render_government(_government(government_id))


def _line_param(board: Board) -> Line | None:
    code = request.args.get("indicador", "")
    return next((line for line in board.lines if line.code == code), board.lines[0] if board.lines else None)


@bp.route("/region/<int:government_id>")
@login_required
def region(government_id: int) -> str:
    government = _government(government_id)
    if government.kind != "regional":
        abort(404)
    board = region_board(government)
    line = _line_param(board)
    chart = dot_map = None
    if line is not None:
        title = _("%(indicator)s by government", indicator=line.label)
        chart = comparison_svg(
            tuple((g.name, board.cell(g.id, line).value, board.cell(g.id, line).status) for g in board.governments),
            title,
        )
        points = tuple(
            (g.name, g.territory.longitude, g.territory.latitude, board.cell(g.id, line).value)
            for g in board.governments
            if g.kind == "district"
            and board.cell(g.id, line).value is not None
            and g.territory.longitude is not None
            and g.territory.latitude is not None
        )
        dot_map = dot_map_svg(points, _("Districts coloured by %(indicator)s", indicator=line.label))
    return render_template(
        "monitoring/dashboards/region.html", region=government, board=board, line=line, chart=chart, dot_map=dot_map
    )


def _sorted_regions(board: Board) -> tuple[list[Government], str, bool]:
    code = request.args.get("orden", "")
    descending = request.args.get("dir") == "desc"
    line = next((line for line in board.lines if line.code == code), None)
    if line is None:
        return sorted(board.governments, key=lambda g: g.name, reverse=descending), "", descending

    def key(government: Government) -> tuple[bool, Decimal]:
        value = board.cell(government.id, line).value
        # governments without a value go last in either direction
        return (value is None) != descending, value if value is not None else Decimal(0)

    return sorted(board.governments, key=key, reverse=descending), code, descending


def _national_board() -> Board:
    if not current_scope().everything:
        abort(403)  # the ST-CIAS, auditors and administrators read every region
    return national_board()


@bp.route("/nacional")
@login_required
def national() -> str:
    board = _national_board()
    regions, order, descending = _sorted_regions(board)
    return render_template(
        "monitoring/dashboards/national.html", board=board, regions=regions, order=order, descending=descending
    )


def board_csv(board: Board, governments: list[Government]) -> str:
    """The board as CSV: one row per government, per line its latest value, period and status."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["ubigeo", _("Government")]
    for line in board.lines:
        header += [line.label, _("Period"), _("Status")]
    writer.writerow(header)
    for government in governments:
        row = [government.ubigeo, government.name]
        for line in board.lines:
            cell = board.cell(government.id, line)
            row += [
                "" if cell.value is None else format(cell.value.normalize(), "f"),
                cell.period.label if cell.period else "",
                str(STATUSES[cell.status]),
            ]
        writer.writerow(row)
    return out.getvalue()


@bp.route("/nacional.csv")
@login_required
def national_csv() -> Response:
    board = _national_board()
    regions, _order, _descending = _sorted_regions(board)
    return Response(
        "\ufeff" + board_csv(board, regions),  # the BOM: spreadsheet programs read UTF-8 then
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="tablero-nacional.csv"'},
    )


# --- quarterly follow-up reports -------------------------------------------------------------------


def _writable_governments() -> list[tuple[str, str]]:
    scope = current_scope()
    query = select(Government).order_by(Government.name)
    if not scope.is_admin:
        query = query.where(Government.id.in_(writable_government_ids(scope)))
    return [(str(g.id), g.name) for g in db.session.scalars(query.limit(300))]


@bp.route("/informes-trimestrales")
@login_required
def reports() -> str:
    query = (
        select(QuarterlyReport)
        .where(readable_clause(current_scope(), QuarterlyReport.government_id))
        .options(joinedload(QuarterlyReport.government))
        .order_by(QuarterlyReport.year.desc(), QuarterlyReport.quarter.desc(), QuarterlyReport.id.desc())
    )
    return render_template(
        "monitoring/dashboards/reports.html",
        page=paginate(query, QuarterlyReport.id),
        workflow=get_workflow("quarterly_report"),
        creatable=bool(writable_government_ids(current_scope())) or current_scope().is_admin,
    )


@bp.route("/informes-trimestrales/nuevo", methods=["GET", "POST"])
@login_required
def new_report() -> Any:
    choices = _writable_governments()
    if not choices:
        abort(403)
    form = ReportForm()
    form.government_id.choices = choices
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in REPORT.input_names if name in request.form}
        data["government_id"] = request.form.get("government_id")
        report, status = form_run("monitoring.quarterly_report.create", current_user, data, form)
        if report is not None:
            return redirect(url_for("cases.detail", case_id=report.id), 303)
    return render_template("monitoring/dashboards/report_form.html", form=form, report=None), status


@bp.route("/informes-trimestrales/<int:report_id>/comentarios", methods=["GET", "POST"])
@login_required
def report_comments(report_id: int) -> Any:
    try:
        report = load_or_404(QuarterlyReport, report_id, action=EDIT)
    except Refusal as refusal:
        abort(refusal.status)
    form = (
        CommentsForm()
        if request.method == "POST"
        else CommentsForm(data=REPORT.form_data(report) | {"version": report.version})
    )
    status = 200
    if request.method == "POST":
        data = {name: request.form[name] for name in EDITABLE if name in request.form}
        data |= {"report_id": report.id, "version": request.form.get("version")}
        saved, status = form_run("monitoring.quarterly_report.edit", current_user, data, form)
        if saved is not None:
            return redirect(url_for("cases.detail", case_id=report.id), 303)
    return render_template("monitoring/dashboards/report_form.html", form=form, report=report), status
