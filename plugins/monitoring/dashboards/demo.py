"""Demo quarterly report (``articula demo load``): the Huánuco region's Informe Trimestral de Seguimiento of
the fourth quarter of 2008 (the demo plans' year), with the team's comments, approved by the coordinator
(its PDF issued from the dashboard) and sent to the ST-CIAS. Through the operations and the workflow;
idempotent (left alone once the region has that report)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from core.extensions import db
from core.models import Government, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.monitoring.dashboards.models import QuarterlyReport

YEAR, QUARTER = 2008, 4
COMMENTS = {
    "comments": "La desnutrición crónica en menores de cinco años sigue bajando en los distritos priorizados; "
    "la anemia en menores de 36 meses no muestra avance suficiente frente a la meta del plan.",
    "difficulties": "Rotación del personal de los establecimientos de salud y retraso en el registro del SIEN "
    "en los distritos alejados.",
    "next_steps": "Asistencia técnica a las municipalidades distritales para el registro oportuno y campaña de "
    "suplementación con hierro en coordinación con la DIRESA.",
}


def load(app: Flask) -> None:
    """Called by the monitoring plugin's ``demo_data`` hook."""
    region = db.session.scalar(select(Government).where(Government.kind == "regional", Government.ubigeo == "100000"))
    team = db.session.scalar(select(User).where(User.email == "equipo.regional@huanuco.demo"))
    coordinator = db.session.scalar(select(User).where(User.email == "coordinador.regional@huanuco.demo"))
    if region is None or team is None or coordinator is None:
        return
    exists = db.session.scalar(
        select(QuarterlyReport.id).where(
            QuarterlyReport.government_id == region.id,
            QuarterlyReport.year == YEAR,
            QuarterlyReport.quarter == QUARTER,
        )
    )
    if exists:
        return
    report = run(
        "monitoring.quarterly_report.create",
        team,
        {"government_id": region.id, "year": YEAR, "quarter": QUARTER, **COMMENTS},
    )
    perform(db.session.get(QuarterlyReport, report.id), "approve", coordinator, scope_for(coordinator))
    db.session.commit()
    perform(db.session.get(QuarterlyReport, report.id), "send", team, scope_for(team))
    db.session.commit()
