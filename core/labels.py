"""Translatable labels for the platform's codes (roles, government kinds, territory levels), and the
one registry of column names and stored codes as people read them: the admin (lists, filters, forms,
exports) and the case page's audit trail both read it, and plugins add their own with
``register_field_labels`` / ``register_value_labels``.

Longer than ~400 lines because of ``FIELD_LABELS``, the one table of the core's column names (most
of the file, data only); the functions that read and extend it are under 100 lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.cases.types import STAGE_LABELS, case_types
from core.deadlines.models import DeadlineRule
from core.extensions import db

ROLE_LABELS = {
    "team": _l("Technical team"),
    "coordinator": _l("Coordinator"),
    "auditor": _l("Auditor"),
    "national": _l("National supervisor (ST-CIAS)"),
    "admin": _l("Administrator"),
}
KIND_LABELS = {
    "regional": _l("Regional government"),
    "provincial": _l("Provincial municipality"),
    "district": _l("District municipality"),
}
LEVEL_LABELS = {"department": _l("Department"), "province": _l("Province"), "district": _l("District")}


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))


def locale_label(code: str) -> str:
    return {"es": "Español", "en": "English"}.get(code, code)


#: Column names as people read them, for every admin list, filter, form and export, and for the case
#: page's audit trail. A view's own ``column_labels`` win; a name missing here shows prettified English
#: (tests/core/test_admin_i18n.py fails on it).
FIELD_LABELS: dict[str, Any] = {
    "accreditation_date": _l("Accreditation date"),
    "accreditation_document": _l("Accreditation document"),
    "acronym": _l("Acronym"),
    "active": _l("Active"),
    "active_from": _l("Active from"),
    "active_to": _l("Active until"),
    "activities": _l("Activities"),
    "alignment_institutional": _l("Alignment with institutional plans"),
    "alignment_participatory_budget": _l("Alignment with the Presupuesto Participativo"),
    "alignment_pdc": _l("Alignment with the Plan de Desarrollo Concertado"),
    "approval_date": _l("Approval date"),
    "approval_instrument": _l("Approved by"),
    "approval_number": _l("Number of the norm"),
    "approval_vote": _l("Vote"),
    "approval_vote_detail": _l("Vote detail"),
    "archived_at": _l("Archived on"),
    "as_of": _l("Date of the figure"),
    "at": _l("Date and time"),
    "background": _l("Background (Antecedentes)"),
    "baseline": _l("Baseline"),
    "beneficiaries": _l("Beneficiaries"),
    "body": _l("Coordination body"),
    "body_id": _l("Coordination body"),
    "budget": _l("Investment budget"),
    "capital": _l("Capital"),
    "case": _l("Case"),
    "case_id": _l("Case"),
    "case_type": _l("Case type"),
    "category": _l("Category"),
    "category.key": _l("Category"),
    "category_id": _l("Category"),
    "channel": _l("Channel"),
    "checksum": _l("Checksum"),
    "choices": _l("Choices"),
    "clauses": _l("Clauses"),
    "code": _l("Verification code"),
    "comment": _l("Comment"),
    "communities": _l("Targeted communities"),
    "content": _l("Content"),
    "created_at": _l("Created on"),
    "created_by": _l("Created by"),
    "created_by_id": _l("Created by"),
    "crecer_priority": _l("CRECER priority"),
    "custom": _l("Custom fields"),
    "cycle": _l("Cycle"),
    "cycle_id": _l("Cycle"),
    "date": _l("Date"),
    "day": _l("Day"),
    "days": _l("Days"),
    "deadline": _l("Deadline"),
    "deadline_id": _l("Deadline"),
    "definition": _l("Definition"),
    "deleted_by": _l("Deleted by"),
    "deleted_by_id": _l("Deleted by"),
    "description": _l("Description"),
    "diagnosis": _l("Diagnosis"),
    "diagnosis_id": _l("Diagnosis"),
    "direction_kind": _l("Kind of directing unit"),
    "direction_unit": _l("Directing unit"),
    "dni": _l("DNI"),
    "due_date": _l("Due date"),
    "edited": _l("Edited"),
    "email": _l("Email"),
    "event": _l("Event"),
    "evidence": _l("Evidence"),
    "field_type": _l("Field type"),
    "fields": _l("Fields"),
    "fiscal_year": _l("Fiscal year"),
    "formula": _l("Calculation formula"),
    "from_state": _l("From state"),
    "full_name": _l("Full name"),
    "funding_source": _l("Funding source"),
    "general_objective": _l("General objective"),
    "generated": _l("Generated"),
    "goal_unit": _l("Unit of measure"),
    "goal_value": _l("Goal (beneficiaries)"),
    "government": _l("Government"),
    "government_id": _l("Government"),
    "government_level": _l("Government level"),
    "has_technical_committee": _l("Has a technical committee"),
    "help_text": _l("Help text"),
    "id": _l("ID"),
    "includes": _l("Includes"),
    "indicator": _l("Indicator"),
    "indicator_id": _l("Indicator"),
    "indicators": _l("Indicators"),
    "installation_agreements": _l("Installation agreements"),
    "installation_date": _l("Installation date"),
    "installation_other_attendees": _l("Other attendees"),
    "installation_place": _l("Installation place"),
    "institution": _l("Institution"),
    "institution_id": _l("Institution"),
    "institution_name": _l("Institution name"),
    "institutions": _l("Responsible institutions"),
    "instrument": _l("Instrument"),
    "ip": _l("IP address"),
    "issued_at": _l("Issued on"),
    "issued_by": _l("Issued by"),
    "issued_by_id": _l("Issued by"),
    "item": _l("Item"),
    "item_id": _l("Item"),
    "items": _l("Documents sent"),
    "justification": _l("Justification"),
    "keeps_nominal_list": _l("Keeps a nominal list"),
    "key": _l("Key"),
    "kind": _l("Kind"),
    "label": _l("Label"),
    "label_en": _l("Label in English"),
    "last_used_at": _l("Last used"),
    "latitude": _l("Latitude"),
    "legal_basis": _l("Legal basis"),
    "letter": _l("Letter"),
    "level": _l("Level"),
    "link": _l("Link"),
    "loaded_at": _l("Loaded on"),
    "locale": _l("Language"),
    "longitude": _l("Longitude"),
    "members": _l("Members"),
    "memberships": _l("Memberships"),
    "message": _l("Message"),
    "met_at": _l("Met on"),
    "met_by": _l("Met by"),
    "met_by_id": _l("Met by"),
    "met_case": _l("Case that met it"),
    "met_case_id": _l("Case that met it"),
    "met_on": _l("Met on (date)"),
    "methodology": _l("Methodology"),
    "model": _l("Model"),
    "monitoring_officer_name": _l("Monitoring officer"),
    "monitoring_officer_position": _l("Monitoring officer's position"),
    "month": _l("Month"),
    "months": _l("Months"),
    "name": _l("Name"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "number": _l("Number"),
    "official": _l("Responsible official"),
    "on_time": _l("On time"),
    "ordinance": _l("Ordinance"),
    "ordinance_id": _l("Ordinance"),
    "origin": _l("Origin"),
    "origin_name": _l("Origin name"),
    "owner": _l("Owner"),
    "parent": _l("Parent"),
    "parent_id": _l("Parent"),
    "part_of": _l("Part of"),
    "pattern": _l("Pattern"),
    "period": _l("Period"),
    "personal_data": _l("Personal data"),
    "phone": _l("Phone"),
    "physical_goal": _l("Physical goal"),
    "physical_unit": _l("Unit of the physical goal"),
    "plan": _l("Plan"),
    "plan_id": _l("Plan"),
    "position": _l("Position"),
    "prefix": _l("Prefix"),
    "presides": _l("Presides"),
    "previous_plan_id": _l("Previous plan"),
    "previous_plan": _l("Previous plan"),
    "program": _l("Program"),
    "program_id": _l("Program"),
    "programs": _l("Programs"),
    "promulgation_date": _l("Promulgation date"),
    "provincial_only": _l("Provincial only"),
    "publication_date": _l("Publication date"),
    "publication_medium": _l("Publication medium"),
    "quarter_dates": _l("Quarter dates"),
    "quarter_offset_days": _l("Days after the quarter"),
    "read_at": _l("Read on"),
    "receipt_number": _l("Receipt number"),
    "received_at": _l("Received on"),
    "received_by": _l("Received by"),
    "received_by_id": _l("Received by"),
    "recipient_government": _l("Recipient"),
    "recipient_government_id": _l("Recipient"),
    "record": _l("District record"),
    "record_id": _l("Record"),
    "records": _l("District records"),
    "reference": _l("Reference"),
    "region": _l("Region"),
    "region_id": _l("Region"),
    "required": _l("Required"),
    "result": _l("Result"),
    "result_id": _l("Result"),
    "results": _l("Results"),
    "revoked_at": _l("Revoked on"),
    "role": _l("Role"),
    "rule": _l("Rule"),
    "rule_id": _l("Rule"),
    "rule_key": _l("Rule"),
    "sector": _l("Sector"),
    "sent_at": _l("Sent on"),
    "session_date": _l("Session date"),
    "session_kind": _l("Session kind"),
    "sha256": _l("SHA-256 fingerprint"),
    "shipped_checksum": _l("Shipped checksum"),
    "short_name": _l("Short name"),
    "signatory_name": _l("Signatory"),
    "size": _l("Size (bytes)"),
    "source": _l("Source"),
    "specific_objectives": _l("Specific objectives"),
    "stage": _l("Stage"),
    "standard_key": _l("Standard result"),
    "start_date": _l("Start date"),
    "state": _l("State"),
    "status": _l("Status"),
    "storage_key": _l("Storage key"),
    "strategic_program": _l("Strategic program"),
    "strategic_program_id": _l("Strategic program"),
    "subject": _l("Subject"),
    "submitted_at": _l("Submitted on"),
    "submitted_by": _l("Submitted by"),
    "submitted_by_id": _l("Submitted by"),
    "submitted_on": _l("Submission date"),
    "success": _l("Successful"),
    "summary": _l("Summary"),
    "superseded_by": _l("Superseded by"),
    "supersedes": _l("Supersedes"),
    "supersedes_id": _l("Supersedes"),
    "target": _l("Target"),
    "technical_committee": _l("Technical committee"),
    "template_key": _l("Document"),
    "territory": _l("Territory"),
    "territory_id": _l("Territory"),
    "text": _l("Text"),
    "title": _l("Title"),
    "to_state": _l("To state"),
    "transitions": _l("Transitions"),
    "type": _l("Type"),
    "ubigeo": _l("Ubigeo"),
    "unit": _l("Unit"),
    "updated_at": _l("Updated on"),
    "updated_by": _l("Updated by"),
    "updated_by_id": _l("Updated by"),
    "uploaded_by_id": _l("Uploaded by"),
    "uploaded_by": _l("Uploaded by"),
    "user": _l("User"),
    "user_id": _l("User"),
    "value": _l("Value"),
    "value_type": _l("Value type"),
    "version": _l("Version"),
    "policy_document": _l("Social-policy document"),
    "measure": _l("Measure"),
    "installation_start_time": _l("Session start time"),
    "installation_end_time": _l("Session end time"),
    "session_generation": _l("Session generation"),
    "visto": _l("Whereas clause (Visto)"),
    "workflow_id": _l("Workflow"),
    "workflow": _l("Workflow"),
    "year": _l("Year"),
    "filename": _l("File name"),
    "content_type": _l("Content type"),
    "mimetype": _l("File type"),
    "deleted_at": _l("Deleted on"),
    "uploaded_at": _l("Uploaded on"),
    "action": _l("Action"),
    "details": _l("Details"),
    "actor": _l("Actor"),
    "actor_id": _l("Actor"),
    "changes": _l("Changes"),
}

#: The core's own tables, registered below at import (constants). What plugins and subsystems
#: register from their hooks goes to the running app's registry (``app.extensions``), so two apps
#: with different plugins (tests) never see each other's labels.
#: (table, column) → label, where one name means different things in different records.
_TABLE_FIELD_LABELS: dict[tuple[str, str], Any] = {}
#: (table or None, column) → {code: label} or a function code → label.
_VALUE_LABELS: dict[tuple[str | None, str], Mapping[Any, Any] | Callable[[Any], Any]] = {}
_APP_KEY = "articula.labels"


def _app_tables() -> dict[str, dict[Any, Any]] | None:
    """This app's own label tables, or None outside an app context (the core's constants only)."""
    if not has_app_context():
        return None
    return current_app.extensions.setdefault(_APP_KEY, {"fields": {}, "table_fields": {}, "values": {}})


def register_field_labels(labels: Mapping[str, Any], table: str | None = None) -> None:
    """Column names of a plugin's records (``table``: only for that table), for the current app."""
    tables = _app_tables()
    for name, label in labels.items():
        if table is None:
            (tables["fields"] if tables is not None else FIELD_LABELS).setdefault(name, label)
        else:
            (tables["table_fields"] if tables is not None else _TABLE_FIELD_LABELS)[(table, name)] = label


def register_value_labels(
    column: str, labels: Mapping[Any, Any] | Callable[[Any], Any], table: str | None = None
) -> None:
    """How a column's stored codes read (``table`` None: in every table with that column name), for
    the current app (outside an app context: the core's own constant tables)."""
    tables = _app_tables()
    (tables["values"] if tables is not None else _VALUE_LABELS)[(table, column)] = labels


def field_label(name: str, table: str | None = None) -> Any:
    """The label of a column, or None when nobody named it."""
    tables = _app_tables() or {"fields": {}, "table_fields": {}}
    if table is not None:
        for source in (tables["table_fields"], _TABLE_FIELD_LABELS):
            if (table, name) in source:
                return source[(table, name)]
    return FIELD_LABELS.get(name, tables["fields"].get(name))


def value_labels(column: str, table: str | None = None) -> Mapping[Any, Any] | Callable[[Any], Any] | None:
    own = (_app_tables() or {}).get("values", {})
    for key in ((table, column), (None, column)):
        for source in (own, _VALUE_LABELS):
            if key in source:
                return source[key]
    return None


def value_label(column: str, value: Any, table: str | None = None) -> Any:
    """A stored code as people read it; the value itself when the column has no labels for it."""
    labels = value_labels(column, table)
    if labels is None or value is None:
        return value
    if callable(labels):
        return labels(value)
    return labels.get(value, value)


def case_type_label(code: str) -> Any:
    declared = case_types().get(code)
    return declared.label if declared else code


def stage_label(code: str) -> Any:
    return STAGE_LABELS.get(code, code)


def deadline_rule_label(key: str) -> Any:
    """A deadline rule's key as its label (the rules read once per request)."""

    labels = g.get("articula_rule_labels") if has_request_context() else None
    if labels is None:
        labels = dict(db.session.execute(select(DeadlineRule.key, DeadlineRule.label)).all())
        if has_request_context():
            g.articula_rule_labels = labels
    return labels.get(key, key)


register_value_labels("rule_key", deadline_rule_label)
register_value_labels("kind", {"due_soon": _l("Due soon"), "late": _l("Late")}, "deadline_reminder")
register_value_labels("channel", {"email": _l("Email"), "in_app": _l("In the application")}, "deadline_reminder")
register_value_labels("level", {"regional": _l("Regional"), "local": _l("Local")}, "member_category")
register_value_labels("role", ROLE_LABELS, "membership")
register_value_labels("type", case_type_label, "case")
register_value_labels("case_type", case_type_label)
register_value_labels("stage", stage_label, "case")
register_value_labels("kind", KIND_LABELS, "government")
register_value_labels("level", LEVEL_LABELS, "territory")
register_value_labels("locale", locale_label)
