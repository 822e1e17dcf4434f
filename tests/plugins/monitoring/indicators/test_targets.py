"""Targets: from an approved plan (result goals and the goals of plan indicators linked to a key indicator),
adjusted in evaluation with a justification and who approved it, over the national goals to 2011; the
baseline comes from the diagnosis."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import Government
from plugins.diagnosis.models import Plan

API = "/api/v1/monitoring"


@pytest.fixture
def plan(app: Any, client: Any, people: Any, api_token: Any, govs: dict[str, int]) -> dict[str, int]:
    """Amarilis's 2008 plan, complete (the diagnosis plugin's test helper fills it through its API: a goal
    per result and an «Indicador n» per result), its first indicator given a target."""
    from tests.plugins.diagnosis.conftest import create_case_web
    from tests.plugins.diagnosis.test_plan import fill_plan

    people.login(client, "amarilis_coord")
    plan_id = create_case_web(client, "articulated_plan", govs["amarilis"], "PAL Amarilis 2008")
    fill_plan(client, app, plan_id, _headers(people, api_token, "amarilis_team"))
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        first, second = plan.results[0].indicators[0], plan.results[1].indicators[0]
        first.target = Decimal("28.5")
        second.target = Decimal("70")
        ids = {"plan": plan_id, "indicator": first.id, "other": second.id, "results": len(plan.results)}
        db.session.commit()
    return ids


def _approve(app: Any, client: Any, govs: dict[str, int], plan_id: int) -> None:
    from tests.plugins.diagnosis.conftest import installed_body, transition

    installed_body(app, govs["amarilis"])
    for name in ("send_review", "approve_instancia"):
        assert transition(client, app, plan_id, name).status_code == 303, name


def _headers(people: Any, api_token: Any, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(people[role])}"}


def test_targets_come_from_the_approved_plan_and_an_adjustment_wins(app, client, people, api_token, govs, plan) -> None:
    local = _headers(people, api_token, "amarilis_coord")
    link = client.put(f"{API}/plan-indicators/{plan['indicator']}/link", json={"indicator": "2"}, headers=local)
    assert link.status_code == 200 and link.get_json()["indicator"] == 2
    early = client.post(f"{API}/plans/{plan['plan']}/targets", headers=local)
    assert early.status_code == 400  # still a draft
    _approve(app, client, govs, plan["plan"])
    made = client.post(f"{API}/plans/{plan['plan']}/targets", headers=local)
    assert made.status_code == 200, made.get_json()
    # one target per result goal, one for the linked indicator (the unlinked one is not a key indicator's)
    assert len(made.get_json()) == plan["results"] + 1
    again = client.post(f"{API}/plans/{plan['plan']}/targets", headers=local)
    assert len(again.get_json()) == plan["results"] + 1
    in_force = client.get(f"{API}/targets?government_id={govs['amarilis']}&year=2008", headers=local).get_json()
    (malnutrition,) = [t for t in in_force if t["indicator"] == 2]
    assert (malnutrition["origin"], malnutrition["value"]) == ("plan", "28.5000")
    assert sum(1 for t in in_force if t["indicator"] is None and t["unit"] == "niños y niñas") == plan["results"]

    adjustment = {
        "government_id": govs["amarilis"],
        "year": 2008,
        "indicator": "2",
        "value": "30",
        "justification": "La helada de julio",
        "approved_by": "Alcalde, presidente de la Instancia",
        "approved_on": "2008-12-15",
    }
    missing = client.post(f"{API}/targets/adjustments", json={**adjustment, "justification": ""}, headers=local)
    assert missing.status_code == 400 and "justification" in missing.get_json()["error"]["fields"]
    over = client.post(f"{API}/targets/adjustments", json={**adjustment, "value": "120"}, headers=local)
    assert over.status_code == 400 and "mayor que 100" in over.get_json()["error"]["fields"]["value"][0]
    other = _headers(people, api_token, "cusco")
    assert client.post(f"{API}/targets/adjustments", json=adjustment, headers=other).status_code == 404
    done = client.post(f"{API}/targets/adjustments", json=adjustment, headers=local)
    assert done.status_code == 201, done.get_json()
    in_force = client.get(f"{API}/targets?government_id={govs['amarilis']}&year=2008", headers=local).get_json()
    (malnutrition,) = [t for t in in_force if t["indicator"] == 2]
    assert (malnutrition["origin"], malnutrition["value"], malnutrition["approved_by"]) == (
        "adjustment",
        "30.0000",
        "Alcalde, presidente de la Instancia",
    )
    # the page shows the origin and the justification
    people.login(client, "amarilis_coord")
    page = client.get(f"/seguimiento/indicadores/metas?government_id={govs['amarilis']}&year=2008").get_data(
        as_text=True
    )
    assert "Ajuste en la evaluación" in page and "La helada de julio" in page and "Plan aprobado" in page


def test_the_national_goals_to_2011_hold_where_no_plan_says_otherwise(app, client, people, api_token, govs) -> None:
    headers = _headers(people, api_token, "cusco")
    goals = client.get(f"{API}/targets?government_id={govs['cusco']}&year=2011", headers=headers).get_json()
    assert {(g["indicator"], g["measure"], g["area"], g["value"]) for g in goals} == {
        (1, "pobreza", "", "30.0000"),
        (1, "pobreza", "urbano", "20.0000"),
        (1, "pobreza", "rural", "45.0000"),
        (2, "", "", "16.0000"),
    }
    assert all(g["origin"] == "national" for g in goals)
    hidden = client.get(f"{API}/targets?government_id={govs['huanuco']}&year=2011", headers=headers)
    assert hidden.status_code == 404


def test_only_the_plans_government_links_its_indicators(app, client, people, api_token, plan) -> None:
    region = _headers(people, api_token, "team")  # reads Amarilis, writes only its own government
    assert (
        client.put(f"{API}/plan-indicators/{plan['other']}/link", json={"indicator": "2"}, headers=region).status_code
        == 403
    )
    auditor = _headers(people, api_token, "auditor")
    assert (
        client.put(f"{API}/plan-indicators/{plan['other']}/link", json={"indicator": "2"}, headers=auditor).status_code
        == 403
    )
    cusco = _headers(people, api_token, "cusco")
    assert (
        client.put(f"{API}/plan-indicators/{plan['other']}/link", json={"indicator": "2"}, headers=cusco).status_code
        == 404
    )
    local = _headers(people, api_token, "amarilis_team")
    measure = client.put(f"{API}/plan-indicators/{plan['other']}/link", json={"indicator": "1"}, headers=local)
    assert measure.status_code == 400  # indicator 1 needs its measure
    assert (
        client.put(
            f"{API}/plan-indicators/{plan['other']}/link", json={"indicator": "1", "measure": "pobreza"}, headers=local
        ).status_code
        == 200
    )
    assert (
        client.put(f"{API}/plan-indicators/{plan['other']}/link", json={}, headers=local).get_json()["indicator"]
        is None
    )
    assert client.post(f"{API}/plans/{plan['plan']}/targets", headers=cusco).status_code == 404
    assert client.post(f"{API}/plans/{plan['plan']}/targets", headers=auditor).status_code == 403


def test_the_baseline_comes_from_the_diagnosis(app, govs) -> None:
    from core.cases import case_types, create_case
    from core.models import KeyIndicator
    from core.security import scope_for_cli
    from plugins.diagnosis.models import Baseline
    from plugins.monitoring.indicators import queries

    with app.app_context():
        amarilis = db.session.get(Government, govs["amarilis"])
        diagnosis = create_case(
            case_types()["diagnosis"], amarilis, 2008, "Diagnóstico de Amarilis", None, scope_for_cli(None)
        )
        db.session.flush()
        key = db.session.scalar(select(KeyIndicator).where(KeyIndicator.key == "ind_desnutricion_cronica_menores_5"))
        db.session.add(
            Baseline(
                diagnosis_id=diagnosis.id,
                territory_id=amarilis.territory_id,
                indicator_id=key.id,
                value=Decimal("34.2"),
                year=2007,
                source="SIEN",
            )
        )
        db.session.flush()
        baseline = queries.baseline_for(amarilis, queries.indicator_by_code(2))
        assert (baseline.value, baseline.year, baseline.source) == (Decimal("34.2000"), 2007, "SIEN")
        assert queries.baseline_for(amarilis, queries.indicator_by_code(3)) is None
        db.session.rollback()


def test_without_a_government_the_api_lists_the_national_goals(app, client, people, api_token) -> None:
    headers = _headers(people, api_token, "auditor")
    goals = client.get(f"{API}/targets", headers=headers).get_json()
    assert {(g["indicator"], g["year"], g["value"]) for g in goals} >= {(2, 2011, "16.0000"), (1, 2011, "30.0000")}
    assert client.get(f"{API}/targets?year=2010", headers=headers).get_json() == []
    assert client.get(f"{API}/targets?government_id=1", headers=headers).status_code == 400


def test_the_targets_page_reaches_every_government_by_search(app, client, people, govs) -> None:
    with app.app_context():
        total = db.session.scalar(select(func.count(Government.id)))
        far = db.session.scalars(select(Government).where(Government.kind == "district").order_by(Government.id.desc()))
        far = far.first()
        far_id, far_name, far_ubigeo = far.id, far.name, far.ubigeo
    assert total > 300  # the whole country: more than the old list of 300 offered
    page_url = "/seguimiento/indicadores/metas"
    people.login(client, "national")
    start = client.get(f"{page_url}?year=2008").get_data(as_text=True)
    assert "Gobierno Regional de Cusco" in start and far_name not in start  # the regions to start from
    found = client.get(f"{page_url}?q={far_ubigeo}&year=2008").get_data(as_text=True)
    assert f'value="{far_id}"' in found and "1 gobierno coincide" in found
    chosen = client.get(f"{page_url}?government_id={far_id}&year=2011").get_data(as_text=True)
    assert f'<option value="{far_id}" selected>' in chosen and f"Metas de {far_name} para 2011" in chosen
    many = client.get(f"{page_url}?q=a&year=2008").get_data(as_text=True)
    assert "se listan los primeros 50: precise la búsqueda" in many
    # scoped: Cusco's team finds nothing of Huánuco, and reaching it by its id is a 404
    people.login(client, "cusco")
    assert "Ningún gobierno coincide" in client.get(f"{page_url}?q=Amarilis").get_data(as_text=True)
    assert client.get(f"{page_url}?government_id={govs['amarilis']}").status_code == 404
    own = client.get(page_url).get_data(as_text=True)
    assert f'<option value="{govs["cusco"]}" selected>' in own  # its own government first


def test_the_team_links_plan_indicators_and_loads_targets_from_pages(app, client, people, api_token, govs, plan):
    from core.testing import csrf_from
    from plugins.monitoring.indicators.models import PlanIndicatorLink, Target

    people.login(client, "amarilis_coord")
    targets_url = f"/seguimiento/indicadores/metas?government_id={govs['amarilis']}&year=2008"
    page_url = f"/seguimiento/indicadores/planes/{plan['plan']}"
    assert page_url in client.get(targets_url).get_data(as_text=True)
    html = client.get(page_url).get_data(as_text=True)
    assert "Indicador 1" in html and "Guardar el vínculo" in html and "Cargar las metas" not in html
    prefix = f"i{plan['other']}-"
    form = {"csrf_token": csrf_from(client, page_url), "form": "link", "plan_indicator_id": plan["other"]}
    refused = client.post(page_url, data={**form, f"{prefix}indicator": "1", f"{prefix}measure": ""})
    assert refused.status_code == 400  # indicator 1 needs its measure: said beside the field
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanIndicatorLink.id))) == 0
    prefix = f"i{plan['indicator']}-"
    form["plan_indicator_id"] = plan["indicator"]
    saved = client.post(page_url, data={**form, f"{prefix}indicator": "2", f"{prefix}measure": ""})
    assert saved.status_code == 303
    html = client.get(page_url).get_data(as_text=True)
    assert "Indicador clave: 2." in html
    # a draft loads no targets
    load = {"csrf_token": csrf_from(client, page_url), "form": "targets"}
    assert client.post(page_url, data=load).status_code == 400
    _approve(app, client, govs, plan["plan"])
    assert "Cargar las metas de este plan aprobado" in client.get(page_url).get_data(as_text=True)
    loaded = client.post(page_url, data=load)
    assert loaded.status_code == 303 and "/seguimiento/indicadores/metas" in loaded.headers["Location"]
    with app.app_context():
        rows = db.session.scalars(select(Target).where(Target.plan_id == plan["plan"])).all()
        assert len(rows) == plan["results"] + 1
        assert {t.value for t in rows if t.indicator_id is not None} == {Decimal("28.5")}
    shown = client.get(targets_url).get_data(as_text=True)
    assert "Plan aprobado" in shown and "28.5" in shown
    # scoped: another region 404, the auditor and the region above read it and write nothing
    people.login(client, "cusco")
    assert client.get(page_url).status_code == 404
    assert client.post(page_url, data={**form, "csrf_token": csrf_from(client, "/")}).status_code == 404
    for role in ("auditor", "team"):
        people.login(client, role)
        html = client.get(page_url).get_data(as_text=True)
        assert "Indicador 1" in html and "Guardar el vínculo" not in html
        assert client.post(page_url, data={"csrf_token": csrf_from(client, "/"), "form": "targets"}).status_code == 403
