"""Demo yearly evaluation (``articula demo load``): the evaluation of a Huánuco plan in force — the region's
if its demo plan is approved, else the first approved one of its municipalities (Amarilis's plan of the
year in the diagnosis demo) — with each result appraised, lessons and one goal adjusted, left as a draft for
the coordinator to approve. Through the operations; idempotent (a plan with an evaluation is left alone)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from core.extensions import db
from core.models import Government, User
from core.operations import run
from plugins.diagnosis.models import Plan
from plugins.monitoring.evaluation.models import PlanEvaluation
from plugins.monitoring.evaluation.operations import EVALUABLE_STATES

TEAMS = {"100000": "equipo.regional@huanuco.demo", "100102": "equipo.amarilis@huanuco.demo"}
APPRAISAL = {
    "efficacy": "Se alcanzó la mayor parte de las metas físicas programadas para el año.",
    "efficiency": "El presupuesto asignado se ejecutó de acuerdo con el cronograma, con retrasos en el segundo "
    "trimestre por la demora en las transferencias.",
    "effectiveness": "Las familias atendidas mejoraron sus prácticas de alimentación y cuidado infantil; el efecto "
    "en la desnutrición crónica se medirá con la ENDES.",
}


def load(app: Flask) -> None:
    """Called by the monitoring plugin's ``demo_data`` hook."""
    plans = db.session.scalars(
        select(Plan)
        .join(Government, Government.id == Plan.government_id)
        .where(Government.ubigeo.in_(list(TEAMS)), Plan.state.in_(EVALUABLE_STATES))
        .order_by(Government.kind != "regional", Plan.year, Plan.id)
    ).all()
    if not plans or db.session.scalar(
        select(PlanEvaluation.id).where(PlanEvaluation.plan_id.in_([p.id for p in plans]))
    ):
        return
    plan = plans[0]
    team = db.session.scalar(select(User).where(User.email == TEAMS[plan.government.ubigeo]))
    if team is None:
        return
    evaluation = run("monitoring.evaluation.create", team, {"plan_id": plan.id})
    for result in plan.results:
        version = db.session.get(PlanEvaluation, evaluation.id).version
        run(
            "monitoring.evaluation.appraisal.set",
            team,
            {"evaluation_id": evaluation.id, "version": version, "result_id": result.id, **APPRAISAL},
        )
    indicator = next((i for r in plan.results for i in r.indicators if i.target is not None), None)
    if indicator is not None:
        version = db.session.get(PlanEvaluation, evaluation.id).version
        run(
            "monitoring.evaluation.adjustment.set",
            team,
            {
                "evaluation_id": evaluation.id,
                "version": version,
                "indicator_id": indicator.id,
                "target": str(indicator.target),
                "justification": "Se mantiene la meta: el avance del año fue el previsto.",
            },
        )
    version = db.session.get(PlanEvaluation, evaluation.id).version
    run(
        "monitoring.evaluation.edit",
        team,
        {
            "evaluation_id": evaluation.id,
            "version": version,
            "lessons": "La coordinación con la Microrred de Salud y el registro oportuno en el padrón nominal fueron "
            "decisivos; conviene programar las actividades comunitarias fuera de la temporada de lluvias.",
        },
    )
    db.session.commit()
