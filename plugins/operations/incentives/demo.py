"""Demo contest (``articula demo load``): the Huánuco region's 2008 contest of local best practices
against chronic child malnutrition — three applications (the provincial municipality of Huánuco,
Amarilis, and a community organization of Amarilis), a jury of three (the provincial coordinator does
not score his own municipality), the ranking and the award with its Resolución and certificates.

Everything goes through the operations and the workflow as the demo users, each step on its date of
2008 (the clock frozen, so the documents carry that year's titles, currency and year-name line).
Idempotent: a region that already has a contest is left as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Case, Government, User
from core.models.user import frozen_clock
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.operations.incentives.models import Contest

YEAR = 2008
CRITERIA = [
    (
        "Resultados en la reducción de la desnutrición crónica",
        "Avance objetivo de los indicadores, con línea de base.",
        40,
    ),
    ("Articulación de actores", "Participación de sectores, programas y comunidad.", 25),
    ("Sostenibilidad", "Presupuesto asignado y normas que la respaldan.", 20),
    ("Replicabilidad", "Posibilidad de aplicarla en otros distritos.", 15),
]
PRIZES = [
    ("Equipamiento antropométrico para establecimientos de salud", "15000"),
    ("Equipamiento para centros de vigilancia comunal", "10000"),
    ("Reconocimiento público y pasantía", "5000"),
]
#: juror → application key → scores per criterion (in CRITERIA order).
SCORES = {
    "coordinator": {"province": [8, 7, 7, 6], "amarilis": [9, 8, 7, 8], "community": [7, 9, 6, 9]},
    "team": {"province": [7, 7, 8, 6], "amarilis": [9, 7, 8, 7], "community": [8, 8, 6, 8]},
    "province": {"amarilis": [8, 8, 7, 7], "community": [7, 8, 7, 8]},
}


def _gov(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _on(month: int, day: int) -> Any:
    return frozen_clock(datetime(YEAR, month, day, 15, 0))


def _step(contest_id: int, name: str, user: User, month: int, day: int) -> None:
    with _on(month, day):
        perform(db.session.get(Contest, contest_id), name, user, scope_for(user))
        db.session.commit()


def load(app: Any) -> None:
    """Called by the operations plugin's ``demo_data`` hook, after the institutionalization demo's users."""
    region, province, amarilis = _gov("regional", "100000"), _gov("provincial", "100100"), _gov("district", "100102")
    users = {
        "team": _user("equipo.regional@huanuco.demo"),
        "coordinator": _user("coordinador.regional@huanuco.demo"),
        "province": _user("coordinador.provincial@huanuco.demo"),
    }
    if region is None or province is None or amarilis is None or not all(users.values()):
        return
    if db.session.scalar(select(Case.id).where(Case.type == "contest", Case.government_id == region.id).limit(1)):
        return
    db.session.commit()  # each operation below is its own unit of work
    coordinator = users["coordinator"]
    with _on(7, 15):
        contest = run(
            "operations.contest.create",
            coordinator,
            {
                "government_id": region.id,
                "year": YEAR,
                "title": "Concurso Regional de Buenas Prácticas Locales contra la Desnutrición Crónica Infantil 2008",
                "purpose": (
                    "Reconocer e incentivar las buenas prácticas de los gobiernos locales y de las organizaciones "
                    "comunales de la región Huánuco que muestren avances objetivos en la reducción de la desnutrición "
                    "crónica infantil, en el marco de la Estrategia Nacional CRECER."
                ),
                "eligibility": (
                    "Las municipalidades provinciales y distritales de la región Huánuco y las organizaciones "
                    "comunales reconocidas de su ámbito, con una práctica en ejecución de al menos seis meses."
                ),
                "budget_cap": "30000",
                "reception_deadline": "2008-09-30",
                "evaluation_deadline": "2008-10-31",
                "results_date": "2008-11-14",
            },
        )
        cid = contest.id
        version = db.session.get(Contest, cid).version
        criteria = [{"name": n, "description": d, "weight": w} for n, d, w in CRITERIA]
        run(
            "operations.contest.criteria.set",
            coordinator,
            {"contest_id": cid, "version": version, "criteria": criteria},
        )
        version = db.session.get(Contest, cid).version
        prizes = [{"description": d, "amount": a} for d, a in PRIZES]
        run("operations.contest.prizes.set", coordinator, {"contest_id": cid, "version": version, "prizes": prizes})
        # The regional jurors first; the provincial one reads the contest once his municipality applies.
        for user, charge in (
            (coordinator, "Gerencia Regional de Desarrollo Social"),
            (users["team"], "Equipo técnico regional"),
        ):
            run("operations.contest.juror.add", coordinator, {"contest_id": cid, "email": user.email, "charge": charge})
    _step(cid, "call", coordinator, 8, 1)
    applications = {}
    with _on(9, 26):
        for key, row in (
            ("province", {"applicant_kind": "municipality", "government_id": province.id,
                          "practice": "Vigilancia nutricional en los centros poblados de la provincia",
                          "evidence": "Padrón nominal de niños menores de tres años y reportes trimestrales de CRED.",
                          "submitted_on": "2008-09-18"}),
            ("amarilis", {"applicant_kind": "municipality", "government_id": amarilis.id,
                          "practice": "Cocinas mejoradas y agua segura en Amarilis",
                          "evidence": "Actas de entrega, fotografías y análisis de cloro residual del agua.",
                          "submitted_on": "2008-09-25"}),
            ("community", {"applicant_kind": "community_organization", "government_id": amarilis.id,
                           "organization_name": "Comité de Vaso de Leche de Llicua",
                           "practice": "Sesiones demostrativas de alimentación complementaria",
                           "evidence": "Registro de asistencia de madres y control de peso y talla de sus niños.",
                           "submitted_on": "2008-09-29"}),
        ):  # fmt: skip
            applications[key] = run("operations.contest.application.add", coordinator, {"contest_id": cid, **row}).id
        charge = "Municipalidad Provincial de Huánuco"
        data = {"contest_id": cid, "email": users["province"].email, "charge": charge}
        run("operations.contest.juror.add", coordinator, data)
    _step(cid, "evaluate", users["team"], 10, 1)
    with _on(10, 20):
        criterion_ids = [c.id for c in db.session.get(Contest, cid).criteria]
        for juror_key, rows in SCORES.items():
            juror = users[juror_key]
            run("operations.contest.juror.declare", juror, {"contest_id": cid, "no_conflict": True})
            for application_key, scores in rows.items():
                data = {
                    "application_id": applications[application_key],
                    "scores": dict(zip(criterion_ids, scores, strict=True)),
                }
                run("operations.contest.scores.set", juror, data)
    _step(cid, "publish_results", coordinator, 11, 14)
    _step(cid, "award", coordinator, 11, 28)
