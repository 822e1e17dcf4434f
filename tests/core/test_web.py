"""Tests for the web pages as a browser sees them: error pages in Spanish, JSON errors for the API, security
headers, labelled form fields, the governments list (search, filter, pagination) and locally served assets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_from, login

SPANISH = {"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"}


@pytest.fixture
def team(client, make_user, govs):  # noqa: ANN001, ANN201
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    return client


@pytest.fixture
def national(client, make_user):  # noqa: ANN001, ANN201
    make_user("supervisor@stcias.pe", ("national", None))
    login(client, "supervisor@stcias.pe")
    return client


# --- error pages ------------------------------------------------------------------------------------------


def assert_html_error(response, status: int, message: str) -> None:  # noqa: ANN001
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert f"{status}</h1>" in html
    assert message in html
    assert "Traceback" not in html


def test_404_page_is_spanish_html(client):
    response = client.get("/no-existe", headers=SPANISH)
    assert_html_error(
        response,
        404,
        "La página o el registro no existe, o está fuera de su jurisdicción.",
    )


def test_403_page_is_spanish_html(team):
    response = team.get("/admin/user/", headers=SPANISH)
    assert_html_error(response, 403, "No tiene permiso para hacer esto.")


def test_out_of_jurisdiction_page_is_a_404_page(team, govs):
    response = team.get(f"/gobiernos/{govs['cusco']}", headers=SPANISH)
    assert_html_error(response, 404, "La página o el registro no existe")
    assert "Cusco" not in response.get_data(as_text=True)


def test_405_and_csrf_pages_are_html(client):
    assert_html_error(
        client.get("/salir", headers=SPANISH),
        405,
        "Este método no está permitido aquí.",
    )
    assert_html_error(
        client.post("/ingresar", data={"email": "a@b.pe", "password": "x"}, headers=SPANISH),
        400,
        "El formulario expiró",
    )


def test_english_browser_gets_english_error_pages(client):
    response = client.get("/no-existe", headers={"Accept-Language": "en-US,en"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "The page or record does not exist" in html


def test_api_errors_are_json(client, team):
    missing = client.get("/api/v1/no-existe")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]["code"] == 404
    assert "<html" not in missing.get_data(as_text=True)
    client.post("/salir", data={"csrf_token": csrf_from(client, "/perfil")})
    unauthorized = client.get("/api/v1/governments")
    assert unauthorized.status_code == 401 and unauthorized.is_json


def test_a_browser_asking_for_json_gets_json_errors(client):
    response = client.get("/no-existe", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.is_json


# --- security headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/ingresar", "/no-existe", "/api/v1/openapi.json", "/static/css/articula.css"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(team):
    assert team.get("/gobiernos/").headers["Cache-Control"] == "no-store"
    assert team.get("/api/v1/me").headers["Cache-Control"] == "no-store"


# --- accessible forms -------------------------------------------------------------------------------------


class FieldsAndLabels(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str | None]] = []  # (name, id)
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.fields.append((a.get("name") or "?", a.get("id")))


def parse_fields(html: str) -> FieldsAndLabels:
    parser = FieldsAndLabels()
    parser.feed(html)
    assert parser.fields, "no form fields found"
    return parser


def unlabelled(html: str) -> list[str]:
    parser = parse_fields(html)
    return [name for name, field_id in parser.fields if not field_id or field_id not in parser.labels]


def test_login_fields_are_labelled(client):
    assert unlabelled(client.get("/ingresar").get_data(as_text=True)) == []
    response = client.post("/ingresar", data={"email": "x", "password": "", "csrf_token": csrf_from(client)})
    html = response.get_data(as_text=True)
    assert unlabelled(html) == []
    # errors are tied to their field for screen readers
    assert 'aria-invalid="true"' in html and 'aria-describedby="email-errors"' in html and 'id="email-errors"' in html


def test_profile_fields_are_labelled(team):
    html = team.get("/perfil").get_data(as_text=True)
    assert unlabelled(html) == []
    field_names = {name for name, _id in parse_fields(html).fields}
    assert field_names >= {
        "profile-name",
        "profile-locale",
        "password-current",
        "password-new",
        "password-confirm",
        "token-name",
    }


def test_governments_filters_are_labelled(team):
    assert unlabelled(team.get("/gobiernos/").get_data(as_text=True)) == []


# --- the governments list ---------------------------------------------------------------------------------


def total(html: str) -> int:
    match = re.search(r"<p>([\d.,\s\xa0]+) (?:governments?|gobiernos?)</p>", html)
    assert match, "no total on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/gobiernos/\d+">([^<]+)</a>', html)


def test_governments_search(national):
    html = national.get("/gobiernos/?q=Amarilis").get_data(as_text=True)
    assert total(html) == 1 and names(html) == ["Municipalidad Distrital de Amarilis"]
    by_ubigeo = national.get("/gobiernos/?q=1001").get_data(as_text=True)  # Huánuco province: its ubigeos
    assert total(by_ubigeo) == 13
    assert names(by_ubigeo) == [
        *(
            f"Municipalidad Distrital de {district}"
            for district in (
                "Amarilis",
                "Chinchao",
                "Churubamba",
                "Margos",
                "Pillco Marca",
                "Quisqui",
                "San Francisco de Cayrán",
                "San Pablo de Pillao",
                "San Pedro de Chaulan",
                "Santa María del Valle",
                "Yacus",
                "Yarumayo",
            )
        ),
        "Municipalidad Provincial de Huánuco",
    ]
    nothing = national.get("/gobiernos/?q=Narnia").get_data(as_text=True)
    assert total(nothing) == 0 and names(nothing) == []
    assert 'value="Narnia"' in nothing  # the search box keeps what was typed


def test_governments_kind_filter(national):
    html = national.get("/gobiernos/?kind=regional&per_page=100").get_data(as_text=True)
    assert total(html) == 25
    assert len(names(html)) == 25 and all(n.startswith("Gobierno Regional") for n in names(html))
    assert '<option value="regional" selected>' in html
    combined = national.get("/gobiernos/?kind=provincial&q=Cusco").get_data(as_text=True)
    assert names(combined) == ["Municipalidad Provincial de Cusco"]
    unknown = national.get("/gobiernos/?kind=municipal").get_data(as_text=True)
    assert total(unknown) == 1918  # an unknown kind filters nothing


def test_governments_pagination(national):
    first = national.get("/gobiernos/?kind=district").get_data(as_text=True)
    second = national.get("/gobiernos/?kind=district&page=2").get_data(as_text=True)
    assert total(first) == total(second) == 1697
    assert len(names(first)) == len(names(second)) == 50
    assert not set(names(first)) & set(names(second))
    # the pager keeps the filter and offers the next page
    assert 'href="/gobiernos/?kind=district&amp;page=2"' in first
    assert 'href="/gobiernos/?kind=district&amp;page=1"' in second and "page=3" in second
    last = national.get("/gobiernos/?kind=district&page=34").get_data(as_text=True)
    assert len(names(last)) == 1697 - 33 * 50
    assert "page=35" not in last
    assert national.get("/gobiernos/?page=abc").status_code == 200  # a bad page number falls back to the first


def test_governments_list_is_scoped_for_a_team(team):
    html = team.get("/gobiernos/?kind=regional").get_data(as_text=True)
    assert names(html) == ["Gobierno Regional de Huánuco"]


# --- assets -----------------------------------------------------------------------------------------------


def test_css_is_served_locally(client):
    response = client.get("/static/css/articula.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert len(css) > 500
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert not re.search(r"@import\s+['\"]?(https?:)?//", css)


def external_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)', html)


def test_public_pages_load_nothing_from_other_sites(client):
    for path in ("/", "/ingresar"):
        html = client.get(path).get_data(as_text=True)
        assert '<link rel="stylesheet" href="/static/css/articula.css">' in html
        assert external_urls(html) == [], path


@pytest.mark.parametrize("path", ["/", "/gobiernos/", "/perfil", "/expedientes/", "/admin/government/"])
def test_signed_in_pages_load_nothing_from_other_sites(team, path):
    response = team.get(path)
    assert response.status_code == 200
    assert external_urls(response.get_data(as_text=True)) == []
