"""Tests for the ``articula`` command line: users create/grant, territories load, demo load, data load and
the one-step setup."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.cli import main as cli
from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.extensions import db
from core.models import Government, Membership, Territory, User
from tests.conftest import build_app

GOOD_PASSWORD = "clave-larga-2008"


@pytest.fixture
def run(app):  # noqa: ANN001, ANN201
    runner = app.test_cli_runner()

    def invoke(*args: str, **kwargs):  # noqa: ANN202, ANN003
        return runner.invoke(cli, list(args), **kwargs)

    return invoke


def users(app) -> list[str]:  # noqa: ANN001
    with app.app_context():
        return list(db.session.scalars(select(User.email).order_by(User.email)))


def memberships(app, email: str) -> set[tuple[str, str | None]]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.execute(
            select(Membership.role, Government.name)
            .join(User, Membership.user_id == User.id)
            .outerjoin(Government, Membership.government_id == Government.id)
            .where(User.email == email)
        ).all()
        return {(role, name) for role, name in rows}


# --- users create -----------------------------------------------------------------------------------------


def test_users_create(app, run):
    result = run("users", "create", " Rosa@Huanuco.PE ", "--name", " Rosa Huamán ", "--password", GOOD_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Usuario creado: rosa@huanuco.pe" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rosa@huanuco.pe"))
        assert user.name == "Rosa Huamán" and user.locale == "es" and user.active
        assert user.check_password(GOOD_PASSWORD) and user.password_hash.startswith("scrypt:")


def test_users_create_asks_for_the_password_twice(app, run):
    result = run("users", "create", "rosa@huanuco.pe", "--name", "Rosa", input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output  # hidden input
    assert users(app) == ["rosa@huanuco.pe"]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("no-es-un-correo", GOOD_PASSWORD, "Correo electrónico no válido"),
        ("rosa@huanuco", GOOD_PASSWORD, "Correo electrónico no válido"),
        ("rosa@huanuco.pe", "corta", "al menos 10 caracteres"),
    ],
)
def test_users_create_refuses_bad_input(app, run, email, password, message):
    result = run("users", "create", email, "--name", "Rosa", "--password", password)
    assert result.exit_code == 1
    assert message in result.output
    assert users(app) == []


def test_users_create_refuses_a_duplicate(app, run):
    assert run("users", "create", "rosa@huanuco.pe", "--name", "Rosa", "--password", GOOD_PASSWORD).exit_code == 0
    result = run("users", "create", "ROSA@huanuco.pe", "--name", "Otra", "--password", GOOD_PASSWORD)
    assert result.exit_code == 1 and "Ya existe un usuario con el correo rosa@huanuco.pe" in result.output
    assert users(app) == ["rosa@huanuco.pe"]
    with app.app_context():
        assert db.session.scalar(select(User.name)) == "Rosa"


# --- users grant ------------------------------------------------------------------------------------------


@pytest.fixture
def rosa(run):  # noqa: ANN001, ANN201
    assert run("users", "create", "rosa@huanuco.pe", "--name", "Rosa", "--password", GOOD_PASSWORD).exit_code == 0
    return "rosa@huanuco.pe"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("jefa",), "Rol desconocido «jefa»"),
        (("team", "--government", "999999"), "No existe el gobierno «999999»"),
        (("team", "--government", "Gobierno Regional de Narnia"), "No existe el gobierno"),
        (("national", "--government", "100000"), "El rol «national» es nacional"),
        (("admin", "--government", "100000"), "El rol «admin» es nacional"),
        (("team",), "necesita un gobierno"),
        (("coordinator",), "necesita un gobierno"),
    ],
)
def test_users_grant_refuses(app, run, rosa, args, message):
    result = run("users", "grant", rosa, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert memberships(app, rosa) == set()


def test_users_grant_unknown_user(run):
    result = run("users", "grant", "nadie@huanuco.pe", "team", "--government", "100000")
    assert result.exit_code == 1 and "No existe el usuario" in result.output


def test_users_grant_and_revoke(app, run, rosa, govs):
    result = run("users", "grant", rosa, "team", "--government", "100000")
    assert result.exit_code == 0, result.output
    assert "rol team en Gobierno Regional de Huánuco" in result.output
    assert run("users", "grant", rosa, "team", "--government", "100000").exit_code == 0  # idempotent
    assert run("users", "grant", rosa, "coordinator", "--government", str(govs["amarilis"])).exit_code == 0
    by_name = run("users", "grant", rosa, "auditor", "--government", "Municipalidad Provincial de Cusco")
    assert by_name.exit_code == 0, by_name.output
    national = run("users", "grant", rosa, "national")
    assert national.exit_code == 0 and "todo el país" in national.output
    assert memberships(app, rosa) == {
        ("team", "Gobierno Regional de Huánuco"),
        ("coordinator", "Municipalidad Distrital de Amarilis"),
        ("auditor", "Municipalidad Provincial de Cusco"),
        ("national", None),
    }

    revoked = run("users", "grant", rosa, "team", "--government", "100000", "--revoke")
    assert revoked.exit_code == 0 and "retirado" in revoked.output
    assert ("team", "Gobierno Regional de Huánuco") not in memberships(app, rosa)
    again = run("users", "grant", rosa, "team", "--government", "100000", "--revoke")
    assert again.exit_code == 1 and "no tiene el rol team" in again.output
    assert len(memberships(app, rosa)) == 3


# --- territory, data, demo --------------------------------------------------------------------------------


def test_territories_load_names_the_counts(app, run):
    result = run("territories", "load")
    assert result.exit_code == 0, result.output
    assert "25 departamentos, 196 provincias, 1893 distritos" in result.output
    assert "25 regionales, 196 municipalidades provinciales, 1697 municipalidades distritales" in result.output
    assert "0 creados, 0 actualizados" in result.output


def test_data_load_when_up_to_date(run):
    result = run("data", "load")
    assert result.exit_code == 0 and "Datos semilla al día." in result.output


@pytest.mark.demo
def test_demo_load_prints_the_logins(app, run):
    """On a copy of the demo database (the loader's first run made it; ``articula setup --demo`` below runs it
    on an empty database): the command prints the logins, and loading again adds nothing."""
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Membership))
    result = run("demo", "load")
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    for email, _name, _role, _where in DEMO_USERS:
        assert email in result.output
    assert "Gobierno Regional de Huánuco" in result.output and "Municipalidad Distrital de Amarilis" in result.output
    assert users(app) == sorted(email for email, *_ in DEMO_USERS)
    assert memberships(app, "equipo.amarilis@huanuco.demo") == {("team", "Municipalidad Distrital de Amarilis")}
    assert memberships(app, "supervisor@stcias.demo") == {("national", None)}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == before == len(DEMO_USERS)


# --- one-step setup ---------------------------------------------------------------------------------------


@pytest.fixture
def empty_app(databases):  # noqa: ANN001, ANN201
    application = build_app(databases.new())
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def snapshot(application) -> dict[str, int]:  # noqa: ANN001
    from core.models import PluginState, SeedRecord

    with application.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Territory, Government, SeedRecord, PluginState, User, Membership)
        }


def test_setup_is_idempotent(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(cli, ["setup"])
    assert first.exit_code == 0, first.output
    assert "1893 distritos" in first.output
    after_first = snapshot(empty_app)
    assert after_first["Territory"] == 2114 and after_first["Government"] == 1918 and after_first["User"] == 0
    assert after_first["SeedRecord"] > 90
    second = runner.invoke(cli, ["setup"])
    assert second.exit_code == 0, second.output
    assert "Datos semilla al día." in second.output and "distritos" not in second.output
    assert snapshot(empty_app) == after_first
    with_demo = runner.invoke(cli, ["setup", "--demo"])
    assert with_demo.exit_code == 0 and DEMO_PASSWORD in with_demo.output
    assert snapshot(empty_app)["User"] == len(DEMO_USERS)
