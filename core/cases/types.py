"""Case types: what a plugin declares about one kind of case (``case_types`` hook), the core's own
``generic`` type, and the names of the cycle's stages.

Low in the layers (models and the plugin registry only), so that custom fields, workflows and
labels can name a case's type without importing the case lifecycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from core.models import Government
from core.models.case import Case, GenericCase
from core.plugins import plugin_registry

#: The four stages of the cycle (core.models.case.STAGES), as people read them.
STAGE_LABELS = {
    "institutionalization": _l("1. Institutionalization"),
    "diagnosis": _l("2. Diagnosis and planning"),
    "operations": _l("3. Operation"),
    "monitoring": _l("4. Monitoring and evaluation"),
}


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


@dataclass
class CaseType:
    """What a plugin declares about one case type."""

    key: str  # the polymorphic identity
    model: type[Case]
    label: Any  # lazy_gettext or str
    workflow: str
    stage: str | None = None  # None: chosen per case (generic cases)
    levels: tuple[str, ...] = ("regional", "local")
    reference_pattern: str = "{type}-{seq:04d}-{year}-{acronym}"
    form: type | None = None  # WTForms form for the type's own fields
    field_labels: dict[str, Any] = field(default_factory=dict)  # names of required fields, for messages
    detail_template: str | None = None
    serialize: Callable[[Case], dict[str, Any]] | None = None  # type-specific API fields
    # A standing case is created once and carries over from year to year (core/cycles.py): the
    # cycle pages of later years list it while it is open; its yearly updates are filed by year.
    standing: bool = False
    # The type's own creation page (an endpoint, e.g. "operations_agreements.new"), for types whose
    # records need more than the generic form asks (parties, dates, a provider…): the core's "new case"
    # page sends the user there, and POST /api/v1/cases refuses it rather than fail half-way.
    create_endpoint: str | None = None

    @property
    def generic_create(self) -> bool:
        """Whether the core's generic form and API create cases of this type."""
        return self.create_endpoint is None

    def allowed_for(self, government: Government) -> bool:
        return government.level in self.levels


#: The core's own case type, declared by the cases built-in plugin's ``case_types`` hook.
GENERIC = CaseType(
    key="generic",
    model=GenericCase,
    label=_l("Case file"),
    workflow="generic",
    stage=None,
    reference_pattern="EXP-{seq:04d}-{year}-{acronym}",
    field_labels={"title": _l("Title")},
)


def case_types(app: Flask | None = None) -> dict[str, CaseType]:
    """Every case type of the app, from the ``case_types`` hook (the built-in ``generic`` first)."""
    app = app or current_app
    cache = app.extensions.get("articula.case_types")
    if cache is None:
        cache = {}
        for declared in plugin_registry(app).collect("case_types"):
            cache[declared.key] = declared
        app.extensions["articula.case_types"] = cache
    return cache


def case_type_of(case: Case) -> CaseType | None:
    return case_types().get(case.type)
