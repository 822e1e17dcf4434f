"""axe-core on the main pages and the admin pages, as an auditor and a regional team see them:
no serious and no critical violation."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP, serious_axe_violations, sign_in
from tests.conftest import PASSWORD, login
from tests.plugins.diagnosis.conftest import create_case_web

# The home, a list of each kind (plain, with filters and codes, huge, plugin) and a details page: they
# share one layout (templates/admin/base.html, core/static/css/admin.css), so these stand for all.
ADMIN_PAGES = [
    "/admin/",
    "/admin/government/?search=Hu%C3%A1nuco",
    "/admin/case/",
    "/admin/submission/",
    "/admin/auditevent/",
    "/admin/dx_activity/",
]


def test_admin_pages_have_no_serious_accessibility_violations(
    app, client, browser, live_server, page_at, make_user, govs
):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "Plan Articulado Regional 2008")
    page = page_at(DESKTOP)
    sign_in(page, live_server, "auditor@huanuco.pe", PASSWORD)
    problems = {}
    for path in [*ADMIN_PAGES, f"/admin/case/details/?id={plan_id}"]:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        found = serious_axe_violations(page)
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in problems.items())


def test_main_pages_have_no_serious_accessibility_violations(
    app, client, browser, live_server, page_at, make_user, govs
):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    plan_id = create_case_web(client, "articulated_plan", govs["huanuco"], "Plan Articulado Regional 2008")
    diagnosis_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico regional 2008")
    page = page_at(DESKTOP)
    sign_in(page, live_server, "equipo@huanuco.pe", PASSWORD)
    problems = {}
    for path in [
        "/",
        "/expedientes/",
        "/plazos/",
        "/envios/",
        "/institucionalizacion/",
        f"/expedientes/{plan_id}",
        f"/planes/{plan_id}/matriz",
        f"/diagnosticos/{diagnosis_id}/actores",
        "/expedientes/nuevo?tipo=articulation_body",
    ]:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        found = serious_axe_violations(page)
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in problems.items())
