"""Every record type of stage 2, its fields declared once (core.fields): the diagnosis's and the
plan's texts and approval data, the matrix's rows (results, indicators, activities), baselines,
actors and their relations, causes, and resources. From them come the core's create/edit forms
(forms.py) and pages, the parsing of every row the operations write (:func:`parse_row`, the core's
parser: pages, API, demo), the API's serializers and OpenAPI schemas with the fields' limits, and the
admin's columns. Refusals name the field by its label, in the reader's language (Spanish by default).

Longer than ~400 lines on purpose: every declaration of the plugin in one place, where a newcomer
looks for "which fields does X have"; the parsers they use live in matrix/values.py."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import values
from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Institution, SocialProgram, StrategicProgram
from core.refusals import Refusal
from core.values import ValueProblem
from plugins.diagnosis.labels import (
    ACTOR_KIND_LABELS,
    ACTOR_LEVEL_LABELS,
    APPROVAL_INSTRUMENT_LABELS,
    CAUSE_LEVEL_LABELS,
    FUNDING_SOURCE_LABELS,
    MONTHS_SHORT,
    RELATION_KIND_LABELS,
    SURVEY_SECTION_LABELS,
    WEALTH_CATEGORY_LABELS,
)
from plugins.diagnosis.matrix.values import (
    MEASURE_MAX,
    NUMBER_MAX,
    MatrixError,
    check_funding,
    clean_text,
    institutions_from_text,
    parse_money,
    parse_months,
    parse_number,
    strategic_program_by_key,
)
from plugins.diagnosis.models import DATA_SOURCES, MAX_NAME, MAX_TEXT


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


# --- parsing with the declarations (the matrix's and the instruments' rows) --------------------------------


def _checked(parse: Callable[..., Any], *args: Any, labelled: bool = True, **options: Any) -> Callable[[Any, str], Any]:
    """One of the plugin's parsers as a declared field's: its refusal becomes a ValueProblem naming the
    field by the label it is given (``labelled``: the parser takes the label after the raw value)."""

    def parser(raw: Any, label: str) -> Any:
        try:
            return parse(raw, label, *args, **options) if labelled else parse(raw, *args, **options)
        except MatrixError as error:
            raise ValueProblem(error.message) from None

    return parser


def _text(name: str, label: Any, *, required: bool = False, limit: int = MAX_NAME, **kwargs: Any) -> Field:
    kind = "long_text" if limit > MAX_NAME else "text"
    parser = _checked(clean_text, required=required, limit=limit)
    return Field(name, kind, label, required=required, max_length=limit, parser=parser, **kwargs)


def _number(name: str, label: Any, *, integer: bool = False, maximum: Decimal = NUMBER_MAX, **kwargs: Any) -> Field:
    """A non-negative number up to ``maximum`` (declared: the parser, the schema and the form share it)."""
    kind = "integer" if integer else "decimal"
    parser = _checked(parse_number, integer=integer, maximum=maximum)
    return Field(name, kind, label, minimum=0, maximum=maximum, parser=parser, **kwargs)


def _choice(name: str, label: Any, choices: dict[str, Any], **kwargs: Any) -> Field:
    """A required choice whose refusal lists the valid codes (as the API's clients send them)."""

    def parser(raw: Any, label: str) -> str:
        value = str(raw or "").strip()
        if value not in choices:
            raise ValueProblem(
                _(
                    "«%(label)s»: «%(raw)s» is not a valid option (%(allowed)s).",
                    label=label,
                    raw=raw,
                    allowed=", ".join(choices),
                )
            )
        return value

    return Field(name, "choice", label, required=True, choices=choices, parser=parser, **kwargs)


def parse_row(fields: RecordFields, data: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """The declared fields sent in ``data`` (on a ``new`` row the required ones too), parsed by the
    core (RecordFields.parse: every problem at once, each beside its field and naming it by its label,
    nothing changed on a refusal). Keys that are not fields are left to the caller (ids of the path,
    the case version); a refusal is a MatrixError, whose text an import's report quotes."""
    try:
        return fields.parse({k: v for k, v in data.items() if k in fields.input_names}, partial=not new, ignore=())
    except Refusal as refusal:
        raise MatrixError(refusal.message, errors=refusal.errors) from None


def parse_value(f: Field, raw: Any, label: Any = None) -> Any:
    """One declared field's value (its one parser), named ``label`` when the caller's column or item
    names it otherwise (a workbook's «N°», a Ficha's «b) Valor»); a refusal is a MatrixError."""
    try:
        return f.parse(raw, label=None if label is None else str(label))
    except ValueProblem as problem:
        raise MatrixError(str(problem)) from None


# --- the matrix of the Plan Articulado (Appendix 5): results, their indicators and activities --------------

#: An activity's investment budget: below a thousand million soles (a regional government's whole
#: yearly budget is of that order), well within the money columns' size.
BUDGET_MAX = Decimal("999999999.99")

RESULT = RecordFields(
    "result",
    [
        _text("name", _l("Result"), required=True, admin_search=True),
        _number("goal_value", _l("Goal (beneficiaries)"), integer=True),
        _text("goal_unit", _l("Unit of measure")),
    ],
)

INDICATOR = RecordFields(
    "indicator",
    [
        _text("name", _l("Indicator"), required=True, admin_search=True),
        # The formula is a line of the matrix, not a long text: a list column like the others.
        Field(
            "formula",
            "text",
            _l("Calculation formula"),
            max_length=2000,
            parser=_checked(clean_text, limit=2000),
            admin_search=True,
        ),
        _text("source", _l("Source"), admin_search=True),
        _number("baseline", _l("Baseline"), maximum=MEASURE_MAX),
        _number("target", _l("Target"), maximum=MEASURE_MAX),
    ],
)


def _programs() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position, StrategicProgram.id))
    return [(p.key, p.name) for p in rows]


def _institutions() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(select(Institution).where(Institution.active.is_(True)).order_by(Institution.position))
    return [(i.key, i.label) for i in rows]


ACTIVITY = RecordFields(
    "activity",
    [
        _text("name", _l("Activity"), required=True, admin_search=True),
        Field(
            "budget",
            "money",
            _l("Budget"),
            minimum=0,
            maximum=BUDGET_MAX,
            parser=_checked(parse_money, maximum=BUDGET_MAX),
        ),
        # Catalog entries by key, acronym or name (the spreadsheet's drop-downs show names).
        Field(
            "strategic_program",
            "choice",
            _l("Strategic program"),
            choices=_programs,
            parser=_checked(strategic_program_by_key, labelled=False),
        ),
        Field(
            "funding_source",
            "choice",
            _l("Funding source"),
            choices=FUNDING_SOURCE_LABELS,
            parser=_checked(check_funding, labelled=False),
            admin_filter=True,
        ),
        Field(
            "institutions",
            "multi_choice",
            _l("Responsible institutions"),
            choices=_institutions,
            parser=_checked(institutions_from_text, labelled=False),
            admin_column=False,
        ),
        Field(
            "months",
            "multi_choice",
            _l("Months of the timetable"),
            choices={str(n): name for n, name in enumerate(MONTHS_SHORT, start=1)},
            parser=_checked(parse_months, labelled=False),
            admin_column=False,
        ),
        _text("official", _l("Responsible official"), limit=200, admin_search=True),
        _number("physical_goal", _l("Physical goal"), admin_column=False),
        _text("physical_unit", _l("Unit of the physical goal"), limit=120, admin_column=False),
        _text("communities", _l("Targeted communities"), limit=2000, admin_column=False),
    ],
)

# --- the diagnosis's instruments: baselines, actors and their relations, causes, resources -----------------


def _source(raw: Any, label: str) -> str:
    from plugins.diagnosis.instruments.baselines import check_source  # the seed's sources, read when parsing

    return _checked(check_source, labelled=False)(raw, label)


def _year(raw: Any, label: str) -> int:
    from plugins.diagnosis.instruments.baselines import check_year

    return _checked(check_year, labelled=False)(raw, label)


def _measure(raw: Any, label: str) -> str:
    # Checked against the indicator's measures once the indicator is known (instruments.baselines).
    return str(raw or "").strip().lower().replace(" ", "_")


def _required_number(raw: Any, label: str) -> Any:
    number = _checked(parse_number, maximum=MEASURE_MAX)(raw, label)
    if number is None:
        raise ValueProblem(_("«%(label)s» is required.", label=label))
    return number


BASELINE = RecordFields(
    "baseline",
    [
        Field("measure", "text", _l("Measure"), max_length=40, parser=_measure, admin_column=False),
        Field("value", "decimal", _l("Value"), required=True, minimum=0, maximum=MEASURE_MAX, parser=_required_number),
        Field(
            "year", "integer", _l("Year"), required=True, minimum=1940, maximum=2100, parser=_year, admin_filter=True
        ),
        Field(
            "source",
            "choice",
            _l("Source"),
            required=True,
            choices=lambda: [(s, s) for s in DATA_SOURCES],
            parser=_source,
            admin_filter=True,
        ),
        _text("notes", _l("Notes"), limit=2000, admin_column=False),
    ],
)


def _actor_id(raw: Any, label: str) -> int:
    # Which actors belong to the diagnosis is checked when the relation is made (instruments.actors).
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValueProblem(_("Choose two actors of this Mapa de Actores.")) from None


def _program_keys(raw: Any, label: str) -> list[str]:
    if not raw:
        return []
    return [str(k).strip() for k in (raw if isinstance(raw, list) else str(raw).replace(",", ";").split(";"))]


def _social_programs() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(
        select(SocialProgram).where(SocialProgram.active.is_(True)).order_by(SocialProgram.position)
    )
    return [(p.key, p.name) for p in rows]


ACTOR = RecordFields(
    "actor",
    [
        _text("name", _l("Actor"), required=True, admin_search=True),
        _choice("kind", _l("Kind of actor"), ACTOR_KIND_LABELS, admin_filter=True),
        _choice("level", _l("Level"), ACTOR_LEVEL_LABELS, admin_filter=True),
        _text("role", _l("Role"), limit=2000),
        Field(
            "programs",
            "multi_choice",
            _l("Programs"),
            choices=_social_programs,
            parser=_program_keys,
            admin_column=False,
        ),
    ],
)

RELATION = RecordFields(
    "relation",
    [
        Field("source_id", "reference", _l("Actor"), required=True, parser=_actor_id),
        Field("target_id", "reference", _l("With"), required=True, parser=_actor_id),
        _choice("kind", _l("Kind of relationship"), RELATION_KIND_LABELS, admin_filter=True),
        _text("description", _l("Description"), limit=2000),
    ],
)

CAUSE = RecordFields(
    "cause",
    [
        _choice("level", _l("Level of the cause"), CAUSE_LEVEL_LABELS, admin_filter=True),
        _text("description", _l("Cause"), required=True, limit=2000, admin_search=True),
        _text("evidence", _l("Evidence"), limit=MAX_TEXT, admin_column=False),
        _text("source", _l("Source")),
    ],
)

WEALTH = RecordFields(
    "wealth",
    [
        _choice("category", _l("Potential"), WEALTH_CATEGORY_LABELS, admin_filter=True),
        _text("name", _l("Resource or potential"), required=True, admin_search=True),
        _text("description", _l("Description"), limit=2000),
        # A district of the diagnosis's scope, by ubigeo or id (instruments.actors checks the scope).
        _text("district", _l("District"), limit=12, admin_column=False),
    ],
)


# --- the Fichas Distritales, the nominal list, the Mapa de Coincidencias, the survey, the workbook -------


def _day(raw: Any, label: str) -> Any:
    # A date as the core reads it; a date-time text (a spreadsheet's cell) counts by its day.
    return values.parse_date(raw.strip()[:10] if isinstance(raw, str) else raw, label)


#: One item of a Ficha Distrital (a count; item g counts children, never names them). Messages name
#: the item: «b) Valor».
FICHA_VALUE = RecordFields(
    "ficha_value",
    [
        _number("value", _l("Value"), integer=True),
        _text("source", _l("Source")),
        Field("date", "date", _l("Date"), parser=_day),
        _text("notes", _l("Notes"), limit=2000),
    ],
)

NOMINAL_CHILD = RecordFields(
    "nominal_child",
    [
        _text("full_name", _l("Names and surnames"), required=True, limit=200),
        Field("dni", "dni", _l("DNI")),
        Field("birth_date", "date", _l("Date of birth"), parser=_day),
        _text("community", _l("Community"), limit=200),
    ],
)

#: A cell of the Mapa de Coincidencias: how many people the program reaches in the district.
COVERAGE = RecordFields("coverage", [_number("beneficiaries", _l("Beneficiaries"), integer=True)])

#: The local economic-production survey of one district: one text per section.
SURVEY = RecordFields("survey", [_text(key, label, limit=MAX_TEXT) for key, label in SURVEY_SECTION_LABELS.items()])

#: A result's number in the matrix workbook (its columns «N°», «Resultado N°» name it).
MATRIX_NUMBER = _number("n", "N°", integer=True)
