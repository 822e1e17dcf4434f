"""Flask-Admin at /admin: the home page, the platform's own views and each plugin's registration.

Every view is a ``core.admin_base.ScopedModelView`` (re-exported here with its helpers, the import
plugins use): everyone with a membership browses what their scope reaches; only administrators write.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from core.admin_base import (
    COUNT_CAP,
    SECRET_COLUMNS,
    ScopedModelView,
    _signed_in_with_role,
)

# Re-exported: plugins and the core subsystems' admin modules import the base views from here.
from core.admin_base import OperationModelView as OperationModelView
from core.admin_base import ReadOnlyModelView as ReadOnlyModelView
from core.admin_base import workflow_label_formatter as workflow_label_formatter
from core.audit.access import ACTION_LABELS, ENTITY_LABELS, can_browse
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
from core.models.audit import AuditEvent
from core.models.submissions import Submission
from core.plugins import plugin_registry
from core.security import current_scope, readable_clause
from core.submissions.service import visible_clause
from core.web import csp_nonce


class ProtectedIndexView(AdminIndexView):
    """The admin home: what the user's scope holds, what happened lately, how the submissions stand."""

    @expose("/")
    def index(self):  # noqa: ANN201
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not _signed_in_with_role():
            abort(403)
        return self.render("admin/index.html", overview=admin_overview(self.admin))


#: Record types an auditor starts from, in this order, counted on the admin home (by endpoint).
OVERVIEW_FIRST = ("case", "submission", "issueddocument", "deadline", "attachment", "auditevent")
RECENT_EVENTS = 10


def admin_overview(admin: Admin) -> dict[str, Any]:
    """Counts per record type through each view's own scoped count (the scoping layer), the latest
    audit events in scope, and the submissions' standing."""

    scope = current_scope()
    groups: dict[str, list[dict[str, Any]]] = {}
    views = [v for v in admin._views if isinstance(v, ScopedModelView) and v.is_accessible()]
    views.sort(key=lambda v: OVERVIEW_FIRST.index(v.endpoint) if v.endpoint in OVERVIEW_FIRST else 99)
    for view in views:
        if view.endpoint in ("plugin_state", "seed_record"):
            continue
        count = view.get_count_query().scalar()
        groups.setdefault(str(view.category or view.name), []).append(
            {
                "name": str(view.name),
                "count": count,
                "capped": count >= COUNT_CAP,
                "url": url_for(f"{view.endpoint}.index_view"),
            }
        )
    events = []
    if can_browse(scope):
        rows = db.session.scalars(
            select(AuditEvent)
            .where(readable_clause(scope, AuditEvent.government_id))
            .order_by(AuditEvent.id.desc())
            .limit(RECENT_EVENTS)
        ).all()
        for event in rows:
            events.append(
                {
                    "at": event.at,
                    "who": event.actor_label,
                    "action": str(ACTION_LABELS.get(event.action, event.action)),
                    "entity": str(ENTITY_LABELS.get(event.entity_type, event.entity_type)),
                    "case_url": url_for("cases.detail", case_id=event.case_id) if event.case_id else None,
                    "government": event.government.name if event.government else "",
                }
            )
    visible = visible_clause(scope)
    counts = dict(
        db.session.execute(select(Submission.on_time, func.count()).where(visible).group_by(Submission.on_time)).all()
    )
    unreceived = db.session.scalar(
        select(func.count()).select_from(Submission).where(visible, Submission.received_at.is_(None))
    )
    submissions = {
        "on_time": counts.get(True, 0),
        "late": counts.get(False, 0),
        "no_deadline": counts.get(None, 0),
        "unreceived": unreceived or 0,
        "total": sum(counts.values()),
    }
    return {"groups": groups, "events": events, "submissions": submissions}


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
    """Create this app's admin, register the platform's views, then each plugin's (the built-in
    ones — cases, audit, documents… — first)."""

    admin = Admin(
        app,
        name="Articula",
        theme=Bootstrap4Theme(),
        index_view=ProtectedIndexView(url="/admin"),
        csp_nonce_generator=csp_nonce,
    )
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
    plugin_registry(app).call_in_order("register_admin_views", admin=admin, app=app)
    for view in admin._views:
        if isinstance(view, ScopedModelView) and view.page_size is None:
            view.page_size = app.config["ADMIN_PAGE_SIZE"]
    app.extensions["articula.admin"] = admin
    return admin
