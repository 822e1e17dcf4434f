"""The scoping matrix: every route that shows or lists a government's records, for every role, inside and
outside the jurisdiction (Huánuco vs Cusco); every route of the app must be classified here; and the
permission rules of core.security.can() checked one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from core.admin import ScopedModelView
from core.database import writing
from core.extensions import db
from core.models import CaseTransition, Cycle, Government, Membership, ReferencePattern, User
from core.security import ADMIN, APPROVE, EDIT, READ, can, scope_for, scope_for_cli
from tests.conftest import csrf_from, login

YEAR = 2008
TARGETS = ("huanuco", "huanuco_prov", "amarilis", "cusco", "cusco_prov")
INSIDE = frozenset({"huanuco", "huanuco_prov", "amarilis"})
EVERYWHERE = frozenset(TARGETS)


@dataclass(frozen=True)
class Role:
    memberships: tuple[tuple[str, str | None], ...] | None  # None: anonymous
    reach: frozenset[str]  # targets the role may read
    edits: frozenset[str] = frozenset()  # targets whose draft cases the role may edit

    @property
    def anonymous(self) -> bool:
        return self.memberships is None

    @property
    def member(self) -> bool:
        return bool(self.memberships)


ROLES = {
    "team": Role((("team", "huanuco"),), INSIDE, frozenset({"huanuco"})),
    "coordinator": Role((("coordinator", "huanuco"),), INSIDE, frozenset({"huanuco"})),
    "regional_auditor": Role((("auditor", "huanuco"),), INSIDE),
    "provincial_team": Role(
        (("team", "huanuco_prov"),), frozenset({"huanuco_prov", "amarilis"}), frozenset({"huanuco_prov"})
    ),
    "global_auditor": Role((("auditor", None),), EVERYWHERE),
    "national": Role((("national", None),), EVERYWHERE),
    "admin": Role((("admin", None),), EVERYWHERE, EVERYWHERE),
    "no_membership": Role((), frozenset()),
    "anonymous": Role(None, frozenset()),
}


# --- the world every matrix test looks at: one case (with its cycle, a transition and a numbering pattern)
# --- in each target government -------------------------------------------------------------------------


@dataclass
class Target:
    key: str
    gov: int
    name: str
    ubigeo: str
    case: int
    cycle: int
    transition: int
    pattern: int

    @property
    def title(self) -> str:
        return f"Expediente [{self.key}]"

    @property
    def comment(self) -> str:
        return f"Comentario [{self.key}]"


@pytest.fixture
def world(app, govs) -> dict[str, Target]:  # noqa: ANN001
    from core.cases import GENERIC, create_case

    targets = {}
    with app.app_context(), writing():
        for key in TARGETS:
            gov = db.session.get(Government, govs[key])
            case = create_case(GENERIC, gov, YEAR, f"Expediente [{key}]", None, scope_for_cli(None), stage="diagnosis")
            transition = CaseTransition(
                case_id=case.id, name="submit", from_state="draft", to_state="draft", comment=f"Comentario [{key}]"
            )
            pattern = ReferencePattern(government_id=gov.id, case_type="generic", pattern=f"RP-{{seq}}-[{key}]")
            db.session.add_all([transition, pattern])
            db.session.flush()
            targets[key] = Target(key, gov.id, gov.name, gov.ubigeo, case.id, case.cycle_id, transition.id, pattern.id)
        db.session.commit()
    return targets


def signed_in(app, make_user, govs, role_name: str):  # noqa: ANN001, ANN201
    """A test client signed in with the role (none for anonymous), and the user's id."""
    role = ROLES[role_name]
    client = app.test_client()
    if role.anonymous:
        return client, None
    email = f"{role_name.replace('_', '.')}@articula.pe"
    user_id = make_user(email, *((r, govs[g] if g else None) for r, g in role.memberships))
    login(client, email)
    return client, user_id


def signed_in_client(app, make_user, govs, role_name: str):  # noqa: ANN001, ANN201
    return signed_in(app, make_user, govs, role_name)[0]


# --- routes that show one record of a government ---------------------------------------------------------

#: rule → (kind, url for a target, the text that proves the record was shown)
DETAIL_ROUTES = {
    "/gobiernos/<int:government_id>": ("web", lambda t: f"/gobiernos/{t.gov}", lambda t: t.name),
    "/api/v1/governments/<int:id>": ("api", lambda t: f"/api/v1/governments/{t.gov}", lambda t: f'"id":{t.gov}'),
    "/ciclos/<int:government_id>/<int:year>": ("web", lambda t: f"/ciclos/{t.gov}/{YEAR}", lambda t: t.title),
    "/expedientes/<int:case_id>": ("web", lambda t: f"/expedientes/{t.case}", lambda t: t.title),
    "/api/v1/cases/<int:case_id>": ("api", lambda t: f"/api/v1/cases/{t.case}", lambda t: t.title),
    "/admin/government/details/": ("admin", lambda t: f"/admin/government/details/?id={t.gov}", lambda t: t.name),
    "/admin/case/details/": ("admin", lambda t: f"/admin/case/details/?id={t.case}", lambda t: t.title),
    "/admin/cycle/details/": ("admin", lambda t: f"/admin/cycle/details/?id={t.cycle}", lambda t: t.name),
    "/admin/casetransition/details/": (
        "admin",
        lambda t: f"/admin/casetransition/details/?id={t.transition}",
        lambda t: t.comment,
    ),
    "/admin/referencepattern/details/": (
        "admin",
        lambda t: f"/admin/referencepattern/details/?id={t.pattern}",
        lambda t: f"RP-{{seq}}-[{t.key}]",
    ),
}


def text(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)  # JSON comes compact: {"id":10,...}


def expected_detail(kind: str, role: Role, reached: bool) -> tuple[int, str | None]:
    """(status, where a redirect goes) for one route kind."""
    if role.anonymous:
        return (401, None) if kind == "api" else (302, "/ingresar")
    if kind == "admin":
        if not role.member:
            return 403, None
        # Flask-Admin answers an unreachable id exactly like a missing one: back to the list.
        return (200, None) if reached else (302, "/admin/")
    return (200, None) if reached else (404, None)


@pytest.mark.parametrize("role_name", list(ROLES))
def test_detail_routes(app, make_user, govs, world, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for rule, (kind, url, marker) in DETAIL_ROUTES.items():
        for target in world.values():
            response = client.get(url(target))
            status, location = expected_detail(kind, role, target.key in role.reach)
            shown = marker(target) in text(response)
            ok = response.status_code == status and shown == (status == 200)
            if location is not None:
                ok = ok and response.headers.get("Location", "").startswith(location)
            if not ok:
                wrong.append(f"{rule} {target.key}: {response.status_code} (expected {status}), shown={shown}")
    # An id that does not exist gets the same answer as one outside the jurisdiction (so it confirms nothing).
    if role_name in ("team", "no_membership"):
        ghost = Target("ghost", 999999, "", "", 999999, 999999, 999999, 999999)
        for rule, (kind, url, _marker) in DETAIL_ROUTES.items():
            status, _location = expected_detail(kind, role, False)
            if client.get(url(ghost)).status_code != status:
                wrong.append(f"{rule} missing id: not {status}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_edit_form_route(app, make_user, govs, world):
    """GET /expedientes/<id>/editar: 200 where the role edits, 403 where it only reads, 404 elsewhere."""
    wrong = []
    for role_name, role in ROLES.items():
        if role_name not in ("team", "regional_auditor", "provincial_team", "national", "admin", "anonymous"):
            continue  # the others behave like one of these (checked in test_detail_routes)
        client = signed_in_client(app, make_user, govs, role_name)
        for target in world.values():
            response = client.get(f"/expedientes/{target.case}/editar")
            if role.anonymous:
                expected = 302
            elif target.key in role.edits:
                expected = 200
            else:
                expected = 403 if target.key in role.reach else 404
            if response.status_code != expected:
                wrong.append(f"{role_name} {target.key}: {response.status_code} (expected {expected})")
    assert not wrong, "\n" + "\n".join(wrong)


# --- routes that list records ------------------------------------------------------------------------------

#: rule → (kind, url listing a target (or all targets), text proving the target was listed)
LIST_ROUTES = {
    "/gobiernos/": ("web", lambda t: f"/gobiernos/?q={t.ubigeo}", lambda t: t.name),
    "/api/v1/governments": ("api", lambda t: f"/api/v1/governments?q={t.ubigeo}", lambda t: f'"id":{t.gov},'),
    "/admin/government/": ("admin", lambda t: f"/admin/government/?search={t.ubigeo}", lambda t: t.name),
    "/admin/government/export/<export_type>/": (
        "admin",
        lambda t: f"/admin/government/export/csv/?search={t.ubigeo}",
        lambda t: t.name,
    ),
    "/expedientes/": ("web", lambda t: "/expedientes/", lambda t: t.title),
    "/api/v1/cases": ("api", lambda t: "/api/v1/cases", lambda t: t.title),
    "/admin/case/": ("admin", lambda t: "/admin/case/", lambda t: t.title),
    "/admin/case/export/<export_type>/": ("admin", lambda t: "/admin/case/export/csv/", lambda t: t.title),
    "/admin/cycle/": ("admin", lambda t: "/admin/cycle/", lambda t: t.name),
    "/admin/cycle/export/<export_type>/": ("admin", lambda t: "/admin/cycle/export/csv/", lambda t: t.name),
    "/admin/casetransition/": ("admin", lambda t: "/admin/casetransition/", lambda t: t.comment),
    "/admin/casetransition/export/<export_type>/": (
        "admin",
        lambda t: "/admin/casetransition/export/csv/",
        lambda t: t.comment,
    ),
    "/admin/referencepattern/": ("admin", lambda t: "/admin/referencepattern/", lambda t: f"RP-{{seq}}-[{t.key}]"),
    "/admin/referencepattern/export/<export_type>/": (
        "admin",
        lambda t: "/admin/referencepattern/export/csv/",
        lambda t: f"RP-{{seq}}-[{t.key}]",
    ),
}
#: Export routes of the other scoped admin views, answered by the same query as their list.
SCOPED_ADMIN_VIEWS = ("government", "case", "cycle", "casetransition", "referencepattern")


def expected_list(kind: str, role: Role) -> int:
    if role.anonymous:
        return 401 if kind == "api" else 302
    if kind == "admin" and not role.member:
        return 403
    return 200


GOVERNMENTS_REACHED = {
    "team": 85,  # the region, its 11 provincial and 73 district municipalities
    "coordinator": 85,
    "regional_auditor": 85,
    "provincial_team": 13,  # the province and its 12 district municipalities
    "global_auditor": 1918,
    "national": 1918,
    "admin": 1918,
    "no_membership": 0,
    "anonymous": 0,
}


@pytest.mark.parametrize("role_name", list(ROLES))
def test_list_routes(app, make_user, govs, world, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for rule, (kind, url, marker) in LIST_ROUTES.items():
        pages: dict[str, object] = {}
        for target in world.values():
            path = url(target)
            response = pages.get(path) or client.get(path)
            pages[path] = response
            status = expected_list(kind, role)
            listed = marker(target) in text(response)
            should = status == 200 and target.key in role.reach
            if response.status_code != status or listed != should:
                wrong.append(f"{rule} {target.key}: {response.status_code} (expected {status}), listed={listed}")
    assert not wrong, "\n" + "\n".join(wrong)
    if role.anonymous:
        return
    # …and the totals: everything reached is counted, nothing else
    governments = client.get("/api/v1/governments?per_page=1").get_json()
    assert governments["total"] == GOVERNMENTS_REACHED[role_name]
    cases = client.get("/api/v1/cases?per_page=500").get_json()
    assert cases["total"] == len(role.reach)
    assert {c["id"] for c in cases["items"]} == {world[k].case for k in role.reach}
    page = client.get("/gobiernos/").get_data(as_text=True)
    shown = re.search(r"<p>([\d.,\s\xa0]+) (?:governments?|gobiernos?)</p>", page)
    assert shown and int(re.sub(r"\D", "", shown.group(1))) == GOVERNMENTS_REACHED[role_name]


# --- writes on a government's records ----------------------------------------------------------------------


@pytest.mark.parametrize("role_name", list(ROLES))
def test_case_writes(app, make_user, govs, world, api_token, role_name):
    """A transition (web) and an edit (API): done where the role edits, 403 where it reads, 404 elsewhere."""
    from core.models import Case

    role = ROLES[role_name]
    client, user_id = signed_in(app, make_user, govs, role_name)
    headers = {"Authorization": f"Bearer {api_token(user_id)}"} if user_id else {}
    token = csrf_from(client, "/ingresar" if role.anonymous else "/perfil")
    wrong = []
    for target in world.values():
        if role.anonymous:
            web_expected, api_expected = 302, 401
        elif target.key in role.edits:
            web_expected, api_expected = 303, 200
        elif target.key in role.reach:
            web_expected, api_expected = 403, 403
        else:
            web_expected, api_expected = 404, 404
        patch = client.patch(f"/api/v1/cases/{target.case}", json={"version": 1, "title": "Cambiado"}, headers=headers)
        web = client.post(f"/expedientes/{target.case}/transiciones/submit", data={"csrf_token": token})
        with app.app_context():
            case = db.session.get(Case, target.case)
            state, title = case.state, case.title
        changed = (state, title) == ("in_review", "Cambiado")
        untouched = (state, title) == ("draft", target.title)
        if web.status_code != web_expected or patch.status_code != api_expected:
            wrong.append(
                f"{target.key}: web {web.status_code}≠{web_expected} or api {patch.status_code}≠{api_expected}"
            )
        if not (changed if target.key in role.edits else untouched):
            wrong.append(f"{target.key}: state={state} title={title}")
    assert not wrong, "\n" + "\n".join(wrong)


# --- every other route, by category ------------------------------------------------------------------------

PUBLIC = {
    "/",
    "/health",
    "/ingresar",
    "/salir",  # signing out needs no session (and a CSRF token)
    "/idioma/<lang>",
    "/static/<path:filename>",
    "/admin/static/<path:filename>",
    "/api/v1/openapi.json",
}
#: The signed-in user's own data: nobody else's is reachable through them.
OWN_ACCOUNT = {"/perfil", "/perfil/tokens/<int:token_id>/revocar", "/api/v1/me"}
#: National reference data that every signed-in user may read.
REFERENCE = {"/api/v1/territories", "/api/v1/territories/<ubigeo>", "/api/v1/case-types"}
#: Writes on cases, each loading its case through the scoping layer (checked in test_case_writes and
#: in tests/core/test_cases.py); creating needs an editing role somewhere.
CASE_WRITES = {
    "/expedientes/nuevo",
    "/expedientes/<int:case_id>/editar",
    "/expedientes/<int:case_id>/transiciones/<name>",
    "/api/v1/cases/<int:case_id>/transitions/<name>",
}
#: Admin views by kind: scoped by government, national data readable by members, administrators only.
ADMIN_VIEWS = {
    **dict.fromkeys(SCOPED_ADMIN_VIEWS, "scoped"),
    **dict.fromkeys(
        (
            "territory",
            "catalog_institution",
            "catalog_social_program",
            "catalog_strategic_program",
            "catalog_intervention_line",
            "catalog_social_info_item",
            "catalog_key_indicator",
            "customfield",
            "workflowdefinition",
        ),
        "reference",
    ),
    **dict.fromkeys(("user", "membership", "apitoken", "loginattempt", "plugin_state", "seed_record"), "admin_only"),
}


def _plugin_classifications() -> tuple[dict[str, str], dict[str, str]]:
    """Plugins classify their own routes in tests/plugins/<name>/scoping.py (ROUTES: path → kind,
    checked by that plugin's own matrix test; ADMIN_VIEWS and REFERENCE_ADMIN_VIEWS: endpoints)."""
    import importlib
    import pkgutil

    import tests.plugins

    routes: dict[str, str] = {}
    views: dict[str, str] = {}
    for info in pkgutil.iter_modules(tests.plugins.__path__):
        try:
            module = importlib.import_module(f"tests.plugins.{info.name}.scoping")
        except ModuleNotFoundError:
            continue
        routes.update(module.ROUTES)
        views.update(dict.fromkeys(getattr(module, "ADMIN_VIEWS", ()), "scoped"))
        views.update(dict.fromkeys(getattr(module, "REFERENCE_ADMIN_VIEWS", ()), "reference"))
    return routes, views


PLUGIN_ROUTES, _PLUGIN_ADMIN_VIEWS = _plugin_classifications()
ADMIN_VIEWS.update(_PLUGIN_ADMIN_VIEWS)
ADMIN_READS = {"index_view", "details_view", "export", "ajax_lookup"}
ADMIN_WRITES = {"create_view", "edit_view", "delete_view", "action_view", "ajax_update"}


def classify(rule) -> str | None:  # noqa: ANN001
    path = rule.rule
    if path in PUBLIC:
        return "public"
    if path in PLUGIN_ROUTES:
        return PLUGIN_ROUTES[path]
    if path in DETAIL_ROUTES:
        return "matrix:detail"
    if path in LIST_ROUTES:
        return "matrix:list"
    if path in OWN_ACCOUNT:
        return "own account"
    if path in REFERENCE:
        return "reference"
    if path in CASE_WRITES or (path in ("/api/v1/cases", "/api/v1/cases/<int:case_id>") and "GET" not in rule.methods):
        return "case write"
    if path == "/admin/":
        return "admin home"
    view, _, method = rule.endpoint.partition(".")
    if view in ADMIN_VIEWS and path.startswith(f"/admin/{view}/"):
        if method in ADMIN_WRITES:
            return "admin write"
        if method == "ajax_lookup":
            return "admin lookup"
        if method in ADMIN_READS and ADMIN_VIEWS[view] != "scoped":
            return f"admin {ADMIN_VIEWS[view]}"
    return None  # including a read of a scoped admin view that the matrix does not list


def test_every_route_is_classified(app):
    """A new route must be added to this matrix (or to a category with its own test) before it ships."""
    unclassified = sorted(
        f"{rule.rule} {sorted(rule.methods - {'HEAD', 'OPTIONS'})} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if classify(rule) is None
    )
    assert unclassified == []


def test_every_scoped_admin_read_is_in_the_matrix(app):
    missing = []
    for rule in app.url_map.iter_rules():
        view, _, method = rule.endpoint.partition(".")
        if ADMIN_VIEWS.get(view) == "scoped" and method in {"index_view", "details_view", "export"}:
            if rule.rule not in DETAIL_ROUTES and rule.rule not in LIST_ROUTES and rule.rule not in PLUGIN_ROUTES:
                missing.append(rule.rule)
    assert missing == []


def test_classified_admin_views_match_the_admin(app):
    """The categories above agree with the views' own settings (admin_only, government_column)."""
    admin = app.extensions["articula.admin"]
    views = {v.endpoint: v for v in admin._views if hasattr(v, "admin_only")}
    assert set(views) == set(ADMIN_VIEWS)
    for endpoint, view in views.items():
        kind = ADMIN_VIEWS[endpoint]
        assert view.admin_only == (kind == "admin_only"), endpoint
        own_classes = type(view).__mro__[: type(view).__mro__.index(ScopedModelView)]  # below the core's base
        scoped = view.government_column is not None or any("get_query" in vars(k) for k in own_classes)
        assert scoped == (kind == "scoped") or kind == "admin_only", endpoint


def test_public_routes_answer_anonymous_users(client):
    for path in ("/", "/health", "/ingresar", "/static/css/articula.css", "/api/v1/openapi.json"):
        assert client.get(path).status_code == 200, path
    token = csrf_from(client)
    assert client.post("/idioma/en", data={"csrf_token": token}).status_code == 302
    assert client.post("/salir", data={"csrf_token": token}).status_code == 302


def test_own_account_routes(app, client, make_user, govs, api_token):
    assert client.get("/perfil").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    make_user("uno@huanuco.pe", ("team", govs["huanuco"]))
    other = make_user("dos@cusco.pe", ("team", govs["cusco"]))
    api_token(other)
    login(client, "uno@huanuco.pe")
    page = client.get("/perfil").get_data(as_text=True)
    assert "uno@huanuco.pe" in page and "dos@cusco.pe" not in page
    assert client.get("/api/v1/me").get_json()["email"] == "uno@huanuco.pe"
    with app.app_context():
        from core.models import ApiToken

        others_token = db.session.scalar(db.select(ApiToken.id).where(ApiToken.user_id == other))
    response = client.post(f"/perfil/tokens/{others_token}/revocar", data={"csrf_token": csrf_from(client, "/perfil")})
    assert response.status_code == 404


def test_reference_routes_need_a_sign_in_only(app, client, make_user, api_token):
    paths = ("/api/v1/territories?per_page=1", "/api/v1/territories/080000", "/api/v1/case-types")
    for path in paths:
        assert client.get(path).status_code == 401, path
    headers = {"Authorization": f"Bearer {api_token(make_user('sin.rol@articula.pe'))}"}
    for path in paths:
        assert client.get(path, headers=headers).status_code == 200, path


@pytest.mark.parametrize("role_name", ["anonymous", "no_membership", "team", "global_auditor", "admin"])
def test_admin_views_by_kind(app, make_user, govs, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for endpoint, kind in {**ADMIN_VIEWS, "admin": "home"}.items():
        path = "/admin/" if kind == "home" else f"/admin/{endpoint}/"
        response = client.get(path)
        if role.anonymous:
            expected = 302
        elif not role.member or (kind == "admin_only" and role_name != "admin"):
            expected = 403
        else:
            expected = 200
        if response.status_code != expected:
            wrong.append(f"{path}: {response.status_code} (expected {expected})")
        if role.anonymous and not response.headers.get("Location", "").startswith("/ingresar"):
            wrong.append(f"{path}: anonymous not sent to the login page")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("role_name", ["team", "global_auditor"])  # writes somewhere / nowhere
def test_admin_writes_are_for_administrators_only(app, make_user, govs, world, role_name):
    client = signed_in_client(app, make_user, govs, role_name)
    token = csrf_from(client, "/perfil")
    target = world["huanuco"]
    ids = {"government": target.gov, "case": target.case, "cycle": target.cycle}
    ids.update({"casetransition": target.transition, "referencepattern": target.pattern})
    wrong = []
    for endpoint in ADMIN_VIEWS:
        record = ids.get(endpoint, 1)
        for path in (
            f"/admin/{endpoint}/new/",
            f"/admin/{endpoint}/edit/?id={record}",
            f"/admin/{endpoint}/delete/",
            f"/admin/{endpoint}/action/",
            f"/admin/{endpoint}/ajax/update/",
        ):
            response = client.post(path, data={"csrf_token": token, "id": record, "rowid": record, "name": "x"})
            if response.status_code != 403:
                wrong.append(f"POST {path}: {response.status_code}")
    with app.app_context():
        assert db.session.get(Government, target.gov).name == target.name
        assert db.session.get(Cycle, target.cycle) is not None
        assert db.session.get(ReferencePattern, target.pattern).pattern == f"RP-{{seq}}-[{target.key}]"
    assert not wrong, "\n" + "\n".join(wrong)


# --- core.security.can(), rule by rule ----------------------------------------------------------------------


@pytest.fixture
def gov(ctx, govs):  # noqa: ANN001, ANN201
    return {key: db.session.get(Government, gid) for key, gid in govs.items()}


def scope_of(*memberships: tuple[str, Government | None]):  # noqa: ANN201
    user = User(email="x@x.pe", name="X", active=True)
    user.memberships = [Membership(role=role, government=g) for role, g in memberships]
    return scope_for(user)


def test_team_edits_its_own_government_only(gov):
    team = scope_of(("team", gov["huanuco"]))
    assert can(team, EDIT, gov["huanuco"])
    assert not can(team, APPROVE, gov["huanuco"])
    assert can(team, READ, gov["amarilis"]) and not can(team, EDIT, gov["amarilis"])
    assert can(team, READ, gov["huanuco_prov"]) and not can(team, EDIT, gov["huanuco_prov"])
    assert not can(team, READ, gov["cusco"]) and not can(team, EDIT, gov["cusco"])
    assert not can(team, ADMIN, gov["huanuco"])
    assert not team.read_only


def test_coordinator_approves(gov):
    coordinator = scope_of(("coordinator", gov["huanuco"]))
    assert can(coordinator, APPROVE, gov["huanuco"]) and can(coordinator, EDIT, gov["huanuco"])
    assert not can(coordinator, APPROVE, gov["amarilis"])
    assert not can(coordinator, APPROVE, gov["cusco"])


def test_auditor_never_writes(gov):
    for auditor in (scope_of(("auditor", gov["huanuco"])), scope_of(("auditor", None))):
        assert auditor.read_only
        for target in gov.values():
            for action in (EDIT, APPROVE, ADMIN):
                assert not can(auditor, action, target)
        assert can(auditor, READ, gov["huanuco"]) and can(auditor, READ, gov["amarilis"])
    assert not can(scope_of(("auditor", gov["huanuco"])), READ, gov["cusco"])
    assert can(scope_of(("auditor", None)), READ, gov["cusco"])


def test_regional_membership_reads_the_local_governments_beneath(gov, ctx):
    from sqlalchemy import select

    team = scope_of(("team", gov["huanuco"]))
    locals_of_huanuco = db.session.scalars(select(Government).where(Government.region_id == gov["huanuco"].id)).all()
    assert len(locals_of_huanuco) == 85
    assert all(can(team, READ, g) for g in locals_of_huanuco)
    assert [g.name for g in locals_of_huanuco if can(team, EDIT, g)] == ["Gobierno Regional de Huánuco"]


def test_provincial_membership_reaches_its_districts(gov, ctx):
    from sqlalchemy import select

    provincial = scope_of(("team", gov["huanuco_prov"]))
    assert can(provincial, READ, gov["amarilis"]) and not can(provincial, EDIT, gov["amarilis"])
    assert can(provincial, EDIT, gov["huanuco_prov"])
    assert not can(provincial, READ, gov["huanuco"])  # not the region above
    other_district = db.session.scalar(select(Government).where(Government.ubigeo == "100202"))  # Ambo province
    assert other_district is not None and not can(provincial, READ, other_district)
    district = scope_of(("team", gov["amarilis"]))
    assert can(district, EDIT, gov["amarilis"]) and not can(district, READ, gov["huanuco_prov"])


def test_national_reads_everything_and_writes_nothing(gov):
    national = scope_of(("national", None))
    assert national.read_only and national.everything
    assert all(can(national, READ, g) for g in gov.values())
    assert not any(can(national, action, g) for g in gov.values() for action in (EDIT, APPROVE, ADMIN))


def test_admin_does_everything(gov):
    admin = scope_of(("admin", None))
    assert all(can(admin, action, g) for g in gov.values() for action in (READ, EDIT, APPROVE, ADMIN))
    assert can(admin, ADMIN, None)


def test_national_records_are_read_by_members_only(gov):
    assert can(scope_of(("team", gov["amarilis"])), READ, None)
    assert not can(scope_of(("team", gov["amarilis"])), EDIT, None)
    assert not can(scope_of(), READ, None)
    assert not can(scope_for(None), READ, gov["huanuco"])


def test_unknown_action_is_an_error(gov):
    with pytest.raises(ValueError, match="acción desconocida"):
        can(scope_of(("admin", None)), "delete", gov["huanuco"])
