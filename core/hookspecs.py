"""Every hook a plugin may implement. Plugins mark implementations with ``core.hookspecs.hookimpl``.

The core's own subsystems (``core.plugins.BUILTIN_PLUGINS``: cases, audit, deadlines, documents,
jobs, attachments, submissions, notifications) implement the same hooks and are registered on the
same pluggy manager before the third-party plugins, so every hook below reaches them first.

Where order matters (blueprints, migrations, seed data, templates, translations) the core
walks the dependency-sorted plugin list itself and calls each plugin's implementation in
that order; pluggy would otherwise call the newest registration first.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("articula")
hookimpl = pluggy.HookimplMarker("articula")


@hookspec
def init_app(app: Any) -> None:
    """Per-app set-up, before any blueprint, API endpoint or admin view is registered (built-ins
    first, then plugins in dependency order; inside ``app.app_context()``). Fill the per-app
    registries here: ``core.workflow.register_effect``, ``core.panels.register_case_panel`` /
    ``register_cycle_panel`` / ``register_inbox_filter``, template filters, ``app.extensions``."""


@hookspec
def register_blueprints(app: Any) -> None:
    """Register the plugin's Flask blueprints on ``app`` (called in dependency order, inside
    ``app.app_context()``, after the platform's own blueprints, the API and the admin)."""


@hookspec
def register_admin_views(admin: Any, app: Any) -> None:
    """Add Flask-Admin views; subclass ``core.admin.ScopedModelView`` so scoping applies."""


@hookspec
def register_api(api: Any) -> None:
    """Add endpoints to the ``/api/v1`` registry (``core.api.ApiRegistry``) with OpenAPI metadata."""


@hookspec
def register_operations() -> list[Any]:
    """The plugin's named writes: ``[core.operations.Operation, ...]`` (made with ``@operation(name)``);
    pages, API endpoints and CLI commands run them with ``core.operations.run(name, user, data)``."""


@hookspec
def permission_actions() -> dict[str, Any]:
    """Named permission actions ``{"plugin.record.verb": predicate(scope, target) -> bool}``; pages,
    API and templates ask ``core.security.can(user_or_scope, name, target)``."""


@hookspec
def navigation(user: Any) -> list[dict[str, Any]]:
    """Menu entries for ``user``: ``[{"label": str, "endpoint": str, "order": int}]``."""


@hookspec
def dashboard_widgets(user: Any) -> list[dict[str, Any]]:
    """Dashboard widgets for ``user``: ``[{"title": str, "template": str, "context": dict, "order": int}]``."""


@hookspec
def cli_commands() -> list[Any]:
    """Click commands or groups added to the ``articula`` command line."""


@hookspec
def demo_data(app: Any) -> None:
    """Load the plugin's demo records (idempotently); called in dependency order by ``articula demo load``."""


@hookspec
def case_types() -> list[Any]:
    """The plugin's case types: ``[core.cases.service.CaseType(...)]`` (model, label, stage, workflow…)."""


@hookspec
def workflow_guards() -> dict[str, Any]:
    """Named guards ``{"name": function(case) -> list[str]}``: each returns the Spanish
    reasons that block a transition (an empty list lets it through)."""


@hookspec
def after_transition(case: Any, transition: Any, user: Any) -> None:
    """Called inside the transaction after a case changed state and its effects ran."""


@hookspec
def deadline_rules() -> list[dict[str, Any]]:
    """Deadline rules in code (in addition to the plugin's ``deadlines.yaml``), same fields:
    ``key`` (a key without a dot is prefixed with the plugin's name), ``label`` (Spanish),
    ``kind`` (fixed_yearly: ``month``, ``day`` · quarterly: ``offset_days`` after each quarter's
    end, ``days`` working days after it, or ``quarter_dates`` [MM-DD ×4] · working_days_after /
    calendar_days_after: ``days``, ``event``), ``level`` (regional, local, provincial, district, all),
    optional ``case_type``, ``description``, ``active``; and, in code only, ``applies_to``: a callable
    returning a SELECT of the government ids the rule binds within its level (core/deadlines/scopes.py).
    See core/deadlines/ (rules.py)."""


@hookspec
def document_context(case: Any, template: str) -> dict[str, Any]:
    """Extra variables for rendering ``template`` (a document key) for ``case``."""


@hookspec(firstresult=True)
def superseded_document(case: Any, key: str) -> int | None:
    """The id of another case's issued document that the first ``key`` document of ``case`` replaces, when
    ``case`` is a new version of that case (a plan reformulated after its evaluation replaces the earlier
    plan's PDF); None otherwise. Within one case a newer document always supersedes the older by itself.
    The id returned must not be superseded yet (``IssuedDocument.supersedes_id`` is unique)."""


@hookspec
def policy_documents(governments: list[Any], year: int) -> list[dict[str, Any]]:
    """The approved social-policy documents each of ``governments`` must send for ``year``
    (supplementary provision 8), for all of them at once (a fixed number of queries: the national
    overview asks for 25 regions): ``[{"government_id": 3, "label": "Plan Articulado Regional 2026
    aprobado", "document_id": 12}]``, with
    ``document_id`` None while the document is not issued yet (not approved). The 30 June rule is
    met only when every one of them, and every case the government marks as a policy document,
    has been sent (core/submissions/service.py)."""


@hookspec
def stage_status(governments: list[Any], year: int) -> list[dict[str, Any]]:
    """What a plugin knows of each of ``governments`` in a stage of the cycle of ``year``, for all of
    them at once (a fixed number of queries: a region's overview asks for its ~100 municipalities):
    ``[{"government_id": 3, "stage": "monitoring", "label": "Indicadores 2026: 7 de 9 reportados",
    "status": "in_progress"}]``. ``stage`` is one of core.models.case.STAGES; ``status`` is "done",
    "in_progress" or "missing". A stage nobody reports on shows "sin datos" (the operations plugin's
    regional support page, /operaciones/apoyo/)."""
