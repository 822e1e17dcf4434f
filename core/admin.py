"""Flask-Admin at /admin: every model through ``ScopedModelView``, the scoping layer's admin face.

Everyone with a membership may browse what their scope reaches; in the admin only
administrators write (teams and coordinators write through the web pages, where each
change goes through its workflow). Read-only users get 403 on any unsafe request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Query

from core.database import SAFE_METHODS
from core.extensions import db
from core.models import (
    ApiToken,
    Government,
    Institution,
    InterventionLine,
    KeyIndicator,
    LoginAttempt,
    Membership,
    PluginState,
    SeedRecord,
    SocialInfoItem,
    SocialProgram,
    StrategicProgram,
    Territory,
    User,
)
from core.security import current_scope, readable_clause
from core.spreadsheet import safe_cell

#: Columns never shown, exported or edited in the admin.
SECRET_COLUMNS = ("password_hash", "token_hash")
#: A list counts at most this many rows (the pager then says "10 000+"): a bounded scan
#: instead of counting 100 000 rows on every page view.
COUNT_CAP = 10_000


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


def _signed_in_with_role() -> bool:
    return current_user.is_authenticated and bool(current_user.memberships)


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

    def __init__(self, model: type, session: Any, **kwargs: Any) -> None:
        if self.large_table:
            self.simple_list_pager = True
        super().__init__(model, session, **kwargs)
        # SQLAlchemy 2.1 refuses relationship names as strings in loader options.
        self._auto_joins = [getattr(model, j) if isinstance(j, str) else j for j in self._auto_joins]

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


class ProtectedIndexView(AdminIndexView):
    @expose("/")
    def index(self):  # noqa: ANN201
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not _signed_in_with_role():
            abort(403)
        return super().index()


class TerritoryView(ScopedModelView):
    column_list = ("ubigeo", "level", "name", "parent", "capital", "latitude", "longitude")
    column_searchable_list = ("ubigeo", "name")
    column_filters = ("level",)
    column_select_related_list = (Territory.parent,)
    column_default_sort = "ubigeo"


class GovernmentView(ScopedModelView):
    government_column = "id"
    column_list = ("kind", "name", "acronym", "ubigeo", "parent", "region")
    column_searchable_list = ("name", "ubigeo", "acronym")
    column_filters = ("kind",)
    column_select_related_list = (Government.parent, Government.region)
    column_default_sort = "name"
    form_excluded_columns = ("territory", "region", "kind", "ubigeo")

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False  # governments come from the territory (articula territories load)

    def on_model_change(self, form: Any, model: Government, is_created: bool) -> None:
        # region_id is derived (the scoping layer filters on it): follow the edited parent.
        if model.kind == "regional":
            model.parent_id, model.region_id = None, model.id
        elif model.parent is not None:
            model.region_id = model.parent.region_id


class UserView(ScopedModelView):
    admin_only = True
    column_list = ("email", "name", "locale", "active", "created_at")
    column_searchable_list = ("email", "name")
    column_filters = ("active", "locale")
    form_excluded_columns = (*SECRET_COLUMNS, "memberships", "created_at")


class MembershipView(ScopedModelView):
    government_column = "government_id"
    admin_only = True
    column_list = ("user", "role", "government")
    column_filters = ("role",)
    column_select_related_list = (Membership.user, Membership.government)


class ApiTokenView(ScopedModelView):
    admin_only = True
    can_create = False  # tokens are created by their owner, shown once
    column_list = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    column_select_related_list = (ApiToken.user,)


class LoginAttemptView(ScopedModelView):
    admin_only = True
    large_table = True
    column_list = ("at", "email", "ip", "success")
    column_filters = ("success", "email")
    column_default_sort = ("at", True)


class SystemView(ScopedModelView):
    admin_only = True


class CatalogView(ScopedModelView):
    column_list = ("key", "name", "acronym", "position", "active")
    column_searchable_list = ("key", "name", "acronym")
    column_filters = ("active",)
    column_default_sort = "position"


def init_app(app: Flask) -> Admin:
    """Create this app's admin, register the platform's views, then each plugin's."""
    from core import plugin_registry

    admin = Admin(app, name="Articula", theme=Bootstrap4Theme(), index_view=ProtectedIndexView(url="/admin"))
    session = db.session
    admin.add_view(GovernmentView(Government, session, name=_l("Governments"), category=_l("Territory")))
    admin.add_view(TerritoryView(Territory, session, name=_l("Territories"), category=_l("Territory")))
    for model, label in (
        (Institution, _l("Institutions")),
        (SocialProgram, _l("Social programs")),
        (StrategicProgram, _l("Strategic programs")),
        (InterventionLine, _l("Lines of intervention")),
        (SocialInfoItem, _l("Basic social information")),
        (KeyIndicator, _l("Key indicators")),
    ):
        admin.add_view(
            CatalogView(model, session, name=label, category=_l("Catalogs"), endpoint=f"catalog_{model.__tablename__}")
        )
    admin.add_view(UserView(User, session, name=_l("Users"), category=_l("Access")))
    admin.add_view(MembershipView(Membership, session, name=_l("Memberships"), category=_l("Access")))
    admin.add_view(ApiTokenView(ApiToken, session, name=_l("API tokens"), category=_l("Access")))
    admin.add_view(LoginAttemptView(LoginAttempt, session, name=_l("Login attempts"), category=_l("Access")))
    admin.add_view(
        SystemView(PluginState, session, name=_l("Plugin data"), category=_l("System"), endpoint="plugin_state")
    )
    admin.add_view(
        SystemView(SeedRecord, session, name=_l("Seed records"), category=_l("System"), endpoint="seed_record")
    )
    from core import case_admin

    case_admin.register(admin)
    from core.api import subsystem_modules

    for module in subsystem_modules():
        if hasattr(module, "register_admin"):
            module.register_admin(admin)
    plugin_registry(app).call_in_order("register_admin_views", admin=admin, app=app)
    for view in admin._views:
        if isinstance(view, ScopedModelView) and view.page_size is None:
            view.page_size = app.config["ADMIN_PAGE_SIZE"]
    app.extensions["articula.admin"] = admin
    return admin
