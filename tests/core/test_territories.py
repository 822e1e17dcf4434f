"""Tests for Peru's territory and its governments: counts, capital districts, links, accents, idempotent
loading, and the territory API (pagination, filters, Spanish errors)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from core.database import writing
from core.extensions import db
from core.models import Government, Territory
from core.territories import count_governments, count_territories, load_territories


@pytest.fixture
def bearer(make_user, api_token):  # noqa: ANN001, ANN201
    """Authorization headers of a signed-in user with no membership (territory is reference data)."""
    return {"Authorization": "Bearer " + api_token(make_user("lector@articula.pe"))}


def test_territory_counts(ctx):
    assert count_territories() == {"department": 25, "province": 196, "district": 1893}
    assert db.session.scalar(select(func.count()).select_from(Territory)) == 25 + 196 + 1893


def test_government_counts(ctx):
    assert count_governments() == {"regional": 25, "provincial": 196, "district": 1893 - 196}


def test_capital_district_has_no_district_municipality(ctx):
    capitals = db.session.scalars(
        select(Territory.ubigeo).where(Territory.level == "district", Territory.ubigeo.like("____01"))
    ).all()
    assert len(capitals) == 196  # one per province
    assert db.session.scalar(select(func.count()).where(Government.ubigeo.in_(capitals))) == 0
    # …and every other district has exactly one.
    others = select(Territory.ubigeo).where(Territory.level == "district", Territory.ubigeo.not_like("____01"))
    governed = select(Government.ubigeo).where(Government.kind == "district")
    assert set(db.session.scalars(others)) == set(db.session.scalars(governed))
    assert db.session.scalar(select(func.count()).select_from(governed.subquery())) == 1697


def test_every_government_points_to_its_territory_province_and_region(ctx):
    parent, region = aliased(Government), aliased(Government)
    rows = db.session.execute(
        select(Government, parent, region, Territory)
        .join(Territory, Government.territory_id == Territory.id)
        .outerjoin(parent, Government.parent_id == parent.id)
        .outerjoin(region, Government.region_id == region.id)
    ).all()
    assert len(rows) == 1918
    wrong = []
    for gov, par, reg, terr in rows:
        expected_level = {"regional": "department", "provincial": "province", "district": "district"}[gov.kind]
        if terr.ubigeo != gov.ubigeo or terr.level != expected_level:
            wrong.append((gov.name, "territory"))
        if gov.kind == "regional":
            if par is not None or reg is None or reg.id != gov.id:
                wrong.append((gov.name, "regional links"))
        elif gov.kind == "provincial":
            if par is None or par.kind != "regional" or par.ubigeo[:2] != gov.ubigeo[:2] or reg.id != par.id:
                wrong.append((gov.name, "provincial links"))
        else:
            if par is None or par.kind != "provincial" or par.ubigeo[:4] != gov.ubigeo[:4]:
                wrong.append((gov.name, "district parent"))
            if reg is None or reg.kind != "regional" or reg.ubigeo[:2] != gov.ubigeo[:2]:
                wrong.append((gov.name, "district region"))
    assert wrong == []


def test_amarilis_chain(ctx, govs):
    amarilis = db.session.get(Government, govs["amarilis"])
    assert amarilis.name == "Municipalidad Distrital de Amarilis"
    assert amarilis.parent.name == "Municipalidad Provincial de Huánuco"
    assert amarilis.parent.parent.name == "Gobierno Regional de Huánuco"
    assert amarilis.region_id == govs["huanuco"] == amarilis.parent.region_id
    assert amarilis.level == "local" and amarilis.region.level == "regional"


def test_accents_are_kept(ctx):
    names = dict(db.session.execute(select(Territory.ubigeo, Territory.name)).all())
    assert names["100000"] == "Huánuco"
    assert names["020000"] == "Áncash"
    assert names["220000"] == "San Martín"
    assert names["100109"] == "Santa María del Valle"
    regional = set(db.session.scalars(select(Government.name).where(Government.kind == "regional")))
    assert {"Gobierno Regional de Huánuco", "Gobierno Regional de Áncash", "Gobierno Regional del Callao"} <= regional


def test_loading_again_changes_nothing(ctx):
    before = db.session.execute(
        select(Government.id, Government.name, Government.parent_id, Government.region_id).order_by(Government.id)
    ).all()
    with writing():
        stats = load_territories()
    assert (stats.created, stats.updated) == (0, 0)
    assert stats.territories == {"department": 25, "province": 196, "district": 1893}
    assert stats.governments == {"regional": 25, "provincial": 196, "district": 1697}
    after = db.session.execute(
        select(Government.id, Government.name, Government.parent_id, Government.region_id).order_by(Government.id)
    ).all()
    assert after == before


# --- the territory API -------------------------------------------------------------------------------


def test_api_requires_authentication(client):
    response = client.get("/api/v1/territories")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == 401


def test_api_counts_districts(client, bearer):
    body = client.get("/api/v1/territories?level=district&per_page=1", headers=bearer).get_json()
    assert body["total"] == 1893
    assert body["pages"] == 1893
    assert body["items"][0]["level"] == "district"
    departments = client.get("/api/v1/territories?level=department", headers=bearer).get_json()
    assert departments["total"] == 25 and len(departments["items"]) == 25
    assert {"ubigeo": "100000", "name": "Huánuco", "level": "department"}.items() <= next(
        i for i in departments["items"] if i["ubigeo"] == "100000"
    ).items()


def test_api_paginates(client, bearer):
    first = client.get("/api/v1/territories?level=province&per_page=10", headers=bearer).get_json()
    second = client.get("/api/v1/territories?level=province&per_page=10&page=2", headers=bearer).get_json()
    assert (first["page"], first["per_page"], first["pages"], first["total"]) == (1, 10, 20, 196)
    assert second["page"] == 2 and len(second["items"]) == 10
    ubigeos = [i["ubigeo"] for i in first["items"] + second["items"]]
    assert ubigeos == sorted(ubigeos) and len(set(ubigeos)) == 20
    last = client.get("/api/v1/territories?level=province&per_page=10&page=20", headers=bearer).get_json()
    assert len(last["items"]) == 6
    beyond = client.get("/api/v1/territories?level=province&per_page=10&page=21", headers=bearer).get_json()
    assert beyond["items"] == [] and beyond["total"] == 196
    capped = client.get("/api/v1/territories?per_page=100000", headers=bearer).get_json()
    assert capped["per_page"] == 500 and len(capped["items"]) == 500


def test_api_unknown_level_is_a_spanish_400(client, bearer):
    response = client.get("/api/v1/territories?level=region", headers=bearer)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["message"]) == (400, "«level» debe ser uno de: department, province, district.")


def test_api_children_of_a_parent(client, bearer):
    districts = client.get("/api/v1/territories?parent=100100", headers=bearer).get_json()
    assert districts["total"] == 13
    names = [i["name"] for i in districts["items"]]
    assert names[:2] == ["Huánuco", "Amarilis"] and "Pillco Marca" in names
    assert {i["level"] for i in districts["items"]} == {"district"}
    provinces = client.get("/api/v1/territories?parent=100000", headers=bearer).get_json()
    assert provinces["total"] == 11
    assert all(i["ubigeo"].startswith("10") and i["level"] == "province" for i in provinces["items"])


def test_api_unknown_ubigeo(client, bearer):
    bad_parent = client.get("/api/v1/territories?parent=999999", headers=bearer)
    assert bad_parent.status_code == 400
    assert bad_parent.get_json()["error"]["message"] == "Ubigeo desconocido: 999999"
    missing = client.get("/api/v1/territories/999999", headers=bearer)
    assert missing.status_code == 404
    error = missing.get_json()["error"]
    assert (error["code"], error["message"]) == (404, "Ubigeo desconocido: 999999")


def test_api_one_territory(client, bearer, ctx):
    body = client.get("/api/v1/territories/100102", headers=bearer).get_json()
    province = db.session.scalar(select(Territory).where(Territory.ubigeo == "100100"))
    assert body["name"] == "Amarilis" and body["level"] == "district" and body["parent_id"] == province.id
