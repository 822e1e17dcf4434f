"""What every page of stage 2 shares: the blueprint, loading a case (404 outside the user's
jurisdiction), refilling a refused form with what was typed, and submitting a write.

Every write is a named operation (plugins/diagnosis/operations/): :func:`submit` runs it, and on a
refusal re-renders the page (messages flashed, 403/404 abort, an import's report shown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from core.cases import editable_by
from core.fields import Field, RecordFields
from core.formatting import number
from core.models import Case
from core.operations import Refusal, form_refusal, load_or_404, run
from core.security import EDIT, can, current_scope
from plugins.diagnosis.tabular import MAX_UPLOAD_BYTES, ImportRefused

bp = Blueprint("diagnosis", __name__)


def load_case(case_id: int, model: type[Case]) -> Any:
    """The case, read through the scoping layer (404 when absent or out of reach)."""
    try:
        return load_or_404(model, case_id)
    except Refusal as refusal:
        abort(refusal.status)


def can_write(case: Case) -> bool:
    return editable_by(case, current_scope())


def unknown_action(case: Case) -> NoReturn:
    """A form posted an action the page does not have: 400 for someone who may write here, else 403
    (the refusal they would get for any write)."""
    abort(400 if can(current_scope(), EDIT, case.government) and can_write(case) else 403)


def submit(name: str, data: dict[str, Any], done: str, page: Callable[..., Any]) -> Any:
    """Run operation ``name`` with ``data``; redirect to ``done`` when saved, else re-render ``page``
    with the refusal (its reasons flashed; an import's report beside the upload)."""
    try:
        run(name, current_user, data)
    except ImportRefused as refused:
        return page(report=refused.report, status=refused.status)
    except Refusal as refusal:
        return page(status=form_refusal(refusal))
    flash(_("Saved."), "success")
    return redirect(done, 303)


def case_data(case: Case, **values: Any) -> dict[str, Any]:
    """The case and the version the form was read at, with the write's own values."""
    return {"case_id": case.id, "version": request.form.get("version"), **values}


def posted() -> dict[str, Any]:
    """The form's values; a key sent several times (a multiple select) as a list."""
    return {k: (v if len(request.form.getlist(k)) == 1 else request.form.getlist(k)) for k, v in request.form.items()}


def upload() -> dict[str, Any]:
    """The uploaded file as an import operation takes it (``filename``, ``content``; empty when none
    was chosen, which the operation refuses)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        return {"filename": "", "content": b""}
    return {"filename": file.filename, "content": file.read(MAX_UPLOAD_BYTES + 1)}


# --- keeping what was typed when a form is refused ------------------------------------------------------
# A refused POST re-renders its page in the same request (success redirects), so the page can fill
# the form that was sent from request.form. Each form names itself with a hidden «_form» field
# (macro ``hidden(case, form_id)``) so that only that form is refilled, not the page's other forms.


def _sent(form_id: str) -> Any:
    if request.method == "POST" and request.form.get("_form") == form_id:
        return request.form
    return None


def typed(form_id: str, name: str, stored: Any = "") -> Any:
    """What was typed in ``name`` if ``form_id`` was just refused, else the stored value."""
    sent = _sent(form_id)
    if sent is not None:
        return sent.get(name, "")
    return "" if stored is None else stored


def typed_chosen(form_id: str, name: str, value: Any, stored: bool = False) -> bool:
    """Whether option ``value`` of ``name`` is chosen (select option, checkbox) — as sent, or as stored."""
    sent = _sent(form_id)
    if sent is not None:
        return str(value) in sent.getlist(name)
    return stored


def typed_open(form_id: str) -> bool:
    """A folded form (``<details>``) is shown open when it is the one refused."""
    return _sent(form_id) is not None


# --- forms generated from the declared fields (fields.py) ---------------------------------------------------
# A page form that is a plain list of a record type's declared fields is the core's form of that
# declaration (RecordFields.form_class), so a field added to the declaration appears in the page as in
# the API, the schema and the admin. It refills from what was typed like the hand-written forms.

_NUMERIC = ("integer", "decimal", "money", "percentage")


def declared_form(fields: RecordFields, form_id: str, stored: Any = None) -> Any:
    """The form of ``fields``: as typed if ``form_id`` was just refused, else ``stored``'s values
    (numbers as pages print them, which the parsers read back)."""
    sent = _sent(form_id)
    data = None
    if sent is None and stored is not None:
        data = {
            f.name: number(value) if f.type in _NUMERIC and value is not None else value
            for f, value in ((f, _stored(stored, f.name)) for f in fields.inputs)
        }
    # The page's hidden() macro carries the CSRF token; the operation checks the values.
    # Made per page: a multiple choice's options are read from the catalog when the class is made.
    form_class = fields.form_class(versioned=False)
    return form_class(formdata=sent, data=data, meta={"csrf": False})


def _stored(stored: Any, name: str) -> Any:
    return stored.get(name) if isinstance(stored, dict) else getattr(stored, name)


def input_attrs(f: Field) -> dict[str, Any]:
    """The HTML attributes a declared field's input takes beyond WTForms' own (length, keyboard)."""
    attrs: dict[str, Any] = {}
    if f.max_length and f.type in ("text", "long_text"):
        attrs["maxlength"] = f.max_length
    if f.type in ("dni", "ubigeo"):
        attrs.update(inputmode="numeric", maxlength=8 if f.type == "dni" else 6)
    if f.type == "integer":
        attrs["inputmode"] = "numeric"
    elif f.type in _NUMERIC:
        attrs["inputmode"] = "decimal"
    if f.type == "long_text":
        attrs["rows"] = 3
    if f.type == "multi_choice":
        attrs["size"] = 6
    return attrs
