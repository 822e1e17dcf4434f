"""Every route of the Ventanilla by role (scoping.py): public pages answer without login; the Amarilis office's
staff reads and acts on its entries; the region reads them (its local office) but does not act; another region
gets 404; the auditor reads and gets 403 on every write."""

from __future__ import annotations

from typing import Any

from core.testing import route_matrix
from tests.plugins.monitoring.ventanilla import scoping
from tests.plugins.monitoring.ventanilla.conftest import AMARILIS
from tests.plugins.monitoring.ventanilla.test_public import _code

ROLES = ("amarilis_team", "team", "cusco", "auditor")
#: kind → role → the statuses it may get
EXPECTED = {
    "list": {"amarilis_team": {200}, "team": {200}, "cusco": {200}, "auditor": {200}},
    "read": {"amarilis_team": {200}, "team": {200}, "cusco": {404}, "auditor": {200}},
    "office": {"amarilis_team": {200}, "team": {200}, "cusco": {404}, "auditor": {200}},
    "office_write": {"amarilis_team": {403}, "team": {403}, "cusco": {403, 404}, "auditor": {403}},
    "new": {"amarilis_team": {200}, "team": {200}, "cusco": {403}, "auditor": {403}},
    "new_write": {"amarilis_team": {303}, "team": {403}, "cusco": {403}, "auditor": {403}},
    "write": {"amarilis_team": {200, 303}, "team": {403}, "cusco": {404}, "auditor": {403}},
    "send": {"amarilis_team": {303}, "team": {403}, "cusco": {404}, "auditor": {403}},
    "attend_read": {"amarilis_team": {200}, "team": {403}, "cusco": {404}, "auditor": {403}},
}


def test_every_staff_route_by_role(
    app: Any, client: Any, people: Any, api_token: Any, offices: Any, govs: dict[str, int], submit: Any
) -> None:
    from plugins.monitoring.ventanilla.codes import normalize

    code = _code(submit())
    from sqlalchemy import select

    from core.extensions import db
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context():
        entry_id = db.session.scalar(select(VentanillaEntry.id).where(VentanillaEntry.code == normalize(code)))
        institution = db.session.execute(db.text("SELECT min(id) FROM institution")).scalar()
    run_ids = {"entry": entry_id, "government": govs["amarilis"], "year": 2026, "quarter": 3, "fmt": "xlsx"}
    requests = [
        (kind, method, template.format(**run_ids)) for kind, method, template in scoping.REQUESTS if kind != "public"
    ]
    # the oficio exists once referred
    people.login(client, "amarilis_team")
    from core.testing import csrf_from

    token = csrf_from(client, f"{scoping.WEB}/entradas/{entry_id}")
    client.post(f"{scoping.WEB}/entradas/{entry_id}/refer", data={"csrf_token": token, "institution_id": institution})
    valid = {
        f"{scoping.WEB}/entradas/nueva": {
            "office_id": offices["amarilis"],
            "channel": "in_person",
            "kind": "consulta",
            "place": AMARILIS,
            "description": "Consulta presencial.",
        },
        f"{scoping.WEB}/entradas/{entry_id}/note": {"text": "Nota."},
        f"{scoping.API}/entries/{entry_id}/note": {"text": "Nota."},
    }
    result = route_matrix(
        client,
        people,
        ROLES,
        [(m, u) for _, m, u in requests],
        data=lambda method, url: valid.get(url, {}) if method != "GET" else {},
        api_token=api_token,
    )
    wrong = [
        f"{role} {method} {url}: {status}"
        for role, statuses in result.items()
        for (kind, method, url), status in zip(requests, statuses, strict=True)
        if status not in EXPECTED[kind][role]
    ]
    assert wrong == []


def test_public_routes_answer_without_login(client: Any, offices: Any, submit: Any) -> None:
    code = _code(submit())
    assert client.get("/ventanilla").status_code == 200
    assert client.get(f"/ventanilla/seguimiento?codigo={code}").status_code == 200
    assert client.get(f"/ventanilla/constancia/{code}.pdf").status_code == 200
    assert client.get(f"{scoping.API}/public/entries/{code}").status_code == 200
    assert client.get(f"{scoping.WEB}/").status_code == 302  # staff pages: to the login page
    assert client.get(f"{scoping.API}/entries").status_code == 401


def test_every_ventanilla_route_is_classified(app: Any) -> None:
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("ventanilla.", "ventanilla_public."))
        or rule.rule.startswith(scoping.API)
        # the admin's scoped reads (its writes are the core matrix's: administrators only)
        or rule.endpoint in {f"{v}.{m}" for v in scoping.ADMIN_VIEWS for m in ("index_view", "details_view", "export")}
    }
    assert rules == set(scoping.ROUTES)
