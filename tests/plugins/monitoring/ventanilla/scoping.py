"""The Ventanilla's routes for the core's route matrix: public pages (no login), staff reads and writes; each
checked by test_permissions.py."""

from __future__ import annotations

WEB = "/seguimiento/ventanilla"
API = "/api/v1/ventanilla"

ADMIN_VIEWS: tuple[str, ...] = ("mon_ventanilla_office", "mon_ventanilla_entry")

#: (kind, method, url template): "public" without login; "list" filtered by scope; "read"/"write" of one entry
#: of the Amarilis office; "office" the Amarilis office page; "new" the in-person form.
REQUESTS = [
    ("public", "GET", "/ventanilla"),
    ("public", "POST", "/ventanilla"),
    ("public", "GET", "/ventanilla/seguimiento"),
    ("public", "GET", "/ventanilla/constancia/<code>.pdf"),
    ("public", "POST", f"{API}/public/entries"),
    ("public", "GET", f"{API}/public/entries/<code>"),
    ("list", "GET", f"{WEB}/"),
    ("list", "GET", f"{API}/entries"),
    ("read", "GET", f"{WEB}/entradas/{{entry}}"),
    ("read", "GET", f"{API}/entries/{{entry}}"),
    ("office", "GET", f"{WEB}/oficinas/{{government}}"),
    ("office_write", "POST", f"{WEB}/oficinas/{{government}}"),
    ("office_write", "POST", f"{WEB}/oficinas/{{government}}/personal"),
    ("new", "GET", f"{WEB}/entradas/nueva"),
    ("new_write", "POST", f"{WEB}/entradas/nueva"),
    ("write", "POST", f"{WEB}/entradas/{{entry}}/note"),
    ("write", "POST", f"{API}/entries/{{entry}}/note"),
    ("attend_read", "GET", f"{WEB}/entradas/{{entry}}/oficio.pdf"),
    ("list", "GET", f"{WEB}/registros"),
    ("list", "GET", f"{WEB}/estadisticas"),
    ("list", "GET", f"{WEB}/exportar.{{fmt}}"),
    ("office", "GET", f"{WEB}/registros/{{government}}/{{year}}/{{quarter}}.{{fmt}}"),
    ("send", "POST", f"{WEB}/registros/{{government}}/{{year}}/{{quarter}}/enviar"),
]
RULE_PARTS = {
    "entry": "<int:entry_id>",
    "government": "<int:government_id>",
    "year": "<int:year>",
    "quarter": "<int:quarter>",
    "fmt": "<fmt>",
}
ACTION_RULES = [
    ("write", "POST", f"{WEB}/entradas/<int:entry_id>/<action>"),
    ("write", "POST", f"{API}/entries/<int:entry_id>/<action>"),
]


def rule_of(template: str) -> str:
    return template.format(**RULE_PARTS)


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if not _template.endswith("/note"):  # an instance of the <action> rules below
        ROUTES.setdefault(rule_of(_template), f"plugin: {_kind}")
for _kind, _method, _rule in ACTION_RULES:
    ROUTES[_rule] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:  # checked by test_admin.py (auditor masked and read-only, another region sees nothing)
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
