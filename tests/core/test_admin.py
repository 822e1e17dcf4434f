"""Tests for the admin at /admin: auditors browse their scope read-only, administrators edit with CSRF,
secrets never shown or exported, CSV/XLSX exports, and list pages without N+1 queries."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from sqlalchemy import func, select

from core.database import QueryCounter
from core.extensions import db
from core.models import ApiToken, Government, User
from tests.conftest import csrf_from, login

HUANUCO = "Gobierno Regional de Huánuco"
CUSCO = "Gobierno Regional de Cusco"


class FormParser(HTMLParser):
    """The values a browser would submit from the first form with method POST."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = self._done = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox", "radio"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value") or "y"
        elif tag == "select":
            self._select = a.get("name")
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(html: str) -> dict[str, str]:
    parser = FormParser()
    parser.feed(html)
    return parser.fields


@pytest.fixture
def auditor(client, make_user, govs):  # noqa: ANN001, ANN201
    """A client signed in as the auditor of the Huánuco region."""
    make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "auditor@huanuco.pe")
    return client


@pytest.fixture
def admin(client, make_user):  # noqa: ANN001, ANN201
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    return client


def government_rows(app) -> list[tuple]:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(
            select(Government.id, Government.kind, Government.name, Government.acronym, Government.parent_id).order_by(
                Government.id
            )
        ).all()


# --- auditors: their scope, read-only ---------------------------------------------------------------------


def test_regional_auditor_lists_governments_in_scope_only(auditor):
    huanuco = auditor.get("/admin/government/?search=Huánuco").get_data(as_text=True)
    assert HUANUCO in huanuco and "Municipalidad Provincial de Huánuco" in huanuco
    cusco = auditor.get("/admin/government/?search=Cusco")
    assert cusco.status_code == 200
    assert CUSCO not in cusco.get_data(as_text=True) and "Municipalidad Provincial de Cusco" not in cusco.get_data(
        as_text=True
    )
    # the kind filter works inside the scope: Huánuco has 11 provinces
    provinces = auditor.get("/admin/government/?flt0_0=provincial").get_data(as_text=True)
    assert provinces.count("Municipalidad Provincial de") == 11


def test_auditor_sees_no_write_buttons(auditor, govs):
    page = auditor.get("/admin/government/").get_data(as_text=True)
    assert "/admin/government/new/" not in page
    assert "/admin/government/edit/" not in page and "/admin/government/delete/" not in page
    # the create and edit pages themselves send the auditor back to the list
    for path in ("/admin/government/new/", f"/admin/government/edit/?id={govs['huanuco']}"):
        response = auditor.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/government/")


def test_auditor_cannot_create_edit_or_delete(app, auditor, govs):
    before = government_rows(app)
    token = csrf_from(auditor, "/perfil")  # a valid token: the refusal must come from the permission check
    target = govs["huanuco"]
    attempts = {
        "/admin/government/new/": {"kind": "regional", "name": "Gobierno Pirata", "ubigeo": "990000"},
        f"/admin/government/edit/?id={target}": {"kind": "regional", "name": "Renombrado", "ubigeo": "100000"},
        "/admin/government/delete/": {"id": str(target)},
        "/admin/government/action/": {"action": "delete", "rowid": str(target)},
    }
    for path, data in attempts.items():
        response = auditor.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, path
    assert government_rows(app) == before


def test_global_auditor_also_cannot_write(app, client, make_user, govs):
    make_user("auditor@articula.pe", ("auditor", None))
    login(client, "auditor@articula.pe")
    before = government_rows(app)
    token = csrf_from(client, "/perfil")
    response = client.post("/admin/government/delete/", data={"csrf_token": token, "id": str(govs["cusco"])})
    assert response.status_code == 403
    assert government_rows(app) == before


def test_non_admin_cannot_see_users(client, make_user, govs):
    make_user("coordinador@huanuco.pe", ("coordinator", govs["huanuco"]), ("auditor", None))
    login(client, "coordinador@huanuco.pe")
    for path in ("/admin/user/", "/admin/user/export/csv/", "/admin/apitoken/", "/admin/membership/"):
        assert client.get(path).status_code == 403, path


# --- administrators ---------------------------------------------------------------------------------------


def test_admin_edits_with_the_csrf_token_of_the_edit_page(app, admin, govs):
    path = f"/admin/government/edit/?id={govs['amarilis']}"
    fields = form_fields(admin.get(path).get_data(as_text=True))
    assert fields["name"] == "Municipalidad Distrital de Amarilis" and fields["csrf_token"]
    original = fields["acronym"]
    try:
        refused = admin.post(path, data={**fields, "acronym": "MDA-X", "csrf_token": "falso"})
        assert refused.status_code == 400
        with app.app_context():
            assert db.session.get(Government, govs["amarilis"]).acronym == original
        saved = admin.post(path, data={**fields, "acronym": "MDA-X"})
        assert saved.status_code == 302
        with app.app_context():
            amarilis = db.session.get(Government, govs["amarilis"])
            assert amarilis.acronym == "MDA-X"
            assert amarilis.parent_id == govs["huanuco_prov"] and amarilis.region_id == govs["huanuco"]
    finally:  # governments are reference data shared by the whole run
        with app.app_context():
            db.session.get(Government, govs["amarilis"]).acronym = original
            db.session.commit()


def test_admin_edits_a_record_with_a_unique_column(app, admin, make_user):
    """Users have a unique e-mail: saving the record itself is fine, taking another user's e-mail is not."""
    user_id = make_user("equipo@huanuco.pe")
    make_user("otro@huanuco.pe")
    with app.app_context():
        password_hash = db.session.get(User, user_id).password_hash
    path = f"/admin/user/edit/?id={user_id}"
    fields = form_fields(admin.get(path).get_data(as_text=True))
    assert fields["email"] == "equipo@huanuco.pe"
    assert admin.post(path, data={**fields, "name": "Rosa Huamán Quispe"}).status_code == 302
    taken = admin.post(path, data={**fields, "email": "otro@huanuco.pe"})
    assert taken.status_code == 200  # the form again, with the field's error
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.email) == ("Rosa Huamán Quispe", "equipo@huanuco.pe")
        assert user.password_hash == password_hash  # never part of the form


def test_secrets_never_shown_or_exported(app, admin, make_user, api_token):
    user_id = make_user("equipo@huanuco.pe")
    plain = api_token(user_id)
    with app.app_context():
        password_hash = db.session.get(User, user_id).password_hash
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user_id))
        token_hash, token_id = token.token_hash, token.id
    secrets = (password_hash, password_hash.split("$")[-1], token_hash, plain)
    pages = {
        "/admin/user/": "equipo@huanuco.pe",
        f"/admin/user/details/?id={user_id}": "equipo@huanuco.pe",
        f"/admin/user/edit/?id={user_id}": "equipo@huanuco.pe",
        "/admin/user/export/csv/": "equipo@huanuco.pe",
        "/admin/apitoken/": plain[:12],
        f"/admin/apitoken/details/?id={token_id}": plain[:12],
        f"/admin/apitoken/edit/?id={token_id}": "pruebas",
        "/admin/apitoken/export/csv/": plain[:12],
    }
    for path, expected in pages.items():
        response = admin.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert expected in body, path  # the page does show the record…
        for secret in secrets:
            assert secret not in body, path  # …but never a secret
        for label in ("Password Hash", "password_hash", "Token Hash", "token_hash"):
            assert label not in body, (path, label)


def test_admin_cannot_create_tokens_in_the_admin(admin):
    response = admin.get("/admin/apitoken/new/")
    assert response.status_code == 302  # tokens are created by their owner, on the profile page


# --- exports ----------------------------------------------------------------------------------------------


def test_csv_export_for_an_auditor(auditor):
    response = auditor.get("/admin/government/export/csv/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    names = [row[1] for row in rows[1:]]
    assert len(names) == 85  # the region and its 84 local governments, nothing else
    assert HUANUCO in names and CUSCO not in names


def test_xlsx_export_for_an_auditor(auditor):
    response = auditor.get("/admin/government/export/xlsx/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    cells = {str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None}
    assert HUANUCO in cells and "Municipalidad Distrital de Amarilis" in cells
    assert CUSCO not in cells


# --- list pages stay at a constant number of queries -------------------------------------------------------


def queries(app, client, path: str) -> int:  # noqa: ANN001
    with app.app_context():
        engine = db.engine
    client.get(path)  # warm-up (first-request work, caches)
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def government_view(app):  # noqa: ANN001, ANN201
    return next(v for v in app.extensions["articula.admin"]._views if getattr(v, "endpoint", None) == "government")


def test_government_list_queries_do_not_grow_with_page_size_or_page(app, admin):
    view = government_view(app)
    original = view.page_size
    try:
        view.page_size = 5
        small = queries(app, admin, "/admin/government/")
        view.page_size = 200
        large = queries(app, admin, "/admin/government/")
        later_page = queries(app, admin, "/admin/government/?page=5")
    finally:
        view.page_size = original
    assert small == large == later_page
    assert small <= 8


def test_government_list_queries_for_a_scoped_user(app, auditor):
    first = queries(app, auditor, "/admin/government/")
    second = queries(app, auditor, "/admin/government/?page=1")
    assert first == second <= 8


def test_governments_total_is_unchanged(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Government)) == 1918


def test_moving_a_municipality_to_another_province_moves_its_region(app, admin, govs):
    """region_id is derived: the scoping layer must follow an administrator's change of parent."""
    path = f"/admin/government/edit/?id={govs['amarilis']}"
    fields = form_fields(admin.get(path).get_data(as_text=True))
    try:
        assert admin.post(path, data={**fields, "parent": str(govs["cusco_prov"])}).status_code == 302
        with app.app_context():
            amarilis = db.session.get(Government, govs["amarilis"])
            assert (amarilis.parent_id, amarilis.region_id) == (govs["cusco_prov"], govs["cusco"])
    finally:
        with app.app_context():
            amarilis = db.session.get(Government, govs["amarilis"])
            amarilis.parent_id, amarilis.region_id = govs["huanuco_prov"], govs["huanuco"]
            db.session.commit()
