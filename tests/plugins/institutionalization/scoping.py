"""Classification of the institutionalization plugin's routes for the core's route matrix
(tests/core/test_scoping.py): each route → the kind of check test_permissions.py runs on it for every
role, inside and outside the jurisdiction."""

from __future__ import annotations

WEB = "/institucionalizacion"
API = "/api/v1/institutionalization"

#: Scoped admin views (browsed in scope, never written there); the member categories are a catalog.
ADMIN_VIEWS = ("inst_body", "inst_member", "inst_ordinance", "inst_clause")
REFERENCE_ADMIN_VIEWS = ("inst_member_category",)

#: (kind, method, url of the Huánuco records). Kinds: "read" and "write" of one record of a government
#: (checked by role in test_permissions.py), "pdf" (a read rendered through the documents subsystem),
#: "list" (filtered by scope, checked in the list tests), "reference" (national data). Destructive
#: writes come last: the matrix runs them in this order.
REQUESTS = [
    ("list", "GET", f"{WEB}/"),
    ("list", "GET", f"{API}/bodies"),
    ("reference", "GET", f"{API}/member-categories"),
    ("read", "GET", f"{WEB}/instancias/{{body}}/relacion"),
    ("pdf", "GET", f"{WEB}/instancias/{{body}}/relacion.pdf"),
    ("pdf", "GET", f"{WEB}/miembros/{{member}}/credencial.pdf"),
    ("read", "GET", f"{API}/bodies/{{body}}"),
    ("read", "GET", f"{API}/bodies/{{body}}/members"),
    ("read", "GET", f"{API}/bodies/{{body}}/roster"),
    ("read", "GET", f"{API}/members/{{member}}"),
    ("write", "GET", f"{WEB}/instancias/{{body}}/miembros/nuevo"),
    ("write", "POST", f"{WEB}/instancias/{{body}}/miembros/nuevo"),
    ("write", "GET", f"{WEB}/miembros/{{member}}/editar"),
    ("write", "POST", f"{WEB}/miembros/{{member}}/editar"),
    ("write", "GET", f"{WEB}/ordenanzas/{{ordinance}}/clausulas/nueva"),
    ("write", "POST", f"{WEB}/ordenanzas/{{ordinance}}/clausulas/nueva"),
    ("write", "GET", f"{WEB}/clausulas/{{clause}}/editar"),
    ("write", "POST", f"{WEB}/clausulas/{{clause}}/editar"),
    ("write", "POST", f"{WEB}/clausulas/{{clause}}/mover"),
    ("write", "POST", f"{WEB}/ordenanzas/{{ordinance}}/actualizar-articulos"),
    ("write", "POST", f"{WEB}/instancias/{{body}}/ordenanza"),
    ("write", "PATCH", f"{API}/bodies/{{body}}"),
    ("write", "POST", f"{API}/bodies/{{body}}/members"),
    ("write", "PATCH", f"{API}/members/{{member}}"),
    ("write", "POST", f"{API}/bodies/{{body}}/ordinances"),
    ("write", "PATCH", f"{API}/ordinances/{{ordinance}}"),
    ("write", "POST", f"{API}/ordinances/{{ordinance}}/clauses"),
    ("write", "PATCH", f"{API}/clauses/{{clause}}"),
    ("write", "POST", f"{API}/clauses/{{clause}}/move"),
    ("write", "POST", f"{API}/ordinances/{{ordinance}}/refresh-articles"),
    ("write", "POST", f"{WEB}/clausulas/{{clause}}/eliminar"),
    ("write", "DELETE", f"{API}/clauses/{{clause2}}"),
    ("write", "POST", f"{WEB}/miembros/{{member}}/eliminar"),
    ("write", "DELETE", f"{API}/members/{{member2}}"),
]
#: How each placeholder appears in the Flask rule.
RULE_PARTS = {
    "body": "<int:case_id>",
    "ordinance": "<int:case_id>",
    "member": "<int:member_id>",
    "member2": "<int:member_id>",
    "clause": "<int:clause_id>",
    "clause2": "<int:clause_id>",
}


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
