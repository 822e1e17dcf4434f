"""Tests that the models and the Alembic migrations agree: the schema built by upgrade(heads) is exactly the
one the SQLAlchemy models describe, and every branch head is applied."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from core.extensions import db


def test_models_and_migrations_agree(ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "\n".join(map(str, differences))


def test_every_branch_head_is_applied(ctx):
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    # A plugin branch that depends_on 0001_core makes the core's head an ancestor of the plugin's, so
    # alembic_version keeps only the plugin's: every head must be applied or reached through one.
    reached = {rev.revision for rev in script.iterate_revisions(tuple(applied), "base")}
    assert set(script.get_heads()) <= reached
    assert script.get_revision("core@head").revision in reached  # the platform's own branch


def test_every_table_comes_from_a_migration(ctx):
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_the_app_keeps_foreign_keys_after_migrating(databases):
    """SQLite migrations run with foreign keys off (batch rebuilds); the connection they used must not
    come back from the pool to the app with them still off."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from core.database import writing
    from tests.conftest import PG_URL, build_app

    if PG_URL:
        import pytest

        pytest.skip("a SQLite pragma")
    app = build_app(databases.new())
    with app.app_context():
        with writing():
            upgrade(revision="heads")
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.rollback()
