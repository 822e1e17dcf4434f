"""Demo data (``articula demo load``): the Gobierno Regional de Huánuco in 2008 with its IAR
installed, 15 members across the categories (one replaced during the year) and its published
Ordenanza Regional N° 008-2008-GRH/CR; the provincial IAL of Huánuco and the district IAL of
Amarilis at earlier stages. Names and identity numbers are fictitious.

The current year (computed from today's date in Lima, never hard-coded) is the cycle in progress,
2008 its history: the standing IAR gets a new Governor on 1 January and this year's draft
ordinance updating its composition; Amarilis constitutes and installs its IAL this year, so its
Plan Articulado of the year can be approved by it (diagnosis/demo.py).

Everything goes through the case engine (create_case, workflow transitions) and the plugin's
operations (members, the ordinance, the body's data: core.operations.run), so the history,
guards, checks and issued documents are the real ones. Idempotent: a government that already has a
body is left as it is.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from core.cases import case_types, create_case
from core.cycles import current_year
from core.extensions import db
from core.models import Government, Institution, User
from core.operations import run
from core.security import scope_for
from core.workflow import perform
from plugins.institutionalization.models import ArticulationBody, Ordinance

YEAR = 2008

# (category key, full name, DNI, position, institution key or free text, role, technical committee, from, to)
REGIONAL_MEMBERS = [
    ("regional_president", "Ricardo Alfonso Valdivia Tarazona", "22401871",
     "Presidente del Gobierno Regional de Huánuco",
     None, "president", False, date(2008, 3, 3), None),
    ("regional_offices", "Carmen Rosa Tello Alvarado", "22418530", "Gerente Regional de Desarrollo Social",
     None, "technical_secretary", True, date(2008, 3, 3), None),
    ("regional_offices", "Walter Hugo Ramírez Ávila", "22433107",
     "Gerente Regional de Planeamiento, Presupuesto y Acondicionamiento Territorial",
     None, "member", True, date(2008, 3, 3), None),
    ("regional_officials", "Hernán Augusto Lozano Meza", "22409962", "Director Regional de Salud",
     "diresa", "member", False, date(2008, 3, 3), date(2008, 5, 31)),
    ("regional_officials", "Manuel Jesús Figueroa Rojas", "22427745", "Director Regional de Salud",
     "diresa", "member", True, date(2008, 6, 1), None),
    ("regional_officials", "Nelly Esther Cabrera Malpartida", "22415298", "Directora Regional de Educación",
     "dre", "member", True, date(2008, 3, 3), None),
    ("regional_officials", "Óscar Felipe Trujillo Ponce", "22438816", "Director Regional de Agricultura",
     "Dirección Regional de Agricultura de Huánuco", "member", False, date(2008, 3, 3), None),
    ("regional_governors", "Víctor Raúl Huaranga Céspedes", "22402653", "Prefecto Regional de Huánuco",
     "Ministerio del Interior", "member", False, date(2008, 3, 3), None),
    ("regional_sector_representatives", "Rocío del Pilar Melgarejo Durand", "22447320",
     "Directora de la Oficina Departamental de Estadística e Informática de Huánuco",
     "inei", "member", False, date(2008, 3, 3), None),
    ("regional_sector_representatives", "Julio César Vásquez Lino", "22421184",
     "Jefe de la Oficina Regional del RENIEC en Huánuco",
     "reniec", "member", False, date(2008, 3, 3), None),
    ("regional_national_programs", "Ana María Soto Huerta", "22456789", "Coordinadora Regional del Programa JUNTOS",
     "juntos", "member", True, date(2008, 3, 3), None),
    ("regional_national_programs", "Edith Gladys Alvarado Chávez", "22430061",
     "Jefa de la Unidad Operativa Territorial del PRONAA Huánuco",
     "pronaa", "member", False, date(2008, 3, 3), None),
    ("regional_national_programs", "Marco Antonio Berrospi Trujillo", "22412908",
     "Jefe de la Oficina Zonal de FONCODES Huánuco",
     "foncodes", "member", False, date(2008, 3, 3), None),
    ("regional_universities", "Alberto Pedro Ruiz Soto", "22405517", "Vicerrector Académico",
     "Universidad Nacional Hermilio Valdizán", "member", False, date(2008, 3, 3), None),
    ("regional_civil_society", "José Antonio Salazar Rivera", "22424436", "Director de Cáritas Huánuco",
     "Diócesis de Huánuco", "member", False, date(2008, 3, 3), None),
    ("regional_civil_society", "Yolanda Isabel Vega Palacios", "22439975", "Coordinadora Regional",
     "Mesa de Concertación para la Lucha contra la Pobreza de Huánuco", "member", False, date(2008, 3, 3), None),
]  # fmt: skip

PROVINCIAL_MEMBERS = [
    ("local_mayor", "Teodoro Ismael Ambrosio Cajas", "22461120", "Alcalde de la Municipalidad Provincial de Huánuco",
     None, "president", False, date(2008, 5, 5), None),
    ("local_social_offices", "Rosa Elvira Huamán Berrospi", "22468841", "Gerente de Desarrollo Social",
     None, "technical_secretary", True, date(2008, 5, 5), None),
    ("local_social_offices", "Luis Enrique Cárdenas Ruiz", None, "Responsable de la DEMUNA",
     None, "member", False, date(2008, 5, 5), None),
    ("local_sector_coordinators", "Gladys Noemí Espinoza Tello", "22470313",
     "Coordinadora Provincial del Programa JUNTOS",
     "juntos", "member", True, date(2008, 5, 5), None),
    ("local_social_organizations", "Felícita Zevallos Martel", None,
     "Presidenta de la Federación Provincial de Comedores Populares",
     "Federación Provincial de Comedores Populares de Huánuco", "member", False, date(2008, 5, 5), None),
]  # fmt: skip

DISTRICT_MEMBERS = [
    ("local_mayor", "Antonio Jesús Pulido Ayala", "22475581", "Alcalde de la Municipalidad Distrital de Amarilis",
     None, "president", False, date(2008, 6, 2), None),
    ("local_social_offices", "Marleny Rosario Villanueva Sosa", None, "Jefa de la Oficina de Programas Sociales",
     None, "technical_secretary", False, date(2008, 6, 2), None),
    ("local_social_organizations", "Juana Paulina Tucto Ríos", None, "Presidenta del Comité del Vaso de Leche",
     "Comité Distrital del Programa del Vaso de Leche", "member", False, date(2008, 6, 2), None),
]  # fmt: skip


#: The demo members who are women: their credentials and minutes read "identificada", "Secretaria
#: Técnica" (the sex is a member's recorded data; the demo records it for everyone).
WOMEN = {
    "Carmen Rosa Tello Alvarado",
    "Nelly Esther Cabrera Malpartida",
    "Rocío del Pilar Melgarejo Durand",
    "Ana María Soto Huerta",
    "Edith Gladys Alvarado Chávez",
    "Yolanda Isabel Vega Palacios",
    "Rosa Elvira Huamán Berrospi",
    "Gladys Noemí Espinoza Tello",
    "Felícita Zevallos Martel",
    "Marleny Rosario Villanueva Sosa",
    "Juana Paulina Tucto Ríos",
}

#: The document by which the government accredited the civil-society members (Norma 5.1.1, 5.2.1).
ACCREDITATION = "Oficio de acreditación N° 045-2008"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _government(kind: str, ubigeo: str) -> Government | None:
    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


def _has_body(government: Government) -> bool:
    return (
        db.session.scalar(select(ArticulationBody.id).where(ArticulationBody.government_id == government.id))
        is not None
    )


def _add_members(body: ArticulationBody, rows: list[tuple[Any, ...]], user: User) -> None:
    institutions = {i.key: i for i in db.session.scalars(select(Institution))}
    for key, name, dni, position, institution, role, committee, start, end in rows:
        catalog = institutions.get(institution or "")
        accredited = key.endswith(("civil_society", "social_organizations"))
        member = {
            "body_id": body.id,
            "full_name": name,
            "dni": dni,
            "sex": "f" if name in WOMEN else "m",
            "position": position,
            "institution_id": catalog.id if catalog else None,
            "institution_name": None if catalog or institution is None else institution,
            "category": key,
            "role": role,
            "technical_committee": committee,
            "accreditation_date": start if accredited else None,
            "accreditation_document": ACCREDITATION if accredited else None,
            "active_from": start,
            "active_to": end,
        }
        run("institutionalization.member.add", user, member)


def _edit_ordinance(ordinance: Ordinance, user: User, **values: Any) -> None:
    run(
        "institutionalization.ordinance.edit",
        user,
        {"ordinance_id": ordinance.id, "version": ordinance.version, **values},
    )


def _edit_body(body: ArticulationBody, user: User, **values: Any) -> None:
    run("institutionalization.body.edit", user, {"body_id": body.id, "version": body.version, **values})


def _new_ordinance(body: ArticulationBody, user: User, year: int) -> Ordinance:
    return run("institutionalization.ordinance.create", user, {"body_id": body.id, "year": year})


def _new_body(government: Government, user: User, title: str, **fields: Any) -> ArticulationBody:
    body = create_case(case_types()["articulation_body"], government, YEAR, title, user, scope_for(user), **fields)
    db.session.flush()
    return body  # type: ignore[return-value]


def _regional(coordinator: User, team: User) -> None:
    government = _government("regional", "100000")
    if government is None or _has_body(government):
        return
    body = _new_body(
        government,
        team,
        "Instancia de Articulación Regional de Huánuco",
        origin="new",
        direction_kind="technical_secretariat",
        direction_unit="Gerencia Regional de Desarrollo Social",
        has_technical_committee=True,
        monitoring_officer_name="Raúl Antonio Ponce Espinoza",
        monitoring_officer_position="Subgerente de Programas Sociales de la Gerencia Regional de Desarrollo Social",
    )
    _add_members(body, REGIONAL_MEMBERS, team)
    ordinance = _new_ordinance(body, team, YEAR)
    _edit_ordinance(
        ordinance,
        team,
        title="Ordenanza Regional que conforma la Instancia de Articulación Regional de la Estrategia Nacional CRECER",
        number="8",  # written by the pattern: ORDENANZA REGIONAL N° 008-2008-GRH/CR
        session_kind="ordinary",
        session_date=date(2008, 6, 26),
        approval_vote="unanimous",
    )
    perform(ordinance, "submit", team, scope_for(team))
    _edit_ordinance(ordinance, coordinator, approval_date=date(2008, 6, 26))
    perform(ordinance, "approve", coordinator, scope_for(coordinator), "Aprobada por unanimidad en Sesión Ordinaria.")
    _edit_ordinance(
        ordinance,
        coordinator,
        promulgation_date=date(2008, 6, 30),
        publication_date=date(2008, 6, 30),
        publication_medium=(
            "Portal electrónico del Gobierno Regional de Huánuco y diario encargado de las publicaciones judiciales"
        ),
    )
    perform(ordinance, "publish", coordinator, scope_for(coordinator))
    perform(body, "constitute", coordinator, scope_for(coordinator))
    agreements = "\n".join(
        [
            "Instalar la Instancia de Articulación Regional de Huánuco conforme a la "
            "Ordenanza Regional N° 008-2008-GRH/CR.",
            "Encargar a la Secretaría Técnica la elaboración del Plan de Trabajo 2008 de la Instancia.",
            "Sesionar ordinariamente el primer lunes de cada mes en la sede central del Gobierno Regional.",
            "Encargar al Comité Técnico la formulación del Plan Articulado Regional en un plazo de sesenta días.",
        ]
    )
    _edit_body(
        body,
        coordinator,
        installation_date=date(2008, 7, 7),
        installation_start_time=time(10, 0),
        installation_end_time=time(12, 30),
        installation_place=(
            "Auditorio de la sede central del Gobierno Regional de Huánuco, Jr. Calicanto N° 145, Amarilis"
        ),
        installation_agreements=agreements,
        installation_other_attendees=(
            "Representante de la Secretaría Técnica de la CIAS (ST-CIAS/PCM), en calidad de observador."
        ),
    )
    perform(body, "install", coordinator, scope_for(coordinator), "Sesión de instalación con quórum reglamentario.")


def _provincial(team: User) -> None:
    government = _government("provincial", "100100")
    if government is None or _has_body(government):
        return
    body = _new_body(
        government,
        team,
        "Instancia de Articulación Local de la Provincia de Huánuco",
        origin="poverty_committee",
        origin_name="Comité Provincial de Lucha contra la Pobreza de Huánuco",
        direction_kind="technical_office",
        direction_unit="Gerencia de Desarrollo Social",
    )
    _add_members(body, PROVINCIAL_MEMBERS, team)
    ordinance = _new_ordinance(body, team, YEAR)
    _edit_ordinance(ordinance, team, session_kind="ordinary", session_date=date(2008, 7, 15))
    perform(ordinance, "submit", team, scope_for(team), "Proyecto de ordenanza para revisión de la coordinación.")


def _district(team: User) -> None:
    government = _government("district", "100102")
    if government is None or _has_body(government):
        return
    body = _new_body(
        government,
        team,
        "Instancia de Articulación Local del Distrito de Amarilis",
        origin="new",
        direction_kind="technical_secretariat",
        direction_unit="Oficina de Programas Sociales",
    )
    _add_members(body, DISTRICT_MEMBERS, team)


def _on(year: int, month: int, day: int) -> date:
    """A date of the current year's demo, never after today (a demo loaded on 2 January has
    nothing dated in March)."""
    from core.deadlines import lima_today

    return min(date(year, month, day), lima_today())


def _has_ordinance(body: ArticulationBody, year: int) -> bool:
    return (
        db.session.scalar(select(Ordinance.id).where(Ordinance.body_id == body.id, Ordinance.year == year)) is not None
    )


def _body_of(government: Government | None) -> ArticulationBody | None:
    if government is None:
        return None
    return db.session.scalar(select(ArticulationBody).where(ArticulationBody.government_id == government.id))


def _regional_current_year(year: int, team: User) -> None:
    """The standing IAR in the current year: the Governor elected for the period takes the
    presidency on 1 January; the team drafts this year's ordinance updating the composition."""
    body = _body_of(_government("regional", "100000"))
    if body is None or _has_ordinance(body, year):
        return
    outgoing = next((m for m in body.members if m.role == "president" and m.active_to is None), None)
    start = _on(year, 1, 2)
    if outgoing is not None and outgoing.active_from < start:
        end = {"member_id": outgoing.id, "version": body.version, "active_to": start - timedelta(days=1)}
        run("institutionalization.member.edit", team, end)
        governor = {
            "body_id": body.id,
            "full_name": "Gisela Mercedes Alvarado Ríos",
            "dni": "22481357",
            "sex": "f",
            "position": "Gobernadora Regional de Huánuco",
            "category": "regional_president",
            "role": "president",
            "active_from": start,
        }
        run("institutionalization.member.add", team, governor)
    ordinance = _new_ordinance(body, team, year)
    title = (
        "Ordenanza Regional que actualiza la conformación de la Instancia de Articulación Regional de la "
        "Estrategia Nacional CRECER"
    )
    _edit_ordinance(ordinance, team, title=title)


def _district_current_year(year: int, team: User, coordinator: User) -> None:
    """Amarilis constitutes its IAL by this year's ordinance and installs it."""
    body = _body_of(_government("district", "100102"))
    if body is None or body.state != "draft" or _has_ordinance(body, year):
        return
    ordinance = _new_ordinance(body, team, year)
    _edit_ordinance(
        ordinance,
        team,
        number="4",  # written by the pattern: ORDENANZA MUNICIPAL N° 004-<year>-MDA
        session_kind="ordinary",
        session_date=_on(year, 2, 12),
        approval_vote="unanimous",
    )
    perform(ordinance, "submit", team, scope_for(team))
    _edit_ordinance(ordinance, coordinator, approval_date=_on(year, 2, 12))
    perform(ordinance, "approve", coordinator, scope_for(coordinator), "Aprobada por unanimidad en Sesión Ordinaria.")
    _edit_ordinance(
        ordinance,
        coordinator,
        promulgation_date=_on(year, 2, 16),
        publication_date=_on(year, 2, 18),
        publication_medium="Diario encargado de las publicaciones judiciales de Huánuco",
    )
    perform(ordinance, "publish", coordinator, scope_for(coordinator))
    perform(body, "constitute", coordinator, scope_for(coordinator))
    _edit_body(
        body,
        coordinator,
        installation_date=_on(year, 3, 2),
        installation_start_time=time(9, 30),
        installation_end_time=time(11, 45),
        installation_place="Salón consistorial de la Municipalidad Distrital de Amarilis",
        installation_agreements="Encargar a la Secretaría Técnica la formulación del Plan Articulado Local.",
    )
    perform(body, "install", coordinator, scope_for(coordinator), "Sesión de instalación con quórum reglamentario.")


def load(app: Flask) -> None:
    """Called by ``articula demo load`` after the core's demo users exist."""
    users = {
        key: _user(email)
        for key, email in (
            ("regional_team", "equipo.regional@huanuco.demo"),
            ("regional_coordinator", "coordinador.regional@huanuco.demo"),
            ("provincial_team", "equipo.provincial@huanuco.demo"),
            ("district_team", "equipo.amarilis@huanuco.demo"),
            ("district_coordinator", "coordinador.amarilis@huanuco.demo"),
        )
    }
    if users["regional_team"] and users["regional_coordinator"]:
        _regional(users["regional_coordinator"], users["regional_team"])
    if users["provincial_team"]:
        _provincial(users["provincial_team"])
    if users["district_team"]:
        _district(users["district_team"])
    db.session.flush()
    year = current_year()
    if year > YEAR:  # the current year's cycle in progress, 2008 as its history
        if users["regional_team"]:
            _regional_current_year(year, users["regional_team"])
        if users["district_team"] and users["district_coordinator"]:
            _district_current_year(year, users["district_team"], users["district_coordinator"])
    db.session.commit()
