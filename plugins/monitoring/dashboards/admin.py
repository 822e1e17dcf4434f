"""Admin view of the quarterly follow-up reports: browsed, filtered and exported in scope, read-only (they are
written on their pages and through the API, where the operations and the workflow check them)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin_base import ReadOnlyModelView
from core.extensions import db
from core.labels import register_field_labels
from plugins.monitoring.dashboards.fields import REPORT
from plugins.monitoring.dashboards.models import QuarterlyReport


class QuarterlyReportView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("reference", "government", "year", "quarter", "state", "updated_at")
    column_details_list = (*column_list, "title", "comments", "difficulties", "next_steps")
    column_searchable_list = ("reference", "title")
    column_filters = ("year", "quarter", "state")
    column_default_sort = [("year", True), ("quarter", True)]
    column_select_related_list = (QuarterlyReport.government,)


def register(admin: Any) -> None:
    register_field_labels(
        {
            **REPORT.labels(),
            "reference": _l("Reference"),
            "government": _l("Government"),
            "state": _l("State"),
            "title": _l("Title"),
            "updated_at": _l("Updated"),
        },
        "monitoring_quarterly_report",
    )
    view = QuarterlyReportView(
        QuarterlyReport, db.session, name=_l("Quarterly reports"), endpoint="mon_quarterly_report"
    )
    view.category = _l("Monitoring and evaluation")
    admin.add_view(view)
