"""Documents in the admin: issued documents (read-only) and the year-name lines."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask import url_for as _url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms.validators import ValidationError

from core.admin import ReadOnlyModelView, ScopedModelView  # issued from a case, never typed in
from core.documents.environment import missing_current_year_name
from core.documents.models import IssuedDocument, YearName
from core.extensions import db

# --- admin ----------------------------------------------------------------------------------------


class IssuedDocumentView(ReadOnlyModelView):
    """Issued documents: read-only for everyone (they are immutable), scoped, never the bytes."""

    government_column = "government_id"
    large_table = True
    column_list = (
        "number",
        "title",
        "template_key",
        "government",
        "year",
        "issued_at",
        "issued_by",
        "code",
        "size",
    )
    column_details_list = (
        "number",
        "title",
        "template_key",
        "case",
        "government",
        "year",
        "issued_at",
        "issued_by",
        "code",
        "sha256",
        "size",
        "supersedes",
    )
    column_export_list = (
        "id",
        "number",
        "title",
        "template_key",
        "case_id",
        "government_id",
        "year",
        "issued_at",
        "issued_by_id",
        "code",
        "sha256",
        "size",
        "supersedes_id",
    )
    column_searchable_list = ("number", "title", "code", "sha256")
    column_filters = ("template_key", "year", "issued_at")
    column_select_related_list = (IssuedDocument.government, IssuedDocument.issued_by)
    column_default_sort = ("issued_at", True)
    column_formatters = {
        "number": lambda v, c, m, p: Markup('<a href="{}">{}</a>').format(
            _url_for("documents.download", document_id=m.id), m.number
        )
    }

class YearNameView(ScopedModelView):
    """The year-name line of each year, readable by every member, edited by administrators."""

    column_list = ("year", "name")
    column_default_sort = ("year", True)
    column_searchable_list = ("name",)
    form_columns = ("year", "name")
    form_args = {"name": {"description": _l("Printed in capitals and quotes on every document of that year.")}}

    @expose("/")
    def index_view(self):  # noqa: ANN202
        # Where administrators maintain the names: say it when the current year still lacks its own.
        year = missing_current_year_name()
        if year is not None:
            flash(
                gettext(
                    "The year %(year)s has no year-name line yet: documents print the previous year's line "
                    "until you record it.",
                    year=year,
                ),
                "error",
            )
        return super().index_view()

    def on_model_change(self, form: Any, model: YearName, is_created: bool) -> None:
        if model.year is None or not 1900 <= int(model.year) <= 2200:
            raise ValidationError(_("The year must be between 1900 and 2200."))
        model.name = (model.name or "").strip().strip('"“”')
        if not model.name:
            raise ValidationError(_("Write the name of the year."))
        if len(model.name) > 300:
            raise ValidationError(_("The name admits at most 300 characters."))
        query = select(YearName.id).where(YearName.year == model.year)
        with self.session.no_autoflush:  # the new row is already in the session: do not find itself
            taken = self.session.scalar(query if model.id is None else query.where(YearName.id != model.id))
        if taken:
            raise ValidationError(_("The name of the year %(year)s already exists.", year=model.year))


def register_admin(admin: Any) -> None:
    category = _l("Documents")
    session = db.session
    admin.add_view(IssuedDocumentView(IssuedDocument, session, name=_l("Issued documents"), category=category))
    admin.add_view(YearNameView(YearName, session, name=_l("Year names"), category=category))
