"""The admin in the user's language: every column, filter and export header named through Babel (not
Flask-Admin's prettified English), stored codes and booleans shown as labels, and a home page an
auditor starts from."""

from __future__ import annotations

import re

from flask_babel import LazyString

from tests.conftest import csrf_from, login


def _admin_views(app):  # noqa: ANN001, ANN202
    return [v for v in app.extensions["articula.admin"]._views if hasattr(v, "model")]


def test_every_admin_column_filter_and_export_header_is_translatable(app):
    untranslated = []
    with app.test_request_context():
        for view in _admin_views(app):
            pairs = [*view._list_columns, *view.get_details_columns(), *view.get_export_columns()]
            pairs += [("filtro", f.name) for f in view._filters or []]
            for name, label in pairs:
                if not isinstance(label, LazyString) and label != "#":
                    untranslated.append(f"{view.endpoint}: {name} → {label!r}")
    assert not untranslated, "Sin etiqueta traducible:\n" + "\n".join(sorted(set(untranslated)))


def test_admin_lists_show_codes_and_booleans_as_labels(app, client, make_user, govs):
    make_user("admin@articula.pe", ("admin", None))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "admin@articula.pe")
    page = client.get("/admin/government/?search=Amarilis").get_data(as_text=True)
    # the kind column shows the label, not the code
    assert re.search(r'<td class="col-kind">\s*Municipalidad distrital\s*</td>', page)
    assert ">district<" not in page.replace(" ", "").replace("\n", "")
    # column headers, the filter and the search hint in Spanish
    assert "Sigla" in page and "Tipo" in page
    assert 'placeholder="Nombre, Ubigeo, Sigla"' in page
    page = client.get("/admin/membership/").get_data(as_text=True)
    assert "Auditor" in page and "Rol" in page
    page = client.get("/admin/user/").get_data(as_text=True)
    assert 'title="Sí"' in page and ': true"' not in page
    # the filter of a coded column offers labels
    page = client.get("/admin/government/").get_data(as_text=True)
    assert "Municipalidad provincial" in page  # in the filter's options


def test_case_history_shows_values_as_people_know_them(app, client, make_user, govs):
    from tests.plugins.institutionalization.conftest import create_body

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    body_id = create_body(client, govs["huanuco"])
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    history = page[page.index('id="audit"') :]
    assert "<strong>Origen</strong>: <ins>Nueva instancia</ins>" in history
    assert "<ins>new</ins>" not in history and "<ins>technical_secretariat</ins>" not in history
    assert "<ins>Secretaría Técnica</ins>" in history


def test_admin_home_gives_an_auditor_an_overview_of_the_scope(app, client, make_user, govs):
    from datetime import date

    from core.extensions import db
    from core.models import Case
    from core.models.submissions import Submission
    from tests.plugins.diagnosis.conftest import create_case_web

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico regional 2008")
    with app.app_context():
        db.session.add(
            Submission(government_id=govs["huanuco"], year=2008, submitted_on=date(2008, 6, 20), on_time=True)
        )
        db.session.add(
            Submission(government_id=govs["cusco"], year=2008, submitted_on=date(2008, 7, 20), on_time=False)
        )
        db.session.commit()
        in_scope = db.session.query(Case).filter(Case.government_id == govs["huanuco"]).count()
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    login(client, "auditor@huanuco.pe")
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Resumen de la administración" in page
    # counts per record type, through the scope: Huánuco's cases, not Cusco's submission
    assert f'<a href="/admin/case/">Expedientes</a></th><td class="text-right">{in_scope}</td>' in page
    assert '<tr><th scope="row">Enviados a tiempo</th><td class="text-right">1</td></tr>' in page
    assert '<tr><th scope="row">Enviados fuera de plazo</th><td class="text-right">0</td></tr>' in page
    # recent activity, with a link to the case
    assert "Actividad reciente" in page and "abrir el expediente" in page
    assert 'href="/admin/auditevent/"' in page


def test_case_lists_of_every_type_show_states_by_their_workflow(app, client, make_user, govs):
    from tests.plugins.institutionalization.conftest import create_body

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    create_body(client, govs["huanuco"])
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    login(client, "auditor@huanuco.pe")
    response = client.get("/admin/inst_body/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    body = page[page.index("model-list") :]
    assert "En conformación" in body and ">draft<" not in body.replace(" ", "").replace("\n", "")
    assert "Nueva instancia" in body
