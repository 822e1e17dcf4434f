"""The admin's base view: ``ScopedModelView``, the scoping layer's admin face, and its formatters.

Everyone with a membership may browse what their scope reaches; in the admin only
administrators write (teams and coordinators write through the web pages, where each
change goes through its workflow). Read-only users get 403 on any unsafe request.
``core.admin`` builds the admin itself (home page, platform views, registration).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from flask import abort, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.typefmt import DEFAULT_FORMATTERS, EXPORT_FORMATTERS
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from markupsafe import Markup
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Query

from core.calendar import LIMA
from core.database import SAFE_METHODS
from core.formatting import safe_filename
from core.labels import field_label, value_label, value_labels
from core.models import (
    Case,
)
from core.operations import Refusal, form_refusal, run
from core.security import current_scope, readable_clause
from core.spreadsheet import safe_cell
from core.workflow import WorkflowError, get_workflow

#: Columns never shown, exported or edited in the admin.
SECRET_COLUMNS = ("password_hash", "token_hash")
#: A list counts at most this many rows (the pager then says "10 000+"): a bounded scan
#: instead of counting 100 000 rows on every page view.
COUNT_CAP = 10_000
#: Stands for the row's id in a row action's address built once per page (see row_url).
ROW_ID_SLOT = "ROWIDSLOT"


class CappedCountQuery(Query):
    """Flask-Admin's count query (filters and search already applied), run as a bounded count."""

    def scalar(self) -> int:
        inner = self.statement.with_only_columns(literal_column("1")).limit(COUNT_CAP).subquery()
        return self.session.execute(select(func.count()).select_from(inner)).scalar_one()


class AdminForm(FlaskForm):
    """Admin forms carry Flask-WTF's CSRF token, the same one every other form uses."""

    def __init__(self, formdata: Any = _Auto, obj: Any = None, **kwargs: Any) -> None:
        # Flask-Admin's own BaseForm keeps the edited record here; its Unique validator compares
        # against it, so without it every edit of a record with a unique column says "already exists".
        self._obj = obj
        super().__init__(formdata, obj=obj, **kwargs)


class ColumnLabels(dict):
    """A view's column labels: its own, else the registry's (core.labels), so that every list header,
    filter, form field, search hint and export column reads as people know it."""

    def __init__(self, own: Mapping[Any, Any] | None, table: str | None) -> None:
        super().__init__(own or {})
        self.table = table

    def _lookup(self, key: Any) -> Any:
        if isinstance(key, str) and dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        name = key if isinstance(key, str) else getattr(key, "key", None)
        if not isinstance(name, str):
            return None
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return field_label(name, self.table) or field_label(name.rsplit(".", 1)[-1], self.table)

    def __bool__(self) -> bool:
        return True  # Flask-Admin reads labels only "if self.column_labels": never empty

    def __contains__(self, key: object) -> bool:
        return self._lookup(key) is not None

    def __getitem__(self, key: Any) -> Any:
        label = self._lookup(key)
        if label is None:
            raise KeyError(key)
        return label

    def get(self, key: Any, default: Any = None) -> Any:
        label = self._lookup(key)
        return default if label is None else label


def _bool_icon(view: Any, value: Any, name: str) -> Markup:
    # Flask-Admin's own icon says "name: true" in English; the text here is what screen readers read.
    word = _("Yes") if value else _("No")
    icon = "fa-check-circle" if value else "fa-minus-circle"
    return Markup('<span class="fa {}" aria-hidden="true" title="{}"></span><span class="sr-only">{}</span>').format(
        icon, word, word
    )


def _bool_word(view: Any, value: Any, name: str) -> str:
    return _("Yes") if value else _("No")


LIST_FORMATTERS = {**DEFAULT_FORMATTERS, bool: _bool_icon}
EXPORT_TYPE_FORMATTERS = {**EXPORT_FORMATTERS, bool: _bool_word}


def _signed_in_with_role() -> bool:
    # Asked once per admin view while the menu renders (~50 times a page): answer once per request.
    cached = request.environ.get("articula.admin_member")
    if cached is None:
        cached = current_user.is_authenticated and bool(current_user.memberships)
        request.environ["articula.admin_member"] = cached
    return cached


class ScopedModelView(ModelView):
    """Base admin view: rows filtered by the user's scope, writes for administrators only.

    ``government_column``: the name of the column holding the row's government (None: national data
    such as catalogs, readable by every signed-in member). ``admin_only``: the view is
    hidden from everyone but administrators (users, tokens, bookkeeping).
    """

    government_column: Any = None  # a column name (or a column, read through the class)
    admin_only = False
    large_table = False  # True: no total count (keeps huge lists fast)
    form_base_class = AdminForm
    can_export = True
    export_types = ["csv", "xlsx"]
    can_view_details = True
    page_size: int | None = None  # None: the app's ADMIN_PAGE_SIZE
    column_exclude_list = SECRET_COLUMNS
    column_details_exclude_list = SECRET_COLUMNS
    column_export_exclude_list = SECRET_COLUMNS
    form_excluded_columns = SECRET_COLUMNS
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_export = EXPORT_TYPE_FORMATTERS
    column_type_formatters_detail = LIST_FORMATTERS

    def __init__(self, model: type, session: Any, **kwargs: Any) -> None:
        if self.large_table:
            self.simple_list_pager = True
        self._label_columns(model)
        super().__init__(model, session, **kwargs)
        # SQLAlchemy 2.1 refuses relationship names as strings in loader options.
        self._auto_joins = [getattr(model, j) if isinstance(j, str) else j for j in self._auto_joins]

    def _label_columns(self, model: type) -> None:
        """Column names and stored codes as people read them (core.labels): codes with a fixed list
        become choices (shown as labels in lists, details and exports, offered by label in filters);
        codes read through a function get a formatter. A view's own settings win."""
        table = getattr(model, "__tablename__", None)
        self.column_labels = ColumnLabels(getattr(self, "column_labels", None), table)
        choices = dict(getattr(self, "column_choices", None) or {})
        formatters = dict(getattr(self, "column_formatters", None) or {})
        export_formatters = dict(getattr(self, "column_formatters_export", None) or {})

        if issubclass(model, Case):  # every case type: its state named by its workflow
            formatters.setdefault("state", workflow_label_formatter("state"))
            export_formatters.setdefault("state", workflow_label_formatter("state"))
        for column in getattr(getattr(model, "__table__", None), "columns", ()):
            labels = value_labels(column.key, table)
            if labels is None or column.key in choices or column.key in formatters:
                continue
            if isinstance(labels, Mapping):
                choices[column.key] = [(code, label) for code, label in labels.items()]
            else:
                formatters[column.key] = _code_formatter(table)
                export_formatters.setdefault(column.key, _code_formatter(table))
        self.column_choices = choices
        self.column_formatters = formatters
        self.column_formatters_export = export_formatters
        if getattr(self, "column_formatters_detail", None) is None:
            self.column_formatters_detail = formatters

    def get_export_name(self, export_type: str = "csv") -> str:
        """«Documentos-emitidos_2026-11-30_0815.csv»: the list's Spanish name, whatever the user's language."""

        with force_locale("es"):
            name = str(self.name)
        return f"{safe_filename(name)}_{datetime.now(LIMA):%Y-%m-%d_%H%M}.{export_type}"

    def get_export_value(self, model: Any, name: str) -> Any:
        """Every CSV/XLSX export cell goes through core.spreadsheet.safe_cell: no user text as formula."""
        return safe_cell(super().get_export_value(model, name))

    # --- who may do what ------------------------------------------------------------------
    def is_accessible(self) -> bool:
        if not _signed_in_with_role():
            return False
        return current_scope().is_admin or not self.admin_only

    def inaccessible_callback(self, name: str, **kwargs: Any):  # noqa: ANN201
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    def _handle_view(self, name: str, **kwargs: Any):  # noqa: ANN201
        denied = super()._handle_view(name, **kwargs)
        if denied is not None:
            return denied
        if request.method not in SAFE_METHODS and not current_scope().is_admin:
            abort(403)
        return None

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return current_user.is_authenticated and current_scope().is_admin

    @property
    def can_edit(self) -> bool:  # type: ignore[override]
        return current_user.is_authenticated and current_scope().is_admin

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return current_user.is_authenticated and current_scope().is_admin

    def row_url(self, endpoint: str, row_id: Any, return_url: str) -> str:
        """A row action's address: ``url_for`` once per page and action, then only the id changes
        (building three addresses per row with ``url_for`` cost more than the rest of the list)."""
        cache = request.environ.setdefault("articula.row_urls", {})
        key = (self.endpoint, endpoint, return_url)
        if key not in cache:
            cache[key] = self.get_url(endpoint, id=ROW_ID_SLOT, url=return_url)
        return cache[key].replace(ROW_ID_SLOT, quote_plus(str(row_id)), 1)

    def action_url(self, endpoint: str) -> str:
        """An action's address without arguments (the rows' delete form), built once per page."""
        cache = request.environ.setdefault("articula.row_urls", {})
        key = (self.endpoint, endpoint, None)
        if key not in cache:
            cache[key] = self.get_url(endpoint)
        return cache[key]

    # --- scoping --------------------------------------------------------------------------
    @property
    def _government_column(self) -> Any:
        # A name, or a column read through the class: a mapped column is a descriptor, and
        # reading it on the view instance would ask SQLAlchemy for the view's own row state.
        column = type(self).government_column
        return getattr(self.model, column) if isinstance(column, str) else column

    def _scoped(self, query: Any) -> Any:
        if self._government_column is None:
            return query
        return query.filter(readable_clause(current_scope(), self._government_column))

    def get_query(self) -> Any:
        return self._scoped(super().get_query())

    def get_count_query(self) -> Any:
        query = CappedCountQuery([func.count("*")], session=self.session()).select_from(self.model)
        return self._scoped(query)

    def get_one(self, id: Any) -> Any:
        # Through get_query(), so a view that scopes its list there (not by government_column)
        # scopes its details, edit and delete pages the same way.
        record = super().get_one(id)
        if record is None:
            return record
        mapper = self.model.__mapper__
        pk = mapper.primary_key[0]
        reachable = self.get_query().filter(pk == getattr(record, mapper.get_property_by_column(pk).key)).first()
        return reachable  # None → Flask-Admin answers "record does not exist"


def workflow_label_formatter(kind: str) -> Any:
    """A formatter naming a state or transition by its workflow's label (the row's case's workflow)."""

    def formatter(view: Any, context: Any, model: Any, name: str) -> str:
        case = model if isinstance(model, Case) else model.case
        value = getattr(model, name)
        if value is None:
            return ""
        try:
            workflow = get_workflow(case.workflow_id)
        except WorkflowError:
            return value
        if kind == "state":
            return workflow.state_label(value)
        step = workflow.transitions.get(value)
        return step.label if step else value

    return formatter


def _code_formatter(table: str | None) -> Any:
    def formatter(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, name, None)
        return "" if value is None else str(value_label(name, value, table))

    return formatter


class ReadOnlyModelView(ScopedModelView):
    """A record nobody edits in the admin (histories, issued documents, logs): no create, edit or delete."""

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False

    @property
    def can_edit(self) -> bool:  # type: ignore[override]
        return False

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return False


class OperationModelView(ScopedModelView):
    """A record operations write, which an administrator may also create, edit or delete in the admin:
    the form's values go to the operation (``create_operation``, ``edit_operation``,
    ``delete_operation``), which checks the permission, validates, and writes in its own unit of work
    with its audit events — the view never writes the row itself. An action without an operation is
    not offered."""

    create_operation: str | None = None
    edit_operation: str | None = None
    delete_operation: str | None = None

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return bool(self.create_operation) and current_user.is_authenticated and current_scope().is_admin

    @property
    def can_edit(self) -> bool:  # type: ignore[override]
        return bool(self.edit_operation) and current_user.is_authenticated and current_scope().is_admin

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return bool(self.delete_operation) and current_user.is_authenticated and current_scope().is_admin

    def operation_data(self, form: Any, model: Any | None) -> dict[str, Any]:
        """The operation's input from the submitted form (``model``: the row edited, None when creating;
        ``form`` None when deleting)."""
        raise NotImplementedError

    def _run(self, name: str, form: Any | None, model: Any | None) -> Any:
        try:
            return run(name, current_user, self.operation_data(form, model))
        except Refusal as refusal:
            form_refusal(refusal, form)
            return None

    def create_model(self, form: Any) -> Any:
        result = self._run(str(self.create_operation), form, None)
        return result if result is not None else False

    def update_model(self, form: Any, model: Any) -> bool:
        return self._run(str(self.edit_operation), form, model) is not None

    def delete_model(self, model: Any) -> bool:
        return self._run(str(self.delete_operation), None, model) is not None
