"""Fields declared once (Odoo fields, Frappe DocType): a record type's fields in code, and
everything that is made of them.

Longer than ~400 lines on purpose: one declaration engine (``Field`` and ``RecordFields`` with the
form, parser, serializer, schema and admin faces of the same fields), read best in one place.

A plugin declares its record type's fields once::

    MEMBER = RecordFields("member", [
        Field("full_name", "text", _l("Names and surnames"), required=True, max_length=200),
        Field("dni", "dni", _l("DNI")),
        ...
    ])

and gets from that one declaration: the WTForms form (:meth:`RecordFields.form_class`), the API
input parser (:meth:`RecordFields.parse`, used by the operations layer) and serializer
(:meth:`RecordFields.serialize`), the OpenAPI schema (:meth:`RecordFields.json_schema`), the admin
list/filter/search/export columns and labels (:meth:`RecordFields.admin_options`), the history labels
(:meth:`RecordFields.labels`) and the document field rows (:meth:`RecordFields.document_rows`).

Every value is parsed by core.values (one parser per type). Custom fields that administrators add
(core.custom_fields) are the same mechanism: :func:`field_from_custom` turns one into a ``Field``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

import core.values as values
from core.extensions import db
from core.formatting import long_date, money
from core.refusals import Refusal

#: The value types a field may have, and the JSON Schema of each (what the API sends and returns).
TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "long_text": {"type": "string"},
    "email": {"type": "string"},
    "integer": {"type": "integer"},
    "reference": {"type": "integer"},  # the id of another record (``reference`` names its model)
    "decimal": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
    "money": {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$"},
    "percentage": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$"},
    "boolean": {"type": "boolean"},
    "choice": {"type": "string"},
    "multi_choice": {"type": "array", "items": {"type": "string"}},
    "dni": {"type": "string", "pattern": r"^\d{8}$"},
    "ubigeo": {"type": "string", "pattern": r"^\d{6}$"},
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


@dataclass(frozen=True)
class Field:
    """One field of a record type. ``label`` and ``help`` are translatable (``_l``).

    ``choices``: ``{code: label}`` or a callable giving ``[(code, label)]`` at form time.
    ``readable_by`` / ``writable_by``: roles that see / change it (None: whoever may read / edit
    the record).
    ``output``: a computed value for the serializer (``(record) -> value``; not an input).
    ``parser``: ``(raw, label) -> value`` for a value its type alone does not check (a catalog
    entry given by key or name, a list of months); raises ValueProblem like the type parsers.
    """

    name: str
    type: str
    label: Any
    help: Any = ""
    required: bool = False
    max_length: int | None = None
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    places: int | None = None
    negative: bool = False
    choices: dict[str, Any] | Callable[[], list[tuple[Any, Any]]] | None = None
    default: Any = None
    readable_by: frozenset[str] | None = None
    writable_by: frozenset[str] | None = None
    reference: Any = None  # the model a "reference" field points to
    required_message: Any = None  # what "required" says beside the field (default: "«label» is required.")
    legal: dict[str, str] | None = None  # the Spanish names documents print for the codes (legal text)
    output: Callable[[Any], Any] | None = None
    parser: Callable[[Any, str], Any] | None = None
    nullable_output: bool = True  # the serializer may return null for it
    admin_column: bool = True
    admin_filter: bool | str = False  # a string names the filter column ("category.key")
    admin_search: bool = False
    document: bool = True

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name!r}: unknown type {self.type!r}")

    @property
    def limit(self) -> Decimal | int | None:
        """The largest value admitted: the declared ``maximum``; for a whole number without one, what
        an integer column holds (the same on PostgreSQL and SQLite), for money the money columns' size,
        for a percentage 100."""
        if self.maximum is not None:
            return self.maximum
        return {"integer": values.DB_INT_MAX, "money": values.MONEY_MAX, "percentage": 100}.get(self.type)

    @property
    def lowest(self) -> Decimal | int | None:
        """The smallest value admitted: the declared ``minimum``, else 0 for a number that cannot be negative."""
        if self.minimum is not None:
            return self.minimum
        numeric = self.type in ("integer", "decimal", "money", "percentage")
        return 0 if numeric and not self.negative else None

    @property
    def is_input(self) -> bool:
        return self.output is None

    def choice_codes(self) -> list[str]:
        if self.choices is None:
            return []
        if callable(self.choices):
            return [str(code) for code, _label in self.choices() if code not in ("", None)]
        return list(self.choices)

    # --- one value ------------------------------------------------------------------------------

    def parse(self, raw: Any, label: str | None = None) -> Any:
        """Raw input (form text, JSON value) → the Python value, or :class:`core.values.ValueProblem`."""
        label = label or str(self.label)
        if self.parser is not None:
            return self.parser(raw, label)
        kind = self.type
        if kind in ("text", "long_text"):
            return values.parse_text(raw, label, required=self.required, limit=self.max_length)
        if kind == "email":
            return values.parse_email(raw, label, required=self.required)
        if kind == "integer":
            return values.parse_integer(
                raw, label, required=self.required, negative=self.negative, minimum=self.minimum, maximum=self.limit
            )
        if kind == "reference":
            if values.is_empty(raw):
                return values.parse_integer(raw, label, required=self.required)
            if isinstance(raw, bool) or not isinstance(raw, (int, str)):
                raise values.ValueProblem(_("«%(label)s» must be a whole number.", label=label))
            number = values.parse_integer(raw, label)
            if self.reference is not None:
                if db.session.get(self.reference, number) is None:
                    raise values.ValueProblem(_("«%(label)s»: no record with id %(id)s.", label=label, id=number))
            return number
        if kind == "decimal":
            return values.parse_decimal(
                raw,
                label,
                required=self.required,
                places=self.places,
                negative=self.negative,
                minimum=self.minimum,
                maximum=self.maximum,
            )
        if kind == "money":
            return values.parse_money(
                raw, label, required=self.required, negative=self.negative, minimum=self.minimum, maximum=self.maximum
            )
        if kind == "percentage":
            return values.parse_percentage(
                raw, label, required=self.required, minimum=self.minimum, maximum=self.maximum
            )
        if kind == "date":
            return values.parse_date(raw, label, required=self.required)
        if kind == "time":
            return values.parse_time(raw, label, required=self.required)
        if kind == "boolean":
            return None if values.is_empty(raw) else values.parse_boolean(raw, label)
        if kind == "dni":
            return values.parse_dni(raw, label, required=self.required)
        if kind == "ubigeo":
            return values.parse_ubigeo(raw, label, required=self.required)
        if kind == "choice":
            if values.is_empty(raw):
                if self.required:
                    raise values.ValueProblem(_("«%(label)s» is required.", label=label))
                return None
            if str(raw) not in self.choice_codes():
                raise values.ValueProblem(_("«%(label)s»: «%(value)s» is not a valid option.", label=label, value=raw))
            return str(raw)
        if kind == "multi_choice":
            if values.is_empty(raw) and not self.required:
                return None
            items = raw if isinstance(raw, list) else ([] if values.is_empty(raw) else [raw])
            invalid = [str(v) for v in items if str(v) not in self.choice_codes()]
            if invalid:
                raise values.ValueProblem(
                    _("«%(label)s»: options not valid: %(values)s.", label=label, values=", ".join(invalid))
                )
            if self.required and not items:
                raise values.ValueProblem(_("«%(label)s» is required.", label=label))
            return [str(v) for v in items]
        raise values.ValueProblem(f"unknown field type {kind}")  # unreachable: __post_init__ checks

    def to_json(self, value: Any) -> Any:
        """A Python value → its JSON form (dates ISO, decimals as exact strings)."""
        if value is None:
            return None
        if isinstance(value, date | time):
            return value.isoformat()
        if isinstance(value, Decimal):
            return format(value, "f")
        return value

    def display(self, value: Any, *, legal: bool = False) -> str:
        """A value as people read it in pages and documents (numbers through the one formatter);
        ``legal``: codes by their Spanish legal names (``legal``), for documents."""

        if values.is_empty(value):
            return ""
        if self.type == "boolean":
            return _("Yes") if value else _("No")
        if self.type == "money":
            return money(Decimal(value))
        if self.type in ("decimal", "integer", "percentage"):
            text = values.format_number(Decimal(str(value)))
            return f"{text} %" if self.type == "percentage" else text
        if self.type == "time":
            return value.strftime("%H:%M") if isinstance(value, time) else str(value)
        if self.type == "date":
            return long_date(value if isinstance(value, date) else date.fromisoformat(value))
        if self.type == "choice" and legal and self.legal:
            return self.legal.get(value, value)
        if self.type == "choice" and isinstance(self.choices, dict):
            return str(self.choices.get(value, value))
        if self.type == "multi_choice":
            return ", ".join(str(v) for v in value)
        return str(value)

    # --- one WTForms field -----------------------------------------------------------------------

    def form_field(self, extra: list[Any] | None = None) -> Any:
        """An unbound WTForms field; its check is the same parser the API uses (``extra``: more validators)."""
        # DataRequired: blank text ("  ", stripped to None) is missing, like the API's parser says.
        checks: list[Any] = [DataRequired(_l_required(self))] if self.required else [Optional()]
        checks.append(_parser_check(self))
        checks += extra or []
        kwargs = {"label": self.label, "description": self.help or "", "validators": checks}
        kind = self.type
        if kind == "long_text":
            return TextAreaField(filters=[_strip_or_none], **kwargs)
        if kind == "date":
            return DateField(format=DATE_FORMATS, **kwargs)
        if kind == "time":
            # "10:00" as the browser sends it; "10:00:00" as a stored value posts back
            return TimeField(format=["%H:%M", "%H:%M:%S"], **kwargs)
        if kind == "boolean":
            return BooleanField(label=self.label, description=self.help or "", validators=[Optional()])
        if kind == "choice":
            return _ChoiceField(self, **kwargs)
        if kind == "multi_choice":
            return SelectMultipleField(choices=self._static_choices(), **kwargs)
        if kind == "reference":
            return _ChoiceField(self, coerce=_int_or_none, **kwargs)
        return StringField(filters=[_strip_or_none], **kwargs)

    def _static_choices(self) -> list[tuple[Any, Any]]:
        if callable(self.choices):
            return self.choices()
        return list((self.choices or {}).items())


def _strip_or_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _str_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "", "None") else None


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def _l_required(f: Field) -> Any:
    return f.required_message or _("«%(label)s» is required.", label=str(f.label))


def _parser_check(f: Field) -> Callable[[Any, Any], None]:
    def check(form: Any, wt_field: Any) -> None:
        if wt_field.data is None or f.type in ("choice", "reference"):
            return  # empty (Optional/InputRequired decided) or a select (WTForms checks the choice)
        try:
            f.parse(wt_field.data)
        except values.ValueProblem as problem:
            raise ValidationError(str(problem)) from None

    return check


class _ChoiceField(SelectField):
    """A select whose choices may be computed when the form is made (categories of a level…)."""

    def __init__(self, declared: Field, **kwargs: Any) -> None:
        choices = declared.choices
        if callable(choices):
            options = choices()
        else:
            options = list((choices or {}).items())
        if not declared.required and declared.default is None:
            options = [("", "—"), *options]  # an optional choice may be left empty (None)
            kwargs.setdefault("coerce", _str_or_none)
        super().__init__(choices=options, **kwargs)


# --- a record type's fields ----------------------------------------------------------------------------


@dataclass
class RecordFields:
    """A record type's declared fields, and everything generated from them."""

    name: str
    fields: list[Field]
    #: Extra input keys the operation handles itself (e.g. a category given by its key).
    extra_inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Cross-field checks over the parsed data: ``(data) -> [(field_name, message)]``.
    checks: list[Callable[[dict[str, Any]], list[tuple[str, Any]]]] = field(default_factory=list)

    def __iter__(self) -> Iterable[Field]:  # type: ignore[override]
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def inputs(self) -> list[Field]:
        return [f for f in self.fields if f.is_input]

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs)

    def writable(self, f: Field, scope: Any) -> bool:
        if f.writable_by is None or scope is None or getattr(scope, "is_admin", False):
            return True
        roles = set(scope.global_roles).union(*scope.roles_by_government.values())
        return bool(roles & f.writable_by)

    def readable(self, f: Field, scope: Any) -> bool:
        if f.readable_by is None or scope is None or getattr(scope, "is_admin", False):
            return True
        roles = set(scope.global_roles).union(*scope.roles_by_government.values())
        return bool(roles & f.readable_by)

    # --- input -----------------------------------------------------------------------------------

    def parse(
        self, data: dict[str, Any], *, partial: bool = False, scope: Any = None, ignore: Iterable[str] = ("version",)
    ) -> dict[str, Any]:
        """Plain data → typed values; every problem reported at once as one Refusal with per-field errors.

        Unknown keys are refused; with ``partial`` (an edit) only the keys sent are parsed and
        required fields may be absent. Keys in ``ignore`` and ``extra_inputs`` pass through as sent.
        """
        passthrough = set(ignore) | set(self.extra_inputs)
        known = set(self.input_names) | passthrough
        errors: dict[str, list[str]] = {}
        unknown = sorted(k for k in data if k not in known)
        message = _("Unknown fields: %(names)s.", names=", ".join(unknown)) if unknown else ""
        result: dict[str, Any] = {k: data[k] for k in data if k in passthrough}
        for f in self.inputs:
            # Messages name the field by its label in the reader's language; errors stay keyed by name.
            label = str(f.label)
            if f.name not in data:
                if partial:
                    continue
                if f.required and not _given_otherwise(self, f, data):
                    errors.setdefault(f.name, []).append(str(_l_required(f)))
                    continue
                if f.default is not None:
                    result[f.name] = f.default
                continue
            if not self.writable(f, scope):
                errors.setdefault(f.name, []).append(_("You may not change «%(label)s».", label=label))
                continue
            try:
                result[f.name] = f.parse(data[f.name], label=label)
            except values.ValueProblem as problem:
                errors.setdefault(f.name, []).append(str(problem))
        if not errors:
            for check in self.checks:
                for name, problem in check(result):
                    errors.setdefault(name, []).append(str(problem))
        if errors or message:
            raise Refusal(message, 400, errors)
        return result

    # --- output ----------------------------------------------------------------------------------

    def serialize(self, record: Any, scope: Any = None) -> dict[str, Any]:
        """The record as the API returns it: every readable field, in declaration order."""
        out: dict[str, Any] = {"id": record.id}
        for f in self.fields:
            if not self.readable(f, scope):
                continue
            raw = f.output(record) if f.output is not None else getattr(record, f.name)
            out[f.name] = f.to_json(raw)
        return out

    def json_schema(self, *, for_input: bool = False) -> dict[str, Any]:
        """The OpenAPI / JSON-Schema object: input (what may be sent) or output (what is returned)."""
        properties: dict[str, Any] = {}
        if not for_input:
            properties["id"] = {"type": "integer"}
        for f in self.fields:
            if for_input and not f.is_input:
                continue
            schema = dict(TYPES[f.type])
            codes = f.choice_codes() if isinstance(f.choices, dict) else []
            if codes:
                schema["enum"] = codes
            if f.max_length:
                schema["maxLength"] = f.max_length
            if for_input:
                # The limits the parser applies (a field's own parser: the limits it declares); for
                # money, decimals and percentages (sent as text) they describe the number the text holds.
                low, high = (f.lowest, f.limit) if f.parser is None else (f.minimum, f.maximum)
                if low is not None:
                    schema["minimum"] = _schema_number(low)
                if high is not None:
                    schema["maximum"] = _schema_number(high)
            if (for_input and not f.required) or (not for_input and f.nullable_output):
                schema["type"] = [schema["type"], "null"]
                if "enum" in schema:
                    schema["enum"] = [*schema["enum"], None]
            schema["description"] = str(f.label)
            properties[f.name] = schema
        for name, schema in self.extra_inputs.items():
            if for_input:
                properties[name] = schema
        result: dict[str, Any] = {"type": "object", "properties": properties}
        if for_input:
            result["additionalProperties"] = False
        else:
            result["required"] = list(properties)
            result["additionalProperties"] = False
        return result

    # --- pages, admin, history, documents ----------------------------------------------------------

    def form_class(self, base: type = FlaskForm, *, versioned: bool = True, exclude: Iterable[str] = ()) -> type:
        """A WTForms form class with one field per input field (and the hidden case version)."""
        attrs: dict[str, Any] = {"version": HiddenField()} if versioned else {}
        for f in self.inputs:
            if f.name not in exclude:
                attrs[f.name] = f.form_field(extra=[_cross_check(self)] if self.checks else [])
        return type(f"{self.name.title().replace('_', '')}Form", (base,), attrs)

    def form_data(self, record: Any) -> dict[str, Any]:
        """A record's values as the form shows them."""
        return {f.name: getattr(record, f.name) for f in self.inputs}

    def labels(self) -> dict[str, Any]:
        """Field name → (lazy) label: the history panel, admin column headers, messages."""
        return {f.name: f.label for f in self.fields}

    def admin_options(self, *, prefix: tuple[str, ...] = (), exclude: Iterable[str] = ()) -> dict[str, Any]:
        """Flask-Admin view options: list, filter, search and export columns and their labels."""
        skip = set(exclude)
        listed = [f for f in self.fields if f.admin_column and f.is_input and f.name not in skip]
        columns = [*prefix, *(_admin_name(f) for f in listed)]
        return {
            "column_list": tuple(columns),
            "column_export_list": tuple(columns),
            "column_filters": tuple(
                f.admin_filter if isinstance(f.admin_filter, str) else _admin_name(f)
                for f in self.fields
                if f.admin_filter
            ),
            "column_searchable_list": tuple(f.name for f in self.fields if f.admin_search),
            "column_labels": {_admin_name(f): f.label for f in self.fields},
        }

    def document_values(self, record: Any) -> dict[str, str]:
        """Field name → value as a document prints it: Spanish whatever the reader's language
        (documents are legal text), codes by their legal names, dates long, numbers formatted."""

        with force_locale("es"):
            result = {}
            for f in self.fields:
                if f.document:
                    raw = f.output(record) if f.output is not None else getattr(record, f.name)
                    result[f.name] = f.display(raw, legal=True)
            return result

    def document_rows(self, record: Any) -> list[tuple[str, str]]:
        """(label, value) rows of the record's document fields, in Spanish (a document's table of fields)."""

        with force_locale("es"):
            labels = {f.name: str(f.label) for f in self.fields}
        return [(labels[name], value) for name, value in self.document_values(record).items()]


def _cross_check(record_fields: RecordFields) -> Callable[[Any, Any], None]:
    """A field validator running the record type's cross-field checks (the same the API's parser
    runs) over the whole form, keeping the messages about this field: they show beside it. A field
    validator rather than a form method, so it travels with the field into forms built from it.
    The checks compare typed values, so the form's text is parsed first, as the API's is; a value
    that does not parse is left to its own field's message."""

    def check(form: Any, wt_field: Any) -> None:
        data: dict[str, Any] = {}
        for f in record_fields.inputs:
            if f.name in form._fields:
                try:
                    data[f.name] = f.parse(form._fields[f.name].data)
                except values.ValueProblem:
                    return
        problems = [
            str(problem) for check in record_fields.checks for name, problem in check(data) if name == wt_field.name
        ]
        if problems:
            raise ValidationError(" ".join(problems))

    return check


def _schema_number(value: Decimal | int) -> int | float:
    # JSON has no decimals: a whole limit stays an integer; the others are money limits (two places).
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _admin_name(f: Field) -> str:
    # A reference column is listed through its relationship ("category_id" → "category").
    return f.name.removesuffix("_id") if f.type == "reference" else f.name


def _given_otherwise(record_fields: RecordFields, f: Field, data: dict[str, Any]) -> bool:
    """A required field may come under another input key (e.g. a category by its key)."""
    return any(k in data for k, schema in record_fields.extra_inputs.items() if schema.get("x-sets") == f.name)


def field_from_custom(custom: Any) -> Field:
    """An administrator's custom field (core.models.CustomField) as a declared Field."""
    kind = {"district": "ubigeo"}.get(custom.field_type, custom.field_type)
    return Field(
        name=custom.name,
        type=kind,
        label=custom.label,
        help=custom.help_text or "",
        required=bool(custom.required),
        max_length={"text": 255, "long_text": 20000}.get(custom.field_type),
        choices={c: c for c in custom.choice_list} if custom.field_type in ("choice", "multi_choice") else None,
    )
