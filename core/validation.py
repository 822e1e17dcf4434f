"""Input validation at the edge, for every web page, admin view and API endpoint alike.

What no view should have to think about is refused here, once, before any view runs, with a Spanish
400: text carrying NUL bytes or lone surrogates (PostgreSQL refuses them in text, and they are never
real input), integers beyond what the database stores, and JSON bodies that are not one object.
Ids in paths go through :class:`IdConverter`, which replaces Flask's ``int`` converter app-wide: an id
the database cannot hold names no record, so the answer is a 404 (the database never sees it).
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from core.errors import error_response
from core.values import DB_INT_MAX

#: Other JSON integers (amounts, quantities) stay within what a double holds exactly.
JSON_INT_MAX = 2**53 - 1
#: JSON keys whose integers are ids or counters stored in ``integer`` columns.
ID_KEY = re.compile(r"(^|_)(id|ids|version|year|page|per_page)$")
#: Query parameters that are free text even when they look like a number (a RUC is 11 digits).
TEXT_PARAMETERS = frozenset({"q", "search"})
INTEGER_TEXT = re.compile(r"[+-]?\d+")
#: Deeper JSON than this is not a form anyone fills in (and would exhaust the recursion limit).
MAX_JSON_DEPTH = 32
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class InvalidInput(ValueError):
    """Refused input; the message is in the user's language (Spanish by default) and shown as a 400."""


class IdConverter(IntegerConverter):
    """``<int:…>`` limited to the database's id range: a larger id names no record, so 404 (not a 500
    from the database). NotFound rather than a converter ValidationError, which Werkzeug would turn
    into a 405 when the same path has rules for other methods."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > DB_INT_MAX:
            raise NotFound()
        return number


def bad_text(value: str) -> bool:
    """True for text with a NUL byte or a lone surrogate (invalid Unicode, unstorable in PostgreSQL)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_text(value: str, where: str) -> None:
    if bad_text(value):
        raise InvalidInput(_("«%(field)s» contains invalid characters (a NUL byte or invalid Unicode).", field=where))


def check_query_value(name: str, value: str) -> None:
    check_text(name, name)
    check_text(value, name)
    if name not in TEXT_PARAMETERS and INTEGER_TEXT.fullmatch(value.strip()) and abs(int(value)) > DB_INT_MAX:
        raise InvalidInput(
            _("«%(field)s» is a number out of the accepted range (up to %(max)s).", field=name, max=DB_INT_MAX)
        )


def check_json(value: Any, key: str = "", depth: int = 0) -> None:
    """Walk a parsed JSON body: text must be valid, numbers finite and integers within range."""
    if depth > MAX_JSON_DEPTH:
        raise InvalidInput(_("The JSON body is nested too deeply."))
    where = key or _("body")
    if isinstance(value, str):
        check_text(value, where)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        limit = DB_INT_MAX if ID_KEY.search(key) else JSON_INT_MAX
        if abs(value) > limit:
            raise InvalidInput(
                _("«%(field)s» is a number out of the accepted range (up to %(max)s).", field=where, max=limit)
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(_("«%(field)s» is not a finite number.", field=where))
    elif isinstance(value, dict):
        for name, item in value.items():
            check_text(name, name)
            check_json(item, name, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json(item, key, depth + 1)


def json_body() -> dict[str, Any] | None:
    """The request's JSON body when it declares one: must parse, and must be one object."""
    if request.method not in BODY_METHODS or not request.is_json or not request.content_length:
        return None
    try:
        data = request.get_json(silent=True)  # cached: the view's own get_json(silent=True) reuses it
    except RecursionError:
        raise InvalidInput(_("The JSON body is nested too deeply.")) from None
    if data is None and request.get_data().strip() != b"null":
        raise InvalidInput(_("The body is not valid JSON."))
    if not isinstance(data, dict):
        raise InvalidInput(_("The body must be a JSON object ({…})."))
    check_json(data)
    return data


def validate_request() -> None:
    """Check query string, form fields and JSON body of the current request (raises InvalidInput)."""
    for name, value in request.args.items(multi=True):
        check_query_value(name, value)
    if request.method in BODY_METHODS and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, value in request.form.items(multi=True):
            check_text(name or "", _("field"))
            check_text(value, name or _("field"))
        for name, upload in request.files.items(multi=True):
            check_text(name or "", _("file"))
            check_text(upload.filename or "", name or _("file"))
    json_body()


def init_app(app: Flask) -> None:
    """Register the converter (before any route is added) and the check (before any view runs)."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _validate_input() -> Any:
        try:
            validate_request()
        except InvalidInput as error:
            return error_response(400, str(error))
        return None
