"""Documents through the app: PDF contents (pypdf), escaping, the asset-only fetcher, issuing,
immutability, stored downloads, public verification, scoping, time limit, workflow effect."""

from __future__ import annotations

import hashlib
import http.server
import io
import re
import threading
from collections.abc import Iterator
from datetime import date

import pypdf
import pytest
from sqlalchemy import delete, func, select, update

from core.documents import DOCUMENTS, register_document, today_lima
from core.documents.models import ImmutableDocumentError, IssuedDocument, YearName
from core.extensions import db
from core.models import Case, WorkflowDefinition
from tests.conftest import csrf_from, login


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Extracted text with line breaks folded, for values a table cell may wrap."""
    return re.sub(r"\s+", " ", text)


def user_client(app, email: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, email)
    return client


def create_case(client, gov_id: int, title: str = "Expediente con ficha", **custom) -> int:  # noqa: ANN001
    token = csrf_from(client, "/expedientes/nuevo?tipo=generic")
    data = {"csrf_token": token, "government": gov_id, "year": 2008, "stage": "diagnosis", "title": title}
    data.update({f"custom__{k}": v for k, v in custom.items()})
    response = client.post("/expedientes/nuevo?tipo=generic", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def issue(client, case_id: int, key: str = "case_summary"):  # noqa: ANN001, ANN201
    token = csrf_from(client, f"/expedientes/{case_id}")
    return client.post(f"/expedientes/{case_id}/documentos/{key}", data={"csrf_token": token})


def only_document(app, case_id: int) -> int:  # noqa: ANN001
    """The id of the case's one issued document."""
    with app.app_context():
        ids = db.session.scalars(select(IssuedDocument.id).where(IssuedDocument.case_id == case_id)).all()
        assert len(ids) == 1, ids
        return ids[0]


def document_row(app, document_id: int) -> dict:  # noqa: ANN001
    with app.app_context():
        d = db.session.get(IssuedDocument, document_id)
        return {"content": d.content, "sha256": d.sha256, "code": d.code, "number": d.number, "size": d.size}


@pytest.fixture
def huanuco(app, make_user, govs):  # noqa: ANN001, ANN201
    """A Huánuco regional team member and coordinator, each with a logged-in client."""
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    return {"team": user_client(app, "equipo@huanuco.pe"), "coord": user_client(app, "coord@huanuco.pe")}


class RecordingServer:
    """An HTTP server on 127.0.0.1 that records every request it gets (it must get none)."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


# --- contents ---------------------------------------------------------------------------------------


def test_case_summary_pdf_shows_layout_fields_and_history(app, client, make_user, govs, huanuco):
    """A custom field added in the admin and a year name set in the admin both appear in the PDF."""
    make_user("admin@articula.pe", ("admin", None))
    admin = user_client(app, "admin@articula.pe")
    response = admin.post(
        "/admin/customfield/new/",
        data={
            "csrf_token": csrf_from(admin, "/admin/customfield/new/"),
            "case_type": "generic",
            "name": "monto_pip",
            "label": "Monto del PIP",
            "field_type": "money",
            "position": "1",
        },
    )
    assert response.status_code == 302
    year = today_lima().year  # the ficha is dated the day it is issued
    with app.app_context():  # the seed covers this year: the administrator corrects its name
        seeded = db.session.scalar(select(YearName).where(YearName.year == year))
        seeded_id, seeded_name = seeded.id, seeded.name
    edit_url = f"/admin/yearname/edit/?id={seeded_id}"
    response = admin.post(
        edit_url,
        data={"csrf_token": csrf_from(admin, edit_url), "year": year, "name": "Año de la Prueba Documental"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    try:
        case_id = create_case(huanuco["team"], govs["huanuco"], monto_pip="1200000")
        transition = huanuco["team"].post(
            f"/expedientes/{case_id}/transiciones/submit",
            data={"csrf_token": csrf_from(huanuco["team"], f"/expedientes/{case_id}"), "comment": "Lista"},
        )
        assert transition.status_code == 303
        assert issue(huanuco["coord"], case_id).status_code == 303
        document_id = only_document(app, case_id)
        row = document_row(app, document_id)
        text = pdf_text(row["content"])
        assert '"AÑO DE LA PRUEBA DOCUMENTAL"' in text
        assert "GOBIERNO REGIONAL DE HUÁNUCO" in text
        assert "Gerencia de Desarrollo Social" in text
        assert "FICHA DEL EXPEDIENTE" in text and "N° EXP-0001-2008-GRH" in text
        assert "Monto del PIP" in text and "S/ 1,200,000.00" in text
        assert "Responsable" in text and "Comentario" in text
        assert "Enviar a revisión" in flat(text) and "Borrador → En revisión" in flat(text) and "Lista" in text
        assert "Página 1 de 1" in text  # the stylesheet (served by the asset fetcher) numbers pages
        display_code = "-".join(row["code"][i : i + 4] for i in range(0, 12, 4))
        assert f"Código de verificación: {display_code}" in text
        assert f"/verificar/{row['code']}" in flat(text).replace(" ", "")
        assert "VISTA PREVIA" not in text
        assert "Coord" in text  # the issuer
    finally:
        with app.app_context():
            db.session.get(YearName, seeded_id).name = seeded_name
            db.session.commit()


def test_seeded_year_name_and_a_context_dated_document(app, govs, huanuco):
    """A template's context may date the document: the seeded 2008 year name and date follow."""
    register_document(
        "test_dated",
        "core/case_summary.html",
        "Constancia de prueba",
        ("generic",),
        context_fn=lambda case: {"document_date": date(2008, 6, 30)},
    )
    try:
        case_id = create_case(huanuco["team"], govs["huanuco"])
        assert issue(huanuco["team"], case_id, "test_dated").status_code == 303
        text = pdf_text(document_row(app, only_document(app, case_id))["content"])
        assert '"AÑO DE LAS CUMBRES MUNDIALES EN EL PERÚ"' in text
        assert "Huánuco, 30 de junio de 2008" in text
        assert "CONSTANCIA DE PRUEBA" in text
        with app.app_context():
            assert db.session.scalar(select(IssuedDocument.year)) == 2008
    finally:
        DOCUMENTS.pop("test_dated")


# --- bad input: escaping and the asset-only fetcher -------------------------------------------------


def test_user_text_is_escaped_and_nothing_is_fetched(app, govs, huanuco, recorder):
    title = f'<script>alert(1)</script> <img src="file:///etc/passwd"> <img src="{recorder.url}/pixel.png">'
    case_id = create_case(huanuco["team"], govs["huanuco"], title=title)
    preview = huanuco["team"].get(f"/documentos/vista-previa/{case_id}/case_summary")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "script-src" not in preview.headers["Content-Security-Policy"]  # default-src 'none': no scripts

    assert issue(huanuco["team"], case_id).status_code == 303
    text = flat(pdf_text(document_row(app, only_document(app, case_id))["content"]))
    assert "<script>alert(1)</script>" in text
    assert '<img src="file:///etc/passwd">' in text.replace("/ etc", "/etc")
    assert "pixel.png" in text
    assert recorder.hits == []


def test_fetcher_serves_packaged_assets_only(app, recorder):
    """Markup a template author wrote (not escaped) still cannot reach the network or the disk."""
    from core.documents import html_to_pdf

    html = f"""<html><head>
      <link rel="stylesheet" href="http://articula.invalid/documentos/recursos/core/documents/document.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://articula.invalid/documentos/recursos/core/../../../../etc/passwd">
    </head><body><p>Texto</p>
      <img src="{recorder.url}/tracker.png"><img src="file:///etc/passwd">
      <img src="https://example.org/x.png"><img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
    </body></html>"""
    with app.app_context():
        result = html_to_pdf(html)
    assert result.served[0].endswith("/core/documents/document.css")
    assert any(url.startswith("data:") for url in result.served)
    assert f"{recorder.url}/tracker.png" in result.refused
    assert "file:///etc/passwd" in result.refused
    assert "https://example.org/x.png" in result.refused
    assert any("etc/passwd" in url and "articula.invalid" in url for url in result.refused)
    assert recorder.hits == []
    assert "Página 1 de 1" in pdf_text(result.pdf)  # the packaged stylesheet did load


# --- issued documents: immutable, stored, verifiable -------------------------------------------------


def test_issued_document_is_immutable(app, govs, huanuco):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    issue(huanuco["team"], case_id)
    document_id = only_document(app, case_id)
    with app.app_context():
        document = db.session.get(IssuedDocument, document_id)
        document.title = "Otro título"
        with pytest.raises(ImmutableDocumentError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(IssuedDocument, document_id))
        with pytest.raises(ImmutableDocumentError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(ImmutableDocumentError):
            db.session.execute(update(IssuedDocument).values(sha256="0" * 64))
        db.session.rollback()
        with pytest.raises(ImmutableDocumentError):
            db.session.execute(delete(IssuedDocument))
        db.session.rollback()
        assert db.session.get(IssuedDocument, document_id).title.startswith("Ficha del expediente")

    # re-issuing creates a new document that supersedes the old one, which is left untouched
    before = document_row(app, document_id)
    issue(huanuco["team"], case_id)
    with app.app_context():
        docs = db.session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)).all()
        assert [d.supersedes_id for d in docs] == [None, document_id]
        assert docs[0].superseded_by.id == docs[1].id
        assert docs[0].sha256 == before["sha256"] and docs[1].code != before["code"]


def test_download_serves_the_stored_bytes(app, govs, huanuco):
    case_id = create_case(huanuco["team"], govs["huanuco"], title="Título original")
    issue(huanuco["team"], case_id)
    document_id = only_document(app, case_id)
    stored = document_row(app, document_id)
    # the case changes afterwards: a re-render would show the new title, the stored file does not
    page = huanuco["team"].get(f"/expedientes/{case_id}/editar").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    edited = huanuco["team"].post(
        f"/expedientes/{case_id}/editar", data={"csrf_token": token, "version": "1", "title": "Título cambiado"}
    )
    assert edited.status_code == 302
    for _ in range(2):
        response = huanuco["coord"].get(f"/documentos/{document_id}/pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data == stored["content"]
        assert hashlib.sha256(response.data).hexdigest() == stored["sha256"]
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        # named by its number and Spanish title, not the template's key
        assert re.search(r'filename="?EXP-0001-2008-GRH-Ficha-del-expediente\.pdf', disposition)
    text = pdf_text(response.data)
    assert "Título original" in text and "Título cambiado" not in text


def test_public_verification_by_code_and_by_file(app, govs, huanuco):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    issue(huanuco["team"], case_id)
    row = document_row(app, only_document(app, case_id))
    public = app.test_client()  # nobody signed in

    page = public.get(f"/verificar/{row['code']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "auténtico" in html and "EXP-0001-2008-GRH" in html and "Gobierno Regional de Huánuco" in html
    assert row["sha256"] in html
    dashed = "-".join(row["code"][i : i + 4] for i in range(0, 12, 4)).lower()
    assert public.get(f"/verificar/{dashed}").status_code == 200
    assert public.get(f"/verificar?codigo={dashed}").status_code == 302

    for bad in ("ZZZZZZZZZZZZ", "not-a-code", row["code"][:-1] + ("2" if row["code"][-1] != "2" else "3")):
        unknown = public.get(f"/verificar/{bad}")
        assert unknown.status_code == 404
        text = unknown.get_data(as_text=True)
        assert "no corresponde a ningún documento" in text and "Documento auténtico" not in text

    def upload(path: str, content: bytes):  # noqa: ANN202
        token = csrf_from(public, path)
        return public.post(
            path,
            data={"csrf_token": token, "archivo": (io.BytesIO(content), "documento.pdf")},
            content_type="multipart/form-data",
        )

    same = upload(f"/verificar/{row['code']}", row["content"])
    assert same.status_code == 200 and "idéntico al documento auténtico" in same.get_data(as_text=True)
    tampered = upload(f"/verificar/{row['code']}", row["content"] + b"%")
    assert "NO es idéntico" in tampered.get_data(as_text=True)
    anywhere = upload("/verificar", row["content"]).get_data(as_text=True)
    assert "idéntico a un documento auténtico" in anywhere and row["number"] in anywhere
    nowhere = upload("/verificar", b"%PDF-1.7 falso").get_data(as_text=True)
    assert "no coincide con ningún documento" in nowhere


# --- scoping -----------------------------------------------------------------------------------------


def test_scoping_of_documents(app, make_user, govs, huanuco, api_token):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    issue(huanuco["team"], case_id)
    document_id = only_document(app, case_id)

    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    make_user("equipo@provincia.pe", ("team", govs["huanuco_prov"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    for email in ("equipo@cusco.pe", "equipo@provincia.pe"):
        other = user_client(app, email)
        assert other.get(f"/documentos/{document_id}/pdf").status_code == 404
        assert other.get(f"/documentos/vista-previa/{case_id}/case_summary").status_code == 404
        assert (
            other.post(
                f"/expedientes/{case_id}/documentos/case_summary", data={"csrf_token": csrf_from(other, "/")}
            ).status_code
            == 404
        )

    auditor = user_client(app, "auditor@huanuco.pe")
    response = auditor.get(f"/documentos/{document_id}/pdf")
    assert response.status_code == 200 and response.data == document_row(app, document_id)["content"]
    detail = auditor.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "Ficha del expediente" in detail and f"/documentos/{document_id}/pdf" in detail
    assert f'action="/expedientes/{case_id}/documentos/case_summary"' not in detail  # no issue button
    assert issue(auditor, case_id).status_code == 403

    headers = {"Authorization": f"Bearer {api_token(make_user('auditor2@huanuco.pe', ('auditor', govs['huanuco'])))}"}
    assert app.test_client().post(f"/api/v1/cases/{case_id}/documents/case_summary", headers=headers).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1

    # the admin list is scoped too, and never shows the bytes
    make_user("auditor@cusco.pe", ("auditor", govs["cusco"]))
    cusco_admin = user_client(app, "auditor@cusco.pe").get("/admin/issueddocument/").get_data(as_text=True)
    assert "EXP-0001-2008-GRH" not in cusco_admin
    listing = auditor.get("/admin/issueddocument/")
    assert listing.status_code == 200
    listing_html = listing.get_data(as_text=True)
    assert "EXP-0001-2008-GRH" in listing_html and "Content" not in listing_html
    assert auditor.get(f"/admin/issueddocument/edit/?id={document_id}").status_code == 302


# --- the time limit and the workflow effect ----------------------------------------------------------


@pytest.fixture
def tiny_timeout(app):  # noqa: ANN001, ANN201
    def set_timeout(seconds: float) -> None:
        app.config["DOCUMENT_RENDER_TIMEOUT"] = seconds

    original = app.config["DOCUMENT_RENDER_TIMEOUT"]
    yield set_timeout
    app.config["DOCUMENT_RENDER_TIMEOUT"] = original


def test_render_time_limit_kills_and_replaces_the_worker(app, govs, huanuco, tiny_timeout):
    from core.documents.worker import get_pool

    case_id = create_case(huanuco["team"], govs["huanuco"])
    issue(huanuco["team"], case_id)  # a worker is up
    before = set(get_pool().worker_pids())
    assert before
    tiny_timeout(0.001)
    response = issue(huanuco["team"], case_id)
    assert response.status_code == 303
    page = huanuco["team"].get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "El documento no se pudo generar a tiempo" in page  # in the user's language, nothing saved
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1  # nothing half-written
    assert not set(get_pool().worker_pids()) & before  # the overrunning worker is gone
    tiny_timeout(30)
    assert issue(huanuco["team"], case_id).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 2
    assert not set(get_pool().worker_pids()) & before  # a new worker took over


@pytest.fixture
def generic_issues_on_approve(app):  # noqa: ANN001, ANN201
    """The generic workflow with ``issue_document: case_summary`` on ``approve`` (restored afterwards)."""
    from core.workflow import save_definition

    with app.app_context():
        original = db.session.get(WorkflowDefinition, "generic").source
        edited = original.replace(
            "roles: [coordinator], require: [title]}",
            "roles: [coordinator], require: [title],\n            issue_document: case_summary}",
        )
        assert edited != original
        save_definition("generic", edited)
        db.session.commit()
    yield
    with app.app_context():
        row = db.session.get(WorkflowDefinition, "generic")
        row.source, row.edited = original, False
        db.session.commit()


def test_issue_document_effect_is_part_of_the_transition(app, govs, huanuco, generic_issues_on_approve, tiny_timeout):
    team, coord = huanuco["team"], huanuco["coord"]
    case_id = create_case(team, govs["huanuco"])

    def transition(client, name: str):  # noqa: ANN001, ANN202
        token = csrf_from(client, f"/expedientes/{case_id}")
        return client.post(f"/expedientes/{case_id}/transiciones/{name}", data={"csrf_token": token})

    transition(team, "submit")
    # a render that fails undoes the whole transition: no state change, no document
    tiny_timeout(0.001)
    transition(coord, "approve")
    assert "No se pudo emitir el documento" in coord.get(f"/expedientes/{case_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).state == "in_review"
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 0
    tiny_timeout(30)
    assert transition(coord, "approve").status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.state == "approved"
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == case_id))
        assert document.issued_by.email == "coord@huanuco.pe"
        text = pdf_text(document.content)
    assert "Aprobado" in text and "En revisión → Aprobado" in flat(text)  # the PDF shows the state it was issued in


# --- API, preview, panel, CLI ------------------------------------------------------------------------


def test_documents_api(app, make_user, govs, api_token):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    api = app.test_client()
    created = api.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "Por API",
            "stage": "monitoring",
        },
    )
    case_id = created.get_json()["id"]
    listing = api.get(f"/api/v1/cases/{case_id}/documents", headers=headers).get_json()
    assert listing["items"] == [] and listing["templates"] == [
        {"key": "case_summary", "title": "Ficha del expediente", "can_issue": True}
    ]
    assert api.post(f"/api/v1/cases/{case_id}/documents/nope", headers=headers).status_code == 404
    issued = api.post(f"/api/v1/cases/{case_id}/documents/case_summary", headers=headers)
    assert issued.status_code == 201
    meta = issued.get_json()
    assert meta["number"] == "EXP-0001-2008-GRH" and meta["verify_url"].endswith("/verificar/" + meta["code"])
    assert api.get(f"/api/v1/documents/{meta['id']}", headers=headers).get_json()["sha256"] == meta["sha256"]
    pdf = api.get(f"/api/v1/documents/{meta['id']}/pdf", headers=headers)
    assert pdf.status_code == 200 and hashlib.sha256(pdf.data).hexdigest() == meta["sha256"]
    assert api.get(f"/api/v1/cases/{case_id}/documents", headers=headers).get_json()["total"] == 1
    other = {"Authorization": f"Bearer {api_token(make_user('equipo@cusco.pe', ('team', govs['cusco'])))}"}
    assert api.get(f"/api/v1/documents/{meta['id']}", headers=other).status_code == 404
    assert api.get(f"/api/v1/documents/{meta['id']}/pdf", headers=other).status_code == 404
    assert api.get(f"/api/v1/cases/{case_id}/documents", headers=other).status_code == 404
    spec = api.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/cases/{case_id}/documents/{key}" in spec["paths"]
    assert "IssuedDocument" in spec["components"]["schemas"]


def test_case_panel_preview_and_draft_pdf(app, govs, huanuco):
    case_id = create_case(huanuco["team"], govs["huanuco"], title="Plan & <b>metas</b>")
    detail = huanuco["team"].get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "Ficha del expediente" in detail
    assert f"/documentos/vista-previa/{case_id}/case_summary" in detail
    assert f'action="/expedientes/{case_id}/documentos/case_summary"' in detail
    preview = huanuco["team"].get(f"/documentos/vista-previa/{case_id}/case_summary").get_data(as_text=True)
    assert "FICHA DEL EXPEDIENTE" in preview and "VISTA PREVIA" in preview
    assert "Plan &amp; &lt;b&gt;metas&lt;/b&gt;" in preview
    css_url = re.search(r'href="(/documentos/recursos/core/documents/document\.css)"', preview).group(1)
    assert "counter(pages)" in huanuco["team"].get(css_url).get_data(as_text=True)
    assert huanuco["team"].get("/documentos/recursos/core/../../pyproject.toml").status_code == 404
    assert huanuco["team"].get("/documentos/recursos/core/css/../../documents.py").status_code == 404
    assert huanuco["team"].get(f"/documentos/vista-previa/{case_id}/nope").status_code == 404
    draft = huanuco["team"].get(f"/documentos/vista-previa/{case_id}/case_summary.pdf")
    assert draft.status_code == 200
    text = pdf_text(draft.data)
    assert "VISTA PREVIA" in text and "Código de verificación" not in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 0  # a draft is not stored


def test_cli_renders_in_the_users_scope(app, make_user, govs, huanuco, tmp_path):
    first = create_case(huanuco["team"], govs["huanuco"], title="Uno")
    second = create_case(huanuco["team"], govs["huanuco"], title="Dos")
    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    runner = app.test_cli_runner()

    out = tmp_path / "borradores"
    result = runner.invoke(args=["documents", "render", "--year", "2008", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["EXP-0001-2008-GRH__case_summary.pdf", "EXP-0002-2008-GRH__case_summary.pdf"]
    assert "VISTA PREVIA" in pdf_text((out / files[1]).read_bytes())
    assert "2 documentos generados" in result.output

    # another region's user reaches neither case
    result = runner.invoke(
        args=["documents", "render", "--case", str(first), "--out", str(tmp_path / "cusco"), "--as", "equipo@cusco.pe"]
    )
    assert result.exit_code == 1 and "fuera de su alcance" in result.output
    assert not (tmp_path / "cusco").exists() or not list((tmp_path / "cusco").iterdir())

    # issuing in bulk as a team member stores each document
    result = runner.invoke(
        args=[
            "documents",
            "render",
            "--case",
            str(second),
            "--issue",
            "--out",
            str(tmp_path / "e"),
            "--as",
            "equipo@huanuco.pe",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        document = db.session.scalar(select(IssuedDocument))
        assert document.case_id == second and document.issued_by.email == "equipo@huanuco.pe"
        assert (
            tmp_path / "e" / f"EXP-0002-2008-GRH__case_summary__{document.code}.pdf"
        ).read_bytes() == document.content


def test_document_templates_get_the_spanish_helpers_and_escape_everything(app):
    from core.documents import document_environment

    with app.app_context():
        env = document_environment(app)
        template = env.from_string(
            "{{ d|long_date }} | {{ date_in_words(d) }} | {{ 1200000|money(d) }} | {{ 1200000|legal_money(d) }}"
            " | {{ 1200000|legal_money(today) }} | {{ text }}"
        )
        out = template.render(d=date(2008, 9, 30), today=date(2024, 1, 2), text='<b onclick="x">')
    assert out.split(" | ") == [
        "30 de setiembre de 2008",
        "a los treinta días del mes de setiembre del año dos mil ocho",
        "S/. 1,200,000.00",
        "UN MILLÓN DOSCIENTOS MIL Y 00/100 NUEVOS SOLES (S/. 1 200 000,00)",
        "UN MILLÓN DOSCIENTOS MIL Y 00/100 SOLES (S/ 1 200 000,00)",
        "&lt;b onclick=&#34;x&#34;&gt;",
    ]


def test_admin_export_of_issued_documents_has_no_bytes(app, make_user, govs, huanuco):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    issue(huanuco["team"], case_id)
    row = document_row(app, only_document(app, case_id))
    make_user("admin@articula.pe", ("admin", None))
    admin = user_client(app, "admin@articula.pe")
    export = admin.get("/admin/issueddocument/export/csv/")
    assert export.status_code == 200
    csv_text = export.get_data(as_text=True)
    header = csv_text.splitlines()[0].lower()
    assert "huella sha-256" in header and "content" not in header and "contenido" not in header
    assert row["sha256"] in csv_text and len(csv_text) < row["size"]
    details = admin.get(f"/admin/issueddocument/details/?id={only_document(app, case_id)}").get_data(as_text=True)
    assert row["sha256"] in details and "%PDF" not in details
    # not even an administrator edits or deletes an issued document in the admin
    assert admin.get(f"/admin/issueddocument/edit/?id={only_document(app, case_id)}").status_code == 302
    token = csrf_from(admin, "/")  # the list offers no delete form at all
    admin.post("/admin/issueddocument/delete/", data={"csrf_token": token, "id": only_document(app, case_id)})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1


@pytest.mark.database_independent  # its own SQLite file
def test_app_start_up_does_not_import_weasyprint(tmp_path):
    """PDF rendering lives in the worker process: creating the app never pays WeasyPrint's import."""
    import subprocess
    import sys

    from core.config import PROJECT_ROOT

    script = (
        "import sys; from core.app import create_app; "
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'x.db'}'}}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf', 'tinycss2')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
