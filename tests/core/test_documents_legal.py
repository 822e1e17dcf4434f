"""Issue 12, points 13 and 17 through the app: year-name lines as per-year data (fallback, warning,
refusal), titles and laws by date, and the one public address printed in verification links."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import delete, select

from core import legal
from core.documents.models import IssuedDocument, YearName
from core.extensions import db
from tests.conftest import csrf_from
from tests.core.test_documents import create_case, document_row, flat, huanuco, issue, only_document, pdf_text

__all__ = ["huanuco"]  # the fixture, re-used

PUBLIC = "https://articula.example.gob.pe"


@pytest.fixture
def base_url(app):  # noqa: ANN001, ANN201
    saved = app.config.get("BASE_URL")
    app.config["BASE_URL"] = PUBLIC + "/"
    yield PUBLIC
    app.config["BASE_URL"] = saved


@pytest.fixture
def without_year_names(app):  # noqa: ANN001, ANN201
    """Remove the seeded year names from ``year`` on (restored afterwards)."""
    removed: list[tuple[int, str]] = []

    def remove(since: int) -> None:
        with app.app_context():
            rows = db.session.scalars(select(YearName).where(YearName.year >= since)).all()
            removed.extend((r.year, r.name) for r in rows)
            db.session.execute(delete(YearName).where(YearName.year >= since))
            db.session.commit()

    yield remove
    with app.app_context():
        for year, name in removed:
            if db.session.scalar(select(YearName.id).where(YearName.year == year)) is None:
                db.session.add(YearName(year=year, name=name))
        db.session.commit()


def test_year_names_are_seeded_to_2026(ctx):
    names = dict(db.session.execute(select(YearName.year, YearName.name)).all())
    assert set(range(2007, 2027)) <= set(names)
    assert names[2026] == "Año de la Esperanza y el Fortalecimiento de la Democracia"
    assert names[2015] == "Año de la Diversificación Productiva y del Fortalecimiento de la Educación"


def test_a_year_without_its_name_prints_the_previous_one_and_admins_are_warned(
    app, make_user, govs, huanuco, without_year_names
):
    from core.documents import today_lima

    this_year = today_lima().year
    without_year_names(this_year)
    with app.app_context():
        previous = db.session.scalar(select(YearName.name).where(YearName.year == this_year - 1))
    case_id = create_case(huanuco["team"], govs["huanuco"])
    assert issue(huanuco["coord"], case_id).status_code == 303
    text = pdf_text(document_row(app, only_document(app, case_id))["content"])
    assert f'"{previous.upper()}"' in flat(text)  # never an empty line: the glosario's practice

    make_user("admin@articula.pe", ("admin", None))
    from tests.core.test_documents import user_client

    admin = user_client(app, "admin@articula.pe")
    page = admin.get("/").get_data(as_text=True)
    assert f"{this_year}" in page and "/admin/yearname/" in page and 'role="alert"' in page
    listing = admin.get("/admin/yearname/").get_data(as_text=True)
    assert f"El año {this_year} aún no tiene denominación" in listing  # where the names are maintained
    team_page = huanuco["team"].get("/").get_data(as_text=True)
    assert "/admin/yearname/" not in team_page  # only those who can fix it are told


def test_no_year_name_at_all_refuses_to_issue(app, govs, huanuco, without_year_names):
    without_year_names(1900)
    case_id = create_case(huanuco["team"], govs["huanuco"])
    response = issue(huanuco["coord"], case_id)
    page = huanuco["coord"].get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "No está registrada la denominación del año" in page, response.status_code
    with app.app_context():
        assert db.session.scalar(select(IssuedDocument.id)) is None  # nothing issued with an empty line


def test_laws_and_titles_follow_the_date():
    assert legal.cite("29733", date(2008, 6, 30)) == ""
    assert legal.cite("29733", date(2012, 1, 1)).startswith("Ley N° 29733")
    assert legal.head_of("regional", "Gobierno Regional de Huánuco", date(2014, 12, 31)) == (
        "Presidente del Gobierno Regional de Huánuco"
    )
    assert (
        legal.head_of("regional", "Gobierno Regional de Huánuco", date(2015, 6, 1)) == "Gobernador Regional de Huánuco"
    )
    assert legal.head_of("district", "Municipalidad Distrital de Amarilis", date(2008, 1, 1)) == (
        "Alcalde de la Municipalidad Distrital de Amarilis"
    )
    assert legal.de("Municipalidad Provincial de Huánuco") == "de la Municipalidad Provincial de Huánuco"
    assert legal.a("Municipalidad Provincial de Huánuco") == "a la Municipalidad Provincial de Huánuco"
    assert legal.de("Gobierno Regional de Huánuco") == "del Gobierno Regional de Huánuco"
    assert legal.a("Gobierno Regional de Huánuco") == "al Gobierno Regional de Huánuco"
    assert legal.de("Comité de Lucha contra la Pobreza") == "del Comité de Lucha contra la Pobreza"
    assert legal.de("Mesa de Concertación") == "de la Mesa de Concertación"


def test_verification_link_uses_base_url_never_the_host_header(app, make_user, govs, huanuco, base_url, api_token):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    coordinator = make_user("coord2@huanuco.pe", ("coordinator", govs["huanuco"]))
    forged = {"Authorization": f"Bearer {api_token(coordinator)}", "Host": "evil.example.com"}
    response = app.test_client().post(f"/api/v1/cases/{case_id}/documents/case_summary", headers=forged)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["verify_url"].startswith(PUBLIC + "/verificar/")
    row = document_row(app, only_document(app, case_id))
    text = flat(pdf_text(row["content"])).replace(" ", "")
    assert f"{PUBLIC}/verificar/{row['code']}".replace(" ", "") in text
    assert "evil.example.com" not in text


def test_verification_link_from_the_cli_is_absolute(app, govs, huanuco, base_url, tmp_path):
    case_id = create_case(huanuco["team"], govs["huanuco"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["documents", "render", "--case", str(case_id), "--issue", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    row = document_row(app, only_document(app, case_id))
    text = flat(pdf_text(row["content"])).replace(" ", "")
    assert f"{PUBLIC}/verificar/{row['code']}" in text


def test_public_verify_page_is_linked_from_home_and_a_mismatch_is_an_alert(app, govs, huanuco):
    public = app.test_client()
    home = public.get("/").get_data(as_text=True)
    assert 'href="/verificar"' in home
    page = public.get("/verificar").get_data(as_text=True)
    assert 'name="codigo"' in page and 'name="archivo"' in page
    token = csrf_from(public, "/verificar")
    response = public.post(
        "/verificar",
        data={"csrf_token": token, "archivo": (io.BytesIO(b"%PDF-1.7 otro"), "x.pdf")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "verdict-bad" in html and "Archivo NO auténtico" in html
