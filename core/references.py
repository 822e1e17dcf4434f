"""Resolving a reference (an id a user typed or sent) without revealing what exists elsewhere.

A reference resolves only inside the caller's reach — and, where the record must belong to a given
government (an ordinance's Instancia), inside that government. A missing id and another region's id
get the same answer, word for word, so a message never confirms that a record exists out of scope.
Reference fields of the API and the models go through :func:`find_reference` and
:func:`reference_message`; the web forms offer only in-scope choices (WTForms refuses any other id the
same way). In the API an unresolvable government is a 404 (out of scope is 404, docs/architecture.md).
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import gettext as _

from core.extensions import db
from core.models import Government
from core.security import READ, Scope, can
from core.values import DB_INT_MAX

T = TypeVar("T")


def reference_message(field: str) -> str:
    """The same words for a missing record and one out of reach (the id is not repeated either)."""
    return _("«%(field)s» names a record that does not exist or is not within your reach.", field=field)


def _government_of(row: Any) -> Any:
    return row if isinstance(row, Government) else getattr(row, "government", None)


def find_reference(
    model: type[T], value: Any, *, scope: Scope | None = None, government_id: int | None = None
) -> T | None:
    """The row ``value`` names if it exists and is reachable, else None (never a distinction).

    ``scope``: the caller's (None: no reach check, e.g. a model's own validation outside a request);
    ``government_id``: the row must belong to this government."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= DB_INT_MAX:
        return None
    row = db.session.get(model, value)
    if row is None:
        return None
    government = _government_of(row)
    if government_id is not None and getattr(government, "id", None) != government_id:
        return None
    if scope is not None and not can(scope, READ, government):
        return None
    return row
