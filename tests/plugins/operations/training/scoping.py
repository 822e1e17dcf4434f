"""Training's routes for the route matrix: (kind, method, url template) — "read" and "write" of one record
of a government, "list" (filtered by scope), "new" (a form), "create" (a record in a government):
checked by role in test_permissions.py (expectations in ``sessions.scoping.allowed``)."""

from __future__ import annotations

WEB = "/operaciones/capacitacion"
API = "/api/v1/operations/training"

ADMIN_VIEWS = ("ops_training_event", "ops_comm_plan", "ops_comm_action")

REQUESTS = [
    ("list", "GET", f"{WEB}/"),
    ("list", "GET", f"{API}/events"),
    ("read", "GET", f"{WEB}/planes/{{plan}}"),
    ("read", "GET", f"{API}/events/{{event}}"),
    ("read", "GET", f"{API}/plans/{{plan}}"),
    ("new", "GET", f"{WEB}/eventos/nuevo"),
    ("create", "POST", f"{WEB}/eventos/nuevo"),
    ("new", "GET", f"{WEB}/planes/nuevo"),
    ("create", "POST", f"{WEB}/planes/nuevo"),
    ("write", "POST", f"{WEB}/planes/{{plan}}"),
    ("create", "POST", f"{API}/events"),
    ("write", "PATCH", f"{API}/events/{{event}}"),
    ("create", "POST", f"{API}/plans"),
    ("write", "POST", f"{API}/plans/{{plan}}/actions"),
]
RULE_PARTS = {"event": "<int:case_id>", "plan": "<int:plan_id>"}
API_RULE_PARTS = {"event": "<int:case_id>", "plan": "<int:case_id>"}


def rule_of(template: str) -> str:
    return template.format(**(API_RULE_PARTS if template.startswith(API) else RULE_PARTS))


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
