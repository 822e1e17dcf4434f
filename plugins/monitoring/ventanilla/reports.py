"""Staff report pages of the Ventanilla CRECER, on the same blueprint as pages.py: the registry's CSV/XLSX export,
the quarterly registries (preview, XLSX, sending, who sent on time) and the statistics with charts."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.deadlines import lima_today
from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_refusal, run
from core.security import READ, can, current_scope, readable_clause
from plugins.monitoring.ventanilla import codes
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice
from plugins.monitoring.ventanilla.pages import bp, registry_query

EXPORT_LIMIT = 50_000


@bp.route("/exportar.<fmt>")
@login_required
def export(fmt: str) -> Any:
    """The filtered registry as CSV or XLSX (at most EXPORT_LIMIT rows): no personal data, no descriptions."""
    from flask import Response

    from core.spreadsheet import safe_row
    from plugins.monitoring.ventanilla.models import CHANNELS, KINDS, REQUEST_KINDS, STATUSES

    if fmt not in ("csv", "xlsx"):
        abort(404)
    query = (
        registry_query(current_scope(), request.args)
        .options(
            joinedload(VentanillaEntry.office).joinedload(VentanillaOffice.government),
            joinedload(VentanillaEntry.place),
            joinedload(VentanillaEntry.program),
            joinedload(VentanillaEntry.institution),
        )
        .order_by(VentanillaEntry.created_at.desc(), VentanillaEntry.id.desc())
        .limit(EXPORT_LIMIT)
    )
    rows = [
        safe_row(
            [
                codes.display(e.code),
                e.created_at.strftime("%Y-%m-%d %H:%M"),
                e.office.government.name,
                CHANNELS.get(e.channel, e.channel),
                KINDS.get(e.kind, e.kind),
                REQUEST_KINDS.get(e.request_kind or "", ""),
                e.concerns,
                e.place.name,
                STATUSES.get(e.status, e.status),
                e.due_date.isoformat() if e.due_date else "",
                "sí" if e.emergency else "no",
                "sí" if e.recurrent else "no",
                "sí" if e.escalated else "no",
            ]
        )
        for e in db.session.scalars(query).unique()
    ]
    head = [
        "Código",
        "Registrada",
        "Ventanilla",
        "Canal",
        "Tipo",
        "Tipo de pedido",
        "Programa o sector",
        "Lugar",
        "Estado",
        "Plazo",
        "Emergencia",
        "Recurrente",
        "Elevada",
    ]
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(head)
        writer.writerows(rows)
        response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    else:
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(head)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = Response(
            buffer.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response.headers["Content-Disposition"] = f'attachment; filename="registro-ventanilla.{fmt}"'
    return response


# --- the quarterly registries ----------------------------------------------------------------------------------


def _period() -> tuple[int, int]:
    from plugins.monitoring.ventanilla.registry import default_quarter

    year, quarter = default_quarter(lima_today())
    year = request.args.get("year", type=int) or year
    quarter = request.args.get("quarter", type=int) or quarter
    if not 2000 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        abort(404)
    return year, quarter


@bp.route("/registros")
@login_required
def registries() -> str:
    """Who sent the quarter's registry on time, late or not at all: every office in the reader's reach (the
    national user: the whole country)."""
    from plugins.monitoring.ventanilla.registry import sent_statuses

    scope = current_scope()
    year, quarter = _period()
    governments = db.session.scalars(
        select(Government)
        .join(VentanillaOffice, VentanillaOffice.government_id == Government.id)
        .where(readable_clause(scope, Government.id))
        .order_by(Government.kind.desc(), Government.name)
    ).all()
    rows = sent_statuses(list(governments), year, quarter)
    return render_template(
        "monitoring/ventanilla/registries.html",
        rows=rows,
        year=year,
        quarter=quarter,
        writable={g.id for g in governments if can(scope, "edit", g)},
    )


@bp.route("/registros/<int:government_id>/<int:year>/<int:quarter>.<fmt>")
@login_required
def registry_file(government_id: int, year: int, quarter: int, fmt: str) -> Any:
    from flask import Response

    from core.documents.access import pdf_response
    from plugins.monitoring.ventanilla import registry as registries

    government = db.session.get(Government, government_id)
    if government is None or not can(current_scope(), READ, government) or quarter not in (1, 2, 3, 4):
        abort(404)
    built = registries.build(government, year, quarter)
    name = f"registro-ventanilla-{built.number}"
    if fmt == "pdf":
        return pdf_response(registries.pdf(built), f"{name}.pdf")
    if fmt == "xlsx":
        response = Response(
            registries.xlsx(built), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    abort(404)


@bp.route("/registros/<int:government_id>/<int:year>/<int:quarter>/enviar", methods=["POST"])
@login_required
def registry_send(government_id: int, year: int, quarter: int) -> Any:
    from plugins.monitoring.ventanilla import registry as registries

    government = db.session.get(Government, government_id)
    scope = current_scope()
    if government is None or not can(scope, READ, government):
        abort(404)
    if not can(scope, "edit", government):
        abort(403)
    if quarter not in (1, 2, 3, 4):
        abort(404)
    content = registries.pdf(registries.build(government, year, quarter))  # rendered before the transaction
    db.session.rollback()  # end the read transaction: the operation takes the write lock up front
    data = {"government_id": government_id, "year": year, "quarter": quarter, "content": content}
    try:
        submission = run("monitoring.ventanilla.registry.send", current_user, data)
    except Refusal as refusal:
        form_refusal(refusal)
    else:
        flash(_("Registry sent: receipt %(number)s.", number=submission.receipt_number), "success")
    return redirect(url_for("ventanilla.registries", year=year, quarter=quarter), 303)


@bp.route("/estadisticas")
@login_required
def statistics() -> str:
    """Entries by kind, status, program and place, time to answer and recurrence hot spots, with charts."""
    from plugins.monitoring.ventanilla.statistics import bar_chart, compute

    scope = current_scope()
    office_id = request.args.get("office", type=int)
    stats = compute(scope, office_id)
    charts = {}
    if stats.total:
        charts = {
            "kind": bar_chart(stats.by_kind, _("Entries by kind")),
            "status": bar_chart(stats.by_status, _("Entries by status")),
            "concern": bar_chart(stats.by_concern, _("Entries by program or sector")),
            "place": bar_chart(stats.by_place, _("Entries by district")),
        }
    offices = db.session.scalars(
        select(VentanillaOffice)
        .join(Government)
        .where(readable_clause(scope, VentanillaOffice.government_id))
        .options(joinedload(VentanillaOffice.government))
        .order_by(Government.name)
        .limit(300)
    ).all()
    return render_template(
        "monitoring/ventanilla/statistics.html", stats=stats, charts=charts, offices=offices, office_id=office_id
    )
