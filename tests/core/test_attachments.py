"""Attachments through the app: upload/download round trip, sniffed types, limits, scoping, soft delete, API, admin."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from core.attachments import sanitize_filename
from core.extensions import db
from core.models.attachments import Attachment
from core.models.audit import AuditEvent
from tests.conftest import csrf_from, login
from tests.core.test_cases import _create_generic

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00" + b"\x00" * 400


def png(width: int = 2, height: int = 2, extra: int = 0) -> bytes:
    """A real (tiny) PNG; ``extra`` bytes of a text chunk make it as big as a test needs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw))
    if extra:
        body += chunk(b"tEXt", b"c\x00" + b"x" * extra)
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


def xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Meta física 2008"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notas.txt", "hola")
    return out.getvalue()


@pytest.fixture(autouse=True)
def storage(app, tmp_path, monkeypatch) -> Path:  # noqa: ANN001
    folder = tmp_path / "adjuntos"
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(folder))
    return folder


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def upload(client, case_id: int, content: bytes, name: str, description: str = ""):  # noqa: ANN001, ANN201
    token = csrf_from(client, f"/expedientes/{case_id}")
    return client.post(
        f"/expedientes/{case_id}/adjuntos",
        data={"csrf_token": token, "description": description, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def huanuco_case(app, client, make_user, govs) -> int:  # noqa: ANN001
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    return _create_generic(client, govs["huanuco"])


def test_upload_download_round_trip(app, client, huanuco_case, storage):
    response = upload(client, huanuco_case, PDF, "Ordenanza firmada.pdf", "Escaneo firmado")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
        assert (attachment.content_type, attachment.size, attachment.filename) == (
            "application/pdf",
            len(PDF),
            "Ordenanza firmada.pdf",
        )
        on_disk = storage / attachment.storage_key
        assert on_disk.read_bytes() == PDF and attachment.storage_key.endswith(attachment.sha256)
        attachment_id = attachment.id
    page = client.get(f"/expedientes/{huanuco_case}").get_data(as_text=True)
    assert "Ordenanza firmada.pdf" in page and "Escaneo firmado" in page

    download = client.get(f"/adjuntos/{attachment_id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Ordenanza" in download.headers["Content-Disposition"]
    with app.app_context():
        actions = [
            (e.action, e.case_id)
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "attachment"))
        ]
        assert actions == [("attachment_upload", huanuco_case), ("attachment_download", huanuco_case)]
        from core.audit import verify_chain

        assert verify_chain().ok


def test_identical_files_are_stored_once_and_office_types_are_sniffed(app, client, huanuco_case, storage):
    for name, content in (("plan.xlsx", xlsx()), ("acta.docx", docx()), ("informe.odt", odt()), ("foto", png())):
        assert upload(client, huanuco_case, content, name).status_code == 303, name
    assert upload(client, huanuco_case, PDF, "a.pdf").status_code == 303
    assert upload(client, huanuco_case, PDF, "b.pdf").status_code == 303
    with app.app_context():
        rows = {a.filename: a.content_type for a in db.session.scalars(select(Attachment))}
    assert rows == {
        "plan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "acta.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "informe.odt": "application/vnd.oasis.opendocument.text",
        "foto.png": "image/png",  # a bare name gets the extension of what it really is
        "a.pdf": "application/pdf",
        "b.pdf": "application/pdf",
    }
    assert len(stored_files(storage)) == 5  # a.pdf and b.pdf share one file


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "informe.pdf", "dice ser PDF por su extensión"),
        (png(), "informe.pdf", "no corresponde a su contenido (PNG)"),
        (PDF, "foto.png", "no corresponde a su contenido (PDF)"),
        (plain_zip(), "acta.docx", "dice ser Word (DOCX)"),
        (EXE, "instalador.exe", "No se admiten archivos de tipo"),
        (b"nombre,monto\nHuanuco,1200\n", "datos.pdf", "No se reconoce el contenido"),
        (b"", "vacio.pdf", "está vacío"),
    ],
)
def test_lying_or_refused_files_store_nothing(app, client, huanuco_case, storage, content, name, message):
    response = upload(client, huanuco_case, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None
    assert stored_files(storage) == []


def test_over_the_limit_is_refused_and_nothing_stored(app, client, huanuco_case, storage, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 4096)
    big = png(extra=6000)
    response = upload(client, huanuco_case, big, "plano.png")
    assert response.status_code == 413
    assert "supera el tamaño máximo de 4 KB" in response.get_data(as_text=True)
    assert upload(client, huanuco_case, png(), "pequeño.png").status_code == 303  # under the limit: fine

    # beyond MAX_CONTENT_LENGTH Flask cuts the request off before any view runs
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    response = upload(client, huanuco_case, png(extra=20000), "enorme.png")
    assert response.status_code == 413
    assert "demasiado grande" in response.get_data(as_text=True)
    with app.app_context():
        assert [a.filename for a in db.session.scalars(select(Attachment))] == ["pequeño.png"]
    assert len(stored_files(storage)) == 1


def test_default_limit_is_20_mb_with_request_cap_above_it(app):
    assert app.config["ATTACHMENT_MAX_BYTES"] == 20 * 1024 * 1024
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["ATTACHMENT_MAX_BYTES"]


def test_scoping_auditors_and_other_regions(app, client, make_user, huanuco_case, govs):
    assert upload(client, huanuco_case, PDF, "acta.pdf").status_code == 303
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    login(client, "equipo@cusco.pe")
    assert client.get(f"/adjuntos/{attachment_id}").status_code == 404
    token = csrf_from(client, "/")
    assert client.post(f"/adjuntos/{attachment_id}/eliminar", data={"csrf_token": token}).status_code == 404
    refused = client.post(
        f"/expedientes/{huanuco_case}/adjuntos",
        data={"csrf_token": token, "file": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 404
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    for email, membership in (
        ("auditor@huanuco.pe", ("auditor", govs["huanuco"])),
        ("auditor@articula.pe", ("auditor", None)),
    ):
        make_user(email, membership)
        login(client, email)
        page = client.get(f"/expedientes/{huanuco_case}").get_data(as_text=True)
        assert "acta.pdf" in page and 'name="file"' not in page  # sees it, no upload form
        assert client.get(f"/adjuntos/{attachment_id}").status_code == 200
        token = csrf_from(client, "/")
        response = client.post(
            f"/expedientes/{huanuco_case}/adjuntos",
            data={"csrf_token": token, "file": (io.BytesIO(PDF), "x.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 403
        assert client.post(f"/adjuntos/{attachment_id}/eliminar", data={"csrf_token": token}).status_code == 403
        client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    with app.app_context():
        assert db.session.scalar(select(Attachment.deleted_at)) is None
        assert len(db.session.scalars(select(Attachment)).all()) == 1


def test_soft_delete_is_audited_and_hides_the_file(app, client, huanuco_case, storage):
    upload(client, huanuco_case, PDF, "borrador.pdf")
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    response = client.post(f"/adjuntos/{attachment_id}/eliminar", data={"csrf_token": csrf_from(client, "/")})
    assert response.status_code == 303
    assert client.get(f"/adjuntos/{attachment_id}").status_code == 404
    assert (
        "borrador.pdf"
        not in client.get(f"/expedientes/{huanuco_case}")
        .get_data(as_text=True)
        .split('id="attachments"')[1]
        .split("</section>")[0]
    )
    with app.app_context():
        attachment = db.session.get(Attachment, attachment_id)
        assert attachment.deleted_at is not None and attachment.deleted_by_id is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment_delete"))
        assert event.entity_id == str(attachment_id) and event.case_id == huanuco_case
        assert event.changes["deleted_at"][0] is None and event.changes["deleted_at"][1]
        assert event.actor_label == "equipo@huanuco.pe"
    assert len(stored_files(storage)) == 1  # the bytes stay: deletion is reversible by an administrator


def test_corrupted_file_is_not_served(app, client, huanuco_case, storage):
    upload(client, huanuco_case, PDF, "acta.pdf")
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        attachment_id, key = attachment.id, attachment.storage_key
    (storage / key).write_bytes(PDF.replace(b"Catalog", b"Catalox"))
    response = client.get(f"/adjuntos/{attachment_id}")
    assert response.status_code == 500
    assert "está dañado" in response.get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["attachments", "verify"])
    assert result.exit_code == 1 and "Dañado o ausente" in result.output


def test_filenames_are_sanitized_and_escaped(app, client, huanuco_case):
    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename('C:\\Users\\ana\\Acta "final".PDF') == "Acta _final_.pdf"
    assert sanitize_filename("...") == "adjunto"
    assert upload(client, huanuco_case, PDF, "<script>alert(1)</script>.pdf").status_code == 303
    page = client.get(f"/expedientes/{huanuco_case}").get_data(as_text=True)
    assert "<script>alert" not in page
    with app.app_context():
        name = db.session.scalar(select(Attachment.filename))
    assert "<" not in name and "/" not in name and name.endswith(".pdf")


def test_api_list_upload_download(app, client, make_user, govs, api_token, storage, monkeypatch):
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    auditor = make_user("auditor@articula.pe", ("auditor", None))
    outsider = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    created = client.post(
        "/api/v1/cases",
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2008,
            "title": "Con adjuntos",
            "stage": "operations",
        },
        headers=headers,
    )
    case_id = created.get_json()["id"]
    url = f"/api/v1/cases/{case_id}/attachments"
    posted = client.post(
        url,
        data={"file": (io.BytesIO(PDF), "acta.pdf"), "description": "Acta"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert posted.status_code == 201, posted.get_json()
    body = posted.get_json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["content_type"] == "application/pdf"
    listed = client.get(url, headers=headers).get_json()
    assert [i["filename"] for i in listed["items"]] == ["acta.pdf"]
    file = client.get(body["download_url"], headers=headers)
    assert file.status_code == 200 and file.data == PDF and file.headers["X-Content-Type-Options"] == "nosniff"

    lying = client.post(
        url, data={"file": (io.BytesIO(png()), "acta.pdf")}, headers=headers, content_type="multipart/form-data"
    )
    assert lying.status_code == 400 and "no corresponde" in lying.get_json()["error"]["message"]
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 50)
    big = client.post(
        url, data={"file": (io.BytesIO(PDF), "b.pdf")}, headers=headers, content_type="multipart/form-data"
    )
    assert big.status_code == 413 and "supera" in big.get_json()["error"]["message"]

    auditor_headers = {"Authorization": f"Bearer {api_token(auditor)}"}
    assert client.get(url, headers=auditor_headers).status_code == 200
    denied = client.post(
        url, data={"file": (io.BytesIO(PDF), "x.pdf")}, headers=auditor_headers, content_type="multipart/form-data"
    )
    assert denied.status_code == 403
    outsider_headers = {"Authorization": f"Bearer {api_token(outsider)}"}
    assert client.get(url, headers=outsider_headers).status_code == 404
    assert client.get(body["download_url"], headers=outsider_headers).status_code == 404
    spec = client.get("/api/v1/openapi.json").get_json()
    assert (
        "multipart/form-data" in spec["paths"]["/api/v1/cases/{case_id}/attachments"]["post"]["requestBody"]["content"]
    )
    with app.app_context():
        assert len(db.session.scalars(select(Attachment)).all()) == 1


def test_admin_lists_attachments_read_only_and_scoped(app, client, make_user, huanuco_case, govs):
    upload(client, huanuco_case, PDF, "acta-huanuco.pdf")
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    make_user("auditor@cusco.pe", ("auditor", govs["cusco"]))
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    make_user("admin@articula.pe", ("admin", None))
    login(client, "auditor@cusco.pe")
    assert "acta-huanuco.pdf" not in client.get("/admin/attachment/").get_data(as_text=True)
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    login(client, "auditor@huanuco.pe")
    assert "acta-huanuco.pdf" in client.get("/admin/attachment/").get_data(as_text=True)
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})
    login(client, "admin@articula.pe")
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    token = csrf_from(client, "/")
    assert client.post("/admin/attachment/delete/", data={"id": attachment_id, "csrf_token": token}).status_code == 403
    assert client.get("/admin/attachment/new/").status_code == 302
    with app.app_context():
        assert db.session.get(Attachment, attachment_id).deleted_at is None


def test_allowed_types_are_a_setting(app, client, huanuco_case, storage, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_ALLOWED_TYPES", "application/pdf")
    refused = upload(client, huanuco_case, png(), "foto.png")
    assert refused.status_code == 400
    assert "No se admiten archivos de tipo PNG. Se admiten: PDF." in refused.get_data(as_text=True)
    assert upload(client, huanuco_case, PDF, "acta.pdf").status_code == 303
    assert len(stored_files(storage)) == 1


# --- attachments freeze with the case -----------------------------------------------------------------------


def test_attachments_freeze_when_the_case_reaches_a_state_nobody_edits(
    app, client, make_user, govs, storage, api_token
):
    from tests.core.test_cases import _transition

    make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))
    admin = make_user("admin@articula.pe", ("admin", None))
    login(client, "coord@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    assert upload(client, case_id, PDF, "antes.pdf").status_code == 303
    assert _transition(client, case_id, "submit").status_code == 303
    assert upload(client, case_id, PDF, "en-revision.pdf").status_code == 303  # still editable by the coordinator
    assert _transition(client, case_id, "approve").status_code == 303
    with app.app_context():
        kept = db.session.scalar(select(Attachment).where(Attachment.filename == "antes.pdf")).id
    files_before = stored_files(storage)

    refused = upload(client, case_id, PDF, "despues.pdf")
    assert refused.status_code == 409
    assert "Aprobado" in refused.get_data(as_text=True) and "ya no se pueden agregar ni eliminar" in (
        refused.get_data(as_text=True)
    )
    token = csrf_from(client, f"/expedientes/{case_id}")
    assert client.post(f"/adjuntos/{kept}/eliminar", data={"csrf_token": token}).status_code == 409
    # not even an administrator, nor through the API
    headers = {"Authorization": f"Bearer {api_token(admin)}"}
    api = client.post(
        f"/api/v1/cases/{case_id}/attachments",
        data={"file": (io.BytesIO(PDF), "api.pdf")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert api.status_code == 409 and "ya no se pueden agregar" in api.get_json()["error"]["message"]
    with app.app_context():
        rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [(a.filename, a.deleted_at) for a in rows] == [("antes.pdf", None), ("en-revision.pdf", None)]
    assert stored_files(storage) == files_before
    page = client.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "antes.pdf" in page and f"/adjuntos/{kept}/eliminar" not in page and 'name="file"' not in page
