"""Members through the pages and the API: bad input refused with Spanish messages and nothing saved,
markup escaped, one president at a time, the case version guarding every change."""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.conftest import csrf_from
from tests.plugins.institutionalization.conftest import (
    add_member,
    category_id,
    make_body,
    perform_as_admin,
    version_of,
)


def _count(app) -> int:  # noqa: ANN001
    from plugins.institutionalization.models import BodyMember

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(BodyMember))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"dni": "4567890A"}, "El DNI tiene exactamente 8 dígitos, sin letras."),
        ({"dni": "4567890"}, "El DNI tiene exactamente 8 dígitos, sin letras."),
        (
            {"active_from": "2008-06-01", "active_to": "2008-05-31"},
            "La fecha de fin no puede ser anterior a la de inicio.",
        ),
        ({"full_name": "  "}, "Los nombres y apellidos son obligatorios."),
        ({"email": "no-es-correo"}, "Ingrese un correo electrónico válido."),
    ],
)
def test_bad_member_input_is_refused_in_spanish_and_nothing_is_saved(app, client, people, govs, fields, message):
    body_id = make_body(app, govs["huanuco"])
    people.login(client, "team")
    version = version_of(app, body_id)
    response = add_member(client, app, body_id, "regional_offices", "Carmen Tello", expect=400, **fields)
    assert message in response.get_data(as_text=True)
    assert _count(app) == 0 and version_of(app, body_id) == version


def test_bad_member_input_through_the_api(app, client, people, api_token, govs):
    body_id = make_body(app, govs["huanuco"])
    headers = {"Authorization": f"Bearer {api_token(people['team'])}"}
    url = f"/api/v1/institutionalization/bodies/{body_id}/members"
    base = {"full_name": "Carmen Tello", "category": "regional_offices", "active_from": "2008-03-01"}
    # One parser per value type (core.values): the API and the page say the same thing.
    for extra, field, message in (
        ({"dni": "1234567X"}, "dni", "El DNI tiene exactamente 8 dígitos, sin letras."),
        ({"dni": "1234567"}, "dni", "El DNI tiene exactamente 8 dígitos, sin letras."),
        ({"active_to": "2008-02-28"}, "active_to", "La fecha de fin no puede ser anterior a la de inicio."),
        ({"active_from": "ayer"}, "active_from", "«Miembro desde» debe ser una fecha AAAA-MM-DD o DD/MM/AAAA"),
        ({"role": "tesorero"}, "role", "«Rol en la Instancia»: «tesorero» no es una opción válida."),
        ({"category": "no_existe"}, "category", "Categoría desconocida «no_existe»."),
        ({"color": "azul"}, None, "Campos desconocidos: color."),
    ):
        response = client.post(url, json={"version": version_of(app, body_id), **base, **extra}, headers=headers)
        assert response.status_code == 400, (extra, response.get_json())
        error = response.get_json()["error"]
        assert message in error["message"], error
        if field is not None:  # the problem is also given beside its field
            assert any(message in problem for problem in error["fields"][field]), error
    assert _count(app) == 0
    ok = client.post(url, json={"version": version_of(app, body_id), **base, "dni": "22418530"}, headers=headers)
    assert ok.status_code == 201 and ok.get_json()["dni"] == "22418530"


def test_member_name_with_markup_is_escaped(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"])
    people.login(client, "team")
    name = '<script>alert("x")</script> Rosa <b>Quispe</b>'
    add_member(client, app, body_id, "regional_offices", name, position="<i>Gerente</i>")
    for path in (f"/expedientes/{body_id}", f"/institucionalizacion/instancias/{body_id}/relacion?fecha=2008-04-01"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>Quispe</b>" not in page and "<i>Gerente</i>" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Rosa &lt;b&gt;Quispe&lt;/b&gt;" in page


def test_one_president_at_a_time_and_one_seat_per_person(app, client, people, govs):
    body_id = make_body(
        app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president", "dni": "22401871"})]
    )
    people.login(client, "team")
    response = add_member(client, app, body_id, "regional_president", "Otra Persona", expect=400, role="president")
    assert "Ricardo Valdivia ya ejerce la presidencia en ese periodo (desde 01/03/2008)" in response.get_data(
        as_text=True
    )
    response = add_member(client, app, body_id, "regional_offices", "Ricardo V.", expect=400, dni="22401871")
    assert "La persona con DNI 22401871 ya es miembro de la Instancia en ese periodo." in response.get_data(
        as_text=True
    )
    # a successor once the first period is closed
    with app.app_context():
        from plugins.institutionalization.models import BodyMember

        member_id = db.session.scalar(db.select(BodyMember.id))
    url = f"/institucionalizacion/miembros/{member_id}/editar"
    page = client.get(url).get_data(as_text=True)
    assert "Ricardo Valdivia" in page
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "version": version_of(app, body_id),
            "full_name": "Ricardo Valdivia",
            "dni": "22401871",
            "category_id": _category(app, "regional_president"),
            "institution_id": "",
            "role": "president",
            "active_from": "2008-03-01",
            "active_to": "2008-06-30",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    add_member(
        client, app, body_id, "regional_president", "Nuevo Presidente", role="president", active_from="2008-07-01"
    )
    assert _count(app) == 2


def _category(app, key: str) -> int:  # noqa: ANN001
    from tests.plugins.institutionalization.conftest import category_id

    return category_id(app, key)


def test_stale_member_edit_is_refused_with_409_but_a_stale_append_is_not(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"])
    people.login(client, "team")
    old_version = version_of(app, body_id)
    add_member(client, app, body_id, "regional_offices", "Primera Persona")
    # a second form opened before the first member was added: adding is no conflict (issue 13, point 12)
    add_member(client, app, body_id, "regional_universities", "Segunda", version=old_version)
    assert _count(app) == 2
    # editing a member on a version that someone else's edit made stale is one
    with app.app_context():
        from plugins.institutionalization.models import BodyMember

        member_id = db.session.scalar(db.select(BodyMember.id).where(BodyMember.full_name == "Segunda"))
    url = f"/institucionalizacion/miembros/{member_id}/editar"
    form = {
        "csrf_token": csrf_from(client, url),
        "full_name": "Segunda Persona",
        "category_id": category_id(app, "regional_universities"),
        "role": "member",
        "active_from": "2008-03-01",
        "institution_id": "",
    }
    assert client.post(url, data={**form, "version": old_version}).status_code == 302
    response = client.post(url, data={**form, "full_name": "Otra Persona", "version": old_version})
    assert response.status_code == 409
    assert "Otra persona modificó este expediente" in response.get_data(as_text=True)


def test_member_delete_and_no_changes_once_dissolved(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], [("regional_offices", "Por Error", {})])
    people.login(client, "team")
    with app.app_context():
        from plugins.institutionalization.models import BodyMember

        member_id = db.session.scalar(db.select(BodyMember.id))
    token = csrf_from(client, f"/expedientes/{body_id}")
    response = client.post(
        f"/institucionalizacion/miembros/{member_id}/eliminar",
        data={"csrf_token": token, "version": version_of(app, body_id)},
    )
    assert response.status_code == 303 and _count(app) == 0
    add_member(client, app, body_id, "regional_offices", "Otra")
    perform_as_admin(app, body_id, "dissolve")
    add_member(client, app, body_id, "regional_offices", "Tarde", expect=403)  # its roster is history now
    assert _count(app) == 1
