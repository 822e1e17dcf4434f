"""The plugin's route matrix: every route classified in scoping.py, for every role, inside and outside
the jurisdiction — reads 200 or 404, writes refused with 403 (read-only roles) or 404 (elsewhere)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.diagnosis.models import Diagnosis, DistrictRecord, Plan
from tests.conftest import csrf_from, login
from tests.plugins.diagnosis import scoping
from tests.plugins.diagnosis.conftest import create_case_web, logout, version_of

ROLES = {
    # name: (membership, reads, writes) — reads: expected GET status; writes: refused with / None (allowed)
    "own team": (("team", "huanuco"), 200, None),
    "own coordinator": (("coordinator", "huanuco"), 200, None),
    "auditor": (("auditor", None), 200, 403),
    "national": (("national", None), 200, 403),
    "other region": (("team", "cusco"), 404, 404),
    "province below": (("coordinator", "huanuco_prov"), 404, 404),
}


#: What an allowed role's write gets when the matrix posts only the case's version (no fields): the
#: writes that need no field save (303 page / 200 API, the case's version moves on), the others are
#: refused by validation (400) and change nothing; the API's next cycle finds the page's one already made.
ALLOWED_WRITE_STATUS = {
    "/diagnosticos/<int:case_id>/actores": 400,
    "/diagnosticos/<int:case_id>/causas": 400,
    "/diagnosticos/<int:case_id>/coincidencias": 303,
    "/diagnosticos/<int:case_id>/fichas/<int:record_id>": 303,
    "/diagnosticos/<int:case_id>/lineas-de-base": 400,
    "/diagnosticos/<int:case_id>/productivo": 400,
    "/planes/<int:case_id>/actividades/<int:activity_id>": 303,
    "/planes/<int:case_id>/matriz/importar": 400,
    "/planes/<int:case_id>/resultados": 400,
    "/planes/<int:case_id>/resultados/<int:result_id>": 303,
    "/planes/<int:case_id>/resultados/<int:result_id>/actividades/nueva": 400,
    "/planes/<int:case_id>/resultados/<int:result_id>/indicadores": 400,
    "/planes/<int:case_id>/resultados/<int:result_id>/indicadores/<int:indicator_id>": 303,
    "/planes/<int:case_id>/siguiente-ciclo": 303,
    "/api/v1/diagnoses/<int:case_id>/actors": 400,
    "/api/v1/diagnoses/<int:case_id>/baselines": 400,
    "/api/v1/diagnoses/<int:case_id>/baselines/import": 400,
    "/api/v1/diagnoses/<int:case_id>/causes": 400,
    "/api/v1/diagnoses/<int:case_id>/coverage": 400,
    "/api/v1/diagnoses/<int:case_id>/fichas/<ubigeo>": 400,
    "/api/v1/diagnoses/<int:case_id>/relations": 400,
    "/api/v1/plans/<int:case_id>/activities/<int:activity_id>": 200,
    "/api/v1/plans/<int:case_id>/indicators/<int:indicator_id>": 200,
    "/api/v1/plans/<int:case_id>/matrix.xlsx": 400,
    "/api/v1/plans/<int:case_id>/next-cycle": 409,
    "/api/v1/plans/<int:case_id>/results": 400,
    "/api/v1/plans/<int:case_id>/results/<int:result_id>": 200,
    "/api/v1/plans/<int:case_id>/results/<int:result_id>/activities": 400,
    "/api/v1/plans/<int:case_id>/results/<int:result_id>/indicators": 400,
    "/api/v1/plans/<int:case_id>/sections": 200,
}
#: The one allowed write that makes a new record instead of moving the case's version on.
NEW_PLAN_WRITES = ("/planes/<int:case_id>/siguiente-ciclo",)


def plan_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Plan.id)).all())


@pytest.fixture
def cases(app, client, make_user, govs):
    make_user("creador@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "creador@huanuco.pe")
    diag = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    plan = create_case_web(client, "articulated_plan", govs["huanuco"], "PAR")
    token = csrf_from(client, f"/expedientes/{plan}")
    with app.app_context():
        result = db.session.get(Plan, plan).results[0].id
    client.post(
        f"/planes/{plan}/resultados/{result}/indicadores",
        data={"csrf_token": token, "version": version_of(app, plan), "name": "I", "formula": "a"},
    )
    client.post(
        f"/planes/{plan}/resultados/{result}/actividades/nueva",
        data={"csrf_token": token, "version": version_of(app, plan), "name": "A", "budget": "1"},
    )
    logout(client)
    with app.app_context():
        p = db.session.get(Plan, plan)
        record = db.session.scalar(select(DistrictRecord.id).where(DistrictRecord.diagnosis_id == diag))
        return {
            "diag": diag,
            "plan": plan,
            "record_id": record,
            "result_id": result,
            "indicator_id": p.results[0].indicators[0].id,
            "activity_id": p.results[0].activities[0].id,
        }


def fill(rule: str, ids: dict[str, int]) -> str:
    case = ids["diag"] if "/diagnosticos/" in rule or "/diagnoses/" in rule else ids["plan"]
    values = {"case_id": case, "ubigeo": "100102", "export_type": "csv", **ids}
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def test_every_plugin_route_is_classified(app):
    """Pages and API endpoints, and the reads of scoped admin views (admin writes are administrators' only,
    checked by the core's matrix through scoping.ADMIN_VIEWS)."""
    rules = set()
    for rule in app.url_map.iter_rules():
        view, _, method = rule.endpoint.partition(".")
        if view == "diagnosis" or rule.rule.startswith(("/api/v1/plans", "/api/v1/diagnoses")):
            rules.add(rule.rule)
        elif view in scoping.ADMIN_VIEWS and method in ("index_view", "details_view", "export"):
            rules.add(rule.rule)
    assert sorted(rules - set(scoping.ROUTES)) == []
    assert sorted(set(scoping.ROUTES) - rules) == []
    assert sorted(ALLOWED_WRITE_STATUS) == sorted(scoping.CASE_WRITES)


@pytest.mark.parametrize("role", list(ROLES))
def test_route_matrix(app, client, make_user, govs, api_token, cases, role):
    (kind, where), read_status, write_refusal = ROLES[role]
    user = make_user(f"{role.replace(' ', '.')}@pe.pe", (kind, govs[where] if where else None))
    login(client, f"{role.replace(' ', '.')}@pe.pe")
    headers = {"Authorization": f"Bearer {api_token(user)}"}
    for rule in scoping.CASE_READS:
        path = fill(rule, cases)
        response = client.get(path, headers=headers if path.startswith("/api/") else {})
        assert response.status_code == read_status, (role, path, response.status_code)
    for rule in scoping.CASE_WRITES:
        path = fill(rule, cases)
        case_id = cases["diag"] if "diagnos" in rule else cases["plan"]
        version_before, plans_before = version_of(app, case_id), plan_count(app)
        if path.startswith("/api/"):
            method = "put" if rule.endswith(("matrix.xlsx", "<ubigeo>")) else "post"
            if rule.endswith(("<int:activity_id>", "<int:indicator_id>", "<int:result_id>", "/sections")):
                method = "patch"
            response = getattr(client, method)(path, json={"version": version_of(app, case_id)}, headers=headers)
        else:
            token = csrf_from(client, "/")
            response = client.post(path, data={"csrf_token": token, "version": version_of(app, case_id)})
        expected = ALLOWED_WRITE_STATUS[rule] if write_refusal is None else write_refusal
        assert response.status_code == expected, (role, path, response.status_code, response.get_data(as_text=True))
        # the write took effect exactly when it was accepted; a refusal changes nothing
        saved = response.status_code in (200, 303)
        new_plan = saved and rule in NEW_PLAN_WRITES
        moved = saved and not new_plan
        assert version_of(app, case_id) == version_before + moved, (role, path)
        assert plan_count(app) == plans_before + new_plan, (role, path)
    # item (g): only the government's own coordinators may decide on (or see) a nominal list
    for rule in scoping.PRIVATE:
        path = fill(rule, cases)
        response = client.post(
            path, data={"csrf_token": csrf_from(client, "/"), "version": version_of(app, cases["diag"]), "keep": "1"}
        )
        if role == "own coordinator":  # allowed: the case's list saves (303), a child's empty form is refused (400)
            expected = 303 if rule == "/diagnosticos/<int:case_id>/lista-nominal" else 400
            assert response.status_code == expected, (role, path, response.status_code)
        else:
            assert response.status_code == (404 if read_status == 404 else 403), (role, path, response.status_code)
    # the list of plans shows only what the role reaches
    listing = client.get("/planes/").get_data(as_text=True)
    assert ("PA-001-2008-GRH" in listing) == (read_status == 200), role


def test_admin_views_are_scoped(app, client, make_user, govs, cases):
    make_user("t@cusco.pe", ("team", govs["cusco"]))
    make_user("a@pe.pe", ("auditor", None))
    models = {
        "dx_diagnosis": (Diagnosis, cases["diag"]),
        "dx_plan": (Plan, cases["plan"]),
        "dx_result": (None, cases["result_id"]),
        "dx_indicator": (None, cases["indicator_id"]),
        "dx_activity": (None, cases["activity_id"]),
    }
    for email, visible in (("a@pe.pe", True), ("t@cusco.pe", False)):
        login(client, email)
        for view in scoping.ADMIN_VIEWS:
            assert client.get(f"/admin/{view}/").status_code == 200, (email, view)
            assert client.get(f"/admin/{view}/export/csv/").status_code == 200, (email, view)
        for view, (_model, row_id) in models.items():
            details = client.get(f"/admin/{view}/details/?id={row_id}")
            assert (details.status_code == 200) == visible, (email, view, details.status_code)
            assert (
                client.post(
                    f"/admin/{view}/delete/", data={"id": row_id, "csrf_token": csrf_from(client, "/")}
                ).status_code
                == 403
            )
        logout(client)
    with app.app_context():
        assert db.session.get(Plan, cases["plan"]) is not None
