"""Admin views: the fichas and their items are a national catalog administrators edit here (the seed in
data/ is only the start); visits, findings, organizations and reports are browsed, filtered and exported
in scope, read-only (their writes go through the pages and the API, where the operations check them)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from core.admin_base import ReadOnlyModelView, ScopedModelView
from core.extensions import db
from core.labels import register_field_labels, register_value_labels
from core.models import Case
from core.security import current_scope, readable_clause
from plugins.monitoring.supervision.fields import FINDING, ORGANIZATION, REPORT, VISIT
from plugins.monitoring.supervision.models import (
    COMMITMENT_STATUSES,
    REPORT_STATUSES,
    SERVICE_KINDS,
    ChecklistItem,
    CommunityOrganization,
    CommunityReport,
    SupervisionChecklist,
    SupervisionVisit,
    VisitFinding,
)


class ChecklistView(ScopedModelView):
    column_list = ("key", "service_kind", "name", "active")
    column_filters = ("service_kind", "active")
    column_searchable_list = ("key", "name")
    form_columns = ("key", "service_kind", "name", "description", "active")
    form_overrides = {"service_kind": SelectField}
    form_args = {"service_kind": {"choices": list(SERVICE_KINDS.items())}}


class ChecklistItemView(ScopedModelView):
    column_list = ("checklist", "position", "section", "text", "weight", "max_points", "active")
    column_filters = ("active",)
    column_searchable_list = ("key", "text")
    column_default_sort = "position"
    form_columns = ("key", "checklist", "position", "section", "text", "weight", "max_points", "active")

    def on_model_change(self, form: Any, model: ChecklistItem, is_created: bool) -> None:
        # The score divides by both: a weight or highest points of 0 would make an item meaningless.
        if model.weight is None or model.weight <= 0:
            raise ValidationError(_l("The weight must be greater than 0."))
        if model.max_points is None or not 1 <= model.max_points <= 10:
            raise ValidationError(_l("The highest points must be between 1 and 10."))

    def delete_model(self, model: ChecklistItem) -> bool:
        # Answers keep their item: an item already answered is deactivated instead of deleted.
        from plugins.monitoring.supervision.models import VisitAnswer

        if db.session.scalar(db.select(VisitAnswer.id).where(VisitAnswer.item_id == model.id).limit(1)):
            model.active = False
            db.session.commit()
            return True
        return super().delete_model(model)


class VisitView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("reference", "government", "visit_date", "ubigeo", "facility", "supervisor", "score", "state")
    column_searchable_list = ("reference", "facility", "supervisor")
    column_filters = ("state", "visit_date", "ubigeo")
    column_default_sort = ("visit_date", True)


class FindingView(ReadOnlyModelView):
    """Scoped through the visit's government."""

    locals().update(FINDING.admin_options(prefix=("visit",)))
    column_default_sort = ("due_date", False)

    def get_query(self) -> Any:
        return self._through_visit(super().get_query())

    def get_count_query(self) -> Any:
        return self._through_visit(super().get_count_query())

    def _through_visit(self, query: Any) -> Any:
        return query.join(SupervisionVisit, SupervisionVisit.id == VisitFinding.visit_id).filter(
            readable_clause(current_scope(), Case.government_id)
        )


class OrganizationView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("government", "name", "kind", "ubigeo", "representative", "registered_on")
    column_searchable_list = ("name",)
    column_filters = ("kind", "registered_on")


class ReportView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("organization", "report_date", "program", "ubigeo", "place", "status")
    column_searchable_list = ("program", "place")
    column_filters = ("status", "report_date")


def _labels() -> None:
    register_field_labels(
        {
            **VISIT.labels(),
            "government": _l("Government"),
            "state": _l("State"),
            "reference": _l("Reference"),
            "checklist": _l("Supervision factsheet"),
        },
        "monitoring_supervision_visit",
    )
    register_field_labels({**FINDING.labels(), "visit": _l("Supervision visit")}, "monitoring_visit_finding")
    register_field_labels(
        {**ORGANIZATION.labels(), "government": _l("Municipality")}, "monitoring_community_organization"
    )
    register_field_labels(
        {
            **REPORT.labels(),
            "organization": _l("Community organization"),
            "visit": _l("Supervision visit"),
            "action_url": _l("Address of the action"),
        },
        "monitoring_community_report",
    )
    register_field_labels(
        {
            "key": _l("Key"),
            "service_kind": _l("Kind of service"),
            "name": _l("Name"),
            "description": _l("Description"),
            "active": _l("Active"),
        },
        "monitoring_checklist",
    )
    register_field_labels(
        {
            "checklist": _l("Supervision factsheet"),
            "key": _l("Key"),
            "position": _l("N°"),
            "section": _l("Section"),
            "text": _l("Item"),
            "weight": _l("Weight"),
            "max_points": _l("Highest points"),
            "active": _l("Active"),
        },
        "monitoring_checklist_item",
    )
    register_value_labels("service_kind", SERVICE_KINDS, "monitoring_checklist")
    register_value_labels("status", COMMITMENT_STATUSES, "monitoring_visit_finding")
    register_value_labels("status", REPORT_STATUSES, "monitoring_community_report")


def register(admin: Any) -> None:
    _labels()
    category = _l("Monitoring and evaluation")
    session = db.session
    views = [
        ChecklistView(SupervisionChecklist, session, name=_l("Supervision factsheets"), endpoint="mon_checklist"),
        ChecklistItemView(ChecklistItem, session, name=_l("Factsheet items"), endpoint="mon_checklist_item"),
        VisitView(SupervisionVisit, session, name=_l("Supervision visits"), endpoint="mon_supervision_visit"),
        FindingView(VisitFinding, session, name=_l("Findings and commitments"), endpoint="mon_visit_finding"),
        OrganizationView(
            CommunityOrganization, session, name=_l("Community organizations"), endpoint="mon_community_org"
        ),
        ReportView(CommunityReport, session, name=_l("Community reports"), endpoint="mon_community_report"),
    ]
    for view in views:
        view.category = category
        admin.add_view(view)
