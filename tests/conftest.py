"""Test harness: one real database per run (SQLite file, or a private PostgreSQL schema when
ARTICULA_TEST_DATABASE_URL is set), built by the Alembic migrations, with territory and
catalogs loaded once; every test then starts from those reference tables alone. A test marked
``@pytest.mark.demo`` gets instead a copy of a database with the demo loaded (once per run). Users, logins,
forms, transitions, PDF text and route matrices come from the test kit, core/testing.py (a pytest
plugin registered by the ``pytest11`` entry point)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from core.extensions import db
from core.testing import (  # noqa: F401  (the test kit; tests and plugins' conftests import them from here too)
    PASSWORD,
    PG_URL,
    DatabaseFactory,
    build_app,
    csrf_from,
    databases,
    login,
    migrate_and_load,
)

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


@pytest.fixture(scope="session")
def database(databases: DatabaseFactory) -> dict[str, Any]:  # noqa: F811
    return databases.new()


@pytest.fixture(scope="session")
def session_app(database: dict[str, Any]):  # noqa: ANN201
    """The app on the run's shared database (a session-wide server uses it: tests/browser)."""
    application = build_app(database)
    migrate_and_load(application)
    return application


@pytest.fixture
def app(request: pytest.FixtureRequest, session_app):  # noqa: ANN001, ANN201
    """The shared app; for a test marked ``@pytest.mark.demo``, an app on its own copy of the demo database
    (core.testing's ``demo_app``), which ``client``, ``govs``, ``make_user``… then use as well."""
    if request.node.get_closest_marker("demo"):
        return request.getfixturevalue("demo_app")
    return session_app


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the shared app, delete every row outside the reference tables (a demo
    test's copy is dropped whole instead)."""
    if "app" not in request.fixturenames or request.node.get_closest_marker("demo"):
        yield
        return
    # Asked for before the test, so the app outlives this clean-up (it may be a test's own fixture).
    application = request.getfixturevalue("app")
    yield
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
