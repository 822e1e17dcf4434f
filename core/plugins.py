"""Plugin discovery (entry points), manifests read without importing, dependency order, pluggy.

The core's own subsystems are plugins too (pytest's way): ``BUILTIN_PLUGINS`` are registered on
the same pluggy manager, by module name, before the third-party plugins, and every hook walks
them first. Naming them as strings keeps this module free of imports of the subsystems.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from flask import Flask, current_app

from core import hookspecs

ENTRY_POINT_GROUP = "articula.plugins"
#: The core's subsystems, registered as built-in plugins in this order (it is the order of their
#: admin menus, API tags and dashboard widgets of equal rank). Each is a package whose ``plugin``
#: module holds its ``@hookimpl`` functions (a module not yet shaped as a package holds them
#: itself); see docs/architecture.md, "Built-in plugins".
BUILTIN_PLUGINS = (
    "core.cases",
    "core.audit",
    "core.deadlines",
    "core.documents",
    "core.attachments",
    "core.submissions",
    "core.notifications",
)
MANIFEST_FILE = "manifest.toml"


class PluginError(RuntimeError):
    """A plugin configuration that must stop start-up (message in Spanish, names the culprit)."""


@dataclass
class PluginInfo:
    name: str
    module_name: str
    path: Path
    version: str
    summary: str = ""
    depends: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    demo: list[str] = field(default_factory=list)
    auto_install: bool = False
    enabled: bool = False
    order: int | None = None
    module: ModuleType | None = None

    def folder(self, name: str) -> Path | None:
        """A conventional sub-folder (templates, translations, migrations…) if the plugin has it."""
        candidate = self.path / name
        return candidate if candidate.is_dir() else None


def _module_path(module_name: str) -> Path:
    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(f"The plugin «{module_name}» is not an importable package.")
    return Path(list(spec.submodule_search_locations)[0])


def read_manifest(name: str, module_name: str) -> PluginInfo:
    """Read ``manifest.toml`` beside the package without importing the package itself."""
    path = _module_path(module_name)
    manifest_file = path / MANIFEST_FILE
    if not manifest_file.exists():
        raise PluginError(f"The plugin «{name}» has no {MANIFEST_FILE} in {path}.")
    data = tomllib.loads(manifest_file.read_text(encoding="utf-8"))
    if data.get("name", name) != name:
        raise PluginError(f"The plugin registered as «{name}» declares the name «{data.get('name')}».")
    return PluginInfo(
        name=name,
        module_name=module_name,
        path=path,
        version=str(data.get("version", "0")),
        summary=data.get("summary", ""),
        depends=list(data.get("depends", [])),
        data=list(data.get("data", [])),
        demo=list(data.get("demo", [])),
        auto_install=bool(data.get("auto_install", False)),
    )


def discover() -> dict[str, PluginInfo]:
    """Every installed plugin, from the ``articula.plugins`` entry-point group."""
    found: dict[str, PluginInfo] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue  # the first distribution on sys.path wins, like imports do
        found[ep.name] = read_manifest(ep.name, ep.value)
    return found


def resolve(available: dict[str, PluginInfo], enabled: list[str]) -> list[PluginInfo]:
    """Mark enabled plugins and return them sorted so every plugin follows its dependencies.

    ``auto_install`` plugins join when all their dependencies are enabled (Odoo's rule).
    An unknown name, a dependency that is not enabled, or a cycle raises PluginError.
    """
    unknown = [name for name in enabled if name not in available]
    if unknown:
        raise PluginError(
            "Unknown plugin: "
            + ", ".join(f"«{n}»" for n in unknown)
            + ". Installed: "
            + (", ".join(sorted(available)) or "none")
            + "."
        )
    chosen = set(enabled)
    changed = True
    while changed:
        changed = False
        for info in available.values():
            if info.auto_install and info.name not in chosen and set(info.depends) <= chosen:
                chosen.add(info.name)
                changed = True
    for name in sorted(chosen):
        for dep in available[name].depends:
            if dep not in available:
                raise PluginError(f"The plugin «{name}» depends on «{dep}», which is not installed.")
            if dep not in chosen:
                raise PluginError(
                    f"The plugin «{name}» depends on «{dep}», which is not enabled: add it to ARTICULA_PLUGINS."
                )

    ordered: list[PluginInfo] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = trail[trail.index(name) :] + [name]
            raise PluginError("Dependencia circular entre plugins: " + " → ".join(cycle) + ".")
        state[name] = "visiting"
        for dep in sorted(available[name].depends):
            visit(dep, trail + [name])
        state[name] = "done"
        ordered.append(available[name])

    for name in sorted(chosen):
        visit(name, [])
    for position, info in enumerate(ordered):
        info.enabled = True
        info.order = position
    return ordered


def builtin_module(name: str) -> str:
    """Where a built-in plugin's hook implementations live: ``<name>.plugin`` for a package that has
    one (so that importing the package's domain modules never loads its pages, API or admin), else
    ``<name>`` itself."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations and importlib.util.find_spec(f"{name}.plugin"):
        return f"{name}.plugin"
    return name


class PluginRegistry:
    """The app's plugins: all discovered, the enabled ones in order, and the pluggy manager."""

    def __init__(self, enabled_names: list[str], builtins: tuple[str, ...] = BUILTIN_PLUGINS) -> None:
        self.available = discover()
        self.enabled = resolve(self.available, enabled_names)
        self.manager = pluggy.PluginManager("articula")
        self.manager.add_hookspecs(hookspecs)
        #: Names of the built-in plugins, in call order (they come before every enabled plugin).
        self.builtins = list(builtins)
        for name in self.builtins:
            self.manager.register(importlib.import_module(builtin_module(name)), name=name)
        for info in self.enabled:
            info.module = importlib.import_module(info.module_name)
            self.manager.register(info.module, name=info.name)

    @property
    def hook(self) -> Any:
        return self.manager.hook

    def call_in_order(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call one hook plugin by plugin: built-ins first, then the enabled plugins in dependency
        order (pluggy's own order is LIFO)."""
        results = []
        caller = getattr(self.manager.hook, hook_name)
        for name in self.builtins + [info.name for info in self.enabled]:
            impls = [i for i in caller.get_hookimpls() if i.plugin_name == name]
            for impl in impls:
                result = impl.function(**{k: kwargs[k] for k in impl.argnames})
                if result is not None:
                    results.append(result)
        return results

    def collect(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Flatten list results of a hook, in dependency order."""
        items: list[Any] = []
        for result in self.call_in_order(hook_name, **kwargs):
            items.extend(result)
        return items

    def folders(self, name: str) -> list[Path]:
        """A conventional folder of every enabled plugin, dependents first (for template lookup)."""
        return [f for info in reversed(self.enabled) if (f := info.folder(name))]

    def is_enabled(self, name: str) -> bool:
        return any(info.name == name for info in self.enabled)


def plugin_registry(app: Flask | None = None) -> PluginRegistry:
    """The running app's plugin registry (``app`` or ``current_app``), built by ``core.app.create_app``."""
    return (app or current_app).extensions["articula.plugins"]
