"""What a legal officer checks in the stage-1 PDFs (issue 12, points 11-18), through the app with
real WeasyPrint and pypdf: letterhead images, gender agreement, titles by date, the closing block."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from core.extensions import db
from tests.plugins.institutionalization.conftest import make_body, make_ordinance

READY = {
    "number": "5",
    "session_date": date(2008, 6, 10),
    "approval_vote": "majority",
    "approval_date": date(2008, 6, 10),
}


def pages(content: bytes) -> list[str]:
    """Each page's text, whitespace collapsed."""
    assert content.startswith(b"%PDF")
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]


def draft(client, case_id: int, key: str) -> list[str]:  # noqa: ANN001
    response = client.get(f"/documentos/vista-previa/{case_id}/{key}.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return pages(response.data)


def test_municipal_ordinance_agrees_with_the_feminine_name(app, client, people, govs):
    body_id = make_body(
        app, govs["amarilis"], [("local_mayor", "Antonio Pulido", {"role": "president"})], title="IAL de Amarilis"
    )
    ordinance_id = make_ordinance(app, body_id, **READY)
    people.login(client, "amarilis_team")
    text = " ".join(draft(client, ordinance_id, "ordinance"))
    assert "del Municipalidad" not in text and "DEL MUNICIPALIDAD" not in text
    assert "Estrategia Nacional CRECER de la Municipalidad Distrital de Amarilis" in text
    assert "portal electrónico de la Municipalidad Distrital de Amarilis" in text
    assert "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE AMARILIS" in text


def test_regional_ordinance_agrees_with_the_masculine_name(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president"})])
    ordinance_id = make_ordinance(app, body_id, **{**READY, "number": "8"})
    people.login(client, "team")
    text = " ".join(draft(client, ordinance_id, "ordinance"))
    assert "Estrategia Nacional CRECER del Gobierno Regional de Huánuco" in text
    assert "de la Gobierno" not in text and "de el Gobierno" not in text
    # 2008: before Ley N° 30305 the head of the region is its President, in all three places
    assert "EL PRESIDENTE DEL GOBIERNO REGIONAL DE HUÁNUCO" in text
    assert "Comuníquese al señor Presidente del Gobierno Regional para su promulgación." in text
    assert "Ricardo Valdivia Presidente del Gobierno Regional" in text
    assert "Gobernador" not in text, re.findall(r".{120}Gobernador.{60}", text)


def test_ordinance_after_ley_30305_names_the_governor(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], [("regional_president", "Juan Alvarado", {"role": "president"})])
    ordinance_id = make_ordinance(
        app,
        body_id,
        number="3",
        session_date=date(2024, 5, 2),
        approval_vote="unanimous",
        approval_date=date(2024, 5, 2),
    )
    people.login(client, "team")
    text = " ".join(draft(client, ordinance_id, "ordinance"))
    assert "EL GOBERNADOR REGIONAL DE HUÁNUCO" in text
    assert "Comuníquese al señor Gobernador Regional para su promulgación." in text
    assert "Juan Alvarado Gobernador Regional" in text
    assert "Presidente del Gobierno Regional de Huánuco" not in text.replace(
        "Presidente del Gobierno Regional, quien", ""
    )
    assert '"AÑO DEL BICENTENARIO, DE LA CONSOLIDACIÓN DE NUESTRA INDEPENDENCIA' in text  # the seeded 2024 line


def test_ordinance_closing_formula_stays_with_the_signature(app, client, people, govs):
    """Whatever the length of the text before it, the closing formula shares the signature's page."""
    body_id = make_body(
        app, govs["amarilis"], [("local_mayor", "Antonio Pulido Ayala", {"role": "president"})], title="IAL"
    )
    ordinance_id = make_ordinance(app, body_id, **READY)
    people.login(client, "amarilis_team")
    from plugins.institutionalization.models import Ordinance

    for lines in range(0, 48, 3):
        with app.app_context():
            db.session.get(Ordinance, ordinance_id).visto = "Informe de la Gerencia.\n" * lines
            db.session.commit()
        last = draft(client, ordinance_id, "ordinance")[-1]
        assert "Antonio Pulido Ayala" in last, (lines, last)
        assert "POR TANTO: Regístrese, comuníquese, publíquese y cúmplase." in last, (lines, last)
        assert "Dado en la Municipalidad Distrital de Amarilis" in last, (lines, last)


def test_letterhead_prints_the_uploaded_crest_and_no_placeholder(app, client, people, govs):
    from PIL import Image

    body_id = make_body(app, govs["huanuco"], [("regional_president", "Ricardo Valdivia", {"role": "president"})])
    people.login(client, "team")
    reader = PdfReader(io.BytesIO(client.get(f"/documentos/vista-previa/{body_id}/member_roster.pdf").data))
    assert "ESCUDO" not in reader.pages[0].extract_text()
    assert not list(reader.pages[0].images)  # no image at all until the government uploads its crest

    buffer = io.BytesIO()
    Image.new("RGB", (40, 48), (200, 30, 30)).save(buffer, "PNG")
    people.login(client, "team")  # a team member cannot change the letterhead
    from tests.conftest import csrf_from

    url = f"/gobiernos/{govs['huanuco']}/emblemas/crest"
    token = csrf_from(client, f"/gobiernos/{govs['huanuco']}")
    sent = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(buffer.getvalue()), "e.png")})
    assert sent.status_code == 403
    people.login(client, "coord")
    token = csrf_from(client, f"/gobiernos/{govs['huanuco']}")
    fake = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(b"<svg onload=x()>"), "escudo.png")})
    assert fake.status_code == 303
    assert "no es una imagen PNG ni JPEG" in client.get(f"/gobiernos/{govs['huanuco']}").get_data(as_text=True)
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 1)
    client.post(url, data={"csrf_token": token, "file": (io.BytesIO(big), "big.png")})
    assert "supera el tamaño máximo" in client.get(f"/gobiernos/{govs['huanuco']}").get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(buffer.getvalue()), "escudo.png")})
    assert ok.status_code == 303
    page = client.get(f"/gobiernos/{govs['huanuco']}").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page  # shown on the government's page
    assert "<img" not in page.split("<title>", 1)[1].split("</title>", 1)[0]  # the page's title is just text
    assert page.count('id="emblems"') == 1
    reader = PdfReader(io.BytesIO(client.get(f"/documentos/vista-previa/{body_id}/member_roster.pdf").data))
    images = list(reader.pages[0].images)
    assert len(images) == 1 and images[0].image.size == (40, 48)
    # another region cannot touch it
    people.login(client, "cusco")
    token = csrf_from(client, "/")
    assert (
        client.post(url, data={"csrf_token": token, "file": (io.BytesIO(buffer.getvalue()), "e.png")}).status_code
        == 404
    )
    with app.app_context():
        from core.documents.models import GovernmentEmblem

        assert db.session.scalar(select(GovernmentEmblem.mime)) == "image/png"


def _many_members() -> list[tuple[str, str, dict]]:
    president = {"role": "president", "sex": "m", "dni": "22401871", "position": "Presidente del Gobierno Regional"}
    secretary = {"role": "technical_secretary", "sex": "f", "dni": "22456789"}
    secretary["position"] = "Gerente Regional de Desarrollo Social"
    members = [
        ("regional_president", "Ricardo Valdivia Tarazona", president),
        ("regional_offices", "Carmen Rosa Tello Alvarado", secretary),
        ("regional_universities", "Alberto Ruiz Soto", {"dni": "22999888", "position": "Rector"}),  # sex unrecorded
    ]
    members += [
        ("regional_officials", f"Funcionario Número {i:02d}", {"position": f"Director Regional del Sector {i:02d}"})
        for i in range(1, 31)
    ]
    return members


def test_installation_minutes_every_attendee_signs_with_a_header_on_every_page(app, client, people, govs):
    from datetime import time

    body_id = make_body(
        app,
        govs["huanuco"],
        _many_members(),
        installation_date=date(2008, 7, 7),
        installation_place="el Auditorio",
        installation_other_attendees="Representante de la ST-CIAS",
        installation_start_time=time(9, 30),
        installation_end_time=time(13, 15),
    )
    people.login(client, "team")
    found = draft(client, body_id, "installation_minutes")
    text = " ".join(found)
    assert "siendo las 09:30 horas" in text and "siendo las 13:15 horas" in text
    names = [name for _, name, _ in _many_members()]
    attendance = text.split("Asistentes", 1)[1]  # after who presided
    for name in [*names, "Representante de la ST-CIAS"]:
        assert attendance.count(name) == 2, name  # the attendee table (or list) and one signature line each
    # the person, then her charge and her role — never the office's name under a person's name
    assert "Carmen Rosa Tello Alvarado Secretaría Técnica" not in text
    assert "Carmen Rosa Tello Alvarado Gerente Regional de Desarrollo Social Secretaria Técnica de la Instancia" in text
    # the attendee table spans pages: its header repeats and no row is split
    table_pages = [i for i, page in enumerate(found) if re.search(r"Sector \d\d Miembro", page)]  # table rows
    assert len(table_pages) >= 2, found
    for i in table_pages:
        assert "Nombres y apellidos Cargo e institución Rol en la Instancia" in found[i], (i, found[i][:400])
    for n in range(1, 31):
        row = f"Funcionario Número {n:02d} Director Regional del Sector {n:02d}"
        assert any(row in page for page in found), row  # name and charge of a row on the same page


def test_credentials_letterhead_each_gendered_wording_and_no_self_accreditation(app, client, people, govs):
    from tests.plugins.institutionalization.test_documents import READY as REGIONAL_READY
    from tests.plugins.institutionalization.test_documents import _publish

    body_id = make_body(app, govs["huanuco"], _many_members()[:4])
    ordinance_id = make_ordinance(app, body_id, **REGIONAL_READY)
    _publish(app, client, people, ordinance_id)
    people.login(client, "team")
    html = client.get(f"/documentos/vista-previa/{body_id}/member_credentials").get_data(as_text=True)
    assert '<span class="nowrap">ORDENANZA REGIONAL N° 008-2008-GRH/CR</span>' in html
    found = draft(client, body_id, "member_credentials")
    assert len(found) == 4
    for page in found:  # every credential has its letterhead and heading
        assert "GOBIERNO REGIONAL DE HUÁNUCO" in page and "CREDENCIALES" in page
        assert "ORDENANZA REGIONAL N° 008-2008-GRH/CR" in page
    names = ("Ricardo Valdivia Tarazona", "Carmen Rosa Tello Alvarado", "Alberto Ruiz Soto", "Funcionario Número 01")
    by_name = {name: next(p for p in found if f" {name} " in p.split("CREDENCIALES")[1][:400]) for name in names}
    carmen = by_name["Carmen Rosa Tello Alvarado"]
    assert "identificada con DNI N° 22456789" in carmen and "es secretaria técnica de la" in carmen
    assert "identificado(a)" not in " ".join(found) and "secretario técnico" not in carmen
    assert "identificado con DNI N° 22401871" in by_name["Ricardo Valdivia Tarazona"]
    alberto = by_name["Alberto Ruiz Soto"]
    assert "Alberto Ruiz Soto con DNI N° 22999888" in alberto and "identificad" not in alberto
    # the head accredits the others; his own credential is certified by the technical secretary
    president = by_name["Ricardo Valdivia Tarazona"]
    assert "LA SECRETARIA TÉCNICA DE LA INSTANCIA DE ARTICULACIÓN REGIONAL certifica que:" in president
    assert "acredita a" not in president
    signature = "Carmen Rosa Tello Alvarado Gerente Regional de Desarrollo Social, Secretaria Técnica de la Instancia"
    assert signature in president
    for name in ("Carmen Rosa Tello Alvarado", "Alberto Ruiz Soto", "Funcionario Número 01"):
        page = by_name[name]
        assert "acredita a:" in page and "Ricardo Valdivia Tarazona Gobernador Regional de Huánuco" in page


def test_roster_has_a_signature_block(app, client, people, govs):
    body_id = make_body(app, govs["huanuco"], _many_members()[:3])
    people.login(client, "team")
    last = draft(client, body_id, "member_roster")[-1]
    assert (
        "Carmen Rosa Tello Alvarado Gerente Regional de Desarrollo Social, Secretaria Técnica de la Instancia" in last
    )


def test_session_times_and_member_sex_through_the_pages(app, client, people, govs):
    """The new fields are entered where the team works: the body's edit page and the member form."""
    from tests.plugins.institutionalization.conftest import add_member, create_body, edit_case

    people.login(client, "team")
    body_id = create_body(client, govs["huanuco"])
    add_member(client, app, body_id, "regional_offices", "Rosa Quispe", role="technical_secretary", sex="f")
    bad = edit_case(client, app, body_id, installation_start_time="12:00", installation_end_time="11:00")
    assert bad.status_code == 400 and "La sesión no puede terminar antes de empezar." in bad.get_data(as_text=True)
    assert (
        edit_case(client, app, body_id, installation_start_time="10:00", installation_end_time="12:30").status_code
        == 302
    )
    assert edit_case(client, app, body_id, title="Instancia de Articulación Regional de Huánuco").status_code == 302
    from plugins.institutionalization.models import ArticulationBody, BodyMember

    with app.app_context():
        body = db.session.get(ArticulationBody, body_id)
        assert (body.installation_start_time.isoformat(), body.installation_end_time.isoformat()) == (
            "10:00:00",
            "12:30:00",
        )
        assert db.session.scalar(select(BodyMember.sex).where(BodyMember.full_name == "Rosa Quispe")) == "f"


def test_without_a_recorded_sex_the_wording_needs_no_agreement(app, client, people, govs):
    members = [
        ("local_mayor", "Antonio Pulido", {"role": "president", "sex": "m"}),
        ("local_social_offices", "Marleny Villanueva", {"role": "technical_secretary", "dni": "22475581",
                                                        "position": "Jefa de la Oficina de Programas Sociales"}),
    ]  # fmt: skip
    body_id = make_body(app, govs["amarilis"], members, title="IAL de Amarilis")
    people.login(client, "amarilis_team")
    text = " ".join(draft(client, body_id, "member_roster") + draft(client, body_id, "member_credentials"))
    assert "Marleny Villanueva Jefa de la Oficina de Programas Sociales, a cargo de la Secretaría Técnica" in text
    assert "Marleny Villanueva con DNI N° 22475581" in text
    assert "está a cargo de la Secretaría Técnica de la IAL de Amarilis" in text
    assert "Secretario Técnico" not in text and "secretario técnico" not in text and "identificad" not in text
    # the municipal head accredits her: "Alcalde de la Municipalidad…"
    assert "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE AMARILIS acredita a:" in text
