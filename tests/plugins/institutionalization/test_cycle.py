"""The yearly cycle as the home of the year's work: the current cycle reached from the dashboard
and the government's page; the Instancia is a standing body carried over into later cycles; a
new ordinance belongs to the year it is made in; create forms default to the current year."""

from __future__ import annotations

from core.extensions import db
from tests.conftest import csrf_from
from tests.plugins.institutionalization.conftest import case_id_from, make_body, version_of


def _current_year() -> int:
    from core.cycles import current_year

    return current_year()


def test_current_cycle_is_reached_from_the_dashboard_and_the_government_page(app, client, people, govs):
    year = _current_year()
    people.login(client, "team")
    cycle_url = f"/ciclos/{govs['huanuco']}/{year}"
    dashboard = client.get("/").get_data(as_text=True)
    assert f'href="{cycle_url}"' in dashboard
    assert f"Ciclo {year} de Gobierno Regional de Huánuco" in dashboard
    government = client.get(f"/gobiernos/{govs['huanuco']}").get_data(as_text=True)
    assert f'href="{cycle_url}"' in government and f"Ciclo actual ({year})" in government
    page = client.get(cycle_url).get_data(as_text=True)
    assert "ciclo actual" in page
    # the cycle page offers each case type, for this government and this year
    assert f"/expedientes/nuevo?tipo=articulation_body&amp;anio={year}&amp;gobierno={govs['huanuco']}" in page


def test_the_standing_instancia_carries_over_and_the_new_ordinance_is_filed_in_its_year(app, client, people, govs):
    from core.models import Case

    year = _current_year()
    body_id = make_body(
        app,
        govs["huanuco"],
        [("regional_president", "Ricardo Valdivia", {"role": "president"})],
        title="Instancia de Articulación Regional de Huánuco",
    )
    people.login(client, "team")

    # a second body for this year is refused, and the reason says where the year's work goes
    url = f"/expedientes/nuevo?tipo=articulation_body&anio={year}"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "government": govs["huanuco"],
            "year": year,
            "title": f"Instancia de Articulación Regional de Huánuco {year}",
            "origin": "new",
            "direction_kind": "technical_secretariat",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "IA-001-2008-GRH" in page and "que continúa de un año a otro" in page
    assert "se archiva en el ciclo del año en que se dicta" in page

    # the cycle of the current year shows the standing body under stage 1 before any case of the year
    cycle = client.get(f"/ciclos/{govs['huanuco']}/{year}").get_data(as_text=True)
    stage1 = cycle.split("1. Institucionalización")[1].split("</section>")[0]
    assert "IA-001-2008-GRH" in stage1 and "vigente desde 2008" in stage1

    # the ordinance drafted from the body's page belongs to the current year (the form's default)
    body_page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    assert f'name="year" type="number" min="2000" max="2100" value="{year}"' in body_page
    response = client.post(
        f"/institucionalizacion/instancias/{body_id}/ordenanza",
        data={"csrf_token": csrf_from(client, f"/expedientes/{body_id}"), "version": version_of(app, body_id)},
    )
    ordinance_id = case_id_from(response, 303)
    with app.app_context():
        ordinance = db.session.get(Case, ordinance_id)
        assert ordinance.year == year and ordinance.reference == f"ORD-001-{year}-GRH"
    cycle = client.get(f"/ciclos/{govs['huanuco']}/{year}").get_data(as_text=True)
    assert f"ORD-001-{year}-GRH" in cycle.split("1. Institucionalización")[1].split("</section>")[0]
    # and the 2008 cycle still shows the body as its own, without the new ordinance
    old = client.get(f"/ciclos/{govs['huanuco']}/2008").get_data(as_text=True)
    assert "IA-001-2008-GRH" in old and f"ORD-001-{year}-GRH" not in old
    assert "vigente desde" not in old

    # a year typed on the form is kept; a bad one is refused with the reason
    response = client.post(
        f"/institucionalizacion/instancias/{body_id}/ordenanza",
        data={
            "csrf_token": csrf_from(client, f"/expedientes/{body_id}"),
            "version": version_of(app, body_id),
            "year": "20x6",
        },
        follow_redirects=True,
    )
    assert "Ingrese un año entre 2000 y 2100." in response.get_data(as_text=True)


def test_create_form_defaults_to_the_current_year_or_the_cycle_it_comes_from(app, client, people, govs):
    year = _current_year()
    people.login(client, "team")
    page = client.get("/expedientes/nuevo?tipo=articulation_body").get_data(as_text=True)
    assert f'value="{year}"' in page.split('name="year"')[1][:80]
    page = client.get("/expedientes/nuevo?tipo=articulation_body&anio=2027").get_data(as_text=True)
    assert 'value="2027"' in page.split('name="year"')[1][:80]
