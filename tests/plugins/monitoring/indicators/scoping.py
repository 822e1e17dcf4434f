"""The key indicators' routes for the route matrix: (kind, method, url template) — "catalog" (the same for
everyone), "list" (filtered by scope), "read" and "write" of one measurement of the Huánuco region, "new"
(a blank form), "create" (a measurement of the region's territory), "import" (a file of such rows),
"adjust" (a target of the region): checked by role in test_permissions.py (expectations in ``allowed``)."""

from __future__ import annotations

WEB = "/seguimiento/indicadores"
API = "/api/v1/monitoring"

ADMIN_VIEWS = ("mon_measurement", "mon_measurement_revision", "mon_target")
REFERENCE_ADMIN_VIEWS = ("mon_indicator", "mon_indicator_source", "mon_national_goal")

REQUESTS = [
    ("catalog", "GET", f"{WEB}/"),
    ("catalog", "GET", f"{WEB}/2"),
    ("catalog", "GET", f"{API}/indicators"),
    ("catalog", "GET", f"{API}/indicators/2"),
    ("list", "GET", f"{WEB}/mediciones"),
    ("list", "GET", f"{API}/measurements"),
    ("list", "GET", f"{WEB}/metas"),
    ("read", "GET", f"{WEB}/mediciones/{{measurement}}"),
    ("read", "GET", f"{API}/measurements/{{measurement}}"),
    ("read", "GET", f"{API}/targets?government_id={{region}}&year=2008"),
    ("new", "GET", f"{WEB}/mediciones/nueva"),
    ("new", "GET", f"{WEB}/importar"),
    ("create", "POST", f"{WEB}/mediciones/nueva"),
    ("create", "POST", f"{API}/measurements"),
    ("import", "POST", f"{WEB}/importar"),
    ("import", "POST", f"{API}/measurements/import"),
    ("write", "POST", f"{WEB}/mediciones/{{measurement}}"),
    ("write", "PATCH", f"{API}/measurements/{{measurement}}"),
    ("adjust", "POST", f"{WEB}/metas?government_id={{region}}&year=2008"),
    ("adjust", "POST", f"{API}/targets/adjustments"),
]


def rule_of(template: str) -> str:
    path = template.partition("?")[0].replace("{measurement}", "<int:measurement_id>")
    if path in (f"{WEB}/2", f"{API}/indicators/2"):
        path = path[:-1] + "<int:number>"
    return path


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {'write' if _kind in ('adjust', 'import') else _kind}"
# the plan's routes, checked in test_targets.py (a plan's government writes; others 404, auditors 403)
ROUTES[f"{API}/plans/<int:plan_id>/targets"] = "plugin: write"
ROUTES[f"{API}/plan-indicators/<int:plan_indicator_id>/link"] = "plugin: write"
ROUTES[f"{WEB}/planes/<int:plan_id>"] = "plugin: write"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"

#: Roles of the matrix: the records are the Huánuco region's.
ROLES = ("team", "amarilis_team", "cusco", "auditor", "national")


def allowed(kind: str, role: str, status: int) -> bool:
    """Whether ``status`` is what ``role`` must get on a request of ``kind`` on the region's records:
    the region's team reads and writes; its municipality (Amarilis) and another region (Cusco) do not
    even see them (404) and may not record for the region's territory (403, or the import's report,
    400); the auditor reads everything and writes nothing (403); the national supervisor reads all and
    may record measurements anywhere (not adjust a government's targets: 403)."""
    if kind in ("catalog", "list"):
        return status == 200
    if kind == "new":
        return status == (403 if role == "auditor" else 200)
    if role == "team":
        return status in (200, 201, 303)
    if role == "auditor":
        return status == (200 if kind == "read" else 403)
    if role == "national":
        if kind == "adjust":
            return status == 403
        return status in (200, 201, 303)
    if kind == "read" or kind == "write" or kind == "adjust":
        return status == 404
    if kind == "create":
        return status == 403
    return status == 400  # import: each row names the territory the user may not record for
