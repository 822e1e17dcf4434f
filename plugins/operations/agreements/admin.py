"""Admin views of the agreements: browse, filter, export in scope (participants included); no writes here."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.admin import ScopedModelView
from core.extensions import db
from core.labels import register_field_labels
from core.security import current_scope, readable_case_clause
from plugins.operations.agreements.fields import AGREEMENT, COMMITMENT
from plugins.operations.agreements.models import Agreement, AgreementCommitment

register_field_labels(AGREEMENT.labels(), "operations_agreement")
register_field_labels(
    {
        **COMMITMENT.labels(),
        "agreement": _l("Agreement"),
        "party_government": _l("Party (municipality)"),
        "party_external": _l("Party is the external entity"),
    },
    "operations_agreement_commitment",
)


class _ReadOnly(ScopedModelView):
    can_create = can_edit = can_delete = False


class AgreementView(_ReadOnly):
    government_column = "government_id"
    column_list = ("reference", "title", "government", "kind", "state", "start_date", "end_date", "external_name")
    column_searchable_list = ("reference", "title", "external_name")
    column_filters = ("state", "kind", "year")
    column_select_related_list = (Agreement.government,)
    column_default_sort = ("updated_at", True)

    def get_query(self) -> Any:  # the participant municipalities read them too (core.security)
        return self.session.query(self.model).filter(readable_case_clause(current_scope()))

    def get_count_query(self) -> Any:
        return super().get_count_query().filter(readable_case_clause(current_scope()))


class CommitmentView(_ReadOnly):
    column_list = ("agreement", "what", "who", "due_date", "fulfilled_on")
    column_filters = ("due_date", "fulfilled_on")

    def get_query(self) -> Any:
        return self.session.query(self.model).join(Agreement).filter(readable_case_clause(current_scope()))

    def get_count_query(self) -> Any:
        return super().get_count_query().join(Agreement).filter(readable_case_clause(current_scope()))


def register(admin: Any) -> None:
    category = _l("Operational management")
    admin.add_view(
        AgreementView(
            Agreement, db.session, name=_l("Management agreements"), category=category, endpoint="ops_agreement"
        )
    )
    admin.add_view(
        CommitmentView(
            AgreementCommitment, db.session, name=_l("Commitments"), category=category, endpoint="ops_commitment"
        )
    )
