"""Community monitoring: a municipality registers an organization, records its reports, consolidates one
and turns another into a supervision visit through the finding-action seam; the region reads them, another
region does not; bad input is refused naming the field."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from
from tests.plugins.monitoring.supervision.conftest import COMMUNITY_API, days_ago, days_ahead

WEB = "/seguimiento/vigilancia-comunitaria"


def _organization(govs, **extra):  # noqa: ANN001, ANN202
    return {
        "government_id": govs["amarilis"],
        "name": "Comité de Vigilancia Comunal de Llicua",
        "kind": "surveillance_committee",
        "ubigeo": "100102",
        "representative": "Teodoro Malpartida",
        "registered_on": days_ago(90),
        **extra,
    }


def _report(organization_id: int, **extra):  # noqa: ANN202
    return {
        "organization_id": organization_id,
        "report_date": days_ago(8),
        "program": "Vaso de Leche",
        "ubigeo": "100102",
        "place": "Local comunal de Llicua",
        "observation": "La entrega se hizo con diez días de retraso.",
        **extra,
    }


def test_reports_become_a_supervision_visit_through_the_pages(app, client, people, govs, fichas):  # noqa: ANN001
    from plugins.monitoring.supervision.models import CommunityReport, SupervisionVisit

    people.login(client, "amarilis_team")
    url = f"{WEB}/organizaciones/nueva"
    response = client.post(url, data={"csrf_token": csrf_from(client, url), **_organization(govs)})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    organization_page = response.headers["Location"]
    organization_id = int(organization_page.rstrip("/").split("/")[-1])

    token = csrf_from(client, organization_page)
    data = {k: v for k, v in _report(organization_id).items() if k != "organization_id"}
    response = client.post(f"{WEB}/organizaciones/{organization_id}/reportes", data={"csrf_token": token, **data})
    assert response.status_code == 303
    report_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"{WEB}/reportes/{report_id}").get_data(as_text=True)
    assert "La entrega se hizo con diez días de retraso." in page and "Derivar a: Visita de supervisión" in page

    response = client.post(
        f"{WEB}/reportes/{report_id}/acciones/supervision_visit",
        data={
            "csrf_token": token,
            "supervision_visit-checklist_id": fichas["program_point"]["id"],
            "supervision_visit-visit_date": days_ago(2),
            "supervision_visit-facility": "Local comunal de Llicua",
            "supervision_visit-supervisor": "Jorge Albornoz Tucto",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        report = db.session.get(CommunityReport, report_id)
        visit = db.session.get(SupervisionVisit, report.visit_id)
        assert report.status == "acted" and report.action_label == f"Visita de supervisión {visit.reference}"
        # the visit is the municipality's, at the report's place, and says where it came from
        assert visit.government_id == govs["amarilis"] and visit.ubigeo == "100102"
        assert "reporte de vigilancia comunitaria de Comité de Vigilancia Comunal de Llicua" in visit.notes
    page = client.get(f"{WEB}/reportes/{report_id}").get_data(as_text=True)
    assert f"/seguimiento/supervision/visitas/{visit.id}" in page

    # the region reads the municipality's records; another region does not even see them
    people.login(client, "team")
    assert "Comité de Vigilancia Comunal de Llicua" in client.get(f"{WEB}/").get_data(as_text=True)
    people.login(client, "cusco")
    assert "Comité de Vigilancia Comunal de Llicua" not in client.get(f"{WEB}/").get_data(as_text=True)
    assert client.get(f"{WEB}/reportes/{report_id}").status_code == 404


def test_consolidate_and_act_through_the_api(app, client, people, api_token, govs, fichas):  # noqa: ANN001
    headers = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    organization = client.post(f"{COMMUNITY_API}/organizations", json=_organization(govs), headers=headers)
    assert organization.status_code == 201, organization.get_json()
    organization_id = organization.get_json()["id"]
    report = client.post(f"{COMMUNITY_API}/reports", json=_report(organization_id), headers=headers).get_json()
    consolidated = client.post(
        f"{COMMUNITY_API}/reports/{report['id']}/consolidate", json={"note": "Se informó al comité."}, headers=headers
    )
    assert consolidated.status_code == 200 and consolidated.get_json()["status"] == "consolidated"
    unknown = client.post(f"{COMMUNITY_API}/reports/{report['id']}/actions/carta", json={}, headers=headers)
    assert unknown.status_code == 404
    acted = client.post(
        f"{COMMUNITY_API}/reports/{report['id']}/actions/supervision_visit",
        json={
            "checklist_id": fichas["program_point"]["id"],
            "visit_date": days_ago(1),
            "facility": "Local comunal",
            "supervisor": "Jorge Albornoz",
        },
        headers=headers,
    )
    assert acted.status_code == 200, acted.get_json()
    assert acted.get_json()["status"] == "acted" and acted.get_json()["visit_id"]
    again = client.post(
        f"{COMMUNITY_API}/reports/{report['id']}/actions/supervision_visit",
        json={
            "checklist_id": fichas["program_point"]["id"],
            "visit_date": days_ago(1),
            "facility": "X",
            "supervisor": "Y",
        },
        headers=headers,
    )
    assert again.status_code == 400 and "ya fue derivado" in again.get_json()["error"]["message"]


def test_community_bad_input_names_the_field(app, client, people, api_token, govs):  # noqa: ANN001
    from plugins.monitoring.supervision.models import CommunityOrganization, CommunityReport

    headers = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    region = {"Authorization": f"Bearer {api_token(people['team'])}"}
    cases = [
        (headers, {"ubigeo": "100999"}, "ubigeo", "no es un ubigeo conocido"),
        (headers, {"ubigeo": "100101"}, "ubigeo", "fuera del territorio"),
        (headers, {"registered_on": days_ahead(3)}, "registered_on", "no puede ser una fecha futura"),
        (headers, {"kind": "club"}, "kind", "no es una opción válida"),
        (
            region,
            {"government_id": govs["huanuco"], "ubigeo": "100101"},
            "government_id",
            "las registra una municipalidad",
        ),
    ]
    for who, change, field, words in cases:
        response = client.post(f"{COMMUNITY_API}/organizations", json=_organization(govs, **change), headers=who)
        assert response.status_code == 400, (change, response.get_json())
        assert words in " ".join(response.get_json()["error"]["fields"][field]), (change, response.get_json())
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommunityOrganization)) == 0

    organization_id = client.post(
        f"{COMMUNITY_API}/organizations", json=_organization(govs), headers=headers
    ).get_json()["id"]
    for change, field, words in [
        ({"report_date": days_ahead(1)}, "report_date", "no puede ser una fecha futura"),
        ({"report_date": days_ago(400)}, "report_date", "anterior al registro de la organización"),
        ({"ubigeo": "080101"}, "ubigeo", "fuera del territorio"),
        ({"observation": ""}, "observation", ""),
    ]:
        response = client.post(f"{COMMUNITY_API}/reports", json=_report(organization_id, **change), headers=headers)
        assert response.status_code == 400, (change, response.get_json())
        assert words in " ".join(response.get_json()["error"]["fields"][field])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommunityReport)) == 0
