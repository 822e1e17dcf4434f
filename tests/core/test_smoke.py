"""First smoke test: the app builds its schema by migration, serves, and signs a user in."""

from tests.conftest import login


def test_health_and_login(client, make_user, govs):
    assert client.get("/health").get_json() == {"status": "ok", "database": "ok"}
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    page = client.get("/")
    assert page.status_code == 200
    assert "Huánuco" in page.get_data(as_text=True)
