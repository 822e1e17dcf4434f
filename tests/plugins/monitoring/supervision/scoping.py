"""Supervision and community monitoring routes for the route matrix: (kind, method, url template) — "read"
and "write" of one record of a government, "list" (filtered by scope), "new" (a form), "create" (a record in
a government), "catalog" (the national fichas, read by everyone signed in): checked by role in
test_permissions.py (expectations in ``allowed``)."""

from __future__ import annotations

WEB = "/seguimiento/supervision"
COMMUNITY = "/seguimiento/vigilancia-comunitaria"
API = "/api/v1/monitoring/supervision"
COMMUNITY_API = "/api/v1/monitoring/community"

ADMIN_VIEWS = ("mon_supervision_visit", "mon_visit_finding", "mon_community_org", "mon_community_report")
REFERENCE_ADMIN_VIEWS = ("mon_checklist", "mon_checklist_item")

REQUESTS = [
    ("list", "GET", f"{WEB}/"),
    ("catalog", "GET", f"{WEB}/fichas"),
    ("catalog", "GET", f"{API}/checklists"),
    ("catalog", "GET", f"{API}/checklists/{{checklist}}"),
    ("read", "GET", f"{WEB}/fichas/{{checklist}}/ficha.pdf?government={{government}}"),
    ("read", "GET", f"{WEB}/informe?government={{government}}"),
    ("read", "GET", f"{WEB}/informe.pdf?government={{government}}"),
    ("list", "GET", f"{API}/visits"),
    ("list", "GET", f"{API}/findings"),
    ("read", "GET", f"{WEB}/visitas/{{visit}}"),
    ("read", "GET", f"{API}/visits/{{visit}}"),
    ("new", "GET", f"{WEB}/visitas/nueva"),
    ("create", "POST", f"{WEB}/visitas/nueva"),
    ("create", "POST", f"{API}/visits"),
    ("write", "POST", f"{WEB}/visitas/{{visit}}/respuestas"),
    ("write", "POST", f"{WEB}/visitas/{{visit}}/datos"),
    ("write", "PATCH", f"{API}/visits/{{visit}}"),
    ("write", "POST", f"{WEB}/visitas/{{visit}}/hallazgos"),
    ("write", "POST", f"{WEB}/hallazgos/{{finding}}/seguimiento"),
    ("write", "PUT", f"{API}/visits/{{visit}}/answers"),
    ("write", "POST", f"{API}/visits/{{visit}}/findings"),
    ("write", "PATCH", f"{API}/findings/{{finding}}"),
    ("write", "POST", f"{WEB}/fichas/{{checklist}}/emitir?government={{government}}"),
    ("write", "POST", f"{WEB}/informe/emitir?government={{government}}"),
    ("write", "POST", f"{API}/checklists/{{checklist}}/issue"),
    ("write", "POST", f"{API}/report/issue"),
    ("list", "GET", f"{COMMUNITY}/"),
    ("list", "GET", f"{COMMUNITY_API}/organizations"),
    ("list", "GET", f"{COMMUNITY_API}/reports"),
    ("local_read", "GET", f"{COMMUNITY}/organizaciones/{{organization}}"),
    ("local_read", "GET", f"{COMMUNITY}/reportes/{{report}}"),
    ("local_read", "GET", f"{COMMUNITY_API}/organizations/{{organization}}"),
    ("local_read", "GET", f"{COMMUNITY_API}/reports/{{report}}"),
    ("local_new", "GET", f"{COMMUNITY}/organizaciones/nueva"),
    ("local_create", "POST", f"{COMMUNITY}/organizaciones/nueva"),
    ("local_create", "POST", f"{COMMUNITY_API}/organizations"),
    ("local_write", "POST", f"{COMMUNITY}/organizaciones/{{organization}}/reportes"),
    ("local_write", "POST", f"{COMMUNITY_API}/reports"),
    ("local_write", "POST", f"{COMMUNITY}/reportes/{{report}}/consolidar"),
    ("local_write", "POST", f"{COMMUNITY}/reportes/{{report}}/acciones/supervision_visit"),
    ("local_write", "POST", f"{COMMUNITY_API}/reports/{{report}}/consolidate"),
    ("local_write", "POST", f"{COMMUNITY_API}/reports/{{report}}/actions/supervision_visit"),
]
RULE_PARTS = {
    "visit": "<int:visit_id>",
    "finding": "<int:finding_id>",
    "checklist": "<int:checklist_id>",
    "organization": "<int:organization_id>",
    "report": "<int:report_id>",
    "government": "",
}


def rule_of(template: str) -> str:
    path = template.split("?")[0]
    path = path.replace("/acciones/supervision_visit", "/acciones/<key>").replace(
        "/actions/supervision_visit", "/actions/<key>"
    )
    return path.format(**RULE_PARTS)


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"


#: Roles of the matrix: visits are the Huánuco region's; organizations and reports are Amarilis's.
ROLES = ("team", "amarilis_team", "cusco", "auditor")


def allowed(kind: str, role: str, status: int) -> bool:
    """Whether ``status`` is what ``role`` must get on a request of ``kind``.

    Visits (the region's): the region's team reads and writes; its municipality (Amarilis) and another
    region (Cusco) get 404; the auditor reads everything and writes nothing (403). Community records
    (Amarilis's, "local_…"): Amarilis's team reads and writes, the region reads them (403 on writes),
    Cusco gets 404, the auditor reads and gets 403. The national fichas are read by everyone signed in.
    """
    if kind in ("list", "catalog"):
        return status == 200
    if kind == "new":
        return status == (403 if role == "auditor" else 200)
    if kind == "local_new":  # a blank form: whoever writes somewhere
        return status == (403 if role == "auditor" else 200)
    if kind == "local_read":
        return status == (404 if role == "cusco" else 200)
    if kind.startswith("local_"):
        if role == "amarilis_team":
            return status not in (403, 404, 500)
        return status == (404 if role == "cusco" else 403)
    if role == "team":
        return status == 200 if kind == "read" else status not in (403, 404, 500)
    if role == "auditor":
        return status == (200 if kind == "read" else 403)
    return status == 404
