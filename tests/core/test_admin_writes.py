"""No admin view writes around the operations layer (issue 8 item 1): a record type that operations write
(cases, their child rows, measurements…) is read-only in the admin, even for an administrator — its
writes need the operation's permission check, version check, validation and audit in one unit of work.
The admin writes only what no operation writes: catalogs, settings and accounts, listed here with why."""

from __future__ import annotations

from typing import Any

from core.admin_base import OperationModelView, ScopedModelView
from tests.conftest import login

#: Tables an administrator maintains in the admin, because no operation writes them. A view of any
#: other table that lets an administrator create, edit or delete fails the test below.
ADMIN_MAINTAINED = {
    # accounts and access
    "user_account": "accounts are managed by administrators",
    "membership": "roles in governments are granted by administrators",
    "api_token": "an administrator revokes tokens (no create: the owner makes them)",
    "calendar_feed_token": "an administrator revokes calendar feeds",
    "login_attempt": "bookkeeping an administrator may clear",
    # territory, catalogs and configuration
    "territory": "the ubigeo catalog",
    "government": "the catalog of governments",
    "institution": "catalog",
    "social_program": "catalog",
    "strategic_program": "catalog",
    "intervention_line": "catalog",
    "social_info_item": "catalog",
    "key_indicator": "catalog of the key indicators",
    "plugin_state": "which plugins are enabled",
    "seed_record": "seed bookkeeping (an administrator's edits are kept on reload)",
    "year_name": "the official names of the years (document headings)",
    "custom_field": "administrator-added custom fields",
    "workflow_definition": "workflow definitions (YAML, validated on save)",
    "reference_pattern": "reference-number patterns",
    "deadline_rule": "deadline rules (validated; deleting deactivates)",
    "non_working_day": "decreed non-working days and regional holidays",
    # plugin catalogs
    "member_category": "institutionalization: member categories of the Instancia",
    "diagnosis_standard_result": "diagnosis: Appendix 5's standard results",
    "monitoring_indicator": "monitoring: the monitored indicators' catalog",
    "monitoring_indicator_source": "monitoring: data sources of the indicators",
    "monitoring_national_goal": "monitoring: national goals",
    "monitoring_checklist": "monitoring: supervision checklists (fichas)",
    "monitoring_checklist_item": "monitoring: the items of a checklist",
}


def _views(app: Any) -> list[ScopedModelView]:
    return [v for v in app.extensions["articula.admin"]._views if isinstance(v, ScopedModelView)]


def _table(view: ScopedModelView) -> str:
    return view.model.__table__.name


def _writes(app: Any, admin_id: int) -> dict[str, tuple[bool, bool, bool]]:
    """endpoint → (can_create, can_edit, can_delete) for an administrator, for every view not listed."""
    from flask_login import login_user

    from core.extensions import db
    from core.models import User

    found = {}
    with app.test_request_context("/admin/"):
        login_user(db.session.get(User, admin_id))
        for view in _views(app):
            if _table(view) not in ADMIN_MAINTAINED and not isinstance(view, OperationModelView):
                found[view.endpoint] = (bool(view.can_create), bool(view.can_edit), bool(view.can_delete))
    return found


def test_views_of_operation_backed_records_write_nothing_even_for_an_administrator(app, client, make_user):
    admin_id = make_user("admin@articula.pe", ("admin", None))
    writes = _writes(app, admin_id)
    assert len(writes) > 30  # the walk reaches the core's and every plugin's views
    writable = [f"{endpoint}: {flags}" for endpoint, flags in sorted(writes.items()) if any(flags)]
    assert not writable, "Vistas del admin que escriben sin pasar por las operaciones:\n" + "\n".join(writable)

    # and through the app: the administrator's create, edit and delete are refused
    from tests.conftest import csrf_from

    login(client, "admin@articula.pe")
    token = csrf_from(client, "/admin/membership/new/")
    for endpoint in writes:
        base = f"/admin/{endpoint}"
        for response in (
            client.get(f"{base}/new/"),
            client.post(f"{base}/new/", data={"csrf_token": token}),
            client.get(f"{base}/edit/?id=1"),
            client.post(f"{base}/edit/?id=1", data={"csrf_token": token}),
            client.post(f"{base}/delete/", data={"id": "1", "csrf_token": token}),
        ):
            # refused: sent back to the list (Flask-Admin), or forbidden outright (the audit log)
            assert response.status_code in (302, 403), (endpoint, response.request.path, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].split("?")[0].rstrip("/").endswith(base), endpoint


def test_views_writing_through_operations_name_registered_operations(app):
    from core.operations import registry

    names = {op.name for op in registry(app)}
    views = [v for v in _views(app) if isinstance(v, OperationModelView)]
    assert {v.endpoint for v in views} >= {"case", "op_budget_threshold"}
    for view in views:
        for name in filter(None, (view.create_operation, view.edit_operation, view.delete_operation)):
            assert name in names, (view.endpoint, name)


def test_an_operation_backed_view_offers_only_the_actions_it_has_operations_for(app, make_user):
    from flask_login import login_user

    from core.extensions import db
    from core.models import User

    admin_id = make_user("admin@articula.pe", ("admin", None))
    with app.test_request_context("/admin/"):
        login_user(db.session.get(User, admin_id))
        for view in (v for v in _views(app) if isinstance(v, OperationModelView)):
            offered = (view.can_create, view.can_edit, view.can_delete)
            declared = (bool(view.create_operation), bool(view.edit_operation), bool(view.delete_operation))
            assert offered == declared, view.endpoint


def test_a_threshold_set_in_the_admin_goes_through_its_operation(app, client, make_user):
    from sqlalchemy import select

    from core.extensions import db
    from core.models.audit import AuditEvent
    from plugins.operations.budget.models import AlignmentThreshold
    from tests.conftest import csrf_from

    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    url = "/admin/op_budget_threshold/new/"
    refused = client.post(url, data={"csrf_token": csrf_from(client, url), "share": "1.5"})
    assert refused.status_code == 200  # the form again, with the operation's field error
    assert 'class="form-control is-invalid" id="share"' in refused.get_data(as_text=True)
    assert "«Proporción mínima del presupuesto previsto» debe ser como máximo 1." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AlignmentThreshold).where(AlignmentThreshold.share == 1.5)) is None
        before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    saved = client.post(url, data={"csrf_token": csrf_from(client, url), "share": "0.65"})
    assert saved.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(AlignmentThreshold).where(AlignmentThreshold.government_id.is_(None)))
        assert str(row.share) in ("0.65", "0.650")
        assert db.session.scalar(select(db.func.count(AuditEvent.id))) > before  # audited in its unit of work
    edit = f"/admin/op_budget_threshold/edit/?id={row.id}"
    assert client.post(edit, data={"csrf_token": csrf_from(client, edit), "share": "0.7"}).status_code == 302
    with app.app_context():
        assert float(db.session.get(AlignmentThreshold, row.id).share) == 0.7
    token = csrf_from(client, "/admin/op_budget_threshold/new/")
    deleted = client.post("/admin/op_budget_threshold/delete/", data={"id": str(row.id), "csrf_token": token})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(AlignmentThreshold, row.id) is not None  # no delete around the operations


def test_the_maintained_tables_are_still_admin_views(app):
    tables = {_table(view) for view in _views(app)}
    assert not set(ADMIN_MAINTAINED) - tables, "ADMIN_MAINTAINED names tables without an admin view"
