"""Issue 12, point 23: drop-downs tell same-named territories apart, names sort the Spanish way,
downloaded files are named in Spanish, the site has a favicon, and a transition form says what the
next step will require."""

from __future__ import annotations

from sqlalchemy import select

from core.collation import sorted_spanish, spanish_key
from core.extensions import db
from tests.conftest import login
from tests.plugins.diagnosis.conftest import create_case_web


def test_spanish_order_puts_accents_with_their_letter_and_enie_after_n():
    names = ["Ñuñoa", "Oyón", "Zorritos", "Ámbar", "nunca", "Nuñez", "Huánuco", "Huacaybamba", "Acobamba"]
    assert sorted(names, key=spanish_key) == [
        "Acobamba",
        "Ámbar",
        "Huacaybamba",
        "Huánuco",
        "nunca",
        "Nuñez",
        "Ñuñoa",
        "Oyón",
        "Zorritos",
    ]


def test_same_named_territories_are_told_apart_in_drop_downs(app, client, make_user, govs):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico regional 2008")
    page = client.get(f"/diagnosticos/{case_id}/lineas-de-base").get_data(as_text=True)
    options = page[page.index('<select id="territory"') : page.index("</select>", page.index('<select id="territory"'))]
    assert ">Huánuco (departamento)</option>" in options
    assert ">Huánuco — Huánuco (distrito)</option>" in options
    assert ">Huánuco — Amarilis (distrito)</option>" in options
    assert options.count(">Huánuco<") == 0


def test_case_form_lists_governments_in_spanish_order(app, client, make_user, govs):
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    page = client.get("/expedientes/nuevo?tipo=diagnosis").get_data(as_text=True)
    select_html = page[page.index('name="government"') : page.index("</select>", page.index('name="government"'))]
    labels = [chunk.split(">", 1)[1].split("</option>")[0] for chunk in select_html.split("<option")[1:]]
    labels = [label for label in labels if label.strip() and label.strip() != "—"]
    assert len(labels) > 100 and labels == sorted(labels, key=spanish_key)


def test_downloads_are_named_in_spanish(app, client, make_user, govs):
    from core.documents import document_filename

    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    response = client.get("/admin/government/export/csv/")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "Gobiernos_" in disposition and ".csv" in disposition
    with app.test_request_context():
        name = document_filename("ORD-001-2008-GRH", "installation_minutes")
    assert name.startswith("ORD-001-2008-GRH-Acta-de-Instalaci") and "installation" not in name


def test_favicon(app, client, make_user, govs):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"].endswith("/static/favicon.svg")
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/ingresar").get_data(as_text=True)


def test_transition_form_names_the_fields_the_next_step_requires(app, client, make_user, govs):
    from tests.plugins.institutionalization.conftest import create_body

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    body_id = create_body(client, govs["huanuco"])
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    assert "Después, «Instalar la Instancia» exigirá:" in page
    note = page[page.index("Después, «Instalar la Instancia» exigirá:") :].split("</p>")[0]
    assert "Fecha de instalación <strong>(aún sin completar)</strong>" in note
    assert "Lugar de instalación <strong>(aún sin completar)</strong>." in note


def test_sorted_spanish_reads_names(app):
    from core.models import Government

    with app.app_context():
        regions = db.session.scalars(select(Government).where(Government.kind == "regional")).all()
        ordered = sorted_spanish(regions)
        assert [g.name for g in ordered] == sorted((g.name for g in regions), key=spanish_key)
