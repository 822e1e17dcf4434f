"""The operations layer (core.operations): a registry per app, one unit of work per operation (the
write lock up front, audit events in the same transaction, all or nothing), one refusal type,
scoped loading, the CLI listing and the docs written from the docstrings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, event, func, select

from core.cli import main as cli
from core.config import PROJECT_ROOT
from core.extensions import db
from core.models import Government, Institution
from core.models.audit import AuditEvent
from core.operations import Operation, Refusal, load_or_404, operation, registry, run
from core.security import EDIT, scope_for
from tests.conftest import build_app


@operation("test.institution.add")
def _add_institution(ctx, data):  # noqa: ANN001, ANN202
    """Add an institution to the catalog (a test operation)."""
    from core.database import write_intent

    assert write_intent.get(), "the write lock is asked for before the first statement"
    institution = Institution(key=data["key"], name=data["name"], position=99)
    db.session.add(institution)
    db.session.flush()
    if data.get("refuse"):
        raise Refusal("no", 409, {"name": ["taken"]})
    if data.get("crash"):
        raise RuntimeError("boom")
    return institution.id


@pytest.fixture
def test_operation(app):  # noqa: ANN001, ANN201
    ops = registry(app)
    ops.add(_add_institution)
    yield _add_institution
    ops._operations.pop(_add_institution.name)
    with app.app_context():  # the institution catalog is a reference table, kept between tests
        db.session.execute(delete(Institution).where(Institution.key.like("test-op-%")))
        db.session.commit()


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_each_app_has_its_own_registry(app, database):  # noqa: ANN001
    other = build_app(database)
    assert registry(app) is not registry(other)
    assert "institutionalization.member.add" in registry(other)
    registry(other).add(_add_institution)
    assert "test.institution.add" not in registry(app)
    with pytest.raises(ValueError, match="registered twice"):
        registry(other).add(Operation("test.institution.add", lambda ctx, data: None))


def test_an_operation_is_one_transaction_with_its_audit_events(app, test_operation, make_user):  # noqa: ANN001
    user_id = make_user("admin@articula.pe", ("admin", None))
    with app.app_context():
        from core.models import User

        user = db.session.get(User, user_id)
        before = (_count(Institution), _count(AuditEvent))
        with pytest.raises(Refusal) as refused:
            run("test.institution.add", user, {"key": "test-op-x1", "name": "Refused", "refuse": True})
        assert (refused.value.status, refused.value.errors) == (409, {"name": ["taken"]})
        with pytest.raises(RuntimeError):
            run("test.institution.add", user, {"key": "test-op-x2", "name": "Crashed", "crash": True})
        assert (_count(Institution), _count(AuditEvent)) == before  # nothing half-saved, no event

        new_id = run("test.institution.add", user, {"key": "test-op-x3", "name": "Saved"})
        db.session.rollback()  # the operation committed: a rollback here loses nothing
        assert db.session.get(Institution, new_id).name == "Saved"
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "institution", AuditEvent.entity_id == str(new_id))
        ).all()
        assert [(e.action, e.actor_user_id) for e in events] == [("create", user_id)]


def test_outside_a_request_the_write_lock_is_taken_up_front(app, test_operation):  # noqa: ANN001
    statements: list[str] = []
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("BEGIN IMMEDIATE is SQLite's write lock")
        db.session.scalar(select(func.count()).select_from(Institution))  # a read transaction is open

        def capture(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
            statements.append(statement.strip().upper())

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            run("test.institution.add", None, {"key": "test-op-x4", "name": "Locked"})
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    assert statements[0] == "BEGIN IMMEDIATE", statements[:3]


def test_load_or_404_answers_404_outside_the_jurisdiction_and_403_without_the_role(app, govs, make_user):  # noqa: ANN001
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    auditor = make_user("auditor@articula.pe", ("auditor", None))
    with app.app_context():
        from core.models import User

        team_scope = scope_for(db.session.get(User, team))
        auditor_scope = scope_for(db.session.get(User, auditor))
        assert load_or_404(Government, govs["huanuco"], team_scope, government=lambda g: g).id == govs["huanuco"]
        assert load_or_404(Government, govs["huanuco"], team_scope, action=EDIT, government=lambda g: g)
        for record_id, scope, action, status in (
            (govs["cusco"], team_scope, "read", 404),
            (999_999, team_scope, "read", 404),
            ("not-an-id", team_scope, "read", 404),
            (govs["huanuco"], auditor_scope, EDIT, 403),
        ):
            with pytest.raises(Refusal) as refused:
                load_or_404(Government, record_id, scope, action=action, government=lambda g: g)
            assert refused.value.status == status, (record_id, action)


def test_operations_list_shows_each_operation_with_its_summary(app):  # noqa: ANN001
    result = app.test_cli_runner().invoke(cli, ["operations", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: " ".join(line.split()[1:]) for line in result.output.splitlines() if line.strip()}
    for op in registry(app):
        assert lines[op.name] == op.summary and op.summary, op.name
    assert lines["institutionalization.member.add"].startswith("Register a member of a coordination body")


def test_the_plugin_kit_doc_lists_every_operation_from_its_docstring(app):  # noqa: ANN001
    doc = Path(PROJECT_ROOT / "docs" / "plugin-kit.md").read_text(encoding="utf-8")
    for op in registry(app):
        assert f"`{op.name}`" in doc and op.summary in doc, f"docs/plugin-kit.md lacks {op.name}"
