"""Helpers for the institutionalization tests: users of Huánuco and Cusco, and a body driven
through the web pages the way a regional team does it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.testing import PEOPLE, People, csrf_from, version_of  # noqa: F401  (the test kit; re-exported)


def case_id_from(response, status: int = 302) -> int:  # noqa: ANN001
    """The new case's id from the redirect after creating it: the engine's new-case form answers 302,
    the plugin's «draft the ordinance» button 303."""
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].split("#")[0].rstrip("/").split("/")[-1])


def create_body(
    client, gov_id: int, title: str = "Instancia de Articulación Regional de Huánuco", **fields: Any
) -> int:  # noqa: ANN001
    """Create a body through the engine's create page (as the logged-in user)."""
    url = "/expedientes/nuevo?tipo=articulation_body"
    data = {
        "csrf_token": csrf_from(client, url),
        "government": gov_id,
        "year": 2008,
        "title": title,
        "origin": "new",
        "direction_kind": "technical_secretariat",
        "direction_unit": "Gerencia Regional de Desarrollo Social",
        **fields,
    }
    return case_id_from(client.post(url, data=data))


def category_id(app, key: str) -> int:  # noqa: ANN001
    from plugins.institutionalization.models import MemberCategory

    with app.app_context():
        return db.session.scalar(select(MemberCategory.id).where(MemberCategory.key == key))


def add_member(client, app, body_id: int, category: str, name: str, expect: int = 302, **fields: Any):  # noqa: ANN001, ANN201
    """Add a member through the page; returns the response."""
    url = f"/institucionalizacion/instancias/{body_id}/miembros/nuevo"
    data = {
        "csrf_token": csrf_from(client, f"/expedientes/{body_id}"),
        "version": version_of(app, body_id),
        "full_name": name,
        "category_id": category_id(app, category),
        "role": "member",
        "active_from": "2008-03-01",
        "institution_id": "",
        **fields,
    }
    response = client.post(url, data=data)
    assert response.status_code == expect, response.get_data(as_text=True)[:3000]
    return response


def transition(client, case_id: int, name: str, **extra: Any):  # noqa: ANN001, ANN201
    """A transition through the case page (the kit's ``transition`` without the case version)."""
    token = csrf_from(client, f"/expedientes/{case_id}")
    return client.post(f"/expedientes/{case_id}/transiciones/{name}", data={"csrf_token": token, **extra})


def state_of(app, case_id: int) -> str:  # noqa: ANN001
    from core.models import Case

    with app.app_context():
        return db.session.get(Case, case_id).state


def flashes(client, path: str) -> str:  # noqa: ANN001
    """The page's text after a redirect (flashed messages included)."""
    return client.get(path).get_data(as_text=True)


def edit_case(client, app, case_id: int, **fields: Any):  # noqa: ANN001, ANN201
    """Post the engine's edit page of a body or an ordinance: its current values plus ``fields``."""
    from core.cases import case_type_of
    from core.cases.forms import type_field_names
    from core.models import Case

    url = f"/expedientes/{case_id}/editar"
    with app.app_context():
        case = db.session.get(Case, case_id)
        data: dict[str, Any] = {"title": case.title, "version": case.version}
        for name in type_field_names(case_type_of(case)):
            value = getattr(case, name)
            if isinstance(value, bool):
                if value:
                    data[name] = "y"
            elif value is not None:
                data[name] = value.isoformat() if isinstance(value, date) else value
    for name, value in fields.items():
        if value is False or value is None:
            data.pop(name, None)
        else:
            data[name] = value.isoformat() if isinstance(value, date) else value
    data["csrf_token"] = csrf_from(client, url)
    return client.post(url, data=data)


REGIONAL_MEMBERS = [
    (
        "regional_president",
        "Luis Alberto Picón Quedo",
        {"role": "president", "position": "Presidente del Gobierno Regional"},
    ),
    (
        "regional_offices",
        "Carmen Rosa Tello Alvarado",
        {"role": "technical_secretary", "position": "Gerente Regional de Desarrollo Social"},
    ),
    ("regional_officials", "Jorge Luis Rivera Cárdenas", {"position": "Director Regional de Salud"}),
    (
        "regional_national_programs",
        "Ana María Soto Huerta",
        {"position": "Coordinadora Regional del Programa JUNTOS", "dni": "22456789"},
    ),
]


def regional_body_with_members(client, app, govs) -> int:  # noqa: ANN001
    """As the regional team: a body with a president and three other members."""
    body_id = create_body(client, govs["huanuco"])
    for category, name, extra in REGIONAL_MEMBERS:
        add_member(client, app, body_id, category, name, **extra)
    return body_id


def make_body(app, gov_id: int, members: list[tuple[str, str, dict[str, Any]]] = (), **fields: Any) -> int:  # noqa: ANN001
    """A body with members, straight through the engine (as the system administrator)."""
    from core.cases import case_types, create_case
    from core.models import Government
    from core.security import scope_for_cli
    from plugins.institutionalization.models import BodyMember, MemberCategory

    with app.app_context():
        government = db.session.get(Government, gov_id)
        body = create_case(
            case_types()["articulation_body"],
            government,
            2008,
            fields.pop("title", "Instancia"),
            None,
            scope_for_cli(None),
            **fields,
        )
        for category, name, extra in members:
            extra = {"active_from": date(2008, 3, 1), **extra}
            body.members.append(
                BodyMember(
                    full_name=name,
                    category=db.session.scalar(select(MemberCategory).where(MemberCategory.key == category)),
                    **extra,
                )
            )
        db.session.commit()
        return body.id


def make_ordinance(app, body_id: int, **fields: Any) -> int:  # noqa: ANN001
    """An ordinance of the body (pre-filled), with ``fields`` set, as the system administrator."""
    from core.operations import run

    with app.app_context():
        data = {"body_id": body_id, "year": fields.pop("year", 2008)}
        ordinance = run("institutionalization.ordinance.create", None, data)
        for name, value in fields.items():
            setattr(ordinance, name, value)
        db.session.commit()
        return ordinance.id


def perform_as_admin(app, case_id: int, *names: str) -> None:  # noqa: ANN001
    """Run transitions as the system administrator (setting up a state a test starts from)."""
    from core.models import Case
    from core.security import scope_for_cli
    from core.workflow import perform

    with app.app_context():
        case = db.session.get(Case, case_id)
        for name in names:
            perform(case, name, None, scope_for_cli(None), "preparación de la prueba")
        db.session.commit()
