"""The portfolio's record types declared once (core.fields): a project, its funding by source, a phase
change and a progress report; plus the codes' labels (English msgids) and Spanish document names."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.fields import Field, RecordFields
from core.models import InterventionLine, StrategicProgram
from plugins.operations.budget.sources import source_choices

PHASE_LABELS = {
    "idea": _l("Idea"),
    "profile": _l("Profile / formulation"),
    "viable": _l("Declared viable"),
    "technical_file": _l("Technical file"),
    "execution": _l("Execution"),
    "finished": _l("Finished"),
}
CATEGORY_LABELS = {
    "nutrition": _l("Nutrition"),
    "health": _l("Health"),
    "sanitation": _l("Water and sanitation"),
    "education": _l("Education"),
    "identity": _l("Identity"),
    "productive": _l("Productive infrastructure"),
    "other": _l("Other"),
}
CODE_KIND_LABELS = {"snip": _l("SNIP code (before 2017)"), "cui": _l("CUI (Invierte.pe, since 2017)")}
# Documents are Spanish whatever the reader's language.
PHASE_SPANISH = {
    "idea": "Idea",
    "profile": "Perfil / formulación",
    "viable": "Viable",
    "technical_file": "Expediente técnico",
    "execution": "Ejecución",
    "finished": "Culminado",
}
CATEGORY_SPANISH = {
    "nutrition": "Nutrición",
    "health": "Salud",
    "sanitation": "Agua y saneamiento",
    "education": "Educación",
    "identity": "Identidad",
    "productive": "Infraestructura productiva",
    "other": "Otros",
}
CODE_PATTERNS = {"snip": re.compile(r"\d{1,6}"), "cui": re.compile(r"\d{7}")}


def _catalog(model: type) -> Any:
    def choices() -> list[tuple[Any, Any]]:
        rows = db.session.scalars(select(model).where(model.active.is_(True)).order_by(model.position))
        return [("", "—"), *((row.id, row.name) for row in rows)]

    return choices


def _code_format(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """SNIP codes have up to 6 digits, a CUI exactly 7 (the registry's formats)."""
    kind, code = data.get("code_kind"), data.get("code")
    if kind in CODE_PATTERNS and code is not None and not CODE_PATTERNS[kind].fullmatch(code):
        if kind == "snip":
            return [("code", _("A SNIP code has only digits, at most 6."))]
        return [("code", _("A CUI has exactly 7 digits."))]
    return []


PROJECT = RecordFields(
    "investment_project",
    [
        Field("government_id", "reference", _l("Government"), required=True, admin_column=False, document=False),
        Field(
            "code_kind",
            "choice",
            _l("Kind of code"),
            required=True,
            choices=CODE_KIND_LABELS,
            default="cui",
            admin_filter=True,
            help=_l(
                "SNIP: projects registered before 2017 (up to 6 digits). "
                "CUI: Código Único de Inversiones of Invierte.pe, since 2017 (7 digits)."
            ),
        ),
        Field("code", "text", _l("Code (SNIP or CUI)"), required=True, max_length=7, admin_search=True),
        Field("name", "text", _l("Project name"), required=True, max_length=500, admin_search=True),
        Field("category", "choice", _l("Category"), required=True, choices=CATEGORY_LABELS, admin_filter=True),
        Field(
            "intervention_line_id",
            "reference",
            _l("Line of intervention"),
            reference=InterventionLine,
            choices=_catalog(InterventionLine),
            admin_column=False,
        ),
        Field(
            "strategic_program_id",
            "reference",
            _l("Strategic program"),
            reference=StrategicProgram,
            choices=_catalog(StrategicProgram),
            admin_column=False,
        ),
        Field(
            "activity_id",
            "reference",
            _l("Plan activity it serves"),
            admin_column=False,
            help=_l("The number of the activity in the Plan Articulado's matrix (see the plan's matrix page)."),
        ),
        Field("target_population", "text", _l("Target population"), max_length=500, admin_column=False),
        Field("beneficiaries", "integer", _l("Beneficiaries"), admin_column=False),
        Field(
            "places",
            "text",
            _l("Places (ubigeos)"),
            max_length=2000,
            admin_column=False,
            help=_l("District ubigeos separated by commas, within the government's territory (e.g. 100102, 100104)."),
        ),
        Field("cost", "money", _l("Investment cost (S/)"), required=True),
        Field("phase", "choice", _l("Phase"), choices=PHASE_LABELS, output=lambda p: p.phase, nullable_output=False),
        Field("notes", "long_text", _l("Notes"), max_length=5000, admin_column=False, document=False),
    ],
    checks=[_code_format],
)

FUNDING = RecordFields(
    "investment_funding",
    [
        Field("source", "choice", _l("Funding source"), required=True, choices=source_choices()),
        Field("amount", "money", _l("Amount (S/)"), required=True),
    ],
)

PHASE_CHANGE = RecordFields(
    "investment_phase",
    [
        Field("phase", "choice", _l("New phase"), required=True, choices=PHASE_LABELS),
        Field("on", "date", _l("Date of the change"), required=True),
        Field("note", "text", _l("Note (resolution, report…)"), max_length=1000),
    ],
)

PROGRESS = RecordFields(
    "investment_progress",
    [
        Field("year", "integer", _l("Year"), required=True),
        Field("quarter", "choice", _l("Quarter"), required=True, choices={str(q): str(q) for q in (1, 2, 3, 4)}),
        Field("physical", "percentage", _l("Physical progress (%)"), required=True),
        Field("financial", "money", _l("Financial progress: accrued to date (S/)"), required=True),
    ],
)
