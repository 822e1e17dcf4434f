"""Admin views of the quarterly reports and the yearly evaluations (with their appraisals and goal adjustments):
the auditor browses everything, read-only; a government's team sees its own, another region nothing."""

from __future__ import annotations

from typing import Any

VIEWS = ("mon_quarterly_report", "mon_plan_evaluation", "mon_result_appraisal", "mon_goal_adjustment")


def _records(client: Any, people: Any, api_token: Any, govs: Any, approved_plan: Any) -> dict[str, Any]:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    report = client.post(
        "/api/v1/monitoring/quarterly-reports",
        json={"government_id": govs["huanuco"], "year": 2008, "quarter": 2, "comments": "Comentario del trimestre"},
        headers=team,
    )
    assert report.status_code == 201, report.get_json()
    evaluation = client.post("/api/v1/monitoring/evaluations", json={"plan_id": approved_plan["plan"]}, headers=team)
    assert evaluation.status_code == 201
    case = evaluation.get_json()
    base = f"/api/v1/monitoring/evaluations/{case['id']}"
    appraisal = client.put(
        f"{base}/appraisals/{approved_plan['result']}",
        json={"version": case["version"], "efficacy": "Eficacia alta en Llicua"},
        headers=team,
    )
    assert appraisal.status_code == 200, appraisal.get_json()
    version = client.get(base, headers=team).get_json()["version"]
    adjusted = client.put(
        f"{base}/adjustments/{approved_plan['indicator']}",
        json={"version": version, "target": "21", "justification": "Justificación del ajuste en Llicua"},
        headers=team,
    )
    assert adjusted.status_code == 200, adjusted.get_json()
    return {"report": report.get_json(), "evaluation": case}


def test_the_auditor_reads_reports_and_evaluations_in_the_admin_and_writes_nothing(
    app: Any, client: Any, people: Any, api_token: Any, govs: Any, approved_plan: Any
) -> None:
    records = _records(client, people, api_token, govs, approved_plan)
    expected = {
        "mon_quarterly_report": records["report"]["reference"],
        "mon_plan_evaluation": records["evaluation"]["reference"],
        "mon_result_appraisal": "Eficacia alta en Llicua",
        "mon_goal_adjustment": "Justificación del ajuste en Llicua",
    }
    for role, sees in (
        ("auditor", True),
        ("team", True),
        ("national", True),
        ("cusco", False),
        ("amarilis_team", False),
    ):
        people.login(client, role)
        for view in VIEWS:
            page = client.get(f"/admin/{view}/")
            assert page.status_code == 200, (role, view)
            assert (expected[view] in page.get_data(as_text=True)) == sees, (role, view)
    people.login(client, "auditor")
    report_id, evaluation_id = records["report"]["id"], records["evaluation"]["id"]
    details = client.get(f"/admin/mon_plan_evaluation/details/?id={evaluation_id}")
    assert details.status_code == 200 and "Plan Articulado Regional de Huánuco" in details.get_data(as_text=True)
    export = client.get("/admin/mon_quarterly_report/export/csv/")
    assert export.status_code == 200 and records["report"]["reference"] in export.get_data(as_text=True)
    # read-only for everyone, the auditor included: no create, edit or delete
    for view, record_id in (("mon_quarterly_report", report_id), ("mon_plan_evaluation", evaluation_id)):
        assert client.get(f"/admin/{view}/new/").status_code in (302, 403, 404)
        assert client.get(f"/admin/{view}/edit/?id={record_id}").status_code in (302, 403, 404)
        deleted = client.post(f"/admin/{view}/delete/", data={"id": record_id})
        assert deleted.status_code in (302, 400, 403, 404)
    people.login(client, "cusco")
    assert client.get(f"/admin/mon_plan_evaluation/details/?id={evaluation_id}").status_code in (302, 404)
    from core.extensions import db
    from plugins.monitoring.dashboards.models import QuarterlyReport
    from plugins.monitoring.evaluation.models import PlanEvaluation

    with app.app_context():
        assert db.session.get(QuarterlyReport, report_id) is not None
        assert db.session.get(PlanEvaluation, evaluation_id) is not None
