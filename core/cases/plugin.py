"""The cases built-in plugin: its hook implementations, which wire its pages, API and admin
(registered on the app's pluggy manager before the third-party plugins; see core.plugins)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from core.cases import admin as _admin
from core.cases import api as _api
from core.cases import operations as _operations
from core.cases import pages as _pages
from core.cases.service import may_edit
from core.cases.types import GENERIC, STAGE_LABELS, CaseType, case_types
from core.hookspecs import hookimpl
from core.labels import register_value_labels


@hookimpl(specname="case_types")
def declared_case_types() -> list[CaseType]:
    """The core's own type, ``generic``, first of every app's case types."""
    return [GENERIC]


@hookimpl
def permission_actions() -> dict[str, Any]:
    return {"case.edit": may_edit}


@hookimpl
def register_operations() -> list[Any]:
    return list(_operations.OPERATIONS)


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
