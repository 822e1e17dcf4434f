"""The Informe Trimestral de Seguimiento through the pages and the API: drafted with the team's comments,
bad input refused in Spanish with nothing saved, approved (the PDF issued from the dashboard, its text
asserted), sent through Submissions to the level above, meeting that quarter's deadline (working days
after the quarter's end, in Plazos for every government)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from core.testing import csrf_from, pdf_text, transition

NEW = "/seguimiento/informes-trimestrales/nuevo"
API = "/api/v1/monitoring/quarterly-reports"


def _count(app: Any) -> int:
    from core.extensions import db
    from plugins.monitoring.dashboards.models import QuarterlyReport

    with app.app_context():
        return db.session.scalar(select(func.count(QuarterlyReport.id)))


def _draft(client: Any, government_id: int, year: int, quarter: int, **extra: str) -> Any:
    data = {
        "csrf_token": csrf_from(client, NEW),
        "government_id": str(government_id),
        "year": str(year),
        "quarter": str(quarter),
        **extra,
    }
    return client.post(NEW, data=data)


def test_the_quarterly_deadline_is_in_working_days_and_in_plazos(app: Any, client: Any, people: Any) -> None:
    from core.deadlines.due_dates import calendar_for, due_date_for
    from core.deadlines.models import DeadlineRule
    from core.extensions import db
    from core.models import Government

    with app.app_context():
        rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "monitoring.quarterly_report"))
        assert (rule.kind, rule.days, rule.level) == ("quarterly", 15, "all")
        amarilis = db.session.scalar(
            select(Government).where(Government.ubigeo == "100102", Government.kind == "district")
        )
        # 15 working days after 31 March 2009: Holy Thursday and Friday (9–10 April) do not count
        assert due_date_for(rule, 2009, 1, None, calendar_for(amarilis)) == date(2009, 4, 23)
        assert due_date_for(rule, 2009, 4, None, calendar_for(amarilis)) == date(2010, 1, 22)
    people.login(client, "amarilis_team")
    assert "Informe Trimestral de Seguimiento (primer trimestre" in client.get("/plazos/").get_data(as_text=True)


def test_a_district_drafts_approves_and_sends_its_report_to_the_region(
    app: Any, client: Any, people: Any, govs: Any, huanuco_data: Any
) -> None:
    from core.deadlines.models import Deadline, DeadlineRule
    from core.extensions import db
    from core.models.submissions import Submission

    people.login(client, "amarilis_team")
    year = date.today().year + 1  # a quarter whose deadline is still ahead: sent on time
    refused = _draft(client, govs["amarilis"], year, 5)
    assert refused.status_code == 400 and "Trimestre" in refused.get_data(as_text=True)
    assert _count(app) == 0
    created = _draft(client, govs["amarilis"], year, 1, comments="La desnutrición baja en Amarilis.")
    assert created.status_code == 303
    report_id = int(created.headers["Location"].rsplit("/", 1)[1])
    again = _draft(client, govs["amarilis"], year, 1)
    assert again.status_code == 409 and "ya tiene el informe de ese trimestre" in again.get_data(as_text=True)
    assert _count(app) == 1
    page = f"/seguimiento/informes-trimestrales/{report_id}/comentarios"
    with app.app_context():
        from core.testing import version_of

        version = version_of(app, report_id)
    edited = client.post(
        page,
        data={
            "csrf_token": csrf_from(client, page),
            "version": str(version),
            "comments": "La desnutrición baja en Amarilis.",
            "difficulties": "Falta personal en los establecimientos.",
        },
    )
    assert edited.status_code == 303

    assert transition(client, app, report_id, "approve").status_code == 403  # the coordinator approves
    people.login(client, "amarilis_coord")
    assert transition(client, app, report_id, "approve").status_code in (302, 303)
    with app.app_context():
        from core.documents.models import IssuedDocument

        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == report_id))
        text = " ".join(pdf_text(document.content).split())
    assert f"INFORME TRIMESTRAL DE SEGUIMIENTO N° ITS-001-{year}-" in text
    assert "MUNICIPALIDAD DISTRITAL DE AMARILIS" in text  # the government header
    assert f"de la Municipalidad Distrital de Amarilis, correspondiente al primer trimestre de {year}" in text
    assert "que se remite al Gobierno Regional de Huánuco" in text
    # no plan goal: the national goal to 2011 (16 %) and the gap to it; no baseline: no status
    assert "2. Desnutrición crónica (< 5 años) (%) — 16 (2011) 25 2009-T2 9 Sin datos" in text
    assert "2008-T4 30 2009-T2 25" in text  # the chart's values as a table
    assert "La desnutrición baja en Amarilis." in text and "Falta personal en los establecimientos." in text
    assert "Código de verificación" in text

    people.login(client, "amarilis_team")
    assert transition(client, app, report_id, "send").status_code in (302, 303)
    with app.app_context():
        submission = db.session.scalar(select(Submission).where(Submission.government_id == govs["amarilis"]))
        assert submission.recipient_government_id == govs["huanuco"]
        assert submission.rule_key == "monitoring.quarterly_report" and submission.on_time is True
        rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "monitoring.quarterly_report"))
        deadlines = db.session.scalars(
            select(Deadline)
            .where(Deadline.rule_id == rule.id, Deadline.government_id == govs["amarilis"], Deadline.year == year)
            .order_by(Deadline.period)
        ).all()
        assert [(d.period, d.met_at is not None) for d in deadlines] == [(1, True), (2, False), (3, False), (4, False)]
    people.login(client, "team")  # the region receives it
    received = client.get(f"/envios/?view=received&year={year}").get_data(as_text=True)
    assert "Municipalidad Distrital de Amarilis" in received


def test_a_region_sends_to_the_st_cias_through_the_api(
    app: Any, client: Any, people: Any, api_token: Any, govs: Any, huanuco_data: Any
) -> None:
    from core.extensions import db
    from core.models.submissions import Submission

    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    coord = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    bad = client.post(API, json={"government_id": govs["huanuco"], "year": 2009, "quarter": "dos"}, headers=team)
    assert bad.status_code == 400 and "quarter" in bad.get_json()["error"]["fields"]
    created = client.post(API, json={"government_id": govs["huanuco"], "year": 2009, "quarter": 2}, headers=team)
    assert created.status_code == 201
    report = created.get_json()
    stale = client.patch(
        f"{API}/{report['id']}", json={"version": report["version"] + 7, "comments": "x"}, headers=team
    )
    assert stale.status_code == 409
    patched = client.patch(
        f"{API}/{report['id']}", json={"version": report["version"], "next_steps": "Visitas."}, headers=team
    )
    assert patched.status_code == 200 and patched.get_json()["next_steps"] == "Visitas."
    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    assert client.get(f"{API}/{report['id']}", headers=cusco).status_code == 404
    auditor = {"Authorization": f"Bearer {api_token(people['auditor'])}"}
    assert client.patch(f"{API}/{report['id']}", json={"version": 1}, headers=auditor).status_code == 403
    for name, headers in (("approve", coord), ("send", team)):
        version = client.get(f"{API}/{report['id']}", headers=team).get_json()["version"]
        moved = client.post(
            f"/api/v1/cases/{report['id']}/transitions/{name}", json={"version": version}, headers=headers
        )
        assert moved.status_code == 200, moved.get_json()
    with app.app_context():
        submission = db.session.scalar(select(Submission).where(Submission.government_id == govs["huanuco"]))
        assert submission.recipient_government_id is None  # the ST-CIAS
        assert submission.on_time is False  # the second quarter of 2009 is long past
    listed = client.get(API, headers=team).get_json()
    assert [item["id"] for item in listed["items"]] == [report["id"]]
