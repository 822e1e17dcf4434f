"""The public Ventanilla without login: choosing the place, sending an entry anonymously, the receipt PDF, the
e-mail copy, tracking by code, and every refusal in Spanish with nothing saved."""

from __future__ import annotations

import io
import re
from typing import Any

from sqlalchemy import func, select

from core.extensions import db
from core.testing import pdf_text
from tests.plugins.monitoring.ventanilla.conftest import AMARILIS

CODE_RE = re.compile(r"VC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}")


def _count(app: Any) -> int:
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context():
        return db.session.scalar(select(func.count(VentanillaEntry.id)))


def _code(response: Any) -> str:
    match = CODE_RE.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return match.group(0)


def test_the_place_is_chosen_step_by_step_without_login(client: Any, offices: dict[str, int]) -> None:
    page = client.get("/ventanilla").get_data(as_text=True)
    assert "Ventanilla CRECER" in page and "gratuita" in page and "Huánuco" in page
    assert 'name="viewport"' in page  # small phones
    assert not re.search(r"""(src|href)=["']https?://""", page)  # no external resource
    provinces = client.get("/ventanilla?departamento=100000").get_data(as_text=True)
    assert "Ambo" in provinces and 'name="provincia"' in provinces
    districts = client.get("/ventanilla?departamento=100000&provincia=100100").get_data(as_text=True)
    assert "Amarilis" in districts and 'name="distrito"' in districts
    found = client.get("/ventanilla?q=amaril").get_data(as_text=True)
    assert f"distrito={AMARILIS}" in found
    form = client.get(f"/ventanilla?distrito={AMARILIS}").get_data(as_text=True)
    assert "Ventanilla CRECER Municipalidad Distrital de Amarilis" in form
    assert "Plaza de Armas s/n, Paucarbamba" in form
    assert 'name="description"' in form and 'name="consent"' in form and 'name="website"' in form


def test_an_anonymous_entry_gets_a_code_a_receipt_and_is_tracked(
    app: Any, client: Any, offices: Any, submit: Any
) -> None:
    response = submit(kind="pedido", request_kind="inadequate", description="En el puesto de salud no me atendieron.")
    assert response.status_code == 201
    code = _code(response)
    assert "gratuita" in response.get_data(as_text=True)
    # typed in lower case, without hyphens: still found
    tracked = client.get(f"/ventanilla/seguimiento?codigo={code.lower().replace('-', ' ')}")
    page = tracked.get_data(as_text=True)
    assert tracked.status_code == 200
    assert code in page and "Registrada" in page and "Municipalidad Distrital de Amarilis" in page
    receipt = client.get(f"/ventanilla/constancia/{code}.pdf")
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    text = pdf_text(receipt.data)
    assert "CONSTANCIA DE REGISTRO" in text and code in text
    assert "Pedido (Atención inadecuada)" in text and "Amarilis (100102)" in text
    assert "gratuita" in text


def test_personal_data_needs_consent_and_never_shows_publicly(app: Any, client: Any, offices: Any, submit: Any) -> None:
    refused = submit(name="Rosa Huamán Ccori", dni="41234567")
    assert refused.status_code == 400
    assert "Ley N° 29733" in refused.get_data(as_text=True)
    assert _count(app) == 0
    accepted = submit(name="Rosa Huamán Ccori", dni="41234567", phone="962000111", consent="y")
    code = _code(accepted)
    page = client.get(f"/ventanilla/seguimiento?codigo={code}").get_data(as_text=True)
    assert "Rosa" not in page and "41234567" not in page and "962000111" not in page
    text = pdf_text(client.get(f"/ventanilla/constancia/{code}.pdf").data)
    assert "Rosa" not in text and "41234567" not in text


def test_bad_input_is_refused_in_spanish_and_nothing_is_saved(app: Any, client: Any, offices: Any, submit: Any) -> None:
    cases = [
        ({"description": ""}, "«Descripción» es obligatorio"),
        ({"description": "x" * 20_000}, "Descripción"),
        ({"dni": "1234", "consent": "y"}, "El DNI tiene exactamente 8 dígitos"),
        ({"email": "rosa@", "consent": "y"}, "correo electrónico válido"),
        ({"place": "999999"}, "no hay un distrito con ese código"),
        ({"kind": "pedido"}, "no le atendieron o le atendieron de forma inadecuada"),
        ({"kind": "queja"}, "no es una opción válida"),
    ]
    for fields, message in cases:
        response = submit(**fields)
        assert response.status_code == 400, fields
        assert message in response.get_data(as_text=True), (fields, response.get_data(as_text=True)[-3000:])
    forbidden = submit(attachments=(io.BytesIO(b"MZ\x90\x00 not a document"), "foto.exe"))
    assert forbidden.status_code == 400
    assert forbidden.get_data(as_text=True).count("No se admiten archivos de tipo application/x-msdownload") == 1
    assert _count(app) == 0


def test_an_attachment_of_an_accepted_type_is_kept(app: Any, offices: Any, submit: Any) -> None:
    from plugins.monitoring.ventanilla.models import VentanillaAttachment

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert submit(attachments=(io.BytesIO(pdf), "reclamo.pdf")).status_code == 201
    with app.app_context():
        (attachment,) = db.session.scalars(select(VentanillaAttachment)).all()
        assert attachment.filename == "reclamo.pdf" and attachment.content_type == "application/pdf"


def test_a_flood_from_one_address_gets_429_and_the_honeypot_catches_robots(app: Any, offices: Any, submit: Any) -> None:
    assert submit(website="http://spam.example").status_code == 400
    assert _count(app) == 0
    for _ in range(5):
        assert submit().status_code == 201
    flood = submit()
    assert flood.status_code == 429
    assert "Demasiadas entradas" in flood.get_data(as_text=True)
    assert flood.headers["Retry-After"] == "3600"
    assert _count(app) == 5


def test_a_guessed_or_mistyped_code_says_nothing_about_other_entries(client: Any, offices: Any, submit: Any) -> None:
    code = _code(submit())
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    for attempt in (wrong, "VC-0000-0000", "hola", "' OR 1=1 --"):
        response = client.get("/ventanilla/seguimiento", query_string={"codigo": attempt})
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "Ninguna entrada tiene ese código" in page and "Registrada" not in page
    assert client.get("/ventanilla/constancia/VC-2222-2222.pdf").status_code == 404


def test_the_citizen_gets_a_copy_by_e_mail(
    app: Any, offices: Any, submit: Any, smtp_server: Any, mail_config: Any
) -> None:
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_FROM="ventanilla@articula.pe")
    code = _code(submit(email="rosa@example.pe", consent="y"))
    (message,) = smtp_server.messages
    assert message[1] == ["rosa@example.pe"]
    body = message[2].decode("utf-8", "replace")
    assert code in body and "gratuita" in body


def test_a_flood_of_guessed_codes_from_one_address_gets_429_on_the_page_and_the_json(
    app: Any, client: Any, offices: Any, submit: Any
) -> None:
    code = _code(submit())
    app.config["VENTANILLA_LOOKUP_MISSES_PER_HOUR"] = 3
    guesser = {"REMOTE_ADDR": "200.4.5.6"}
    for guess in ("VC-2222-2222", "VC-3333-3333"):
        assert client.get(f"/ventanilla/seguimiento?codigo={guess}", environ_base=guesser).status_code == 404
    # the citizen's own code, again and again, is never counted
    for _ in range(5):
        assert client.get(f"/ventanilla/seguimiento?codigo={code}", environ_base=guesser).status_code == 200
    assert client.get(f"/ventanilla/constancia/{code}.pdf", environ_base=guesser).status_code == 200
    assert client.get("/api/v1/ventanilla/public/entries/VC-4444-4444", environ_base=guesser).status_code == 404
    refused = client.get(f"/ventanilla/seguimiento?codigo={code}", environ_base=guesser)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3600"
    text = refused.get_data(as_text=True)
    assert "Se consultaron demasiados códigos inexistentes desde esta conexión" in text
    assert "Registrada" not in text  # no status of the entry while refused
    assert client.get(f"/ventanilla/constancia/{code}.pdf", environ_base=guesser).status_code == 429
    api = client.get(f"/api/v1/ventanilla/public/entries/{code}", environ_base=guesser)
    assert api.status_code == 429 and "demasiados códigos inexistentes" in api.get_json()["error"]["message"]
    # another address is not affected
    other = client.get(f"/ventanilla/seguimiento?codigo={code}", environ_base={"REMOTE_ADDR": "200.9.9.9"})
    assert other.status_code == 200
