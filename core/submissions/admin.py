"""The submissions' read-only admin list (scoped)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ReadOnlyModelView
from core.extensions import db
from core.models.submissions import Submission
from core.security import current_scope
from core.submissions.service import (
    visible_clause,
)

# --- admin ----------------------------------------------------------------------------------------


class SubmissionView(ReadOnlyModelView):
    """Read-only for everyone: a submission is the record of what was sent and when."""

    government_column = "government_id"
    column_list = (
        "receipt_number",
        "government",
        "recipient_government",
        "year",
        "rule_key",
        "due_date",
        "submitted_on",
        "on_time",
        "received_at",
    )
    column_filters = ("year", "on_time", "rule_key")
    column_searchable_list = ("receipt_number",)
    column_select_related_list = (Submission.government, Submission.recipient_government)
    column_default_sort = ("submitted_at", True)

    def _scoped(self, query: Any) -> Any:
        return query.filter(visible_clause(current_scope()))


def register_admin_views(admin: Any) -> None:
    admin.add_view(SubmissionView(Submission, db.session, name=_l("Submissions"), category=_l("Cases")))
