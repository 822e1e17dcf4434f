"""Admin views of the case engine: cases, cycles, transitions, custom fields, workflows, numbering."""

from __future__ import annotations

import re
from typing import Any

from flask import flash, g, has_request_context
from flask_admin import Admin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from core.admin import OperationModelView, ReadOnlyModelView, ScopedModelView
from core.admin import workflow_label_formatter as _workflow_label
from core.cases.search import search_clause
from core.cases.service import CaseError, check_pattern
from core.cases.types import case_types
from core.custom_fields import TYPE_LABELS, active_fields, display
from core.extensions import db
from core.models import Case, CaseTransition, CustomField, Cycle, ReferencePattern, WorkflowDefinition
from core.models.case import CUSTOM_FIELD_TYPES
from core.models.user import utcnow
from core.security import current_scope, readable_clause
from core.workflow import WorkflowError, save_definition


class IndexedCaseSearch:
    """Admin search of a case list through the word index (core.cases.search), not ``ILIKE '%…%'``
    over every row: each word must start a word of the case's reference or title."""

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any, search: str) -> Any:
        clause = search_clause(search, self.model.id)
        return (
            query.filter(clause),
            count_query.filter(clause) if count_query is not None else None,
            joins,
            count_joins,
        )


class CaseView(IndexedCaseSearch, OperationModelView):
    """Every case type's cases: created, edited and moved on by their pages, API and operations (version
    check, validation, audit), never written around them here; an administrator's delete runs the
    operation ``cases.case.delete``."""

    delete_operation = "cases.case.delete"

    def operation_data(self, form: Any, model: Case | None) -> dict[str, Any]:
        return {"case_id": model.id if model is not None else None}

    government_column = "government_id"
    column_formatters = {"state": _workflow_label("state")}
    column_formatters_export = column_formatters
    column_list = ("reference", "type", "title", "government", "year", "stage", "state", "version", "updated_at")
    column_searchable_list = ("reference", "title")
    column_filters = ("type", "state", "year", "stage")
    column_select_related_list = (Case.government,)
    column_default_sort = ("updated_at", True)

    # Custom fields are added by administrators at run time, so the details page and the CSV/XLSX
    # exports get one column per active field when they are shown, not when the view was built.
    @property
    def _details_columns(self) -> list[tuple[str, str]]:
        return self._base_details_columns + self._custom_columns()

    @_details_columns.setter
    def _details_columns(self, value: list[tuple[str, str]]) -> None:
        self._base_details_columns = value

    @property
    def _export_columns(self) -> list[tuple[str, str]]:
        return self._base_export_columns + self._custom_columns()

    @_export_columns.setter
    def _export_columns(self, value: list[tuple[str, str]]) -> None:
        self._base_export_columns = value

    def _custom_columns(self) -> list[tuple[str, str]]:
        if not has_request_context():
            return []
        if "articula_custom_columns" not in g:
            g.articula_custom_fields = {f"custom:{f.case_type}:{f.name}": f for f in active_fields()}
            g.articula_custom_columns = [(key, field.label) for key, field in g.articula_custom_fields.items()]
        return g.articula_custom_columns

    def _get_field_value(self, model: Any, name: Any) -> Any:
        if isinstance(name, str) and name.startswith("custom:"):
            field = g.articula_custom_fields[name]
            if model.type != field.case_type:
                return ""
            return display(field, (model.custom or {}).get(field.name))
        return super()._get_field_value(model, name)


class CycleView(ReadOnlyModelView):
    """A government's yearly cycle, made when its first case of the year is created (core.cases.service)."""

    government_column = "government_id"
    column_list = ("government", "year", "created_at")
    column_filters = ("year",)
    column_select_related_list = (Cycle.government,)


class TransitionView(ReadOnlyModelView):
    large_table = True
    column_list = ("case", "name", "from_state", "to_state", "user", "comment", "at")
    column_filters = ("name", "to_state")
    column_select_related_list = (CaseTransition.case, CaseTransition.user)
    column_formatters = {
        "name": _workflow_label("transition"),
        "from_state": _workflow_label("state"),
        "to_state": _workflow_label("state"),
    }
    column_formatters_export = column_formatters
    column_default_sort = ("at", True)  # history is written by transitions only

    def get_query(self) -> Any:
        return super().get_query().join(Case).filter(readable_clause(current_scope(), Case.government_id))

    def get_count_query(self) -> Any:
        return super().get_count_query().join(Case).filter(readable_clause(current_scope(), Case.government_id))


NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class CustomFieldView(ScopedModelView):
    """Administrators add fields to a case type; "deleting" archives, so stored values are never lost."""

    admin_only = False
    column_list = ("case_type", "name", "label", "field_type", "required", "position", "archived_at")
    column_filters = ("case_type", "field_type", "required")
    form_columns = ("case_type", "name", "label", "field_type", "required", "choices", "help_text", "position")
    form_overrides = {"case_type": SelectField, "field_type": SelectField, "choices": TextAreaField}
    form_args = {
        "choices": {"description": _l("One option per line (choice and multiple choice).")},
        "name": {"description": _l("Internal name: lower case letters, digits and _; cannot change later.")},
    }

    def create_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().create_form(obj))

    def edit_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().edit_form(obj))

    def _with_choices(self, form: Any) -> Any:
        form.case_type.choices = [(k, str(t.label)) for k, t in case_types().items()]
        form.field_type.choices = [(k, str(TYPE_LABELS[k])) for k in CUSTOM_FIELD_TYPES]
        return form

    def on_model_change(self, form: Any, model: CustomField, is_created: bool) -> None:
        if not NAME_RE.match(model.name or ""):
            raise ValidationError(
                _("Invalid internal name: use lowercase letters, digits and _, starting with a letter.")
            )
        if not is_created and form.name.object_data not in (None, model.name):
            raise ValidationError(_("A field's internal name cannot be changed (its stored values use it)."))
        if model.field_type in ("choice", "multi_choice") and not model.choice_list:
            raise ValidationError(_("Give at least one option (one per line)."))

    def delete_model(self, model: CustomField) -> bool:
        model.archived_at = model.archived_at or utcnow()
        self.session.commit()
        return True


class WorkflowView(ScopedModelView):
    """Workflows as data: an edit is validated before it is saved; an invalid one keeps the old."""

    column_list = ("id", "owner", "edited", "updated_at")
    form_columns = ("source",)
    form_overrides = {"source": TextAreaField}
    form_widget_args = {"source": {"rows": 30, "style": "font-family: monospace"}}

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False  # workflows are shipped by plugins; administrators adapt them

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return False

    def update_model(self, form: Any, model: WorkflowDefinition) -> bool:
        try:
            save_definition(model.id, form.source.data or "")
            self.session.commit()
        except WorkflowError as error:
            self.session.rollback()
            flash(_("The workflow was not saved: %(reasons)s", reasons=" ".join(error.reasons)), "error")
            return False
        return True


class ReferencePatternView(ScopedModelView):
    government_column = "government_id"
    column_list = ("case_type", "government", "pattern")
    form_columns = ("case_type", "government", "pattern")
    form_overrides = {"case_type": SelectField}
    form_args = {"pattern": {"description": _l("Tokens: {seq}, {seq:03d}, {year}, {acronym}, {type}.")}}

    def create_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().create_form(obj))

    def edit_form(self, obj: Any = None) -> Any:
        return self._with_choices(super().edit_form(obj))

    def _with_choices(self, form: Any) -> Any:
        form.case_type.choices = [(k, str(t.label)) for k, t in case_types().items()]
        return form

    def on_model_change(self, form: Any, model: ReferencePattern, is_created: bool) -> None:
        try:
            check_pattern(model.pattern or "")
        except CaseError as error:
            raise ValidationError(str(error)) from error


def register(admin: Admin) -> None:
    session = db.session
    category = _l("Cases")
    admin.add_view(CaseView(Case, session, name=_l("Cases"), category=category))
    admin.add_view(CycleView(Cycle, session, name=_l("Cycles"), category=category))
    admin.add_view(TransitionView(CaseTransition, session, name=_l("Transitions"), category=category))
    admin.add_view(CustomFieldView(CustomField, session, name=_l("Custom fields"), category=_l("Configuration")))
    admin.add_view(WorkflowView(WorkflowDefinition, session, name=_l("Workflows"), category=_l("Configuration")))
    admin.add_view(
        ReferencePatternView(ReferencePattern, session, name=_l("Numbering patterns"), category=_l("Configuration"))
    )
