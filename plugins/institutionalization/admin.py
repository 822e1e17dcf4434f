"""Admin views of stage 1, scoped like every admin view (core.admin.ScopedModelView).

The member categories are a catalog: administrators edit them (the Norma lets each locality
adjust the list). Bodies, members, ordinances and clauses are browsed, filtered and exported
here by everyone in scope; they are changed through the case pages and the API, where the
workflow state and the case version are checked — never behind them, not even by an admin.
"""

from __future__ import annotations

from typing import Any

from flask_admin import Admin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager
from wtforms import SelectField
from wtforms.validators import ValidationError

from core.admin import ScopedModelView
from core.extensions import db
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.institutionalization.fields import BODY, CLAUSE, MEMBER, ORDINANCE
from plugins.institutionalization.models import (
    ArticulationBody,
    BodyMember,
    MemberCategory,
    Ordinance,
    OrdinanceClause,
)

#: Long text is for the case page, not a list column.
_LONG_TEXT = ("visto", "installation_agreements", "installation_other_attendees")


class ReadOnlyView(ScopedModelView):
    """Browse, filter, export; no writes here (see the module's docstring)."""

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False

    @property
    def can_edit(self) -> bool:  # type: ignore[override]
        return False

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return False


class ThroughCaseView(ReadOnlyView):
    """Child records: scoped through the government of their case (``case_join``)."""

    case_join: Any = None  # the relationship path from the record to its case

    def get_query(self) -> Any:
        return self._through_case(super().get_query())

    def get_count_query(self) -> Any:
        return self._through_case(super().get_count_query())

    def _through_case(self, query: Any) -> Any:
        for step in self.case_join:
            query = query.join(step)
        return query.filter(readable_clause(current_scope(), Case.government_id))

    def get_one(self, id: Any) -> Any:
        record = super().get_one(id)
        if record is None:
            return None
        return self.get_query().filter(self.model.id == record.id).first()


class MemberCategoryView(ScopedModelView):
    column_list = ("level", "position", "key", "short_name", "presides", "provincial_only", "required", "active")
    column_filters = ("level", "active", "required")
    column_searchable_list = ("key", "name", "short_name")
    column_default_sort = "position"
    form_columns = (
        "key",
        "level",
        "name",
        "short_name",
        "description",
        "position",
        "presides",
        "provincial_only",
        "required",
        "active",
    )
    form_overrides = {"level": SelectField}
    form_args = {"level": {"choices": [("regional", "regional"), ("local", "local")]}}

    def on_model_change(self, form: Any, model: MemberCategory, is_created: bool) -> None:
        if model.provincial_only and model.level != "local":
            raise ValidationError(_("Only a local category can be exclusive to the provincial body."))

    def delete_model(self, model: MemberCategory) -> bool:
        # Members keep their category: a category in use is deactivated instead of deleted.
        in_use = db.session.scalar(db.select(BodyMember.id).where(BodyMember.category_id == model.id).limit(1))
        if in_use:
            model.active = False
            self.session.commit()
            return True
        return super().delete_model(model)


class BodyView(ReadOnlyView):
    # Columns, filters and labels from the fields declared in fields.py, after the case's own.
    government_column = "government_id"
    locals().update(
        BODY.admin_options(
            prefix=("reference", "title", "government", "year", "state"),
            exclude=_LONG_TEXT + ("installation_start_time", "installation_end_time"),
        )
    )
    column_list = (*column_list, "version")  # noqa: F821  (set just above, from the declaration)
    column_searchable_list = ("reference", "title")
    column_filters = ("state", "year", "origin", "installation_date")
    column_select_related_list = (ArticulationBody.government,)
    column_default_sort = ("updated_at", True)


class MemberView(ThroughCaseView):
    # Columns, filters, search and export come from the fields declared in members.py.
    case_join = (ArticulationBody,)
    locals().update(MEMBER.admin_options(prefix=("body",)))
    # The body comes from the scoping join itself (contains_eager): joining it a second time for
    # display made SQLite materialise every body with its case, on each page (3× slower at 10×).
    column_select_related_list = (BodyMember.category,)
    column_default_sort = ("active_from", True)

    def get_query(self) -> Any:
        return super().get_query().options(contains_eager(BodyMember.body))


class OrdinanceView(ReadOnlyView):
    government_column = "government_id"
    locals().update(
        ORDINANCE.admin_options(prefix=("reference", "title", "government", "year", "state"), exclude=_LONG_TEXT)
    )
    column_searchable_list = ("reference", "number", "title")
    # Case.year: the ordinance maps "year" to two columns (models.py), which Flask-Admin cannot filter.
    column_filters = ("state", Case.year, "instrument", "approval_date", "publication_date")
    column_select_related_list = (Ordinance.government,)
    column_default_sort = ("updated_at", True)


class ClauseView(ThroughCaseView):
    case_join = (Ordinance,)
    locals().update(CLAUSE.admin_options(prefix=("ordinance",)))
    column_list = ("ordinance", "kind", "position", "subject", "text", "generated")  # outputs listed too
    column_filters = ("kind", "subject", "generated")
    column_select_related_list = (OrdinanceClause.ordinance,)


def _register_labels() -> None:
    """Stored codes as the admin and the case history show them: the declared fields' choices."""
    from core.labels import register_value_labels

    for fields, table in ((BODY, "articulation_body"), (MEMBER, "body_member"), (ORDINANCE, "ordinance")):
        for f in fields:
            if f.type == "choice" and isinstance(f.choices, dict):
                register_value_labels(f.name, f.choices, table)
    register_value_labels("subject", CLAUSE["subject"].choices, "ordinance_clause")
    register_value_labels("kind", CLAUSE["kind"].choices, "ordinance_clause")


def register(admin: Admin) -> None:
    _register_labels()
    session = db.session
    category = _l("Institutionalization")
    admin.add_view(
        MemberCategoryView(
            MemberCategory,
            session,
            name=_l("Member categories"),
            category=_l("Catalogs"),
            endpoint="inst_member_category",
        )
    )
    admin.add_view(
        BodyView(ArticulationBody, session, name=_l("Coordination bodies"), category=category, endpoint="inst_body")
    )
    admin.add_view(MemberView(BodyMember, session, name=_l("Members"), category=category, endpoint="inst_member"))
    admin.add_view(
        OrdinanceView(Ordinance, session, name=_l("Ordinances"), category=category, endpoint="inst_ordinance")
    )
    admin.add_view(
        ClauseView(OrdinanceClause, session, name=_l("Ordinance clauses"), category=category, endpoint="inst_clause")
    )
