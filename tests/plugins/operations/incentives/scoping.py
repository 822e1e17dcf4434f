"""The contests' routes for the route matrix: (kind, method, url template) — "list", "read" and "write"
of one record of the region, "new" (a form), "create" (a record in a government), "juror" (a juror's
own act): checked by role in test_permissions.py (expectations in ``allowed``)."""

from __future__ import annotations

WEB = "/operaciones/concursos"
API = "/api/v1/operations/contests"

ADMIN_VIEWS = ("ops_contest", "ops_contest_application", "ops_contest_juror", "ops_contest_score")

REQUESTS = [
    ("list", "GET", f"{WEB}/"),
    ("list", "GET", f"{API}"),
    ("read", "GET", f"{WEB}/{{contest}}"),
    ("read", "GET", f"{API}/{{contest}}"),
    ("read", "GET", f"{API}/applications/{{application}}"),
    ("new", "GET", f"{WEB}/nuevo"),
    ("create", "POST", f"{WEB}/nuevo"),
    ("create", "POST", f"{API}"),
    ("write", "POST", f"{WEB}/{{contest}}/criterios"),
    ("write", "POST", f"{WEB}/{{contest}}/premios"),
    ("write", "POST", f"{WEB}/{{contest}}/jurados"),
    ("write", "POST", f"{WEB}/{{contest}}/postulaciones"),
    ("write", "PATCH", f"{API}/{{contest}}"),
    ("write", "PUT", f"{API}/{{contest}}/criteria"),
    ("write", "PUT", f"{API}/{{contest}}/prizes"),
    ("write", "POST", f"{API}/{{contest}}/jurors"),
    ("write", "POST", f"{API}/{{contest}}/applications"),
    ("juror", "POST", f"{WEB}/{{contest}}/declaracion"),
    ("juror", "POST", f"{WEB}/postulaciones/{{application}}/calificacion"),
    ("juror", "POST", f"{API}/{{contest}}/declaration"),
    ("juror", "PUT", f"{API}/applications/{{application}}/scores"),
]
RULE_PARTS = {"contest": "<int:contest_id>", "application": "<int:application_id>"}


def rule_of(template: str) -> str:
    return template.format(**RULE_PARTS)


ROUTES: dict[str, str] = {}
for _kind, _method, _template in REQUESTS:
    if ROUTES.get(rule_of(_template)) not in ("plugin: write", "plugin: create"):
        ROUTES[rule_of(_template)] = f"plugin: {_kind}"
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"


#: Roles of the matrix: the contest is the Huánuco region's (no municipality has applied to it).
ROLES = ("team", "amarilis_team", "cusco", "auditor")


def allowed(kind: str, role: str, status: int) -> bool:
    """Whether ``status`` is what ``role`` must get on a request of ``kind`` on the region's contest:
    the region's team reads and writes (its member designates herself a juror on the way, so the juror's
    acts answer her by the contest's state, not 403); a municipality that has not applied (Amarilis) and
    another region (Cusco) do not even see it (404); the auditor reads everything and writes nothing (403).
    A non-juror's 403 on the juror's acts is test_contests.py's."""
    if kind == "list":
        return status == 200
    if kind == "new":  # a blank form: whoever writes somewhere
        return status == (403 if role == "auditor" else 200)
    if role == "team":
        return status == 200 if kind == "read" else status not in (403, 404, 500)
    if kind == "juror" and role == "auditor":
        return status == 403
    if role == "auditor":
        return status == (200 if kind == "read" else 403)
    return status == 404
