"""The evaluation's routes for tests/core/test_scoping.py; their behaviour by role is asserted in
test_evaluation.py (test_evaluation_scoping) and test_permissions.py."""

from __future__ import annotations

WEB = "/seguimiento/evaluaciones"
API = "/api/v1/monitoring/evaluations"

ROUTES: dict[str, str] = {
    f"{WEB}/": "plugin: list",
    f"{WEB}/<int:evaluation_id>": "plugin: write",
    API: "plugin: create",
    f"{API}/<int:case_id>": "plugin: write",
    f"{API}/<int:case_id>/appraisals/<int:result_id>": "plugin: write",
    f"{API}/<int:case_id>/adjustments/<int:indicator_id>": "plugin: write",
}
ADMIN_VIEWS: tuple[str, ...] = ("mon_plan_evaluation", "mon_result_appraisal", "mon_goal_adjustment")
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
