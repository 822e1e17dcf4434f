"""The import contract (docs/architecture.md, "Layers"), checked on grimp's graph of every import,
function-level ones included:

- no import cycle inside ``core``;
- layers, top to bottom: entry points (app factory, CLI, test kit) → adapters (pages, API, admin,
  CLI commands, the built-in plugins' ``plugin`` modules, ``core.web``, ``core.api``,
  ``core.admin``, request validation and error pages) → domain (subsystems, operations, security,
  workflows) → models → ground (config, extensions, formatting, values, calendar, hookspecs,
  refusals, the plugin registry…); an import never points up;
- an API module never imports a page module;
- the core never imports a plugin (plugins sit above the core).

``KNOWN_EXCEPTIONS`` lists edges allowed against these rules, each with why; it is empty (the last
ones waited for ``core/deadlines`` and ``core/documents`` to become packages). Keep it so.
"""

from __future__ import annotations

from collections.abc import Iterable

import grimp
import pytest

#: The import graph of the source tree: the same on any database.
pytestmark = pytest.mark.database_independent

#: The modules that compose the app; nothing in core imports them (the CLI and the test kit
#: build apps through ``core.app``).
ENTRY = {"core.app", "core.cli", "core.testing", "core.testing_databases"}
#: Modules of a subsystem package that face the outside world.
ADAPTER_NAMES = {"pages", "api", "admin", "cli", "plugin", "download"}
ADAPTERS = {
    "core.api",
    "core.openapi",
    "core.admin",
    "core.admin_base",
    "core.errors",
    "core.validation",
    "core.emblems",
}
GROUND = {
    "core",
    "core.calendar",
    "core.collation",
    "core.config",
    "core.database",
    "core.extensions",
    "core.formatting",
    "core.hookspecs",
    "core.i18n",
    "core.legal",
    "core.panels",
    "core.plugins",
    "core.redaction",
    "core.refusals",
    "core.scaffold",
    "core.spreadsheet",
    "core.values",
}
LAYER_NAMES = ("ground", "models", "domain", "adapters", "entry")

#: (importer, imported, why): edges allowed against the rules below (none).
KNOWN_EXCEPTIONS: set[tuple[str, str, str]] = set()


def layer_of(module: str) -> int:
    """The layer index of a core module (``LAYER_NAMES``)."""
    if module in ENTRY or module.startswith("core.migrations"):
        return 4
    if module in ADAPTERS or module == "core.web" or module.startswith("core.web."):
        return 3
    if module.rsplit(".", 1)[-1] in ADAPTER_NAMES and module.count(".") >= 2:
        return 3
    if module == "core.models" or module.startswith("core.models."):
        return 1
    if module.endswith(".models") and module.count(".") == 2:  # a subsystem package's models (core.documents.models)
        return 1
    if module in GROUND:
        return 0
    return 2


#: Helpers of the web shell that pages and API share (no routes of their own).
SHARED_WEB_HELPERS = {"core.web.pagination", "core.web.forms"}


def is_page_module(module: str) -> bool:
    if module in SHARED_WEB_HELPERS:
        return False
    return module.startswith("core.web.") or module == "core.web" or module.endswith(".pages")


def is_api_module(module: str) -> bool:
    return module == "core.api" or module.endswith(".api")


def core_edges(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    """Every import from a core module to a core module, minus the known exceptions."""
    known = {(a, b) for a, b, _why in KNOWN_EXCEPTIONS}
    edges = set()
    for module in graph.modules:
        if not module.startswith("core") or module.startswith("core.migrations"):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.split(".")[0] == "core" and (module, imported) not in known:
                edges.add((module, imported))
    return edges


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    succ: dict[str, list[str]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(succ):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_breaks(edges: Iterable[tuple[str, str]]) -> list[str]:
    broken = []
    for a, b in sorted(edges):
        if layer_of(a) < layer_of(b):
            broken.append(f"{a} ({LAYER_NAMES[layer_of(a)]}) → {b} ({LAYER_NAMES[layer_of(b)]})")
        elif is_api_module(a) and is_page_module(b):
            broken.append(f"{a} (API) → {b} (page module)")
    return broken


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("core", "plugins", cache_dir=None)


def test_core_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    assert cycles(core_edges(graph)) == []


def test_core_imports_respect_the_layers(graph: grimp.ImportGraph) -> None:
    assert layer_breaks(core_edges(graph)) == []


def plugin_imports(graph: grimp.ImportGraph) -> list[str]:
    return sorted(
        f"{module} → {imported}"
        for module in graph.modules
        if module.split(".")[0] == "core"
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] == "plugins"
    )


def test_the_core_never_imports_a_plugin(graph: grimp.ImportGraph) -> None:
    assert plugin_imports(graph) == []


def test_known_exceptions_are_still_real(graph: grimp.ImportGraph) -> None:
    """An exception whose import is gone must leave the list (so the list only ever shrinks)."""
    stale = [(a, b) for a, b, _why in KNOWN_EXCEPTIONS if not graph.direct_import_exists(importer=a, imported=b)]
    assert stale == []


def test_the_contract_catches_a_deliberate_violation(graph: grimp.ImportGraph) -> None:
    """The checks above are not vacuous: one bad edge each makes them fail."""
    graph.add_import(importer="core.cases.service", imported="core.cases.pages")  # domain → page, and a cycle
    graph.add_import(importer="core.cases.api", imported="core.audit.pages")  # API → page module
    graph.add_import(importer="core.security", imported="plugins.diagnosis")  # core → plugin
    try:
        edges = core_edges(graph)
        assert any("core.cases.service" in cycle and "core.cases.pages" in cycle for cycle in cycles(edges))
        breaks = layer_breaks(edges)
        assert "core.cases.service (domain) → core.cases.pages (adapters)" in breaks
        assert "core.cases.api (API) → core.audit.pages (page module)" in breaks
        assert plugin_imports(graph) == ["core.security → plugins.diagnosis"]
    finally:
        graph.remove_import(importer="core.cases.service", imported="core.cases.pages")
        graph.remove_import(importer="core.cases.api", imported="core.audit.pages")
        graph.remove_import(importer="core.security", imported="plugins.diagnosis")
