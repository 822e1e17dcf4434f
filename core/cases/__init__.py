"""The case engine, a built-in plugin: case types, the case lifecycle and its pages, API and admin.

Files
- ``types.py``    case types (``case_types`` hook; the core's own ``generic`` is declared below), stage labels
- ``service.py``  create with a reference number, update with a version check, who may edit
- ``search.py``   the word index of references and titles (kept on every case write)
- ``pages.py``    blueprint ``cases``: inbox, create, detail with panels, edit, transitions, cycle page
- ``api.py``      ``/api/v1/cases…`` (list, detail, create, edit, transitions)
- ``admin.py``    cases, cycles, transitions, custom fields, workflows, numbering patterns

The hook implementations below wire the adapters. The package root re-exports the domain API for
plugins (``from core.cases import create_case``); the core's own modules import
``core.cases.service``, never this root, which imports the adapters.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.cases import admin as _admin
from core.cases import api as _api
from core.cases import pages as _pages
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
from core.hookspecs import hookimpl
from core.labels import register_value_labels

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


@hookimpl(specname="case_types")
def declared_case_types() -> list[CaseType]:
    """The core's own type, ``generic``, first of every app's case types."""
    return [GENERIC]


@hookimpl
def permission_actions() -> dict[str, Any]:
    return {"case.edit": may_edit}


@hookimpl
def register_blueprints(app: Flask) -> None:
    app.register_blueprint(_pages.bp)


@hookimpl
def register_api(api: Any) -> None:
    _api.register_case_endpoints(api)


@hookimpl
def register_admin_views(admin: Any, app: Flask) -> None:
    # Known once the plugins are loaded: as fixed lists they also become the filters' options.
    labels = {key: t.label for key, t in case_types(app).items()}
    register_value_labels("type", labels, "case")
    register_value_labels("case_type", labels)
    register_value_labels("stage", dict(STAGE_LABELS), "case")
    _admin.register(admin)
