"""``articula data load`` words what happened to the shipped workflows and deadline rules in the
operator's language (the loaders return codes: created, updated, kept)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.cli import main as articula
from core.deadlines.models import DeadlineRule
from core.extensions import db
from core.i18n import CLI_LOCALE
from core.models import WorkflowDefinition
from tests.core.test_deadlines import restore_rules  # noqa: F401

pytestmark = pytest.mark.usefixtures("restore_rules")


@pytest.fixture
def changed_shipments(app):  # noqa: ANN001, ANN201
    """The generic workflow edited by an administrator and a core rule out of date, as after an upgrade."""
    with app.app_context():
        workflow = db.session.get(WorkflowDefinition, "generic")
        saved = (workflow.source, workflow.edited, workflow.shipped_checksum)

    def prepare() -> None:
        with app.app_context():
            row = db.session.get(WorkflowDefinition, "generic")
            row.edited, row.shipped_checksum = True, "old"
            rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == "core.regional_submission"))
            rule.shipped_checksum = "old"
            db.session.commit()

    yield prepare
    with app.app_context():
        row = db.session.get(WorkflowDefinition, "generic")
        row.source, row.edited, row.shipped_checksum = saved
        db.session.commit()


@pytest.mark.parametrize(
    ("locale", "workflow_line", "rule_line"),
    [
        (
            "es",
            "Flujo «generic» conservado: lo editó un administrador.",
            "Regla de plazo «core.regional_submission» actualizada.",
        ),
        (
            "en",
            "Workflow «generic» kept: an administrator edited it.",
            "Deadline rule «core.regional_submission» updated.",
        ),
    ],
)
def test_data_load_names_workflow_and_rule_changes_in_the_operators_language(
    app, changed_shipments, locale, workflow_line, rule_line
):
    changed_shipments()
    app.config[CLI_LOCALE] = locale
    try:
        result = app.test_cli_runner().invoke(articula, ["data", "load"])
    finally:
        app.config.pop(CLI_LOCALE)
    assert result.exit_code == 0, result.output
    assert workflow_line in result.output and rule_line in result.output
    again = app.test_cli_runner().invoke(articula, ["data", "load"])
    assert "generic" not in again.output and "regional_submission" not in again.output  # nothing changed since
