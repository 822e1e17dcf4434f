"""The dashboards' routes for the route matrix: (method, url template) with the status each role gets,
checked in test_permissions.py; ROUTES classifies them for tests/core/test_scoping.py."""

from __future__ import annotations

WEB = "/seguimiento"
API = "/api/v1/monitoring"

ROLES = ("team", "amarilis_team", "cusco", "auditor", "national")
OK, MOVED, CREATED, SAVED = 200, 302, 201, 303

#: (kind, method, url template, {role: status}); ``region`` is Huánuco's government, ``report`` a report
#: of it. A region reads its own, not another's (404); the ST-CIAS and auditors read all, write nothing.
REQUESTS = [
    ("index", "GET", f"{WEB}/", {"team": OK, "amarilis_team": OK, "cusco": OK, "auditor": MOVED, "national": MOVED}),
    (
        "read",
        "GET",
        f"{WEB}/gobierno/{{region}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": OK, "national": OK},
    ),
    (
        "read",
        "GET",
        f"{WEB}/region/{{region}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": OK, "national": OK},
    ),
    (
        "national",
        "GET",
        f"{WEB}/nacional",
        {"team": 403, "amarilis_team": 403, "cusco": 403, "auditor": OK, "national": OK},
    ),
    (
        "national",
        "GET",
        f"{WEB}/nacional.csv",
        {"team": 403, "amarilis_team": 403, "cusco": 403, "auditor": OK, "national": OK},
    ),
    ("list", "GET", f"{WEB}/informes-trimestrales", dict.fromkeys(ROLES, OK)),
    (
        "new",
        "GET",
        f"{WEB}/informes-trimestrales/nuevo",
        {"team": OK, "amarilis_team": OK, "cusco": OK, "auditor": 403, "national": 403},
    ),
    (
        "create",
        "POST",
        f"{WEB}/informes-trimestrales/nuevo",
        {"team": SAVED, "amarilis_team": 404, "cusco": 404, "auditor": 403, "national": 403},
    ),
    (
        "read",
        "GET",
        f"{WEB}/informes-trimestrales/{{report}}/comentarios",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": 403, "national": 403},
    ),
    (
        "write",
        "POST",
        f"{WEB}/informes-trimestrales/{{report}}/comentarios",
        {"team": SAVED, "amarilis_team": 404, "cusco": 404, "auditor": 403, "national": 403},
    ),
    (
        "read",
        "GET",
        f"{API}/dashboards/governments/{{region}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": OK, "national": OK},
    ),
    (
        "read",
        "GET",
        f"{API}/dashboards/regions/{{region}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": OK, "national": OK},
    ),
    (
        "national",
        "GET",
        f"{API}/dashboards/national",
        {"team": 403, "amarilis_team": 403, "cusco": 403, "auditor": OK, "national": OK},
    ),
    ("list", "GET", f"{API}/quarterly-reports", dict.fromkeys(ROLES, OK)),
    (
        "create",
        "POST",
        f"{API}/quarterly-reports",
        {"team": CREATED, "amarilis_team": 404, "cusco": 404, "auditor": 403, "national": 403},
    ),
    (
        "read",
        "GET",
        f"{API}/quarterly-reports/{{report}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": OK, "national": OK},
    ),
    (
        "write",
        "PATCH",
        f"{API}/quarterly-reports/{{report}}",
        {"team": OK, "amarilis_team": 404, "cusco": 404, "auditor": 403, "national": 403},
    ),
]
RULE_PARTS = {"region": "<int:government_id>", "report": "<int:report_id>"}
API_RULE_PARTS = {"region": "<int:government_id>", "report": "<int:case_id>"}
ADMIN_VIEWS: tuple[str, ...] = ("mon_quarterly_report",)


def rule_of(template: str) -> str:
    return template.format(**(API_RULE_PARTS if template.startswith(API) else RULE_PARTS))


ROUTES: dict[str, str] = {}
for _kind, _method, _template, _statuses in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
