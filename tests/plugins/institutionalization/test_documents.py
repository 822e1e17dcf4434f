"""The Spanish PDFs, through the app, their text extracted with pypdf: the ordinance (regional and
municipal formulas), the Acta de Instalación, the Relación de Miembros on a date, the credentials."""

from __future__ import annotations

import io
import re
from datetime import date, time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.extensions import db
from tests.conftest import csrf_from
from tests.plugins.institutionalization.conftest import (
    edit_case,
    make_body,
    make_ordinance,
    perform_as_admin,
    transition,
)

REGIONAL = [
    ("regional_president", "Ricardo Alfonso Valdivia Tarazona",
     {"role": "president", "position": "Presidente del Gobierno Regional"}),
    ("regional_offices", "Carmen Rosa Tello Alvarado",
     {"role": "technical_secretary", "position": "Gerente Regional de Desarrollo Social", "technical_committee": True}),
    ("regional_officials", "Manuel Jesús Figueroa Rojas",
     {"position": "Director Regional de Salud", "dni": "22427745"}),
    ("regional_universities", "Alberto Pedro Ruiz Soto",
     {"institution_name": "Universidad Nacional Hermilio Valdizán"}),
    ("regional_civil_society", "José Antonio Salazar Rivera", {"position": "Director de Cáritas Huánuco"}),
]  # fmt: skip
READY = {
    "number": "8",
    "session_date": date(2008, 6, 26),
    "approval_vote": "unanimous",
    "approval_date": date(2008, 6, 26),
}


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (lines wrap wherever the layout wraps them)."""
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _issued(app, case_id: int, key: str):  # noqa: ANN001, ANN202
    from core.documents.models import IssuedDocument

    with app.app_context():
        return db.session.scalar(
            select(IssuedDocument.id).where(IssuedDocument.case_id == case_id, IssuedDocument.template_key == key)
        )


def _publish(app, client, people, ordinance_id: int) -> str:  # noqa: ANN001
    """Approve (admin) and publish (coordinator, through the page); the issued PDF's text."""
    perform_as_admin(app, ordinance_id, "submit", "approve")
    people.login(client, "coord")
    edit_case(
        client, app, ordinance_id, promulgation_date="2008-06-30", publication_date="2008-06-30",
        publication_medium="Diario Oficial El Peruano",
    )  # fmt: skip
    assert transition(client, ordinance_id, "publish").status_code == 303
    document_id = _issued(app, ordinance_id, "ordinance")
    assert document_id, client.get(f"/expedientes/{ordinance_id}").get_data(as_text=True)[-3000:]
    response = client.get(f"/documentos/{document_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pdf_text(response.data)


def test_regional_ordinance_pdf(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], REGIONAL, direction_unit="Gerencia Regional de Desarrollo Social")
    ordinance_id = make_ordinance(app, body_id, **READY)
    text = _publish(app, client, people, ordinance_id)
    assert '"AÑO DE LAS CUMBRES MUNDIALES EN EL PERÚ"' in text
    assert "GOBIERNO REGIONAL DE HUÁNUCO" in text
    assert "ORDENANZA REGIONAL N° 008-2008-GRH/CR" in text
    assert "Huánuco, 30 de junio de 2008" in text
    assert "EL PRESIDENTE DEL GOBIERNO REGIONAL DE HUÁNUCO" in text
    assert (
        "POR CUANTO:" in text
        and "El Consejo Regional del Gobierno Regional de Huánuco, en su Sesión Ordinaria de fecha 26 de junio de 2008"
        in text
    )
    assert "VISTO:" in text and "CONSIDERANDO:" in text
    assert "artículo 191° de la Constitución Política del Perú" in text and "Ley N° 27867" in text
    assert "Artículo Primero.- CONFORMAR la Instancia de Articulación Regional" in text
    assert "Artículo Segundo.- ESTABLECER" in text
    for category in (
        "Presidente del Gobierno Regional, quien la preside:",
        "Representantes de las gerencias regionales:",
        "Directores regionales sectoriales:",
        "Representantes de las universidades:",
    ):
        assert category in text, category
    for _, name, _ in REGIONAL:
        assert name in text, name
    assert "Comuníquese al señor Presidente del Gobierno Regional para su promulgación." in text
    assert "POR TANTO: Mando se registre, publique y cumpla." in text
    assert "Regístrese, comuníquese, publíquese y cúmplase" not in text
    dado_en = "Dado en la sede central del Gobierno Regional de Huánuco, "
    assert dado_en + "a los treinta días del mes de junio del año dos mil ocho." in text
    assert "Ricardo Alfonso Valdivia Tarazona Presidente del Gobierno Regional" in text
    assert "Código de verificación" in text and "Página 1 de" in text


def test_municipal_ordinance_pdf(app, client, people, govs):
    body_id = make_body(
        app,
        govs["amarilis"],
        [("local_mayor", "Antonio Jesús Pulido Ayala", {"role": "president"}),
         ("local_social_offices", "Marleny Villanueva Sosa", {"position": "Jefa de la Oficina de Programas Sociales"})],
        title="IAL de Amarilis",
    )  # fmt: skip
    ordinance_id = make_ordinance(
        app,
        body_id,
        number="5",
        session_date=date(2008, 6, 10),
        approval_vote="majority",
        approval_date=date(2008, 6, 10),
    )
    perform_as_admin(app, ordinance_id, "submit", "approve")
    people.login(client, "amarilis_coord")
    edit_case(
        client,
        app,
        ordinance_id,
        promulgation_date="2008-06-12",
        publication_date="2008-06-15",
        publication_medium="Carteles",
    )
    transition(client, ordinance_id, "publish")
    text = pdf_text(client.get(f"/documentos/{_issued(app, ordinance_id, 'ordinance')}/pdf").data)
    assert "MUNICIPALIDAD DISTRITAL DE AMARILIS" in text
    assert "ORDENANZA MUNICIPAL N° 005-2008-MDA" in text
    assert "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE AMARILIS" in text
    por_cuanto = "El Concejo Municipal de la Municipalidad Distrital de Amarilis, en Sesión Ordinaria de fecha"
    assert por_cuanto + " 10 de junio de 2008" in text
    assert "artículo 194°" in text and "Ley N° 27972" in text and "27867" not in text
    assert "aprobó por mayoría la siguiente:" in text
    assert "Artículo Primero.- CONFORMAR la Instancia de Articulación Local" in text
    assert "Antonio Jesús Pulido Ayala" in text and "Marleny Villanueva Sosa" in text
    assert "POR TANTO: Regístrese, comuníquese, publíquese y cúmplase." in text
    assert "Mando se registre" not in text and "Consejo Regional" not in text
    assert (
        "Dado en la Municipalidad Distrital de Amarilis, a los doce días del mes de junio del año dos mil ocho." in text
    )
    assert "Alcalde" in text


def test_markup_in_names_is_text_in_the_pdf(app, client, people, govs):
    members = [("regional_president", "<b>Rosa</b> <script>x()</script> Quispe", {"role": "president"})]
    ordinance_id = make_ordinance(app, make_body(app, govs["huanuco"], members), **READY)
    people.login(client, "team")
    response = client.get(f"/documentos/vista-previa/{ordinance_id}/ordinance")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<b>Rosa</b>" not in html and "&lt;b&gt;Rosa&lt;/b&gt; &lt;script&gt;x()&lt;/script&gt; Quispe" in html
    text = _publish(app, client, people, ordinance_id)
    assert "<b>Rosa</b> <script>x()</script> Quispe" in text


def test_installation_minutes_issued_on_install(app, client, people, govs):
    body_id = make_body(
        app,
        govs["huanuco"],
        REGIONAL,
        installation_date=date(2008, 7, 7),
        installation_place="el Auditorio de la sede central del Gobierno Regional de Huánuco",
        installation_agreements="Aprobar el plan de trabajo.\nSesionar el primer lunes de cada mes.",
        installation_other_attendees="Representante de la ST-CIAS",
        installation_start_time=time(10, 0),
        installation_end_time=time(12, 30),
    )
    ordinance_id = make_ordinance(app, body_id, **READY)
    _publish(app, client, people, ordinance_id)
    transition(client, body_id, "constitute")
    assert transition(client, body_id, "install").status_code == 303
    text = pdf_text(client.get(f"/documentos/{_issued(app, body_id, 'installation_minutes')}/pdf").data)
    assert "ACTA DE INSTALACIÓN DE LA INSTANCIA DE ARTICULACIÓN REGIONAL" in text
    assert "a los siete días del mes de julio del año dos mil ocho" in text
    assert "constituida mediante ORDENANZA REGIONAL N° 008-2008-GRH/CR" in text
    opening = "En la ciudad de Huánuco, siendo las 10:00 horas, a los siete días del mes de julio del año dos mil ocho"
    assert opening + ", en el Auditorio" in text
    assert "se levantó la sesión siendo las 12:30 horas del mismo día, firmando los asistentes" in text
    assert "Presidió la sesión Ricardo Alfonso Valdivia Tarazona, Presidente del Gobierno Regional de Huánuco;" in text
    assert "la Secretaría Técnica estuvo a cargo de Carmen Rosa Tello Alvarado" in text
    for _, name, _ in REGIONAL:
        assert name in text
    assert "Representante de la ST-CIAS" in text
    assert "Aprobar el plan de trabajo." in text and "Sesionar el primer lunes de cada mes." in text


def test_roster_on_a_date_and_credentials(app, client, people, govs):
    members = [
        ("regional_president", "Ricardo Valdivia", {"role": "president", "dni": "22401871"}),
        ("regional_officials", "Hernán Lozano", {"active_to": date(2008, 5, 31)}),
        (
            "regional_officials",
            "Manuel Figueroa",
            {"active_from": date(2008, 6, 1), "position": "Director Regional de Salud"},
        ),
    ]
    body_id = make_body(app, govs["huanuco"], members, title="Instancia de Articulación Regional de Huánuco")
    people.login(client, "team")
    april = client.get(f"/institucionalizacion/instancias/{body_id}/relacion.pdf?fecha=2008-04-15")
    assert april.status_code == 200 and april.mimetype == "application/pdf"
    text = pdf_text(april.data)
    assert "RELACIÓN DE MIEMBROS" in text and "Miembros al 15 de abril de 2008" in text
    assert "Hernán Lozano" in text and "Manuel Figueroa" not in text
    text = pdf_text(client.get(f"/institucionalizacion/instancias/{body_id}/relacion.pdf?fecha=2008-07-01").data)
    assert "Manuel Figueroa" in text and "Hernán Lozano" not in text
    # a preview, not an issued document
    assert "VISTA PREVIA Vista previa sin valor oficial: el documento emitido lleva un código de verificación." in text

    # the roster of today, issued from the case page (a manual document)
    token = csrf_from(client, f"/expedientes/{body_id}")
    response = client.post(f"/expedientes/{body_id}/documentos/member_roster", data={"csrf_token": token})
    assert response.status_code == 303
    assert _issued(app, body_id, "member_roster")

    with app.app_context():
        from plugins.institutionalization.models import BodyMember

        figueroa = db.session.scalar(select(BodyMember.id).where(BodyMember.full_name == "Manuel Figueroa"))
    text = pdf_text(client.get(f"/institucionalizacion/miembros/{figueroa}/credencial.pdf").data)
    # dated today: the Gobernador Regional (Ley N° 30305)
    assert "CREDENCIAL" in text and "EL GOBERNADOR REGIONAL DE HUÁNUCO acredita a:" in text
    assert "Secretaría Técnica de la Instancia de Articulación Regional" in text  # the issuing office
    assert "Manuel Figueroa" in text and "Director Regional de Salud" in text and "Ricardo Valdivia" in text
    assert "Vigencia: desde el 1 de junio de 2008" in text
    # another region gets nothing
    people.login(client, "cusco")
    assert client.get(f"/institucionalizacion/miembros/{figueroa}/credencial.pdf").status_code == 404
    assert client.get(f"/institucionalizacion/instancias/{body_id}/relacion.pdf").status_code == 404


@pytest.mark.parametrize("key", ["ordinance", "installation_minutes", "member_roster", "member_credentials"])
def test_every_document_previews(app, client, people, govs, key):
    body_id = make_body(app, govs["huanuco"], REGIONAL)
    ordinance_id = make_ordinance(app, body_id, **READY)
    case_id = ordinance_id if key == "ordinance" else body_id
    people.login(client, "auditor")
    response = client.get(f"/documentos/vista-previa/{case_id}/{key}")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    assert "Ricardo Alfonso Valdivia Tarazona" in response.get_data(as_text=True)
