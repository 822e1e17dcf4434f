"""The case engine, a built-in plugin: case types, the case lifecycle and its pages, API and admin.

Files
- ``types.py``    case types (``case_types`` hook; ``plugin.py`` declares the core's own ``generic``), stage labels
- ``service.py``  create with a reference number, update with a version check, who may edit
- ``search.py``   the word index of references and titles (kept on every case write)
- ``forms.py``    the create and edit forms, built per case type (its form, then the custom fields)
- ``pages.py``    blueprint ``cases``: inbox, create, detail with panels, edit, transitions, cycle page
- ``api.py``      ``/api/v1/cases…`` (list, detail, create, edit, transitions)
- ``operations.py`` ``cases.case.delete`` (the admin's delete of a case)
- ``admin.py``    cases, cycles, transitions, custom fields, workflows, numbering patterns
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it as
the built-in plugin ``core.cases``. This package root re-exports the domain API (what plugins
import: ``from core.cases import …``) lazily, by name on first use (PEP 562): importing one of its
modules from a lower layer (``core.cases.types`` from ``core.custom_fields``) never runs the higher
ones, and importing a domain module never loads the pages, API or admin. The core's own modules
import the domain submodules, not this root.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the domain module that defines it.
_EXPORTS = {
    "CaseError": "core.cases.service",
    "add_participant": "core.cases.service",
    "StaleCaseError": "core.cases.service",
    "check_pattern": "core.cases.service",
    "check_version": "core.cases.service",
    "create_case": "core.cases.service",
    "editable_by": "core.cases.service",
    "get_cycle": "core.cases.service",
    "lock_for_append": "core.cases.service",
    "may_edit": "core.cases.service",
    "next_reference": "core.cases.service",
    "reference_pattern": "core.cases.service",
    "touch": "core.cases.service",
    "update_case": "core.cases.service",
    "CaseType": "core.cases.types",
    "GENERIC": "core.cases.types",
    "STAGE_LABELS": "core.cases.types",
    "case_type_of": "core.cases.types",
    "case_types": "core.cases.types",
    "stage_label": "core.cases.types",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
