"""Test harness: one real database per run (SQLite file, or a private PostgreSQL schema when
ARTICULA_TEST_DATABASE_URL is set), built by the Alembic migrations, with territory and
catalogs loaded once; every test then starts from those reference tables alone. Users, logins,
forms, transitions, PDF text and route matrices come from the test kit, core/testing.py (a pytest
plugin registered by the ``pytest11`` entry point)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from core.app import create_app
from core.extensions import db
from core.testing import PASSWORD, csrf_from, login  # noqa: F401  (the test kit; tests import them from here too)

PG_URL = os.environ.get("ARTICULA_TEST_DATABASE_URL")
#: Tables loaded once per run and kept between tests.
REFERENCE_TABLES = {
    "territory",
    "government",
    "institution",
    "social_program",
    "strategic_program",
    "intervention_line",
    "social_info_item",
    "key_indicator",
    "seed_record",
    "plugin_state",
    "alembic_version",
    "workflow_definition",
    "deadline_rule",
    "year_name",
    "diagnosis_standard_result",
    "diagnosis_data_source",
    "diagnosis_indicator_measure",
    "member_category",  # plugin institutionalization: seed data (data/member_categories.yaml)
    # plugin monitoring (indicators): the key indicators' catalog, sources and national goals (seed data)
    "monitoring_indicator",
    "monitoring_indicator_source",
    "monitoring_national_goal",
    "monitoring_checklist",  # plugin monitoring: seed data (data/supervision_checklists.yaml)
    "monitoring_checklist_item",
}


def pytest_report_header(config: Any) -> str:
    return f"base de datos de prueba: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


class DatabaseFactory:
    """Fresh, empty databases: SQLite files, or PostgreSQL schemas dropped at the end."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp = tmp_path_factory
        self.schemas: list[str] = []

    def new(self) -> dict[str, Any]:
        if not PG_URL:
            path = self.tmp.mktemp("db") / "articula.db"
            return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
        import psycopg

        schema = f"articula_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        return {
            "SQLALCHEMY_DATABASE_URI": PG_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"options": f"-csearch_path={schema}"},
                "pool_pre_ping": True,
            },
        }

    def drop_all(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.drop_all()


def build_app(database: dict[str, Any], **overrides: Any):  # noqa: ANN201
    # Still scrypt, at a cost that keeps hundreds of test logins fast.
    config = {"TESTING": True, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", **database, **overrides}
    return create_app(config)


def migrate_and_load(app, territories: bool = True) -> None:  # noqa: ANN001
    from flask_migrate import upgrade

    from core.database import writing
    from core.seed import load_all
    from core.territories import load_territories

    with app.app_context(), writing():
        upgrade(revision="heads")
        if territories:
            load_territories()
            load_all(app)


@pytest.fixture(scope="session")
def database(databases: DatabaseFactory) -> dict[str, Any]:
    return databases.new()


@pytest.fixture(scope="session")
def app(database: dict[str, Any]):  # noqa: ANN201
    application = build_app(database)
    migrate_and_load(application)
    return application


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the shared app, delete every row outside the reference tables."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(delete(table))
        db.session.commit()


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


@pytest.fixture
def ctx(app):  # noqa: ANN001, ANN201
    with app.app_context():
        yield


def government(kind: str, ubigeo: str):  # noqa: ANN201
    from core.models import Government

    return db.session.scalar(select(Government).where(Government.kind == kind, Government.ubigeo == ubigeo))


@pytest.fixture
def govs(app) -> dict[str, int]:  # noqa: ANN001
    """Ids of the governments the tests use: Huánuco (region, province, Amarilis) and Cusco."""
    with app.app_context():
        return {
            "huanuco": government("regional", "100000").id,
            "huanuco_prov": government("provincial", "100100").id,
            "amarilis": government("district", "100102").id,
            "cusco": government("regional", "080000").id,
            "cusco_prov": government("provincial", "080100").id,
        }
