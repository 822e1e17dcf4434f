"""Dashboard widget, the list of bodies, navigation, and the forms' choices kept in step with the
codes the models accept."""

from __future__ import annotations

from datetime import date

import pytest

from tests.plugins.institutionalization.conftest import make_body


def test_forms_offer_exactly_the_codes_the_documents_name():
    """Each code is declared once with its interface label (fields.py) and its legal name
    (models.py, what documents print): the two lists stay in step."""
    from plugins.institutionalization import fields

    declared = [(rf, f) for rf in (fields.BODY, fields.MEMBER, fields.ORDINANCE, fields.CLAUSE) for f in rf]
    choices = [(rf.name, f) for rf, f in declared if f.type == "choice"]
    assert {(name, f.name) for name, f in choices} == {
        ("body", "origin"),
        ("body", "direction_kind"),
        ("member", "sex"),
        ("member", "role"),
        ("ordinance", "instrument"),
        ("ordinance", "session_kind"),
        ("ordinance", "approval_vote"),
        ("clause", "kind"),
        ("clause", "subject"),
    }
    for _name, f in choices:
        if f.name != "sex":  # documents agree with the sex; they never print it
            assert set(f.choice_codes()) == set(f.legal), f.name
    assert fields.MEMBER["role"].legal is models_roles()


def models_roles():  # noqa: ANN201
    from plugins.institutionalization.models import MEMBER_ROLES

    return MEMBER_ROLES


def test_dashboard_widget_shows_state_gaps_and_totals(app, client, people, govs):
    make_body(app, govs["huanuco_prov"], [("local_mayor", "Teodoro Ambrosio", {"role": "president"})])
    people.login(client, "prov_team")
    page = client.get("/").get_data(as_text=True)
    assert "Instancias de Articulación" in page  # navigation and widget title
    assert "IAL</a> — En conformación" in page
    assert "Falta la categoría obligatoria: Representantes de las municipalidades distritales" in page
    assert "Categorías sin miembros:" in page and "Gobernadores" in page
    people.login(client, "amarilis_team")
    assert "Aún no tiene Instancia de Articulación." in client.get("/").get_data(as_text=True)
    people.login(client, "national")
    page = client.get("/").get_data(as_text=True)
    assert "En conformación: 1" in page


@pytest.mark.usefixtures("core_rules_only")  # the core's 30 June rule, without the plugins' quarterly ones
def test_dashboard_widget_shows_the_next_deadline_of_the_current_year(app, client, people, govs, monkeypatch):
    """A standing body created in 2008: the widget shows the current year's next deadline still
    ahead, never 30 June 2008 (the deadlines module's «today» is set to a day of 2026)."""
    import core.deadlines
    import core.deadlines.status

    make_body(app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president"})])
    people.login(client, "team")
    for module in (core.deadlines, core.deadlines.status):  # the plugin's view and status_now
        monkeypatch.setattr(module, "lima_today", lambda: date(2026, 3, 2))
    page = client.get("/").get_data(as_text=True)
    widget = page.split("Instancias de Articulación</h2>")[1].split("</section>")[0]
    assert "Próximo plazo:" in widget
    assert "Envío a la ST-CIAS de los documentos de política social aprobados" in widget
    assert "30 de junio de 2026" in widget and "(Pendiente)" in widget
    assert "2008" not in widget
    # after 30 June nothing of that rule is ahead in 2026: no deadline rather than an old one
    for module in (core.deadlines, core.deadlines.status):  # the plugin's view and status_now
        monkeypatch.setattr(module, "lima_today", lambda: date(2026, 7, 15))
    widget = client.get("/").get_data(as_text=True).split("Instancias de Articulación</h2>")[1].split("</section>")[0]
    assert "Próximo plazo:" not in widget and "2008" not in widget


def test_list_of_bodies_filters(app, client, people, govs):
    make_body(app, govs["huanuco"], title="IAR de Huánuco")
    make_body(app, govs["huanuco_prov"], title="IAL provincial de Huánuco")
    people.login(client, "auditor")
    page = client.get("/institucionalizacion/?kind=provincial").get_data(as_text=True)
    assert "IAL provincial de Huánuco" in page and "IAR de Huánuco" not in page
    page = client.get("/institucionalizacion/?q=IAR").get_data(as_text=True)
    assert "IAR de Huánuco" in page and "IAL provincial" not in page
    page = client.get("/institucionalizacion/?state=installed").get_data(as_text=True)
    assert "0 instancias" in page


def test_case_history_names_the_bodys_fields_as_its_form_does(app, client, people, govs):
    """The audit panel labels the type's own columns with the plugin's labels, not the column names."""
    from tests.plugins.institutionalization.conftest import create_body

    people.login(client, "team")
    body_id = create_body(client, govs["huanuco"])
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    history = page[page.index('id="audit"') :]
    assert "Origen" in history
    assert ">origin<" not in history and "origin_name" not in history


def test_member_roles_are_one_table_the_form_and_the_documents_derive_from(app):  # noqa: ANN001
    """Codes, labels on screen and legal names of a member's role come from MEMBER_ROLE_TABLE only:
    a role added there is offered by the form and named by the documents, for every sex."""
    from plugins.institutionalization import fields, models

    codes = list(models.MEMBER_ROLE_TABLE)
    assert list(fields.ROLE_CHOICES) == codes
    assert list(models.MEMBER_ROLES) == codes
    assert set(models.MEMBER_ROLES_BY_SEX) == {"f", "m", None}
    assert all(list(names) == codes for names in models.MEMBER_ROLES_BY_SEX.values())
    assert models.MEMBER_ROLES_BY_SEX["f"]["technical_secretary"] == "Secretaria Técnica"
    assert models.MEMBER_ROLES_BY_SEX[None]["president"] == "Presidencia"
    assert models.MEMBER_ROLES["president"] == "Presidente"
    from flask_babel import force_locale

    def labels(locale: str) -> list[str]:
        with app.app_context(), force_locale(locale):
            return [str(label) for label in fields.ROLE_CHOICES.values()]

    assert labels("en") == ["Member", "President", "Technical secretary"]
    assert labels("es") == ["Miembro", "Presidente", "Secretario técnico"]
