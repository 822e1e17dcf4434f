"""The regional support overview (/operaciones/apoyo/ and GET /api/v1/operations/support): one row per
municipality of the region with its stages, the convenio's goals (achieved vs target), its commitments with
their deadline status (an overdue one shows late), the region's support measures and its training events;
scoping (the region all its municipalities, a municipality its own row, another region 404, the national level
picks a region); and a fixed number of SQL statements whatever the number of municipalities with data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from core.database import QueryCounter
from core.extensions import db
from core.hookspecs import hookimpl
from core.models import Case, Government, KeyIndicator, User
from core.operations import run
from core.plugins import plugin_registry
from core.security import scope_for
from core.testing import logout
from core.workflow import perform

API = "/api/v1/operations/support"
TODAY = date.today()


def _district(app, ubigeo: str) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(
            select(Government.id).where(Government.ubigeo == ubigeo, Government.kind == "district")
        )


def _milestone(app, government_id: int, case_type: str, state: str, **attributes: object) -> int:  # noqa: ANN001
    """A stage-1/2 case of the municipality in ``state`` (fixture data: those stages' own pages are tested in
    their plugins; here only what the overview reads of them matters)."""
    from core.cases import case_types, create_case
    from core.security import scope_for_cli

    with app.app_context():
        government = db.session.get(Government, government_id)
        case = create_case(
            case_types()[case_type],
            government,
            TODAY.year,
            f"{case_type} {government.name}",
            None,
            scope_for_cli(None),
            **attributes,
        )
        db.session.flush()
        # The state a workflow would have reached (a bulk UPDATE: fixture data, not a transition).
        db.session.execute(update(Case).where(Case.id == case.id).values(state=state))
        db.session.commit()
        return case.id


def agreement_in_execution(app, people, govs, counterparts: list[int], *, overdue: bool = True) -> int:  # noqa: ANN001
    """A convenio of Huánuco with ``counterparts`` in execution: a goal (target 60, 52 reported), a commitment of
    the first municipality (overdue when ``overdue``), the region's funds (S/ 5,000.00) — through the operations
    and the workflow, as the pages do."""
    with app.app_context():
        coord = db.session.get(User, people["coord"])
        indicator = db.session.scalar(select(KeyIndicator.id).order_by(KeyIndicator.id).limit(1))
        agreement = run(
            "operations.agreement.create",
            coord,
            {
                "government_id": govs["huanuco"],
                "year": TODAY.year,
                "title": "Convenio de Gestión de prueba",
                "kind": "management",
                "object": "Reducir la desnutrición crónica infantil.",
                "start_date": (TODAY - timedelta(days=60)).isoformat(),
                "end_date": (TODAY + timedelta(days=300)).isoformat(),
                "counterparts": [str(c) for c in counterparts],
            },
        )
        aid = agreement.id
        goal = run(
            "operations.agreement.goal.add",
            coord,
            {
                "agreement_id": aid,
                "description": "Niños con CRED completo",
                "target": "60",
                "key_indicator_id": indicator,
            },
        )
        due = TODAY - timedelta(days=10) if overdue else TODAY + timedelta(days=90)
        run(
            "operations.agreement.commitment.add",
            coord,
            {
                "agreement_id": aid,
                "party": str(counterparts[0]),
                "what": "Instalar el padrón nominal",
                "who": "Alcaldía",
                "due_date": due.isoformat(),
            },
        )
        run(
            "operations.agreement.support.add",
            coord,
            {"agreement_id": aid, "kind": "funds", "description": "Fondos para el padrón", "amount": "5000"},
        )
        goal_id = goal.id
    accepting = {c: people.make_user(f"coord{c}@muni.pe", ("coordinator", c)) for c in counterparts}
    with app.app_context():
        coord = db.session.get(User, people["coord"])
        agreement = db.session.get(Case, aid)
        perform(agreement, "negotiate", coord, scope_for(coord))
        db.session.commit()
        for counterpart in counterparts:
            run("operations.agreement.accept", db.session.get(User, accepting[counterpart]), {"agreement_id": aid})
        agreement = db.session.get(Case, aid)
        agreement.signed_on = TODAY - timedelta(days=50)
        perform(agreement, "sign", coord, scope_for(coord))
        perform(agreement, "start", coord, scope_for(coord))
        db.session.commit()
        run(
            "operations.agreement.report.add",
            coord,
            {"agreement_id": aid, "period": f"{TODAY.year}-S1", "values": {str(goal_id): "52"}},
        )
    return aid


def _event(app, people, government_id: int, topic: str) -> None:  # noqa: ANN001
    """An event recorded by the municipality's team (a government records its own events)."""
    user_id = people.make_user(f"equipo{government_id}-{abs(hash(topic)) % 1000}@muni.pe", ("team", government_id))
    with app.app_context():
        run(
            "operations.training.event.create",
            db.session.get(User, user_id),
            {
                "government_id": government_id,
                "topic": topic,
                "provider": "region",
                "kind": "technical_assistance",
                "start_date": TODAY.isoformat(),
            },
        )


@pytest.fixture
def amarilis_data(app, people, govs):  # noqa: ANN001, ANN201
    amarilis = govs["amarilis"]
    body = _milestone(app, amarilis, "articulation_body", "constituted")
    _milestone(app, amarilis, "ordinance", "published", body_id=body)
    _milestone(app, amarilis, "articulated_plan", "approved_norm")
    aid = agreement_in_execution(app, people, govs, [amarilis, govs["huanuco_prov"]])
    _event(app, people, amarilis, "Asistencia técnica en el padrón nominal")
    return aid


def _row(items: list[dict], government_id: int) -> dict:
    return next(item for item in items if item["government_id"] == government_id)


def test_the_region_sees_each_municipality_with_its_stages_goals_commitments_and_support(
    app,
    client,
    people,
    govs,
    amarilis_data,  # noqa: ANN001
):
    with app.app_context():
        municipalities = db.session.scalar(
            select(func.count(Government.id)).where(
                Government.region_id == govs["huanuco"], Government.kind != "regional"
            )
        )
    people.login(client, "coord")
    root = client.get("/operaciones/").get_data(as_text=True)
    assert "/operaciones/apoyo/" in root  # the sub-area's link
    page = client.get("/operaciones/apoyo/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<tr id="gov-') == municipalities > 80  # Huánuco: 84 districts and 11 provinces
    amarilis_row = html[html.index(f'id="gov-{govs["amarilis"]}"') :]
    amarilis_row = amarilis_row[: amarilis_row.index("</tr>")]
    assert "constituida" in amarilis_row and "emitida" in amarilis_row and "aprobado" in amarilis_row
    assert "Niños con CRED completo: 52 / 60 (86.7 %)" in amarilis_row
    assert "Instalar el padrón nominal" in amarilis_row and "Vencido" in amarilis_row
    assert "Fondos para el padrón (S/ 5,000)" in amarilis_row
    assert "Asistencia técnica en el padrón nominal" in amarilis_row
    # stage 4: the monitoring plugin's cell (stage_status), the year's quarterly reports sent
    assert f"Informes trimestrales {TODAY.year}: 0 de 4 remitidos" in amarilis_row

    regions = client.get(API).get_json()["regions"]  # reads accept the browser's session
    assert [r["id"] for r in regions] == [govs["huanuco"]]
    response = client.get(regions[0]["url"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["region_id"] == govs["huanuco"] and len(body["items"]) == municipalities
    row = _row(body["items"], govs["amarilis"])
    assert row["institutionalization"]["body"]["done"] is True
    assert row["institutionalization"]["ordinance"]["done"] is True
    assert row["diagnosis"]["plan"]["done"] is True and row["diagnosis"]["diagnosis"] is None
    agreement = row["operations"]["agreements"][0]
    assert agreement["state"] == "execution"
    assert agreement["goals"][0]["achieved"] == "52.00" and agreement["goals"][0]["target"] == "60.00"
    assert agreement["commitments"][0]["status"] == "late" and row["operations"]["commitments_overdue"] == 1
    assert agreement["supports"][0]["amount"] == "5000.00"
    assert row["operations"]["events"][0]["topic"] == "Asistencia técnica en el padrón nominal"
    assert [cell["status"] for cell in row["monitoring"]] == ["missing"]  # no quarterly report sent
    # The province is a counterpart too, without a commitment of its own: the region's only.
    province = _row(body["items"], govs["huanuco_prov"])
    assert province["operations"]["commitments_overdue"] == 0
    assert province["operations"]["agreements"][0]["commitments"] == []
    # A municipality without anything says so.
    other = _row(body["items"], _district(app, "100103"))
    assert other["institutionalization"]["body"] is None and other["operations"]["agreements"] == []
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/operations/support" in paths and "/api/v1/operations/support/{region_id}" in paths


def test_scoping_a_municipality_sees_its_own_row_another_region_404_national_picks(
    app,
    client,
    people,
    govs,
    amarilis_data,  # noqa: ANN001
):
    people.login(client, "amarilis_coord")
    html = client.get("/operaciones/apoyo/").get_data(as_text=True)
    assert html.count('<tr id="gov-') == 1 and f'id="gov-{govs["amarilis"]}"' in html
    assert [r["id"] for r in client.get(API).get_json()["regions"]] == [govs["huanuco"]]
    items = client.get(f"{API}/{govs['huanuco']}").get_json()["items"]
    assert [i["government_id"] for i in items] == [govs["amarilis"]]

    people.login(client, "cusco")
    assert client.get(f"/operaciones/apoyo/?region={govs['huanuco']}").status_code == 404
    assert client.get(f"{API}/{govs['huanuco']}").status_code == 404
    assert client.get(f"{API}/{govs['huanuco_prov']}").status_code == 404  # not a region
    cusco = client.get("/operaciones/apoyo/").get_data(as_text=True)
    assert f'id="gov-{govs["amarilis"]}"' not in cusco

    people.login(client, "national")
    picker = client.get("/operaciones/apoyo/")
    assert picker.status_code == 200 and '<tr id="gov-' not in picker.get_data(as_text=True)
    assert len(client.get(API).get_json()["regions"]) == 25
    chosen = client.get(f"{API}/{govs['huanuco']}").get_json()
    assert _row(chosen["items"], govs["amarilis"])["operations"]["commitments_overdue"] == 1
    assert client.get(f"{API}/{govs['huanuco']}?year=abc").status_code == 400

    people.login(client, "auditor")
    assert client.get(f"/operaciones/apoyo/?region={govs['huanuco']}").status_code == 200
    logout(client)
    assert client.get("/operaciones/apoyo/").status_code in (302, 401)
    assert client.get(API).status_code == 401


def _statements(app, client, path: str) -> int:  # noqa: ANN001
    client.get(path)  # warm-up (workflow cache, catalogs)
    with app.app_context(), QueryCounter(db.engine) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_statements_do_not_grow_with_the_municipalities(app, client, people, govs, amarilis_data):  # noqa: ANN001
    people.login(client, "coord")
    paths = ("/operaciones/apoyo/", f"{API}/{govs['huanuco']}")
    before = {path: _statements(app, client, path) for path in paths}
    others = [_district(app, u) for u in ("100103", "100104", "100105", "100106")]
    for gov in others:
        _milestone(app, gov, "articulation_body", "draft")
        _milestone(app, gov, "diagnosis", "validated")
        _event(app, people, gov, "Capacitación en presupuesto por resultados")
    agreement_in_execution(app, people, govs, others, overdue=False)
    after = {path: _statements(app, client, path) for path in paths}
    assert before == after
    body = client.get(f"{API}/{govs['huanuco']}").get_json()
    assert sum(1 for i in body["items"] if i["operations"]["agreements"]) == 6


class _MonitoringReporter:
    """What a monitoring plugin would contribute through the ``stage_status`` hook: one cell per government,
    for all the governments of the page at once."""

    def __init__(self, amarilis: int) -> None:
        self.amarilis = amarilis
        self.calls = 0

    @hookimpl
    def stage_status(self, governments: list, year: int) -> list[dict]:
        self.calls += 1
        return [
            {
                "government_id": g.id,
                "stage": "monitoring",
                "label": f"Indicadores {year}: 7 de 9",
                "status": "in_progress",
            }
            for g in governments
            if g.id == self.amarilis
        ]


def test_a_plugin_fills_stage_4_through_the_stage_status_hook(app, client, people, govs):  # noqa: ANN001
    registry = plugin_registry(app)
    reporter = _MonitoringReporter(govs["amarilis"])
    registry.manager.register(reporter, name="test_stage_reporter")
    registry.builtins.append("test_stage_reporter")
    try:
        people.login(client, "coord")
        html = client.get("/operaciones/apoyo/").get_data(as_text=True)
        body = client.get(f"{API}/{govs['huanuco']}").get_json()
    finally:
        registry.builtins.remove("test_stage_reporter")
        registry.manager.unregister(name="test_stage_reporter")
    row = html[html.index(f'id="gov-{govs["amarilis"]}"') :]
    row = row[: row.index("</tr>")]
    assert f"Indicadores {TODAY.year}: 7 de 9" in row and "sin datos" not in row
    assert reporter.calls == 2  # once per request, for all the municipalities together
    cells = _row(body["items"], govs["amarilis"])["monitoring"]
    assert [cell["status"] for cell in cells if cell["label"].startswith("Indicadores")] == ["in_progress"]
    # the monitoring plugin's own cell: the year's quarterly follow-up reports sent (none here)
    others = _row(body["items"], govs["huanuco_prov"])["monitoring"]
    assert [(cell["label"], cell["status"]) for cell in others] == [
        (f"Informes trimestrales {TODAY.year}: 0 de 4 remitidos", "missing")
    ]
