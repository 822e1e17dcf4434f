"""Attachment type names (KNOWN_TYPES) are translatable: refusals about forbidden types and the upload
panel name the accepted types in the user's language."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.core.test_attachments import EXE, plain_zip, upload
from tests.core.test_cases import _create_generic

ALLOWED_ES = "PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), OpenDocument texto (ODT), OpenDocument hoja de cálculo (ODS)"
ALLOWED_EN = "PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), OpenDocument spreadsheet (ODS)"


@pytest.fixture(autouse=True)
def storage(app, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "adjuntos"))


def _case_as(client, make_user, govs, locale: str) -> int:  # noqa: ANN001
    make_user(f"equipo.{locale}@huanuco.pe", ("team", govs["huanuco"]), locale=locale)
    login(client, f"equipo.{locale}@huanuco.pe")
    return _create_generic(client, govs["huanuco"])


@pytest.mark.parametrize(
    ("locale", "refusal", "zip_refusal", "allowed"),
    [
        ("es", "No se admiten archivos de tipo", "archivo comprimido ZIP", ALLOWED_ES),
        ("en", "Files of type", "ZIP compressed file", ALLOWED_EN),
    ],
)
def test_forbidden_types_are_named_in_the_users_language(
    app, client, make_user, govs, locale, refusal, zip_refusal, allowed
):
    case_id = _case_as(client, make_user, govs, locale)
    panel = client.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert allowed in panel
    refused = upload(client, case_id, EXE, "instalador.exe")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert refusal in text and allowed in text
    zipped = upload(client, case_id, plain_zip(), "notas.zip").get_data(as_text=True)
    assert zip_refusal in zipped
    other = ALLOWED_EN if locale == "es" else ALLOWED_ES
    assert other not in text and other not in panel
