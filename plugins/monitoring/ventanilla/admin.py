"""Admin views of the Ventanilla CRECER, for auditors and administrators to browse, filter and export in scope,
read-only (offices and entries change only through the operations of the pages and the API).

Entries are scoped like the staff registry (``access.readable_entries``: the holding or the original office's
government in reach). Personal data (name, DNI, phone, e-mail) is masked in lists and exports for everybody
— an export is a copy that leaves the office — and shown on an entry's details page only to the staff of the
office holding it (``monitoring.ventanilla.personal_data``), each such view audited as on the staff page. The
keyed hash of the sender's address is never shown."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.admin_base import ReadOnlyModelView
from core.extensions import db
from core.labels import register_field_labels, register_value_labels
from core.security import current_scope
from plugins.monitoring.ventanilla.access import readable_entries
from plugins.monitoring.ventanilla.fields import (
    CHANNEL_CHOICES,
    ENTRY,
    KIND_CHOICES,
    OFFICE,
    OFFICE_CHANNEL_CHOICES,
    REQUEST_CHOICES,
    STATUS_CHOICES,
)
from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice
from plugins.monitoring.ventanilla.privacy import audit_personal_data_view, masked, may_see_personal_data

PERSONAL = ("name", "dni", "phone", "email")


def _masked(view: Any, context: Any, model: VentanillaEntry, name: str) -> str:
    return masked(getattr(model, name))


def _personal_detail(view: Any, context: Any, model: VentanillaEntry, name: str) -> str:
    value = getattr(model, name)
    if value and may_see_personal_data(current_scope(), model, current_user):
        return value
    return masked(value)


class OfficeView(ReadOnlyModelView):
    government_column = "government_id"
    column_list = ("government", "channel", "instrument", "instrument_date", "unit", "juntos_support", "active")
    column_details_list = (
        "government",
        "channel",
        "instrument",
        "instrument_date",
        "unit",
        "address",
        "hours",
        "juntos_support",
        "active",
    )
    column_export_list = column_details_list
    column_filters = ("channel", "juntos_support", "active")


class EntryView(ReadOnlyModelView):
    large_table = True  # hundreds of thousands of entries across the country: no total count
    column_list = (
        "code",
        "created_at",
        "government",
        "kind",
        "request_kind",
        "channel",
        "status",
        "due_date",
        "emergency",
        "escalated",
        "recurrent",
        *PERSONAL,
    )
    column_details_list = (
        "code",
        "created_at",
        "government",
        "origin_office",
        "kind",
        "request_kind",
        "channel",
        "program",
        "institution",
        "place",
        "description",
        "status",
        "due_date",
        "referred_to",
        "emergency",
        "escalated",
        "recurrent",
        *PERSONAL,
        "consent",
        "answered_at",
        "closed_at",
    )
    column_export_list = column_list
    column_filters = ("kind", "status", "channel", "emergency", "escalated", "recurrent", "due_date", "created_at")
    column_searchable_list = ("code",)
    column_default_sort = ("created_at", True)
    column_formatters = dict.fromkeys(PERSONAL, _masked)
    column_formatters_export = dict.fromkeys(PERSONAL, _masked)
    column_formatters_detail = dict.fromkeys(PERSONAL, _personal_detail)

    # the holding or the original office's government in reach: two columns, so not ``government_column``
    def get_query(self) -> Any:
        return super().get_query().filter(readable_entries(current_scope()))

    def get_count_query(self) -> Any:
        return super().get_count_query().filter(readable_entries(current_scope()))

    def get_export_value(self, model: Any, name: str) -> Any:
        if name in PERSONAL:
            return masked(getattr(model, name))
        return super().get_export_value(model, name)

    @expose("/details/")
    def details_view(self) -> Any:
        # the holding office's staff reading the citizen's data here is audited like on the staff page
        entry = self.get_one(request.args.get("id", "")) if request.args.get("id") else None
        if (
            entry is not None
            and entry.has_personal_data
            and may_see_personal_data(current_scope(), entry, current_user)
        ):
            audit_personal_data_view(entry)
            db.session.commit()
        return super().details_view()


def _labels() -> None:
    register_field_labels(
        {
            **ENTRY.labels(),
            "code": _l("Tracking code"),
            "created_at": _l("Received"),
            "government": _l("Office holding it"),
            "origin_office": _l("Office that received it"),
            "channel": _l("Channel"),
            "program": _l("Social program concerned"),
            "institution": _l("Sector or institution concerned"),
            "place": _l("District"),
            "status": _l("Status"),
            "due_date": _l("Due date"),
            "referred_to": _l("Referred to"),
            "emergency": _l("Emergency"),
            "escalated": _l("Escalated"),
            "recurrent": _l("Recurrent"),
            "answered_at": _l("Answered"),
            "closed_at": _l("Closed"),
            "consent": _l("Consent (Ley N° 29733)"),
        },
        "ventanilla_entry",
    )
    register_field_labels({**OFFICE.labels(), "government": _l("Government")}, "ventanilla_office")
    register_value_labels("kind", KIND_CHOICES, "ventanilla_entry")
    register_value_labels("request_kind", REQUEST_CHOICES, "ventanilla_entry")
    register_value_labels("channel", CHANNEL_CHOICES, "ventanilla_entry")
    register_value_labels("status", STATUS_CHOICES, "ventanilla_entry")
    register_value_labels("channel", OFFICE_CHANNEL_CHOICES, "ventanilla_office")


def register(admin: Any) -> None:
    _labels()
    session = db.session
    views = [
        OfficeView(VentanillaOffice, session, name=_l("Ventanilla CRECER offices"), endpoint="mon_ventanilla_office"),
        EntryView(VentanillaEntry, session, name=_l("Ventanilla CRECER entries"), endpoint="mon_ventanilla_entry"),
    ]
    for view in views:
        view.category = _l("Monitoring and evaluation")
        admin.add_view(view)
