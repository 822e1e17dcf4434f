"""An evaluation approved "to reformulate": the approved plan's PDF issued by its norm, the evaluation adjusts a goal
and is approved with «reformular» → a new version of the same plan in draft carrying the adjusted goal → re-approved
by its norm → its PDF supersedes the earlier one: the earlier document stays (its bytes unchanged) and its
verification page says it was replaced, with a link to the new one."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.testing import csrf_from, logout, pdf_text, transition, version_of
from tests.plugins.diagnosis.conftest import create_case_web, installed_body
from tests.plugins.diagnosis.test_plan import fill_plan

API = "/api/v1/monitoring/evaluations"


def _approve_by_norm(client: Any, app: Any, people: Any, coord: dict[str, str], plan_id: int, number: str) -> None:
    people.login(client, "team")
    assert transition(client, app, plan_id, "send_review").status_code == 303
    people.login(client, "coord")
    sections = {"approval_instrument": "ordinance", "approval_number": number, "approval_date": "2008-06-20"}
    response = client.patch(
        f"/api/v1/plans/{plan_id}/sections", json={"version": version_of(app, plan_id), **sections}, headers=coord
    )
    assert response.status_code == 200, response.get_json()
    for name in ("approve_instancia", "approve_norm"):
        assert transition(client, app, plan_id, name).status_code == 303


def test_a_reformulated_plan_supersedes_the_earlier_plans_pdf(
    app: Any, client: Any, people: Any, api_token: Any, govs: Any
) -> None:
    from core.documents.models import IssuedDocument
    from core.extensions import db
    from plugins.diagnosis.models import Plan
    from plugins.diagnosis.transitions import required_plan_documents
    from plugins.monitoring.indicators.models import PlanIndicatorLink, Target

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    people.login(client, "team")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "Plan Articulado Regional de Huánuco")
    fill_plan(client, app, plan_id, team)
    indicator_id = client.get(f"/api/v1/plans/{plan_id}", headers=team).get_json()["plan"]["results"][0]["indicators"][
        0
    ]["id"]
    goals = client.patch(
        f"/api/v1/plans/{plan_id}/indicators/{indicator_id}",
        json={"version": version_of(app, plan_id), "baseline": "30", "target": "25"},
        headers=team,
    )
    assert goals.status_code == 200, goals.get_json()
    linked = client.put(
        f"/api/v1/monitoring/plan-indicators/{indicator_id}/link", json={"indicator": "2"}, headers=team
    )
    assert linked.status_code == 200, linked.get_json()
    installed_body(app, govs["huanuco"])
    _approve_by_norm(client, app, people, coord, plan_id, "005-2008-GRH/CR")
    with app.app_context():
        earlier = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == plan_id))
        earlier_id, earlier_code, earlier_sha = earlier.id, earlier.code, earlier.sha256
        earlier_bytes = bytes(earlier.content)
    assert hashlib.sha256(earlier_bytes).hexdigest() == earlier_sha

    # the evaluation: opened from its page, one goal adjusted through the API, approved "to reformulate"
    people.login(client, "team")
    index = "/seguimiento/evaluaciones/"
    opened = client.post(index, data={"csrf_token": csrf_from(client, index), "plan_id": plan_id})
    assert opened.status_code == 303
    evaluation_id = int(opened.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    version = client.get(f"{API}/{evaluation_id}", headers=team).get_json()["version"]
    adjusted = client.put(
        f"{API}/{evaluation_id}/adjustments/{indicator_id}",
        json={"version": version, "target": "22.5", "justification": "La meta se alcanzó antes de lo previsto."},
        headers=team,
    )
    assert adjusted.status_code == 200, adjusted.get_json()
    assert transition(client, app, evaluation_id, "approve_reformulate").status_code == 403  # the coordinator's
    people.login(client, "coord")
    case_page = client.get(f"/expedientes/{evaluation_id}").get_data(as_text=True)
    assert "Aprobar la evaluación y reformular el plan" in case_page
    assert transition(client, app, evaluation_id, "approve_reformulate").status_code in (302, 303)

    body = client.get(f"{API}/{evaluation_id}", headers=coord).get_json()
    new_id = body["reformulated_plan_id"]
    assert new_id and body["next_plan_id"] is None and body["state"] == "approved"
    assert f"/expedientes/{new_id}" in client.get(f"/seguimiento/evaluaciones/{evaluation_id}").get_data(as_text=True)
    with app.app_context():
        old, new = db.session.get(Plan, plan_id), db.session.get(Plan, new_id)
        assert (new.state, new.government_id, new.year, new.previous_plan_id) == (
            "draft",
            old.government_id,
            2008,
            None,
        )
        assert new.title == "Plan Articulado Regional de Huánuco (reformulado)" and old.state == "approved_norm"
        assert [r.goal_value for r in new.results] == [r.goal_value for r in old.results] == [1000, 2000, 3000, 4000]
        carried = new.results[0].indicators[0]
        assert (carried.name, carried.baseline, carried.target) == ("Indicador 1", Decimal(30), Decimal("22.5"))
        assert old.results[0].indicators[0].target == Decimal(25)  # the earlier version is left as approved
        assert db.session.scalar(
            select(PlanIndicatorLink.indicator_id).where(PlanIndicatorLink.plan_indicator_id == carried.id)
        ) == db.session.scalar(
            select(PlanIndicatorLink.indicator_id).where(PlanIndicatorLink.plan_indicator_id == indicator_id)
        )
        goal = db.session.scalar(select(Target).where(Target.origin == "adjustment"))
        assert (goal.plan_id, goal.plan_indicator_id, goal.value) == (new_id, carried.id, Decimal("22.5"))
        assert db.session.scalar(select(Plan.id).where(Plan.previous_plan_id == plan_id)) is None  # no next year's

    # the reformulated plan is re-approved: its PDF supersedes the earlier plan's
    _approve_by_norm(client, app, people, coord, new_id, "012-2008-GRH/CR")
    with app.app_context():
        newer = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == new_id))
        assert newer.template_key == "plan_articulado" and newer.supersedes_id == earlier_id
        newer_id, newer_code, newer_number = newer.id, newer.code, newer.number
        unchanged = db.session.get(IssuedDocument, earlier_id)
        assert bytes(unchanged.content) == earlier_bytes and unchanged.sha256 == earlier_sha
        # the policy document the region sends by 30 June is now the reformulated plan's
        required = required_plan_documents([db.session.get(Plan, new_id).government], 2008)
        assert required[0]["document_id"] == newer_id
    text = re.sub(r"\s+", " ", pdf_text(client.get(f"/documentos/{newer_id}/pdf").data))
    assert "PLAN ARTICULADO REGIONAL" in text and "012-2008-GRH/CR" in text
    assert "Línea de base: 30 · Meta: 22.5" in text
    assert client.get(f"/documentos/{earlier_id}/pdf").data == earlier_bytes  # still served, byte for byte
    # the earlier plan's case page marks its PDF as replaced
    assert "reemplazado por una emisión posterior" in client.get(f"/expedientes/{plan_id}").get_data(as_text=True)
    logout(client)  # the verification page is public
    verification = client.get(f"/verificar/{earlier_code}")
    page = verification.get_data(as_text=True)
    assert verification.status_code == 200 and "Este documento fue reemplazado" in page
    assert newer_number in page and f'href="/verificar/{newer_code}"' in page
