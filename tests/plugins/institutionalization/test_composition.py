"""Composition rules per level (Norma 5.1.1 local, 5.2.1 regional), the installation guard, and the
roster on two different dates (pages and API)."""

from __future__ import annotations

from datetime import date

from core.extensions import db
from tests.plugins.institutionalization.conftest import (
    edit_case,
    make_body,
    make_ordinance,
    perform_as_admin,
    state_of,
    transition,
)


def _check(app, body_id: int, on: date = date(2008, 7, 1)):  # noqa: ANN001, ANN202
    from plugins.institutionalization.composition import composition
    from plugins.institutionalization.models import ArticulationBody

    with app.app_context():
        check = composition(db.session.get(ArticulationBody, body_id), on)
        return (
            {c.key for c in check.covered},
            {c.key for c in check.missing},
            list(check.blockers),
            list(check.warnings),
        )


def test_regional_composition_needs_a_presidency_and_warns_of_missing_categories(app, govs):
    body_id = make_body(
        app,
        govs["huanuco"],
        [
            ("regional_offices", "Carmen Tello", {"position": "Gerente Regional de Desarrollo Social"}),
            ("regional_universities", "Alberto Ruiz", {}),
        ],
    )
    covered, missing, blockers, warnings = _check(app, body_id)
    assert covered == {"regional_offices", "regional_universities"}
    assert "regional_president" in missing and "regional_civil_society" in missing
    assert not {k for k in missing if k.startswith("local_")}  # only the regional list applies
    assert len(blockers) == 1 and "presidencia" in blockers[0] and "Presidente del Gobierno Regional" in blockers[0]
    # missing categories are warnings, not blockers: the Norma lets the list be adjusted
    assert "Sin miembros en la categoría «Gobernadores»." in warnings
    assert not any("universidades" in w for w in warnings)  # covered

    from plugins.institutionalization.models import ArticulationBody, BodyMember, MemberCategory

    with app.app_context():
        body = db.session.get(ArticulationBody, body_id)
        body.members.append(
            BodyMember(
                full_name="Ricardo Valdivia",
                role="president",
                category=db.session.scalar(db.select(MemberCategory).filter_by(key="regional_president")),
                active_from=date(2008, 3, 1),
            )
        )
        db.session.commit()
    covered, missing, blockers, warnings = _check(app, body_id)
    assert blockers == [] and "regional_president" in covered and warnings


def test_provincial_body_needs_a_district_representative(app, govs):
    mayor = ("local_mayor", "Teodoro Ambrosio", {"role": "president"})
    body_id = make_body(app, govs["huanuco_prov"], [mayor])
    covered, missing, blockers, _ = _check(app, body_id)
    assert "local_district_representatives" in missing
    assert blockers == [
        "Falta la categoría obligatoria: Representantes de las municipalidades distritales "
        "(al menos uno, en la Instancia provincial)."
    ]
    district = make_body(app, govs["amarilis"], [("local_mayor", "Antonio Pulido", {"role": "president"})])
    covered, missing, blockers, _ = _check(app, district)
    # a district body has no district representatives to name: the category does not apply
    assert "local_district_representatives" not in missing | covered and blockers == []


def test_category_of_another_level_is_refused(app, client, people, api_token, govs):
    from plugins.institutionalization.models import BodyMember
    from tests.plugins.institutionalization.conftest import add_member, version_of

    body_id = make_body(app, govs["amarilis"])
    people.login(client, "amarilis_team")
    # the page offers only the categories of the level…
    response = add_member(client, app, body_id, "local_district_representatives", "Alguien", expect=400)
    assert "Opción inválida" in response.get_data(as_text=True)
    # …and the rule holds whatever the path (here the API)
    headers = {"Authorization": f"Bearer {api_token(people['amarilis_team'])}"}
    url = f"/api/v1/institutionalization/bodies/{body_id}/members"
    for category, message in (
        ("local_district_representatives", "no corresponde a una Instancia de Articulación Local distrital."),
        ("regional_offices", "no corresponde a una Instancia de Articulación Local."),
    ):
        response = client.post(
            url,
            json={
                "version": version_of(app, body_id),
                "full_name": "Alguien",
                "category": category,
                "active_from": "2008-03-01",
            },
            headers=headers,
        )
        assert response.status_code == 400 and message in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(BodyMember)) == 0


def test_installation_is_guarded_by_the_composition(app, client, people, govs):
    mayor = ("local_mayor", "Teodoro Ambrosio", {"role": "president"})
    district = ("local_district_representatives", "Rosa Ortega", {"position": "Alcaldesa de Pillco Marca"})
    body_id = make_body(app, govs["huanuco_prov"], [mayor, district], title="IAL de Huánuco")
    ordinance_id = make_ordinance(
        app,
        body_id,
        number="12",
        session_date=date(2008, 7, 1),
        approval_vote="unanimous",
        approval_date=date(2008, 7, 1),
    )
    people.login(client, "prov_coord")
    # not constituted yet: the ordinance is not published
    transition(client, body_id, "constitute")
    assert state_of(app, body_id) == "draft"
    assert "aún no ha sido publicada" in client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    perform_as_admin(app, ordinance_id, "submit", "approve")
    edit_case(client, app, ordinance_id, publication_date="2008-07-05", publication_medium="Diario Correo")
    transition(client, ordinance_id, "publish")
    assert state_of(app, ordinance_id) == "published"
    transition(client, body_id, "constitute")
    assert state_of(app, body_id) == "constituted"

    # install: needs date, place and a district representative on the installation date (the one
    # who sat when the council approved the ordinance left on 10 July)
    with app.app_context():
        from plugins.institutionalization.models import BodyMember

        db.session.scalar(db.select(BodyMember).where(BodyMember.full_name == "Rosa Ortega")).active_to = date(
            2008, 7, 10
        )
        db.session.commit()
    edit_case(client, app, body_id, installation_date="2008-07-20", installation_place="Municipalidad Provincial")
    transition(client, body_id, "install")
    page = client.get(f"/expedientes/{body_id}").get_data(as_text=True)
    assert state_of(app, body_id) == "constituted"
    assert "Falta la categoría obligatoria: Representantes de las municipalidades distritales" in page
    from tests.plugins.institutionalization.conftest import add_member

    add_member(
        client,
        app,
        body_id,
        "local_district_representatives",
        "Antonio Pulido",
        position="Alcalde de Amarilis",
        active_from="2008-07-15",
    )
    transition(client, body_id, "install")
    assert state_of(app, body_id) == "installed"


def test_roster_on_two_dates(app, client, people, api_token, govs):
    members = [
        ("regional_president", "Ricardo Valdivia", {"role": "president"}),
        (
            "regional_officials",
            "Hernán Lozano",
            {"active_to": date(2008, 5, 31), "position": "Director Regional de Salud"},
        ),
        (
            "regional_officials",
            "Manuel Figueroa",
            {"active_from": date(2008, 6, 1), "position": "Director Regional de Salud"},
        ),
        ("regional_universities", "Alberto Ruiz", {"active_from": date(2008, 9, 1)}),
    ]
    body_id = make_body(app, govs["huanuco"], members)
    people.login(client, "auditor")
    april = client.get(f"/institucionalizacion/instancias/{body_id}/relacion?fecha=2008-04-15").get_data(as_text=True)
    july = client.get(f"/institucionalizacion/instancias/{body_id}/relacion?fecha=2008-07-01").get_data(as_text=True)
    april_roster, july_roster = april.split("<table")[0], july.split("<table")[0]
    assert "Hernán Lozano" in april_roster and "Manuel Figueroa" not in april_roster
    assert "Manuel Figueroa" in july_roster and "Hernán Lozano" not in july_roster
    assert "Alberto Ruiz" not in july_roster  # joins in September
    assert "15 de abril de 2008" in april and "1 de julio de 2008" in july
    # the last day of a period still counts
    may31 = client.get(f"/institucionalizacion/instancias/{body_id}/relacion?fecha=2008-05-31").get_data(as_text=True)
    assert "Hernán Lozano" in may31.split("<table")[0]

    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    data = client.get(
        f"/api/v1/institutionalization/bodies/{body_id}/roster?date=2008-04-15", headers=headers
    ).get_json()
    names = [m["full_name"] for c in data["categories"] for m in c["members"]]
    assert names == ["Ricardo Valdivia", "Hernán Lozano"]
    data = client.get(
        f"/api/v1/institutionalization/bodies/{body_id}/roster?date=2008-10-01", headers=headers
    ).get_json()
    names = [m["full_name"] for c in data["categories"] for m in c["members"]]
    assert names == ["Ricardo Valdivia", "Manuel Figueroa", "Alberto Ruiz"]
    assert data["composition"]["complete"] is True
    # the one date parser: 15/04/2008 reads as the 15th of April, as in every form
    assert (
        client.get(f"/api/v1/institutionalization/bodies/{body_id}/roster?date=15/04/2008", headers=headers).status_code
        == 200
    )
    bad = client.get(f"/api/v1/institutionalization/bodies/{body_id}/roster?date=31/04/2008", headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["error"]["message"] == (
        "«date» debe ser una fecha AAAA-MM-DD o DD/MM/AAAA (recibido: «31/04/2008»)."
    )


def test_the_district_representative_blocks_the_ordinance_approval_as_it_blocks_the_installation(
    app, client, people, govs
):
    """Norma 5.1.1: a provincial IAL has at least one district representative. The council cannot
    approve an ordinance that constitutes it without one: the same rule, the same reason."""
    mayor = ("local_mayor", "Teodoro Ambrosio", {"role": "president"})
    body_id = make_body(app, govs["huanuco_prov"], [mayor], title="IAL de Huánuco")
    ordinance_id = make_ordinance(
        app,
        body_id,
        number="12",
        session_date=date(2008, 7, 1),
        approval_vote="unanimous",
        approval_date=date(2008, 7, 1),
    )
    perform_as_admin(app, ordinance_id, "submit")
    people.login(client, "prov_coord")
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "in_review"
    reason = (
        "Falta la categoría obligatoria: Representantes de las municipalidades distritales "
        "(al menos uno, en la Instancia provincial)."
    )
    assert reason in client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    from tests.plugins.institutionalization.conftest import add_member

    people.login(client, "prov_team")
    add_member(client, app, body_id, "local_district_representatives", "Antonio Pulido", position="Alcalde de Amarilis")
    people.login(client, "prov_coord")
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "approved"


def test_only_the_presiding_category_holds_the_presidency(app, client, people, govs):
    """Norma 5.2.1: the IAR is presided by the Regional President (Governor). A university
    representative given the role «Presidente» is refused, by the page and by the check."""
    from tests.plugins.institutionalization.conftest import add_member

    body_id = make_body(app, govs["huanuco"], [("regional_offices", "Carmen Tello", {})])
    people.login(client, "team")
    response = add_member(client, app, body_id, "regional_universities", "Alberto Ruiz", expect=400, role="president")
    page = response.get_data(as_text=True)
    assert "Solo preside la Instancia el Presidente del Gobierno Regional (Gobernador Regional)" in page
    assert "no puede tener el rol «Presidente»" in page
    # a category an administrator stops marking as presiding no longer gives the presidency
    add_member(client, app, body_id, "regional_president", "Ricardo Valdivia", role="president")
    assert _check(app, body_id)[2] == []
    from plugins.institutionalization.models import MemberCategory

    def presides(value: bool) -> None:
        with app.app_context():
            db.session.scalar(db.select(MemberCategory).filter_by(key="regional_president")).presides = value
            db.session.commit()

    presides(False)  # categories are reference data kept between tests: put it back afterwards
    try:
        blockers = _check(app, body_id)[2]
    finally:
        presides(True)
    assert any("no puede tener el rol «Presidente»" in b for b in blockers)
    assert any(b.startswith("Falta la presidencia") for b in blockers)
