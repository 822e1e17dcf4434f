"""Classification of the agreements' routes: (kind, method, url of the Huánuco convenio) for the core's
route matrix and for this sub-area's own role matrix (test_permissions.py)."""

from __future__ import annotations

WEB = "/operaciones"
API = "/api/v1/operations"

ADMIN_VIEWS = ("ops_agreement", "ops_commitment")

#: Kinds: "list" (filtered by scope), "read" (one record), "write", "index" (the root page, no records).
REQUESTS = [
    ("index", "GET", f"{WEB}/"),
    ("list", "GET", f"{WEB}/convenios/"),
    ("list", "GET", f"{API}/agreements"),
    ("read", "GET", f"{WEB}/convenios/{{agreement}}"),
    ("read", "GET", f"{API}/agreements/{{agreement}}"),
    ("read", "GET", f"{API}/agreements/{{agreement}}/documents"),
    ("write", "GET", f"{WEB}/convenios/nuevo"),
    ("write", "POST", f"{WEB}/convenios/nuevo"),
    ("write", "GET", f"{WEB}/convenios/{{agreement}}/editar"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/editar"),
    ("write", "GET", f"{WEB}/convenios/{{agreement}}/metas/nueva"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/metas/nueva"),
    ("write", "GET", f"{WEB}/convenios/{{agreement}}/compromisos/nuevo"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/compromisos/nuevo"),
    ("write", "GET", f"{WEB}/convenios/{{agreement}}/apoyos/nuevo"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/apoyos/nuevo"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/aceptar"),
    ("write", "POST", f"{WEB}/convenios/{{agreement}}/avances"),
    ("write", "POST", f"{WEB}/convenios/compromisos/{{commitment}}/cumplido"),
    ("write", "POST", f"{API}/agreements"),
    ("write", "PATCH", f"{API}/agreements/{{agreement}}"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/goals"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/commitments"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/supports"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/reports"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/accept"),
    ("write", "POST", f"{API}/agreements/{{agreement}}/transitions/{{name}}"),
    ("write", "POST", f"{API}/commitments/{{commitment}}/fulfil"),
    ("write", "POST", f"{API}/commitments/{{commitment}}/evidence"),
    ("write", "POST", f"{WEB}/convenios/compromisos/{{commitment}}/evidencia"),
]
RULE_PARTS = {"agreement": "<int:agreement_id>", "commitment": "<int:commitment_id>", "name": "<name>"}


def rule_of(template: str) -> str:
    return template.format(**RULE_PARTS)


#: path → kind, as the core's matrix reads it (a path with a read and a write is a write: stricter).
ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) != "plugin: write":
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
