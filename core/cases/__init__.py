"""The case engine, a built-in plugin: case types, the case lifecycle and its pages, API and admin.

Files
- ``types.py``    case types (``case_types`` hook; ``plugin.py`` declares the core's own ``generic``), stage labels
- ``service.py``  create with a reference number, update with a version check, who may edit
- ``search.py``   the word index of references and titles (kept on every case write)
- ``pages.py``    blueprint ``cases``: inbox, create, detail with panels, edit, transitions, cycle page
- ``api.py``      ``/api/v1/cases…`` (list, detail, create, edit, transitions)
- ``admin.py``    cases, cycles, transitions, custom fields, workflows, numbering patterns
- ``plugin.py``   the hook implementations

``plugin.py`` holds the hook implementations, which wire the adapters; the registry registers it
as the built-in plugin ``core.cases``. This package root only re-exports the domain API (what
plugins import: ``from core.cases import …``), so importing any domain module never loads the
pages, API or admin. The core's own modules import the domain submodules, not this root.
"""

from __future__ import annotations

from core.cases.service import (
    CaseError,
    StaleCaseError,
    check_pattern,
    check_version,
    create_case,
    editable_by,
    get_cycle,
    lock_for_append,
    may_edit,
    next_reference,
    reference_pattern,
    touch,
    update_case,
)
from core.cases.types import GENERIC, STAGE_LABELS, CaseType, case_type_of, case_types, stage_label

__all__ = [
    "GENERIC",
    "STAGE_LABELS",
    "CaseError",
    "CaseType",
    "StaleCaseError",
    "case_type_of",
    "case_types",
    "check_pattern",
    "check_version",
    "create_case",
    "editable_by",
    "get_cycle",
    "lock_for_append",
    "may_edit",
    "next_reference",
    "reference_pattern",
    "stage_label",
    "touch",
    "update_case",
]
