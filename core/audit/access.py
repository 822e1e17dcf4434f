"""Who browses the audit trail, who sees an event's origin, and the labels of actions and entities."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.security import can

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
    "transition": _l("Transition"),
    "document_issue": _l("Document issued"),
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_throttled": _l("Sign-in throttled"),
    "access_denied": _l("Access denied"),
    "calendar_issue": _l("Calendar address created"),
    "calendar_revoke": _l("Calendar address revoked"),
    "logout": _l("Signed out"),
    "permission_grant": _l("Role granted"),
    "permission_revoke": _l("Role revoked"),
    "permission_change": _l("Role changed"),
    "attachment_upload": _l("Attachment uploaded"),
    "attachment_download": _l("Attachment downloaded"),
    "attachment_delete": _l("Attachment deleted"),
}
ENTITY_LABELS = {
    "case": _l("Case"),
    "case_transition": _l("Transition"),
    "attachment": _l("Attachment"),
    "membership": _l("Membership"),
    "user_account": _l("User"),
    "api_token": _l("API token"),
    "government": _l("Government"),
    "custom_field": _l("Custom field"),
    "workflow_definition": _l("Workflow"),
    "cycle": _l("Cycle"),
    "reference_pattern": _l("Numbering pattern"),
    "route": _l("Page or API route"),
    "calendar_feed_token": _l("Calendar address"),
}


def can_browse(scope: Any) -> bool:
    """Auditors, national supervisors and administrators browse the trail (named action "audit.browse")."""

    return can(scope, "audit.browse")


#: Roles that see where other people acted from (IP address, browser): an official's whereabouts are
#: personal data, needed to investigate, not to follow a case.
ORIGIN_ROLES = frozenset({"auditor", "admin"})


def sees_origin(scope: Any, viewer_id: int | None, actor_user_id: int | None) -> bool:
    """May this viewer see the IP address and browser of an event: their own, or as auditor or admin."""
    if viewer_id is not None and actor_user_id == viewer_id:
        return True
    roles = set(scope.global_roles)
    for held in scope.roles_by_government.values():
        roles |= held
    return scope.is_admin or bool(roles & ORIGIN_ROLES)
