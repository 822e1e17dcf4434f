"""The ordinance: pre-filled text per level, number by the government's pattern and unique per
government and year, the minimum-content guard on approval, no publication without approval,
the text frozen once approved, and its clauses edited under the case version."""

from __future__ import annotations

from datetime import date

from core.extensions import db
from tests.conftest import csrf_from
from tests.plugins.institutionalization.conftest import (
    edit_case,
    make_body,
    make_ordinance,
    perform_as_admin,
    state_of,
    transition,
    version_of,
)

REGIONAL = [
    ("regional_president", "Ricardo Valdivia", {"role": "president", "position": "Presidente del Gobierno Regional"}),
    (
        "regional_offices",
        "Carmen Tello",
        {"position": "Gerente Regional de Desarrollo Social", "technical_committee": True},
    ),
    ("regional_universities", "Alberto Ruiz", {"institution_name": "Universidad Nacional Hermilio Valdizán"}),
]
READY = {
    "number": "8",
    "session_date": date(2008, 6, 26),
    "approval_vote": "unanimous",
    "approval_date": date(2008, 6, 26),
}


def _ordinance(app, ordinance_id: int):  # noqa: ANN001, ANN202
    from plugins.institutionalization.models import Ordinance

    return db.session.get(Ordinance, ordinance_id)


def test_prefilled_text_follows_the_level(app, govs):
    regional = make_ordinance(app, make_body(app, govs["huanuco"], REGIONAL, monitoring_officer_name="Raúl Ponce"))
    local = make_ordinance(
        app,
        make_body(
            app,
            govs["amarilis"],
            [("local_mayor", "Antonio Pulido", {"role": "president"})],
            origin="poverty_committee",
            origin_name="Comité Distrital de Lucha contra la Pobreza de Amarilis",
        ),
    )
    with app.app_context():
        o = _ordinance(app, regional)
        considering = " ".join(c.text for c in o.considerings)
        assert "artículo 191° de la Constitución Política del Perú" in considering and "Ley N° 27867" in considering
        assert "artículos 2" not in considering and "194°" not in considering and "27972" not in considering
        assert "Decreto Supremo N° 055-2007-PCM" in considering and "Decreto Supremo N° 080-2007-PCM" in considering
        assert "Norma Técnica N° 001-2008" in considering and "numeral 5.2.1" in considering
        articles = [(c.subject, c.text) for c in o.articles]
        assert articles[0][1].startswith("CONFORMAR la Instancia de Articulación Regional")
        participants = next(text for subject, text in articles if subject == "participants")
        assert "a) Presidente del Gobierno Regional, quien la preside:" in participants
        for _, name, _ in REGIONAL:
            assert name in participants
        assert any("CONFORMAR el Comité Técnico" in t and "Carmen Tello" in t for _, t in articles)
        assert any("Raúl Ponce" in t and "Sistema de Seguimiento" in t for _, t in articles)
        assert {s for s, _ in articles} == {"participants", "organization", "direction", "plan", "other"}
        assert articles[-2][1].startswith("ENCARGAR")
        assert o.visto.startswith("El informe de la Gerencia Regional de Desarrollo Social")

        o = _ordinance(app, local)
        considering = " ".join(c.text for c in o.considerings)
        assert "artículo 194°" in considering and "Ley N° 27972" in considering and "27867" not in considering
        assert "ampliar las funciones del Comité Distrital de Lucha contra la Pobreza de Amarilis" in considering
        assert o.articles[0].text.startswith("AMPLIAR las funciones del Comité Distrital de Lucha contra la Pobreza")
        assert "Ordenanza Municipal" in o.articles[-1].text and "Alcalde" in o.articles[0].text


def test_number_by_pattern_and_unique_per_government_and_year(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], REGIONAL)
    first = make_ordinance(app, body_id)
    second = make_ordinance(app, body_id)
    people.login(client, "team")
    assert edit_case(client, app, first, number="8").status_code == 302
    with app.app_context():
        assert _ordinance(app, first).number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"
    response = edit_case(client, app, second, number="008")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "Ya existe la ORDENANZA REGIONAL N° 008-2008-GRH/CR en este gobierno para 2008 (expediente ORD-001-2008-GRH)."
        in page
    )
    with app.app_context():
        assert _ordinance(app, second).number is None
    # typed in full, as a government with its own format writes it: kept as typed
    assert edit_case(client, app, second, number="ORDENANZA REGIONAL N° 009-2008-CR-GRH").status_code == 302
    with app.app_context():
        assert _ordinance(app, second).number == "ORDENANZA REGIONAL N° 009-2008-CR-GRH"
    # a municipality's ordinance follows the municipal pattern
    district = make_ordinance(app, make_body(app, govs["amarilis"]), number="5")
    with app.app_context():
        assert _ordinance(app, district).number == "ORDENANZA MUNICIPAL N° 005-2008-MDA"
    # the same number in another government is another ordinance
    cusco = make_ordinance(app, make_body(app, govs["cusco"]), number="ORDENANZA REGIONAL N° 008-2008-GRH/CR")
    with app.app_context():
        assert _ordinance(app, cusco).number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"


def test_the_database_itself_refuses_a_duplicate_number(app, govs):
    """Two writers racing past the check: the unique constraint still holds."""
    import pytest
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from plugins.institutionalization.models import Ordinance

    body_id = make_body(app, govs["huanuco"], REGIONAL)
    make_ordinance(app, body_id, number="8")
    other = make_ordinance(app, body_id)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(
                update(Ordinance.__table__)
                .where(Ordinance.__table__.c.id == other)
                .values(number="ORDENANZA REGIONAL N° 008-2008-GRH/CR")
            )
        db.session.rollback()


def test_minimum_content_guard_gives_a_reason_per_gap(app, client, people, govs):
    from plugins.institutionalization.models import OrdinanceClause

    body_id = make_body(app, govs["huanuco"], REGIONAL[1:])  # no president
    ordinance_id = make_ordinance(app, body_id, **READY)
    with app.app_context():
        o = _ordinance(app, ordinance_id)
        for clause in list(o.articles):
            if clause.subject in ("plan", "direction", "other"):
                o.clauses.remove(clause)
        db.session.commit()
    perform_as_admin(app, ordinance_id, "submit")
    people.login(client, "coord")
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "in_review"
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    for reason in (
        "Falta el artículo que aprueba los objetivos y metas del Plan Articulado.",
        "Falta el artículo que designa su dirección (Secretaría Técnica u Oficina Técnica).",
        "Falta al menos un artículo sobre otros aspectos (por ejemplo, el encargo de su cumplimiento).",
        "Falta la presidencia: registre al Presidente del Gobierno Regional como miembro con el rol «Presidente»",
    ):
        assert reason in page, reason
    assert "Falta el artículo que establece los participantes" not in page

    # put back what is missing: the guard lets the approval through
    with app.app_context():
        o = _ordinance(app, ordinance_id)
        o.clauses += [
            OrdinanceClause(kind="article", subject="direction", text="DESIGNAR a la Gerencia…", position=10),
            OrdinanceClause(kind="article", subject="plan", text="APROBAR los objetivos y metas…", position=11),
            OrdinanceClause(kind="article", subject="other", text="ENCARGAR…", position=12),
        ]
        db.session.commit()
    from tests.plugins.institutionalization.conftest import add_member

    people.login(client, "team")
    add_member(client, app, body_id, "regional_president", "Ricardo Valdivia", role="president")
    people.login(client, "coord")
    transition(client, ordinance_id, "approve")
    assert state_of(app, ordinance_id) == "approved"


def test_approval_needs_number_and_date_and_only_the_coordinator_approves(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], REGIONAL)
    ordinance_id = make_ordinance(app, body_id, session_date=date(2008, 6, 26), approval_vote="unanimous")
    people.login(client, "team")
    assert transition(client, ordinance_id, "submit").status_code == 303
    assert transition(client, ordinance_id, "approve").status_code == 403
    people.login(client, "coord")
    transition(client, ordinance_id, "approve")
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    assert state_of(app, ordinance_id) == "in_review"
    assert "Falta completar «Número»." in page and "Falta completar «Fecha de aprobación»." in page


def test_an_ordinance_never_approved_cannot_be_published(app, client, people, govs, api_token):
    ordinance_id = make_ordinance(
        app,
        make_body(app, govs["huanuco"], REGIONAL),
        publication_date=date(2008, 6, 30),
        publication_medium="Diario Oficial El Peruano",
    )
    people.login(client, "coord")
    transition(client, ordinance_id, "publish")
    assert state_of(app, ordinance_id) == "draft"
    assert "no está permitida en el estado «Borrador»" in client.get(f"/expedientes/{ordinance_id}").get_data(
        as_text=True
    )
    perform_as_admin(app, ordinance_id, "submit")
    headers = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    response = client.post(f"/api/v1/cases/{ordinance_id}/transitions/publish", json={}, headers=headers)
    assert response.status_code == 409 and "«En revisión»" in response.get_json()["error"]["message"]
    assert state_of(app, ordinance_id) == "in_review"


def test_dates_in_order(app, client, people, govs):
    ordinance_id = make_ordinance(app, make_body(app, govs["huanuco"], REGIONAL), **READY)
    people.login(client, "team")
    response = edit_case(client, app, ordinance_id, publication_date="2008-06-01")
    assert response.status_code == 400
    assert "La publicación no puede ser anterior a la aprobación." in response.get_data(as_text=True)
    with app.app_context():
        from plugins.institutionalization.models import Ordinance

        o = db.session.get(Ordinance, ordinance_id)
        assert o.publication_date is None
        o.approval_date = date(2008, 6, 1)  # before the session, by another path than the form
        import pytest

        from core.cases import CaseError

        with pytest.raises(CaseError, match=r"^La aprobación no puede ser anterior a la sesión\.$"):
            db.session.commit()
        db.session.rollback()


def test_text_is_frozen_once_approved(app, client, people, govs, api_token):
    ordinance_id = make_ordinance(app, make_body(app, govs["huanuco"], REGIONAL), **READY)
    perform_as_admin(app, ordinance_id, "submit", "approve")
    people.login(client, "coord")
    response = edit_case(client, app, ordinance_id, number="9", visto="Otro visto")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "La ordenanza ya fue aprobada por el consejo: no se pueden modificar "
        "«Número», «VISTO (lo que el consejo tuvo a la vista)»."
    ) in page
    # the publication data are still to be completed
    response = edit_case(client, app, ordinance_id, publication_date="2008-06-30", publication_medium="El Peruano")
    assert response.status_code == 302
    with app.app_context():
        o = _ordinance(app, ordinance_id)
        clause_id, version = o.articles[0].id, o.version
    assert client.get(f"/institucionalizacion/clausulas/{clause_id}/editar").status_code == 403
    headers = {"Authorization": f"Bearer {api_token(people['coord'])}"}
    response = client.patch(
        f"/api/v1/institutionalization/clauses/{clause_id}",
        json={"version": version, "text": "CAMBIAR"},
        headers=headers,
    )
    assert response.status_code == 409
    assert (
        response.get_json()["error"]["message"]
        == "La ordenanza ya fue aprobada por el consejo: su texto no se puede modificar."
    )


def test_clauses_are_edited_moved_and_removed_under_the_case_version(app, client, people, govs):
    ordinance_id = make_ordinance(app, make_body(app, govs["huanuco"], REGIONAL))
    people.login(client, "team")
    with app.app_context():
        articles = [(c.id, c.text) for c in _ordinance(app, ordinance_id).articles]
    first_id = articles[0][0]
    url = f"/institucionalizacion/clausulas/{first_id}/editar"
    page = client.get(url).get_data(as_text=True)
    assert "CONFORMAR la Instancia" in page
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "version": version_of(app, ordinance_id),
            "subject": "organization",
            "text": "CONFORMAR la Instancia de Articulación Regional de Huánuco <b>editada</b>.",
        },
    )
    assert response.status_code == 302
    token = csrf_from(client, f"/expedientes/{ordinance_id}")
    response = client.post(
        f"/institucionalizacion/clausulas/{first_id}/mover",
        data={"csrf_token": token, "version": version_of(app, ordinance_id), "direction": "down"},
    )
    assert response.status_code == 303
    with app.app_context():
        o = _ordinance(app, ordinance_id)
        assert [c.id for c in o.articles][:2] == [articles[1][0], first_id]
        assert o.articles[1].generated is False
    page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    assert "&lt;b&gt;editada&lt;/b&gt;" in page and "<b>editada</b>" not in page
    assert "Artículo Primero.-" in page and "Artículo Segundo.-" in page
    # refreshing from the body keeps the edited article
    client.post(
        f"/institucionalizacion/ordenanzas/{ordinance_id}/actualizar-articulos",
        data={"csrf_token": token, "version": version_of(app, ordinance_id)},
    )
    with app.app_context():
        texts = [c.text for c in _ordinance(app, ordinance_id).articles]
        assert sum("editada" in t for t in texts) == 1 and sum("CONFORMAR la Instancia" in t for t in texts) == 2
    # a stale form: 409, nothing removed
    stale = version_of(app, ordinance_id) - 1
    response = client.post(
        f"/institucionalizacion/clausulas/{first_id}/eliminar", data={"csrf_token": token, "version": stale}
    )
    assert response.status_code == 303
    assert "Otra persona modificó este expediente" in client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
    with app.app_context():
        assert first_id in [c.id for c in _ordinance(app, ordinance_id).articles]
    client.post(
        f"/institucionalizacion/clausulas/{first_id}/eliminar",
        data={"csrf_token": token, "version": version_of(app, ordinance_id)},
    )
    with app.app_context():
        positions = [c.position for c in _ordinance(app, ordinance_id).articles]
        assert first_id not in [c.id for c in _ordinance(app, ordinance_id).articles]
        assert positions == list(range(1, len(positions) + 1))


def test_ordinance_created_on_the_engine_page_starts_prefilled(app, client, people, govs):
    from tests.plugins.institutionalization.conftest import case_id_from

    body_id = make_body(app, govs["huanuco"], REGIONAL)
    other_region = make_body(app, govs["cusco"])
    people.login(client, "team")
    url = "/expedientes/nuevo?tipo=ordinance"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{body_id}"' in page and f'value="{other_region}"' not in page  # only bodies it may edit
    data = {
        "csrf_token": csrf_from(client, url),
        "government": govs["huanuco"],
        "year": 2008,
        "title": "Ordenanza Regional que conforma la IAR",
        "body_id": body_id,
        "instrument": "ordinance",
        "session_kind": "ordinary",
        "approval_vote": "",
    }
    ordinance_id = case_id_from(client.post(url, data=data))
    with app.app_context():
        o = _ordinance(app, ordinance_id)
        assert o.reference == "ORD-001-2008-GRH" and len(o.considerings) == 6 and len(o.articles) >= 6
    # a body of another government is refused, in Spanish, and nothing is created
    people.login(client, "admin")
    response = client.post(url, data={**data, "csrf_token": csrf_from(client, url), "body_id": other_region})
    assert response.status_code == 400
    assert "«body_id» no corresponde a un registro existente a su alcance." in response.get_data(as_text=True)
    with app.app_context():
        from plugins.institutionalization.models import Ordinance

        assert db.session.scalar(db.select(db.func.count()).select_from(Ordinance)) == 1


def test_broadening_an_existing_body_needs_its_name(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"])
    people.login(client, "team")
    response = edit_case(client, app, body_id, origin="codeco")
    assert response.status_code == 400
    assert "Indique el nombre de la instancia existente cuyas funciones se amplían" in response.get_data(as_text=True)
    response = edit_case(client, app, body_id, origin="codeco", origin_name="CODECO de Huánuco")
    assert response.status_code == 302
    # and a second body for the same government is refused while the first is in force
    url = "/expedientes/nuevo?tipo=articulation_body"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "government": govs["huanuco"],
            "year": 2009,
            "title": "Otra",
            "origin": "new",
            "direction_kind": "technical_secretariat",
        },
    )
    assert response.status_code == 400
    assert "Este gobierno ya tiene una Instancia de Articulación vigente (IA-001-2008-GRH)" in response.get_data(
        as_text=True
    )


def test_publication_needs_a_recorded_approval_even_if_the_workflow_is_edited(app, client, people, govs):
    """An administrator adds a shortcut draft → published: the guard still refuses it."""
    from core.models import WorkflowDefinition
    from core.workflow import save_definition

    ordinance_id = make_ordinance(
        app,
        make_body(app, govs["huanuco"], REGIONAL),
        publication_date=date(2008, 6, 30),
        publication_medium="Diario Oficial El Peruano",
    )
    with app.app_context():
        source = db.session.get(WorkflowDefinition, "ordinance").source
        save_definition(
            "ordinance",
            source.replace("    from: [approved]\n    to: published", "    from: [draft, approved]\n    to: published"),
        )
        db.session.commit()
    try:
        people.login(client, "coord")
        transition(client, ordinance_id, "publish")
        assert state_of(app, ordinance_id) == "draft"
        page = client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)
        assert "La ordenanza no registra su aprobación por el Consejo Regional: no puede publicarse." in page
    finally:
        with app.app_context():  # the workflow table is kept between tests: restore it as shipped
            row = db.session.get(WorkflowDefinition, "ordinance")
            row.source, row.edited = source, False
            db.session.commit()
