"""The case forms: create and edit, built per case type from its own form and the custom fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from core.cases.types import STAGE_LABELS, CaseType
from core.custom_fields import fields_for, form_field
from core.models import STAGES


class CaseBaseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("The title is required.")), Length(max=300)])


class CaseCreateForm(CaseBaseForm):
    government = SelectField(_l("Government"), coerce=int)
    year = IntegerField(_l("Year"), validators=[NumberRange(2000, 2100, _l("Enter a year between 2000 and 2100."))])
    stage = SelectField(_l("Stage of the cycle"), choices=[(s, STAGE_LABELS[s]) for s in STAGES])


class CaseEditForm(CaseBaseForm):
    version = HiddenField()


def build_form(base: type[FlaskForm], case_type: CaseType, **kwargs: Any) -> FlaskForm:
    """The base fields, then the type's own form fields, then the administrator's custom fields."""
    attrs: dict[str, Any] = {}
    if case_type.form is not None:
        for name, unbound in case_type.form._unbound_fields or _unbound(case_type.form):
            attrs[name] = unbound
    for field in fields_for(case_type.key):
        attrs[f"custom__{field.name}"] = form_field(field)
    form_class = type(f"{case_type.key.title()}Form", (base,), attrs)
    return form_class(**kwargs)


def _unbound(form_class: type) -> list[tuple[str, Any]]:
    return [(n, v) for n, v in vars(form_class).items() if hasattr(v, "field_class")]


def type_field_names(case_type: CaseType) -> list[str]:
    if case_type.form is None:
        return []
    return [name for name, _ in (case_type.form._unbound_fields or _unbound(case_type.form))]


def custom_from_form(form: FlaskForm, case_type: CaseType) -> dict[str, Any]:
    values = {}
    for field in fields_for(case_type.key):
        data = form[f"custom__{field.name}"].data
        values[field.name] = data if data not in (None, "") else None
        if field.field_type == "boolean":
            values[field.name] = bool(data)
    return values
