"""Demo data (``articula demo load``): the Convenio de Gestión 2008 of the Huánuco region with the provincial
municipality of Huánuco and Amarilis — goals tied to the region's Plan Articulado, commitments of each
party, support measures, signed and in execution with two progress reports — and an inter-institutional
agreement with the Universidad Nacional Hermilio Valdizán.

Everything goes through the operations and the workflow as the demo users (each municipality's
coordinator accepts on its side), so the history, guards, deadlines and the issued Convenio are the
real ones. Idempotent: a region that already has agreements is left as it is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Case, Government, KeyIndicator, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.diagnosis.models import Plan

YEAR = 2008


def _gov(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load(app: Any) -> None:
    """Called by ``articula demo load`` after the diagnosis demo (its Plan Articulado gives the goals)."""
    region, province, amarilis = _gov("regional", "100000"), _gov("provincial", "100100"), _gov("district", "100102")
    users = {
        key: _user(email)
        for key, email in (
            ("team", "equipo.regional@huanuco.demo"),
            ("coordinator", "coordinador.regional@huanuco.demo"),
            ("province", "coordinador.provincial@huanuco.demo"),
            ("amarilis", "coordinador.amarilis@huanuco.demo"),
        )
    }
    if region is None or province is None or amarilis is None or not all(users.values()):
        return
    exists = db.session.scalar(select(Case.id).where(Case.type == "agreement", Case.government_id == region.id))
    if exists:
        return
    db.session.commit()  # the operations below each run as one unit of work
    _management(region, province, amarilis, users)
    _university(region, users)


def _management(region: Government, province: Government, amarilis: Government, users: dict[str, User]) -> None:
    coordinator = users["coordinator"]
    agreement = run(
        "operations.agreement.create",
        coordinator,
        {
            "government_id": region.id,
            "year": YEAR,
            "title": "Convenio de Gestión para la reducción de la desnutrición crónica infantil 2008-2009",
            "object": (
                "Articular las intervenciones del Gobierno Regional de Huánuco, la Municipalidad Provincial de "
                "Huánuco y la Municipalidad Distrital de Amarilis para reducir la desnutrición crónica infantil "
                "en los niños menores de cinco años, en el marco de la Estrategia Nacional CRECER."
            ),
            "start_date": "2008-07-01",
            "end_date": "2009-06-30",
            "counterparts": [province.id, amarilis.id],
        },
    )
    aid = agreement.id
    plan = db.session.scalar(
        select(Plan).where(Plan.government_id == region.id, Plan.year == YEAR).order_by(Plan.id).limit(1)
    )
    results = list(plan.results[:2]) if plan is not None else []
    indicator = db.session.scalar(select(KeyIndicator).order_by(KeyIndicator.position, KeyIndicator.id).limit(1))
    goals = [
        ("Niños menores de 36 meses con controles CRED completos para su edad", "%", "45", "60"),
        ("Gestantes con cuatro o más controles prenatales", "%", "52", "70"),
    ]
    for index, (description, unit, baseline, target) in enumerate(goals):
        goal: dict[str, Any] = {"agreement_id": aid, "description": description, "unit": unit, "target": target}
        if index < len(results):
            goal["plan_result_id"] = results[index].id
        elif indicator is not None:
            goal["key_indicator_id"] = indicator.id
        goal["baseline"] = baseline
        run("operations.agreement.goal.add", coordinator, goal)
    commitments = [
        (
            "region",
            "Capacitar al personal de salud de los establecimientos en CRED",
            "Dirección Regional de Salud",
            "2008-09-30",
        ),
        (
            str(province.id),
            "Instalar el padrón nominal de niños menores de cinco años",
            "Gerencia de Desarrollo Social",
            "2008-11-30",
        ),
        (
            str(amarilis.id),
            "Implementar la vigilancia comunal del crecimiento",
            "Oficina de Desarrollo Social",
            "2009-03-31",
        ),
    ]
    for party, what, who, due in commitments:
        run(
            "operations.agreement.commitment.add",
            coordinator,
            {"agreement_id": aid, "party": party, "what": what, "who": who, "due_date": due},
        )
    for kind, description, amount in (
        ("training", "Talleres de capacitación en CRED y consejería nutricional", None),
        ("technical_assistance", "Asistencia técnica para el padrón nominal", None),
        ("funds", "Transferencia para equipamiento de los establecimientos", "120000.00"),
    ):
        support = {"agreement_id": aid, "kind": kind, "description": description}
        if amount:
            support["amount"] = amount
        run("operations.agreement.support.add", coordinator, support)
    _transition(aid, "negotiate", coordinator)
    run("operations.agreement.accept", users["province"], {"agreement_id": aid})
    run("operations.agreement.accept", users["amarilis"], {"agreement_id": aid})
    version = db.session.get(Case, aid).version
    run("operations.agreement.edit", coordinator, {"agreement_id": aid, "version": version, "signed_on": "2008-07-15"})
    _transition(aid, "sign", coordinator)
    _transition(aid, "start", coordinator)
    goal_ids = [g.id for g in db.session.get(Case, aid).goals]
    for period, values, summary in (
        ("2008-S2", ("50", "58"), "Primer semestre de ejecución: padrón nominal en proceso."),
        ("2009-S1", ("56", "66"), "Segundo semestre: vigilancia comunal en 12 comunidades."),
    ):
        run(
            "operations.agreement.report.add",
            coordinator,
            {
                "agreement_id": aid,
                "period": period,
                "summary": summary,
                "values": dict(zip(map(str, goal_ids), values, strict=True)),
            },
        )
    commitment = db.session.get(Case, aid).commitments[0]
    run(
        "operations.agreement.commitment.fulfil",
        coordinator,
        {"commitment_id": commitment.id, "fulfilled_on": "2008-09-20"},
    )


def _university(region: Government, users: dict[str, User]) -> None:
    coordinator = users["coordinator"]
    agreement = run(
        "operations.agreement.create",
        coordinator,
        {
            "government_id": region.id,
            "year": YEAR,
            "kind": "inter_institutional",
            "title": "Convenio de cooperación interinstitucional con la UNHEVAL",
            "object": "Apoyo de estudiantes de Nutrición y Enfermería a la vigilancia del crecimiento infantil.",
            "start_date": "2008-08-01",
            "end_date": "2009-07-31",
            "external_name": "Universidad Nacional Hermilio Valdizán",
            "external_kind": "university",
            "external_ruc": "20146045881",
        },
    )
    aid = agreement.id
    run(
        "operations.agreement.goal.add",
        coordinator,
        {
            "agreement_id": aid,
            "description": "Comunidades con vigilancia comunal del crecimiento",
            "target": "20",
            "baseline": "4",
            "key_indicator_id": db.session.scalar(select(KeyIndicator.id).limit(1)),
        },
    )
    run(
        "operations.agreement.commitment.add",
        coordinator,
        {
            "agreement_id": aid,
            "party": "external",
            "what": "Destacar 30 practicantes a los establecimientos de salud",
            "who": "Facultad de Enfermería",
            "due_date": "2008-10-31",
        },
    )
    # Left in negotiation: the university's council has yet to approve it (the region records its
    # agreement with «record_agreement» when it does).
    _transition(aid, "negotiate", coordinator)


def _transition(agreement_id: int, name: str, user: User) -> None:
    case = db.session.get(Case, agreement_id)
    perform(case, name, user, scope_for(user))
    db.session.commit()
