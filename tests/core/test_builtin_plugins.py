"""The core's subsystems are built-in plugins on the same pluggy manager as the plugins (registered
first, called first), and what they wire lives in each app, not in module globals."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from core.app import create_app
from core.cases.types import case_types
from core.config import PROJECT_ROOT
from core.panels import case_panels, cycle_panels, inbox_filters
from core.plugins import BUILTIN_PLUGINS, plugin_registry


def test_builtins_are_registered_before_the_plugins_and_called_first(app: Flask) -> None:
    registry = plugin_registry(app)
    names = [name for name, _plugin in registry.manager.list_name_plugin()]
    assert names[: len(BUILTIN_PLUGINS)] == list(BUILTIN_PLUGINS)
    assert set(names[len(BUILTIN_PLUGINS) :]) == {info.name for info in registry.enabled}
    # The core's own case type comes from the cases plugin's hook, ahead of every plugin's types.
    with app.app_context():
        assert next(iter(case_types())) == "generic"
    assert registry.call_in_order("case_types")[0][0].key == "generic"


def test_builtins_wire_pages_api_admin_and_cli_through_hooks(app: Flask) -> None:
    assert {"cases", "attachments", "submissions", "documents", "deadlines"} <= set(app.blueprints)
    paths = {rule.rule for rule in app.url_map.iter_rules()}
    assert "/api/v1/cases/<int:case_id>/audit" in paths  # core.audit's register_api
    assert "/expedientes/" in paths  # core.cases' register_blueprints
    admin_endpoints = {view.endpoint for view in app.extensions["articula.admin"]._views}
    assert {"auditevent", "attachment", "submission", "case"} <= admin_endpoints
    assert {"audit", "attachments"} <= set(app.cli.commands)  # cli_commands, also on app.cli


def test_wiring_is_per_app(app: Flask, database: dict) -> None:
    bare = create_app({"TESTING": True, **database, "PLUGINS": ""})
    with bare.app_context():
        assert set(case_panels()) == {"audit", "attachments", "deadlines", "documents"}
        assert set(cycle_panels()) == {"deadlines", "submissions"}
        assert set(inbox_filters()) == {"overdue"}
        assert set(bare.extensions["articula.effects"]) == {
            "issue_document",
            "meets_deadline",
            "starts_deadline",
            "notify",
        }
    with app.app_context():
        assert "institutionalization.body" in case_panels()  # a plugin's panel, in its app only
    with bare.app_context():
        assert "institutionalization.body" not in case_panels()


def test_no_subsystem_is_wired_by_attribute_probing() -> None:
    """One extension mechanism: no SUBSYSTEMS list, no hasattr(module, "init_app"/"register_api"…)."""
    offenders = []
    for path in sorted((PROJECT_ROOT / "core").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "SUBSYSTEMS" in text or "hasattr(module" in text:
            offenders.append(str(Path(path).relative_to(PROJECT_ROOT)))
    assert offenders == []
