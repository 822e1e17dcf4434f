"""Translatable labels for the platform's codes (roles, government kinds, territory levels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
