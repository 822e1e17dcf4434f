"""Custom fields without code: parse and validate values, build form fields, read values by name.

Values live in ``case.custom`` as JSON-safe data: text as str, integer as int, decimal and
money as a string with the exact digits (never float), date as ISO text, boolean as
bool, choice as str, multi_choice as a list, district as its ubigeo.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from core.cases.types import case_type_of
from core.extensions import db
from core.fields import field_from_custom
from core.formatting import long_date, money
from core.models import Territory
from core.models.case import CUSTOM_FIELD_TYPES, Case, CustomField
from core.values import ValueProblem

TYPE_LABELS = {
    "text": _l("Text"),
    "long_text": _l("Long text"),
    "integer": _l("Integer"),
    "decimal": _l("Decimal number"),
    "money": _l("Money"),
    "date": _l("Date"),
    "choice": _l("Choice"),
    "multi_choice": _l("Multiple choice"),
    "boolean": _l("Yes/no"),
    "district": _l("District"),
}
MAX_TEXT = 255
MAX_LONG_TEXT = 20000


class FieldValueError(ValueError):
    """A value that does not fit its field; the message is Spanish."""


def fields_for(case_type: str, include_archived: bool = False) -> list[CustomField]:
    query = select(CustomField).where(CustomField.case_type == case_type)
    if not include_archived:
        query = query.where(CustomField.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(CustomField.position, CustomField.id)))


def active_fields() -> list[CustomField]:
    """Every case type's active fields, in a stable order (for admin columns and exports)."""
    query = select(CustomField).where(CustomField.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(CustomField.case_type, CustomField.position, CustomField.id)))


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def parse_value(field: CustomField, raw: Any) -> Any:
    """Raw input (form string, JSON value) → the stored JSON-safe value, or FieldValueError.

    The value is parsed by its declared field (core.fields, core.values: one parser per type),
    then stored JSON-safe: decimals and money as exact strings, dates as ISO text."""

    label = field.label
    kind = field.field_type
    if kind not in CUSTOM_FIELD_TYPES:
        raise FieldValueError(_("Unknown field type: %(kind)s", kind=kind))
    try:
        value = field_from_custom(field).parse(raw, label=label)
    except ValueProblem as problem:
        raise FieldValueError(str(problem)) from None
    if value is None:
        return None
    if kind in ("decimal", "money"):
        return str(value)
    if kind == "date":
        return value.isoformat()
    if kind == "district":
        exists = db.session.scalar(select(Territory.id).where(Territory.ubigeo == value, Territory.level == "district"))
        if not exists:
            raise FieldValueError(_("«%(label)s»: unknown district ubigeo «%(value)s».", label=label, value=value))
    return value


def parse_values(case_type: str, raw: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate every active field present in ``raw``; merge into ``current`` (archived values kept).

    Raises FieldValueError with all problems joined, so nothing is saved half-way.
    """
    result = dict(current or {})
    problems = []
    for field in fields_for(case_type):
        if field.name not in raw and field.name in result:
            continue  # not sent (e.g. a PATCH): keep the stored value
        try:
            result[field.name] = parse_value(field, raw.get(field.name))
        except FieldValueError as error:
            problems.append(str(error))
    if problems:
        raise FieldValueError(" ".join(problems))
    return result


def display(field: CustomField, value: Any) -> str:
    """A stored value as people read it (documents, detail pages, exports)."""
    if is_empty(value):
        return ""
    if field.field_type == "boolean":
        return "Sí" if value else "No"
    if field.field_type == "multi_choice":
        return ", ".join(value)
    if field.field_type == "money":
        return money(Decimal(value))
    if field.field_type == "date":
        return long_date(date.fromisoformat(value))
    if field.field_type == "district":
        territory = db.session.scalar(select(Territory).where(Territory.ubigeo == value))
        return f"{territory.name} ({value})" if territory else value
    return str(value)


def form_field(field: CustomField):  # noqa: ANN201
    """An unbound WTForms field for the custom field (labels are the administrator's text)."""
    # lazy: the form class may be built once and shown in each reader's language
    required = InputRequired(_l("«%(label)s» is required.", label=field.label))
    validators = [required] if field.required else [Optional()]
    kwargs = {"label": field.label, "description": field.help_text or ""}
    kind = field.field_type
    if kind == "text":
        return StringField(validators=[*validators, Length(max=MAX_TEXT)], **kwargs)
    if kind == "long_text":
        return TextAreaField(validators=[*validators, Length(max=MAX_LONG_TEXT)], **kwargs)
    if kind == "integer":
        return IntegerField(validators=validators, **kwargs)
    if kind in ("decimal", "money"):
        return DecimalField(validators=validators, places=None, **kwargs)
    if kind == "date":
        return DateField(validators=validators, **kwargs)
    if kind == "boolean":
        return BooleanField(validators=[Optional()], **kwargs)
    if kind == "choice":
        return SelectField(choices=[("", "—")] + [(c, c) for c in field.choice_list], validators=validators, **kwargs)
    if kind == "multi_choice":
        return SelectMultipleField(choices=[(c, c) for c in field.choice_list], validators=validators, **kwargs)
    return StringField(validators=validators, **kwargs)  # district: ubigeo text


def form_value(field: CustomField, value: Any) -> Any:
    """Stored value → what the WTForms field expects as data."""
    if is_empty(value):
        return None
    if field.field_type in ("decimal", "money"):
        return Decimal(value)
    if field.field_type == "date":
        return date.fromisoformat(value)
    return value


def json_schema(field: CustomField) -> dict[str, Any]:
    """The field's OpenAPI/JSON-Schema description."""
    base = {"description": field.label}
    kind = field.field_type
    types = {
        "integer": {"type": "integer"},
        "decimal": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
        "money": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
        "date": {"type": "string", "format": "date"},
        "boolean": {"type": "boolean"},
        "choice": {"type": "string", "enum": field.choice_list},
        "multi_choice": {"type": "array", "items": {"type": "string", "enum": field.choice_list}},
        "district": {"type": "string", "pattern": r"^\d{6}$"},
    }
    schema = types.get(kind, {"type": "string"})
    return {**base, **schema}


def value_of(case: Case, name: str) -> Any:
    """A case attribute or, failing that, a custom field value, by name."""
    if name in (case.custom or {}):
        return case.custom[name]
    return getattr(case, name, None)


def field_label(case: Case, name: str) -> str:
    custom = db.session.scalar(
        select(CustomField.label).where(CustomField.case_type == case.type, CustomField.name == name)
    )
    if custom:
        return custom

    info = case_type_of(case)
    return str(info.field_labels.get(name, name)) if info else name


__all__ = ["CUSTOM_FIELD_TYPES", "FieldValueError", "TYPE_LABELS", "fields_for", "parse_value", "parse_values"]
