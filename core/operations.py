"""The operations layer: every write is a named operation, run the same way from pages, API and CLI.

CKAN's action functions are the model (``get_action(name)(context, data)``). An operation is a
function ``(ctx, data) -> result`` registered under a dotted name (``institutionalization.member.add``):

- ``ctx`` carries the acting user and their scope; ``ctx.load(...)`` loads a record through the
  scoping layer (404 outside the user's jurisdiction, 403 when the role may not do ``action``);
- ``data`` is plain data (form or JSON values); when the operation declares ``fields`` (a
  :class:`core.fields.RecordFields`), ``data`` arrives parsed and checked against them;
- :func:`run` runs it as ONE unit of work: the SQLite write lock taken up front, one transaction,
  the audit events written in it (core.audit chains them at commit), and either the result or
  ONE refusal type, :class:`Refusal` (translated message, HTTP status, per-field errors).

Adapters turn a refusal into what the caller shows: :func:`api_refusal` a JSON error body,
:func:`form_refusal` flashed messages and errors beside the WTForms fields. Operations are kept
per app (``app.extensions["articula.operations"]``); plugins give theirs through the
``register_operations`` hook.
"""

from __future__ import annotations

import inspect as pyinspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, abort, current_app, flash, has_request_context, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.audit.actors import acting_as
from core.cases.service import CaseError
from core.custom_fields import FieldValueError
from core.database import SAFE_METHODS, write_intent
from core.extensions import db
from core.models import Case
from core.plugins import plugin_registry
from core.refusals import Refusal
from core.security import READ, Scope, can, current_scope, scope_for, scope_for_cli
from core.values import ValueProblem
from core.workflow import WorkflowError

EXTENSION_KEY = "articula.operations"


# --- declaring and registering operations ---------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """A named write. ``fields``: the record type's declared fields that parse and check ``data``."""

    name: str
    function: Callable[..., Any]
    fields: Any = None  # core.fields.RecordFields (imported lazily by callers that use it)
    partial: bool = False  # an edit: only the fields sent are parsed and changed
    params: tuple[str, ...] = ()  # data keys that are not fields (the record's id, the case version)

    @property
    def doc(self) -> str:
        return pyinspect.cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first line of the docstring (``articula operations list``, docs)."""
        return self.doc.splitlines()[0] if self.doc else ""

    def __call__(self, ctx: Context, data: dict[str, Any]) -> Any:
        return self.function(ctx, data)


def operation(
    name: str, *, fields: Any = None, partial: bool = False, params: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Operation]:
    """Decorator: make ``function(ctx, data)`` an :class:`Operation` (list it in ``register_operations``)."""

    def decorator(function: Callable[..., Any]) -> Operation:
        return Operation(name, function, fields, partial, params)

    return decorator


class OperationRegistry:
    """The operations of one app, by name (a new app starts from a fresh registry)."""

    def __init__(self) -> None:
        self._operations: dict[str, Operation] = {}

    def add(self, op: Operation) -> None:
        if not isinstance(op, Operation):
            raise TypeError(f"not an operation: {op!r} (decorate it with core.operations.operation)")
        if op.name in self._operations and self._operations[op.name] is not op:
            raise ValueError(f"operation {op.name!r} registered twice")
        self._operations[op.name] = op

    def get(self, name: str) -> Operation:
        try:
            return self._operations[name]
        except KeyError:
            raise LookupError(f"unknown operation {name!r}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._operations

    def __iter__(self) -> Iterator[Operation]:
        return iter(sorted(self._operations.values(), key=lambda op: op.name))


def registry(app: Flask | None = None) -> OperationRegistry:
    """The app's operations, collected from the plugins (hook ``register_operations``) on first use.

    Built lazily rather than by the app factory so that the core's modules never import this
    layer (it sits above them: security, audit, cases)."""
    app = app or current_app
    ops = app.extensions.get(EXTENSION_KEY)
    if ops is None:
        ops = OperationRegistry()
        for op in plugin_registry(app).collect("register_operations"):
            ops.add(op)
        app.extensions[EXTENSION_KEY] = ops
    return ops


def get_operation(name: str) -> Operation:
    return registry().get(name)


# --- the context: who acts, and loading records through the scoping layer -------------------------------


@dataclass
class Context:
    """Who runs an operation. ``scope`` comes from the user (the system administrator when None)."""

    user: Any
    scope: Scope = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.scope is None:
            self.scope = scope_for(self.user) if self.user is not None else scope_for_cli(None)

    def load(
        self, model: type, record_id: Any, *, action: str = READ, government: Callable[[Any], Any] | None = None
    ) -> Any:
        return load_or_404(model, record_id, self.scope, action=action, government=government)

    def require(self, action: str, government: Any) -> None:
        """Refuse (404 out of reach, 403 not allowed) unless the scope may do ``action`` there."""
        check_scope(self.scope, action, government)


def government_of(record: Any) -> Any:
    """The government a record belongs to: its own, or its parent's (``__government_path__``)."""
    path = getattr(type(record), "__government_path__", None)
    if path:
        target = record
        for step in path.split("."):
            target = getattr(target, step)
        return target
    return record.government


def check_scope(scope: Scope, action: str, government: Any) -> None:
    # Out of reach answers 404 so another region's ids are not even confirmed (as core.security.ensure).
    if not can(scope, READ, government):
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    if action != READ and not can(scope, action, government):
        raise Refusal(_("You do not have permission to do this."), 403)


def load_or_404(
    model: type,
    record_id: Any,
    scope: Scope | None = None,
    *,
    action: str = READ,
    government: Callable[[Any], Any] | None = None,
) -> Any:
    """Load ``model`` by id for ``scope`` (the current user's by default): 404 when absent or out of
    reach, 403 when reachable but ``action`` is not allowed. Raises :class:`Refusal`."""
    if scope is None:
        scope = current_scope()
    try:
        record = db.session.get(model, int(record_id)) if record_id is not None else None
    except (TypeError, ValueError):
        record = None
    if record is None:
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    case = case_of(record)
    if case is not None and not can(scope, "case.read", case):  # a participant government reads it too
        raise Refusal(_("The page or record does not exist, or is outside your jurisdiction."), 404)
    target = (government or government_of)(record)
    if case is None:
        check_scope(scope, action, target)
    elif action != READ and not can(scope, action, target):  # writes stay the owner's (or a named action's)
        raise Refusal(_("You do not have permission to do this."), 403)
    return record


def case_of(record: Any) -> Any:
    """The case a record is (a case) or belongs to (``__case_path__``, e.g. "agreement"), or None."""
    if isinstance(record, Case):
        return record
    path = getattr(type(record), "__case_path__", None)
    if not path:
        return None
    target = record
    for step in path.split("."):
        target = getattr(target, step)
    return target


# --- running: one unit of work -----------------------------------------------------------------------------


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One transaction with the write lock taken up front; every error rolls it all back."""
    in_write_request = has_request_context() and request.method not in SAFE_METHODS
    if not in_write_request and not write_intent.get() and db.session().in_transaction():
        # A read transaction is already open (CLI, GET): end it so the next BEGIN takes the lock.
        db.session.commit()
    token = write_intent.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        write_intent.reset(token)


def run(name: str | Operation, user: Any, data: dict[str, Any] | None = None, *, scope: Scope | None = None) -> Any:
    """Run operation ``name`` for ``user`` with ``data`` in one transaction; raise :class:`Refusal`."""

    op = name if isinstance(name, Operation) else get_operation(name)
    ctx = Context(user, scope)
    data = dict(data or {})
    try:
        with unit_of_work(), acting_as(user) if user is not None else acting_as(label="sistema"):
            if op.fields is not None:
                data = op.fields.parse(data, partial=op.partial, scope=ctx.scope, ignore=op.params)
            return op(ctx, data)
    except Refusal:
        raise
    except StaleDataError as error:
        raise Refusal(_("The record was changed by someone else. Reload it and try again."), 409) from error
    except IntegrityError as error:
        raise Refusal(
            _("Another simultaneous change clashed with this one (a value that must be unique); try again."),
            409,
        ) from error
    except ValueProblem as error:
        raise Refusal(str(error), 400) from error
    except Exception as error:
        refusal = _from_domain_error(error)
        if refusal is None:
            raise
        raise refusal from error


def _from_domain_error(error: Exception) -> Refusal | None:
    """The engine's older refusal types (CaseError, WorkflowError, FieldValueError) as one Refusal."""

    if isinstance(error, WorkflowError):
        return Refusal(" ".join(error.reasons), error.status)
    if isinstance(error, CaseError):
        return Refusal(str(error), error.status)
    if isinstance(error, FieldValueError):
        return Refusal(str(error), 400)
    return None


# --- adapters: pages and API ---------------------------------------------------------------------------------


def api_refusal(refusal: Refusal) -> None:
    """Abort the API request with the refusal as its JSON error body and status."""
    response = jsonify(refusal.as_json())
    response.status_code = refusal.status
    abort(response)


def api_load(model: type, record_id: Any, **kwargs: Any) -> Any:
    """``load_or_404`` for an API endpoint: out of reach or not allowed answers the JSON error."""
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        api_refusal(refusal)


def api_run(name: str, user: Any, data: dict[str, Any]) -> Any:
    """Run an operation from an API endpoint; a refusal answers its JSON error."""
    try:
        return run(name, user, data)
    except Refusal as refusal:
        api_refusal(refusal)


def form_refusal(refusal: Refusal, form: Any = None) -> int:
    """Show a refusal on a page: field errors beside their WTForms fields (the input is kept, the
    page re-renders it), the rest flashed. 403/404 abort. Returns the status to answer with."""
    if refusal.status in (403, 404):
        abort(refusal.status)
    unplaced = [refusal.message] if refusal.message else []
    for name, problems in refusal.errors.items():
        if form is not None and name in form:
            form[name].errors = [*list(form[name].errors or []), *problems]
        else:
            unplaced += problems
    for reason in unplaced:
        flash(reason, "error")
    return refusal.status


def form_run(name: str, user: Any, data: dict[str, Any], form: Any = None) -> tuple[Any, int]:
    """Run an operation from a page: ``(result, 200)`` or ``(None, status)`` with the refusal shown."""
    try:
        return run(name, user, data), 200
    except Refusal as refusal:
        return None, form_refusal(refusal, form)
