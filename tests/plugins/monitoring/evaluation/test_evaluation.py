"""The yearly evaluation through the pages and the API: opened for an approved plan, each result appraised
(eficacia, eficiencia, efectividad), goals adjusted with a justification (bad input refused in Spanish, nothing
saved), lessons; approved by the coordinator: the «Informe de Evaluación Anual del Plan Articulado» issued
(its text asserted) and next year's plan created with the adjusted goals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.testing import csrf_from, pdf_text, transition, version_of

API = "/api/v1/monitoring/evaluations"


def test_a_region_evaluates_its_plan_and_adjusts_next_years_goals(
    app: Any, client: Any, people: Any, api_token: Any, approved_plan: Any
) -> None:
    from core.documents.models import IssuedDocument
    from core.extensions import db
    from plugins.diagnosis.models import Plan
    from plugins.monitoring.evaluation.models import GoalAdjustment, PlanEvaluation
    from plugins.monitoring.indicators.models import Target

    people.login(client, "team")
    index = "/seguimiento/evaluaciones/"
    opened = client.post(index, data={"csrf_token": csrf_from(client, index), "plan_id": approved_plan["plan"]})
    assert opened.status_code == 303
    again = client.post(index, data={"csrf_token": csrf_from(client, index), "plan_id": approved_plan["plan"]})
    assert again.status_code == 409 and "ya tiene su evaluación" in again.get_data(as_text=True)
    page = opened.headers["Location"]
    evaluation_id = int(page.rstrip("/").rsplit("/", 1)[1])
    html = client.get(page).get_data(as_text=True)
    assert "Prevalencia de desnutrición crónica" in html and "Eficacia" in html

    prefix = f"r{approved_plan['result']}-"
    saved = client.post(
        page,
        data={
            "csrf_token": csrf_from(client, page),
            "form": "appraisal",
            "prefix": prefix,
            "version": version_of(app, evaluation_id),
            "result_id": approved_plan["result"],
            f"{prefix}efficacy": "Se alcanzó el 80 % de la meta de niños con controles CRED.",
            f"{prefix}efficiency": "El presupuesto se ejecutó al 92 %.",
            f"{prefix}effectiveness": "La desnutrición crónica bajó 3 puntos.",
        },
    )
    assert saved.status_code == 303

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    adjust = f"{API}/{evaluation_id}/adjustments/{approved_plan['indicator']}"
    version = client.get(f"{API}/{evaluation_id}", headers=team).get_json()["version"]
    bad = client.put(adjust, json={"version": version, "target": "veinte", "justification": "x"}, headers=team)
    assert bad.status_code == 400 and "«Meta ajustada» debe ser un número" in bad.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(GoalAdjustment.id)) is None
    good = client.put(
        adjust,
        json={"version": version, "target": "22.5", "justification": "El avance supera lo previsto."},
        headers=team,
    )
    assert good.status_code == 200 and good.get_json()["target"] == "22.5000"
    version = client.get(f"{API}/{evaluation_id}", headers=team).get_json()["version"]
    lessons = client.patch(
        f"{API}/{evaluation_id}",
        json={"version": version, "lessons": "La articulación con la DIRESA fue decisiva."},
        headers=team,
    )
    assert lessons.status_code == 200
    stale = client.patch(f"{API}/{evaluation_id}", json={"version": version, "lessons": "x"}, headers=team)
    assert stale.status_code == 409

    assert transition(client, app, evaluation_id, "approve").status_code == 403  # the coordinator approves
    people.login(client, "coord")
    assert transition(client, app, evaluation_id, "approve").status_code in (302, 303)
    with app.app_context():
        evaluation = db.session.get(PlanEvaluation, evaluation_id)
        following = db.session.get(Plan, evaluation.next_plan_id)
        assert (following.year, following.previous_plan_id) == (2009, approved_plan["plan"])
        indicator = following.results[0].indicators[0]
        assert (indicator.name, indicator.baseline, indicator.target) == (
            "Prevalencia de desnutrición crónica",
            Decimal(25),
            Decimal("22.5"),
        )
        goal = db.session.scalar(select(Target).where(Target.origin == "adjustment"))
        assert (goal.government_id, goal.year, goal.indicator_id, goal.value) == (
            following.government_id,
            2009,
            approved_plan["key_indicator"],
            Decimal("22.5"),
        )
        assert goal.justification == "El avance supera lo previsto." and goal.plan_indicator_id == indicator.id
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == evaluation_id))
        text = re.sub(r"\s+", " ", pdf_text(document.content))
    assert "INFORME DE EVALUACIÓN ANUAL DEL PLAN ARTICULADO" in text
    assert "GOBIERNO REGIONAL DE HUÁNUCO" in text and "del Gobierno Regional de Huánuco" in text
    assert "Eficacia: Se alcanzó el 80 % de la meta" in text and "Efectividad: La desnutrición crónica bajó" in text
    assert "Prevalencia de desnutrición crónica 30 25 22.5" in text
    assert "La articulación con la DIRESA fue decisiva." in text
    assert "Ajuste de metas para el año 2009" in text and "El avance supera lo previsto." in text


def test_evaluation_scoping(client: Any, people: Any, api_token: Any, approved_plan: Any) -> None:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    created = client.post(API, json={"plan_id": approved_plan["plan"]}, headers=team)
    assert created.status_code == 201
    case_id = created.get_json()["id"]
    for role, status in (("cusco", 404), ("amarilis_team", 404), ("auditor", 200)):
        people.login(client, role)
        assert client.get(f"/seguimiento/evaluaciones/{case_id}").status_code == status
        headers = {"Authorization": f"Bearer {api_token(people[role])}"}
        assert client.get(f"{API}/{case_id}", headers=headers).status_code == status
    auditor = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    assert client.patch(f"{API}/{case_id}", json={"version": 1, "lessons": "x"}, headers=auditor).status_code == 403
    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    assert client.post(API, json={"plan_id": approved_plan["plan"]}, headers=cusco).status_code == 404
