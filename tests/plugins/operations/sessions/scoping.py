"""The sessions' routes for the route matrix: (kind, method, url template) — "read" and "write" of one
record of a government, "list" (filtered by scope), "new" (a form), "create" (a record in a government):
checked by role in test_permissions.py (expectations in ``allowed``)."""

from __future__ import annotations

WEB = "/operaciones/sesiones"
API = "/api/v1/operations/sessions"

ADMIN_VIEWS = ("ops_session", "ops_session_agreement", "ops_attendance")

REQUESTS = [
    ("list", "GET", f"{WEB}/"),
    ("list", "GET", f"{WEB}/acuerdos"),
    ("list", "GET", f"{API}/sessions"),
    ("list", "GET", f"{API}/agreements"),
    ("read", "GET", f"{WEB}/{{session}}"),
    ("read", "GET", f"{API}/sessions/{{session}}"),
    ("read", "GET", f"{API}/agreements/{{agreement}}"),
    ("new", "GET", f"{WEB}/nueva"),
    ("create", "POST", f"{WEB}/nueva"),
    ("create", "POST", f"{API}/sessions"),
    ("write", "POST", f"{WEB}/{{session}}/asistencia"),
    ("write", "POST", f"{WEB}/{{session}}/acuerdos"),
    ("write", "POST", f"{WEB}/acuerdos/{{agreement}}/seguimiento"),
    ("write", "PATCH", f"{API}/sessions/{{session}}"),
    ("write", "PUT", f"{API}/sessions/{{session}}/attendance"),
    ("write", "POST", f"{API}/sessions/{{session}}/agreements"),
    ("write", "PATCH", f"{API}/agreements/{{agreement}}"),
]
RULE_PARTS = {"session": "<int:session_id>", "agreement": "<int:agreement_id>"}
API_RULE_PARTS = {"session": "<int:case_id>", "agreement": "<int:session_agreement_id>"}


def rule_of(template: str) -> str:
    return template.format(**(API_RULE_PARTS if template.startswith(API) else RULE_PARTS))


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"


#: Roles of the matrix: the records are the Huánuco region's.
ROLES = ("team", "amarilis_team", "cusco", "auditor")


def allowed(kind: str, role: str, status: int) -> bool:
    """Whether ``status`` is what ``role`` must get on a request of ``kind`` on the region's records:
    the region's team reads and writes; its municipality (Amarilis) and another region (Cusco) do not
    even see them (404); the auditor reads everything and writes nothing (403)."""
    if kind == "list":
        return status == 200
    if kind == "new":  # a blank form: whoever writes somewhere
        return status == (403 if role == "auditor" else 200)
    if role == "team":
        return status == 200 if kind == "read" else status not in (403, 404, 500)
    if role == "auditor":
        return status == (200 if kind == "read" else 403)
    return status == 404
