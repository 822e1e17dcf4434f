"""``articula plugins new``: the generated plugin is importable, registers by entry point, and its
own tests (page, API, scoping, PDF, migration) pass untouched in a fresh pytest process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core import scaffold
from core.cli import main
from core.config import PROJECT_ROOT


def _install_entry_point(site: Path, name: str, module: str) -> None:
    """What ``pip install`` of a distribution declaring the plugin would leave on sys.path."""
    info = site / f"{name}_plugin-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-plugin\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[articula.plugins]\n{name} = {module}\n")


def test_generated_plugin_passes_its_own_tests(tmp_path):
    packages = tmp_path / "extra"
    result = CliRunner().invoke(main, ["plugins", "new", "demo_scaffold", "--dir", str(packages)])
    assert result.exit_code == 0, result.output
    root = packages / "demo_scaffold"
    expected = {
        "manifest.toml", "__init__.py", "models.py", "fields.py", "operations.py", "pages.py", "api.py", "admin.py",
        "documents.py", "workflows/demo_scaffold.yaml", "documents/demo_scaffold.html",
        "templates/demo_scaffold/index.html", "templates/demo_scaffold/form.html",
        "migrations/0001_demo_scaffold_schema.py", "translations/es/LC_MESSAGES/messages.po",
        "translations/es/LC_MESSAGES/messages.mo", "tests/conftest.py", "tests/test_demo_scaffold.py",
    }
    assert expected <= {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert scaffold.module_name(root) == "demo_scaffold"  # "extra" is not a package: a top-level module
    assert 'demo_scaffold = "demo_scaffold"' in result.output  # the line to add to pyproject.toml

    site = tmp_path / "site"
    _install_entry_point(site, "demo_scaffold", "demo_scaffold")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(packages), str(PROJECT_ROOT)])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(root / "tests"), "-q", "-p", "no:cacheprovider", "-x"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "\n6 passed" in run.stdout  # all of them ran: none skipped
    # And it is code the project's linter accepts as it stands.
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(root)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    layout = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(root)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert layout.returncode == 0, layout.stdout  # formatted as ruff would write it, whatever the name


@pytest.mark.database_independent
def test_names_are_validated_and_nothing_is_overwritten(tmp_path):
    runner = CliRunner()
    for bad in ("Demo", "1demo", "class", "demo-plugin", "d"):
        result = runner.invoke(main, ["plugins", "new", bad, "--dir", str(tmp_path)])
        assert result.exit_code != 0 and "no es un nombre de plugin válido" in result.output, (bad, result.output)
    result = runner.invoke(main, ["plugins", "new", "cases", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "«cases» es un nombre reservado del núcleo" in result.output
    result = runner.invoke(main, ["plugins", "new", "diagnosis", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "Ya existe un plugin instalado con el nombre «diagnosis»" in result.output
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mío")
    result = runner.invoke(main, ["plugins", "new", "taken", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "no se sobrescribe" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]
    assert not any(p.name.startswith(("demo", "1demo", "class")) for p in tmp_path.iterdir())


@pytest.mark.database_independent
def test_register_adds_the_entry_point_line_once(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    original = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject.write_text(original, encoding="utf-8")
    assert scaffold.register(pyproject, "probe_plugin", "plugins.probe_plugin") is True
    assert scaffold.register(pyproject, "probe_plugin", "plugins.probe_plugin") is False
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    entry_points = data["project"]["entry-points"]["articula.plugins"]
    assert entry_points["probe_plugin"] == "plugins.probe_plugin"
    assert entry_points["diagnosis"] == "plugins.diagnosis"  # the others kept
    assert data["project"]["entry-points"]["pytest11"] == {"articula": "core.testing"}


@pytest.mark.parametrize("folder, module", [("plugins", "plugins.x_y")])
def test_module_name_follows_the_packages(folder, module):
    assert scaffold.module_name(PROJECT_ROOT / folder / "x_y") == module


@pytest.mark.database_independent
def test_a_plugin_of_this_project_is_registered_by_default_and_one_elsewhere_is_not(tmp_path, monkeypatch):
    """`articula plugins new NAME` in the project's plugins/ registers it, so that `make test`
    (which reinstalls when pyproject.toml changes) finds it; a plugin made elsewhere is not."""
    project = tmp_path / "project"
    (project / "plugins").mkdir(parents=True)
    (project / "pyproject.toml").write_text((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    monkeypatch.setattr("core.config.PROJECT_ROOT", project)
    runner = CliRunner()
    inside = runner.invoke(main, ["plugins", "new", "probe_inside", "--dir", str(project / "plugins")])
    assert inside.exit_code == 0, inside.output
    outside = runner.invoke(main, ["plugins", "new", "probe_outside", "--dir", str(tmp_path / "elsewhere")])
    assert outside.exit_code == 0, outside.output
    unregistered = runner.invoke(
        main, ["plugins", "new", "probe_declined", "--no-register", "--dir", str(project / "plugins")]
    )
    assert unregistered.exit_code == 0, unregistered.output
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert 'probe_inside = "' in text
    assert "probe_outside" not in text and "probe_declined" not in text


def test_the_generated_catalog_translates_core_messages_as_the_core_does(tmp_path):
    """A new plugin's catalog must not retranslate a core msgid (tests/core/test_i18n.py checks the
    plugins present; this checks the one the scaffold writes)."""
    from babel.messages.pofile import read_po

    result = CliRunner().invoke(main, ["plugins", "new", "demo_catalog", "--dir", str(tmp_path), "--no-register"])
    assert result.exit_code == 0, result.output
    with (PROJECT_ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        core = read_po(handle, locale="es")
    with (tmp_path / "demo_catalog" / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        generated = read_po(handle, locale="es")
    clashes = [
        f"{m.id!r}: core «{core[m.id].string}», scaffold «{m.string}»"
        for m in generated
        if m.id and core.get(m.id) is not None and core[m.id].string != m.string
    ]
    assert len(list(generated)) > 10 and not clashes, clashes
