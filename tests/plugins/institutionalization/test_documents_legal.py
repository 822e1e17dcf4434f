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
    assert f"/gobiernos/{govs['huanuco']}/emblemas/crest" in page
    reader = PdfReader(io.BytesIO(client.get(f"/documentos/vista-previa/{body_id}/member_roster.pdf").data))
    images = list(reader.pages[0].images)
    assert len(images) == 1 and images[0].image.size == (40, 48)
    # another region's crest is not this one's
    people.login(client, "cusco")
    assert client.get(f"/gobiernos/{govs['huanuco']}/emblemas/crest").status_code == 404
    with app.app_context():
        from core.models.documents import GovernmentEmblem

        assert db.session.scalar(select(GovernmentEmblem.mime)) == "image/png"
