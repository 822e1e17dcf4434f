"""The case types' own fields, declared once (core.fields): the diagnosis's and the plan's texts and
approval data. From them come the forms of the core's create/edit pages (forms.py), the plan's
sections in the API (serializers.py) and their OpenAPI input schema (api.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields
from plugins.diagnosis.labels import APPROVAL_INSTRUMENT_LABELS
from plugins.diagnosis.models import MAX_TEXT


def _long(name: str, label: Any, **kwargs: Any) -> Field:
    return Field(name, "long_text", label, max_length=MAX_TEXT, admin_column=False, **kwargs)


def _instruments() -> list[tuple[str, Any]]:
    return [("", "—"), *APPROVAL_INSTRUMENT_LABELS.items()]


DIAGNOSIS = RecordFields(
    "diagnosis",
    [
        _long("summary", _l("General characterization")),
        _long("methodology", _l("Sources and methodology")),
    ],
)

#: The plan's text sections (Appendix 5), in the order the plan prints them.
PLAN_SECTIONS = RecordFields(
    "plan_sections",
    [
        _long("background", _l("Background (Antecedentes)")),
        _long("justification", _l("Justification")),
        _long(
            "general_objective",
            _l("General objective"),
            help=_l("Left empty, the plan starts with the CRECER objective."),
        ),
        _long("specific_objectives", _l("Specific objectives")),
        _long("alignment_pdc", _l("Alignment with the Plan de Desarrollo Concertado")),
        _long("alignment_participatory_budget", _l("Alignment with the Presupuesto Participativo")),
        _long("alignment_institutional", _l("Alignment with institutional plans")),
    ],
)

#: How the plan was approved (an ordinance or a resolution, its number and date).
PLAN_APPROVAL = RecordFields(
    "plan_approval",
    [
        Field("approval_instrument", "choice", _l("Approved by"), choices=_instruments, admin_filter=True),
        Field("approval_number", "text", _l("Number of the ordinance or resolution"), max_length=120),
        Field("approval_date", "date", _l("Date of approval")),
    ],
)

PLAN = RecordFields("plan", [*PLAN_SECTIONS.fields, *PLAN_APPROVAL.fields])
