"""Every error answer in the user's language: pages in the app's layout, API bodies as JSON with a
translated message — 400, 403, 404, 405, 409, 413 and 500, in Spanish and in English; a 500 after a
failed SQL statement still draws the layout (the handler rolls the session back)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from core.extensions import db
from core.models import User
from tests.conftest import build_app, login

MESSAGES = {
    "es": {
        400: "«q» contiene caracteres no válidos (un byte nulo o Unicode inválido).",
        403: "No tiene permiso para hacer esto.",
        404: "La página o el registro no existe, o está fuera de su jurisdicción.",
        405: "Este método no está permitido aquí.",
        409: "Otra persona modificó este expediente después de que usted lo abrió.",
        413: "El archivo es demasiado grande: el límite para un adjunto es",
        500: "Ocurrió un error interno. Quedó registrado.",
        "back": "Volver a la página de inicio",
    },
    "en": {
        400: "«q» contains invalid characters (a NUL byte or invalid Unicode).",
        403: "You do not have permission to do this.",
        404: "The page or record does not exist, or is outside your jurisdiction.",
        405: "This method is not allowed here.",
        409: "Someone else changed this case after you opened it.",
        413: "The file is too large: the limit for an attachment is",
        500: "An internal error occurred. It has been logged.",
        "back": "Back to the start page",
    },
}


@pytest.fixture(scope="module")
def faulty_app(database):  # noqa: ANN001, ANN201
    """The same database under an app with a small request limit and two routes that fail on purpose."""
    app = build_app(database, MAX_CONTENT_LENGTH=4096, ATTACHMENT_MAX_BYTES=1024)

    def broken() -> str:
        raise RuntimeError("fallo provocado por la prueba")

    def broken_sql() -> str:
        db.session.execute(text("SELECT no_such_column FROM no_such_table"))
        return "inalcanzable"

    app.add_url_rule("/prueba/fallo", "test_broken", broken)
    app.add_url_rule("/prueba/fallo-sql", "test_broken_sql", broken_sql)
    app.add_url_rule("/api/v1/prueba/fallo", "test_api_broken", broken)
    return app


def user_in(app, make_user, govs, lang: str) -> str:  # noqa: ANN001
    email = f"equipo.{lang}@huanuco.pe"
    user_id = make_user(email, ("team", govs["huanuco"]))
    with app.app_context():
        db.session.get(User, user_id).locale = lang
        db.session.commit()
    return email


def assert_page(response, code: int, lang: str) -> None:  # noqa: ANN001
    page = response.get_data(as_text=True)
    assert response.status_code == code, page[:500]
    assert response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in page
    assert 'class="topbar"' in page  # the app's layout, not a bare server page
    assert MESSAGES[lang][code] in page
    assert MESSAGES[lang]["back"] in page


def assert_json(response, code: int, lang: str) -> None:  # noqa: ANN001
    assert response.status_code == code, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["error"]["code"] == code
    assert body["error"]["message"].startswith(MESSAGES[lang][code])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_error_pages_in_the_layout_and_the_users_language(app, faulty_app, make_user, govs, lang):  # noqa: ANN001
    email = user_in(app, make_user, govs, lang)
    client = app.test_client()
    login(client, email)
    assert_page(client.get("/gobiernos/?q=a%00b"), 400, lang)
    assert_page(client.get("/admin/user/"), 403, lang)
    assert_page(client.get("/expedientes/2147483647"), 404, lang)
    assert_page(client.open("/gobiernos/", method="TRACE"), 405, lang)

    faulty = faulty_app.test_client()
    login(faulty, email)
    assert_page(faulty.post("/gobiernos/", data={"archivo": "x" * 8192}), 413, lang)
    assert_page(faulty.get("/prueba/fallo"), 500, lang)
    # The failed statement is rolled back first, so the layout (which reads the user) still renders.
    assert_page(faulty.get("/prueba/fallo-sql"), 500, lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_api_errors_are_json_in_the_users_language(app, faulty_app, make_user, govs, api_token, lang):  # noqa: ANN001
    email = user_in(app, make_user, govs, lang)
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == email))
    headers = {"Authorization": f"Bearer {api_token(user_id)}"}
    client = app.test_client()
    assert_json(client.get("/api/v1/governments?q=a%00b", headers=headers), 400, lang)
    assert_json(client.get(f"/api/v1/governments/{govs['cusco']}", headers=headers), 404, lang)
    assert_json(client.put("/api/v1/me", headers=headers), 405, lang)
    created = client.post(
        "/api/v1/cases",
        json={"type": "generic", "government_id": govs["huanuco"], "year": 2008, "title": "X", "stage": "diagnosis"},
        headers=headers,
    ).get_json()
    stale = client.patch(f"/api/v1/cases/{created['id']}", json={"version": 0, "title": "Y"}, headers=headers)
    assert_json(stale, 409, lang)
    national_only = client.get("/api/v1/submissions/overview?year=2008", headers=headers)
    assert_json(national_only, 403, lang)

    faulty = faulty_app.test_client()
    upload = {"file": (io.BytesIO(b"x" * 8192), "grande.pdf"), "description": "grande"}
    assert_json(faulty.post(f"/api/v1/cases/{created['id']}/attachments", data=upload, headers=headers), 413, lang)
    assert_json(faulty.get("/api/v1/prueba/fallo", headers=headers), 500, lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_anonymous_errors_follow_accept_language(client, lang):  # noqa: ANN001
    headers = {"Accept-Language": lang}
    page = client.get("/no-existe", headers=headers)
    assert page.status_code == 404
    assert f'<html lang="{lang}">' in page.get_data(as_text=True)
    assert MESSAGES[lang][404] in page.get_data(as_text=True)
    unauthenticated = client.get("/api/v1/me", headers=headers)
    assert unauthenticated.status_code == 401
    expected = {"es": "Debe ingresar para continuar.", "en": "You must sign in to continue."}[lang]
    assert unauthenticated.get_json()["error"]["message"] == expected
