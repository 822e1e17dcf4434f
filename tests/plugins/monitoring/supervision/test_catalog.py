"""The fichas are a national catalog: everyone signed in reads them (page and API), only an administrator
changes them (admin); the API's routes are in the OpenAPI document."""

from __future__ import annotations

from sqlalchemy import delete, select

from core.extensions import db
from core.testing import csrf_from
from tests.plugins.monitoring.supervision.conftest import API


def test_seeded_fichas_are_read_by_everyone(app, client, people, api_token, fichas):  # noqa: ANN001
    assert set(fichas) == {"health_facility", "school", "program_point"}
    headers = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    listed = client.get(f"{API}/checklists", headers=headers).get_json()
    health = next(c for c in listed if c["key"] == "health_facility")
    assert health["service_kind"] == "health_facility" and len(health["items"]) == 6
    assert health["items"][2]["weight"] == "3.00" and health["items"][2]["max_points"] == 2
    people.login(client, "cusco")
    page = client.get("/seguimiento/supervision/fichas").get_data(as_text=True)
    assert "Ficha de supervisión de punto de entrega de programa social" in page


def test_only_an_administrator_edits_the_fichas(app, client, people):  # noqa: ANN001
    from plugins.monitoring.supervision.models import SupervisionChecklist

    people.login(client, "team")
    url = "/admin/mon_checklist/new/"
    data = {"key": "prueba", "service_kind": "school", "name": "Ficha de prueba", "active": "y"}
    assert client.post(url, data={"csrf_token": csrf_from(client, "/"), **data}).status_code == 403
    people.login(client, "admin")
    try:
        response = client.post(url, data={"csrf_token": csrf_from(client, url), **data})
        assert response.status_code == 302
        page = client.get("/seguimiento/supervision/fichas").get_data(as_text=True)
        assert "Ficha de prueba" in page
    finally:  # the fichas are kept between tests (reference data): leave them as seeded
        with app.app_context():
            db.session.execute(delete(SupervisionChecklist).where(SupervisionChecklist.key == "prueba"))
            db.session.commit()
            assert db.session.scalar(select(SupervisionChecklist).where(SupervisionChecklist.key == "prueba")) is None


def test_the_api_is_in_the_openapi_document(client):  # noqa: ANN001
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/monitoring/supervision/visits",
        "/api/v1/monitoring/supervision/visits/{visit_id}/answers",
        "/api/v1/monitoring/supervision/findings/{finding_id}",
        "/api/v1/monitoring/community/reports/{report_id}/actions/{key}",
    ):
        assert path in paths, path
