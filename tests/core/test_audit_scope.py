"""Tests that every child record's audit events carry its case and government (``__audit_parent__``), so
case histories and scoped auditors see them; and that the rule holds for every model, present and future."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.audit.changes import _table
from core.extensions import db
from core.models import Government
from core.models.audit import AuditEvent
from tests.plugins.institutionalization.conftest import REGIONAL_MEMBERS, make_body

MEMBER = REGIONAL_MEMBERS[:1]

#: Tables that belong to no government or case (users, catalogs, national configuration).
NATIONAL_TABLES = {
    "user_account",
    "membership",
    "api_token",
    "calendar_feed_token",
    "notification",
    "custom_field",
    "workflow_definition",
    "deadline_rule",
    "non_working_day",
    "territory",
    "institution",
    "social_program",
    "strategic_program",
    "intervention_line",
    "social_info_item",
    "key_indicator",
    "year_name",
    "member_category",
    "diagnosis_standard_result",
    "diagnosis_data_source",  # catalogs (seed data), national on purpose
    "diagnosis_indicator_measure",
    # monitoring: the key indicators' catalog, its sources, the national goals and the supervision
    # checklists (seed data an administrator edits), national on purpose
    "monitoring_indicator",
    "monitoring_indicator_source",
    "monitoring_national_goal",
    "monitoring_checklist",
    "monitoring_checklist_item",
}


def test_every_auditable_model_says_where_its_events_belong(app):
    """A model whose events would carry no case and no government must be national on purpose."""
    unscoped = []
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        table = _table(mapper)
        if not _auditable_class(cls):
            continue
        if table in NATIONAL_TABLES or table == "government":
            continue
        scoped = (
            "government_id" in mapper.column_attrs
            or "case_id" in mapper.column_attrs
            or callable(getattr(cls, "audit_scope", None))
            or getattr(cls, "__audit_parent__", None) in mapper.column_attrs
        )
        if not scoped:
            unscoped.append(table)
    assert unscoped == [], f"models whose audit events have no case or government: {unscoped}"


def _auditable_class(cls) -> bool:  # noqa: ANN001
    from sqlalchemy import inspect

    from core.audit import EXCLUDED_TABLES

    mapper = inspect(cls)
    return getattr(cls, "__audit__", True) is not False and _table(mapper) not in EXCLUDED_TABLES


def scope_of_events(app, entity_type: str) -> set[tuple[str, int | None, int | None]]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.action, AuditEvent.case_id, AuditEvent.government_id).where(
                AuditEvent.entity_type == entity_type
            )
        ).all()
    return {tuple(r) for r in rows}


def test_member_events_carry_the_body_and_its_government(app, govs):
    body_id = make_body(app, govs["huanuco"], MEMBER)
    from plugins.institutionalization.models import BodyMember

    with app.app_context():
        member = db.session.scalar(select(BodyMember))
        member.full_name = "Rosa Huamán Ríos"  # an update after commit: the parent key is expired
        db.session.commit()
        db.session.delete(db.session.get(BodyMember, member.id))
        db.session.commit()
    assert scope_of_events(app, "body_member") == {
        ("create", body_id, govs["huanuco"]),
        ("update", body_id, govs["huanuco"]),
        ("delete", body_id, govs["huanuco"]),
    }


def test_plan_rows_two_levels_down_carry_the_plan_and_its_government(app, govs):
    from core.cases import case_types, create_case
    from core.security import scope_for_cli
    from plugins.diagnosis.models import PlanActivity, PlanIndicator, PlanResult

    with app.app_context():
        plan = create_case(
            case_types()["articulated_plan"],
            db.session.get(Government, govs["amarilis"]),
            2008,
            "Plan",
            None,
            scope_for_cli(None),
        )
        db.session.commit()
        plan_id = plan.id
        result = PlanResult(plan_id=plan_id, name="Resultado 1")
        db.session.add(result)
        db.session.commit()
        result_id = result.id
        # a new activity whose result is not in the session: the scope is read from the database
        db.session.expunge_all()
        db.session.add(PlanActivity(result_id=result_id, name="Actividad 1"))
        db.session.add(PlanIndicator(result_id=result_id, name="Indicador 1"))
        db.session.commit()
        db.session.delete(db.session.scalar(select(PlanActivity)))
        db.session.commit()
    expected = (plan_id, govs["amarilis"])
    assert {(c, g) for _a, c, g in scope_of_events(app, "plan_result")} == {expected}
    assert {(c, g) for _a, c, g in scope_of_events(app, "plan_activity")} == {expected}
    assert {(c, g) for _a, c, g in scope_of_events(app, "plan_indicator")} == {expected}


def test_child_events_appear_in_the_case_history_of_a_scoped_auditor(app, client, govs, make_user, api_token):
    body_id = make_body(app, govs["huanuco"], MEMBER)
    auditor = make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(auditor)}"}
    history = client.get(f"/api/v1/cases/{body_id}/audit", headers=headers).get_json()
    assert "body_member" in {item["entity_type"] for item in history["items"]}


# --- denials and calendar addresses -----------------------------------------------------------------------


def denials(app, user_id: int) -> list[AuditEvent]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "access_denied", AuditEvent.actor_user_id == user_id)
            .order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return rows


def test_denied_requests_are_audited_once_per_user_and_route_per_interval(app, client, make_user, govs, monkeypatch):
    from tests.conftest import login
    from tests.core.test_cases import _create_generic

    make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    intruder = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    other = app.test_client()
    login(other, "equipo@cusco.pe")
    cusco_case = _create_generic(other, govs["cusco"])

    login(client, "equipo@huanuco.pe")
    for _ in range(5):  # probing another region's record: 404 every time, one event
        assert client.get(f"/expedientes/{cusco_case}").status_code == 404
    assert client.get(f"/expedientes/{cusco_case + 1000}").status_code == 404  # same route: still one
    events = denials(app, intruder)
    assert len(events) == 1
    assert events[0].entity_id == "cases.detail"
    assert events[0].detail == f"404 GET /expedientes/{cusco_case}"

    api = {"Authorization": "Bearer " + _token(app, intruder)}
    assert client.get(f"/api/v1/cases/{cusco_case}", headers=api).status_code == 404  # another route: recorded
    assert len(denials(app, intruder)) == 2

    monkeypatch.setitem(app.config, "AUDIT_DENIAL_INTERVAL_SECONDS", 0)  # the interval has passed
    assert client.get(f"/expedientes/{cusco_case}").status_code == 404
    assert len(denials(app, intruder)) == 3

    assert client.get("/no-existe-esta-pagina").status_code == 404  # no route, no record: not a denial
    assert len(denials(app, intruder)) == 3


def test_a_forbidden_write_is_audited_and_nothing_it_wrote_is_kept(app, client, make_user, govs):
    from tests.conftest import csrf_from, login
    from tests.core.test_cases import _create_generic

    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    auditor = make_user("auditor@huanuco.pe", ("auditor", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    case_id = _create_generic(client, govs["huanuco"])
    reader = app.test_client()
    login(reader, "auditor@huanuco.pe")
    token = csrf_from(reader, f"/expedientes/{case_id}")
    response = reader.post(f"/expedientes/{case_id}/editar", data={"csrf_token": token, "title": "Cambiado"})
    assert response.status_code == 403
    (event,) = denials(app, auditor)
    assert event.detail == f"403 POST /expedientes/{case_id}/editar"
    from core.models import Case

    with app.app_context():
        assert db.session.get(Case, case_id).title == "Expediente de prueba"


def _token(app, user_id: int) -> str:  # noqa: ANN001
    from core.models import ApiToken, User

    with app.app_context():
        token, plain = ApiToken.issue(db.session.get(User, user_id), "pruebas")
        db.session.add(token)
        db.session.commit()
        return plain


def test_revoking_the_calendar_address_leaves_an_event(app, client, make_user, govs):
    from tests.conftest import csrf_from, login

    user_id = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/perfil"), "action": "create"})
    response = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/perfil"), "action": "revoke"})
    assert response.status_code == 303
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "calendar_feed_token").order_by(AuditEvent.id)
        ).all()
        assert actions == ["calendar_issue", "calendar_revoke"]
        assert (
            db.session.scalar(select(AuditEvent.actor_user_id).where(AuditEvent.action == "calendar_revoke")) == user_id
        )


# --- where officials acted from: auditors and admins only ------------------------------------------------


def test_case_history_shows_other_officials_origin_only_to_auditors_and_admins(app, client, make_user, govs, api_token):
    from tests.conftest import login
    from tests.core.test_cases import _create_generic

    author = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    away = {"REMOTE_ADDR": "10.77.1.9"}
    writer = app.test_client()
    writer.environ_base.update(away)
    writer.environ_base["HTTP_USER_AGENT"] = "NavegadorDePrueba/1.0"
    login(writer, "equipo@huanuco.pe")
    case_id = _create_generic(writer, govs["huanuco"])

    viewers = {
        "colega@huanuco.pe": (("coordinator", govs["huanuco"]), False),
        "supervisor@stcias.pe": (("national", None), False),
        "auditor@huanuco.pe": (("auditor", govs["huanuco"]), True),
        "admin@articula.pe": (("admin", None), True),
    }
    for email, (membership, sees) in viewers.items():
        user = make_user(email, membership)
        reader = app.test_client()
        login(reader, email)
        page = reader.get(f"/expedientes/{case_id}").get_data(as_text=True)
        assert ("10.77.1.9" in page) is sees, email
        assert ("NavegadorDePrueba/1.0" in page) is sees, email
        history = reader.get(
            f"/api/v1/cases/{case_id}/audit", headers={"Authorization": f"Bearer {api_token(user)}"}
        ).get_json()
        ips = {item["ip"] for item in history["items"] if item["actor_user_id"] == author}
        assert ips == ({"10.77.1.9"} if sees else {None}), email
        if email != "colega@huanuco.pe":  # the trail in the admin, for those who browse it
            link = re.search(r'href="(/admin/auditevent/[^"]+)"', page).group(1).replace("&amp;", "&")
            trail = reader.get(link).get_data(as_text=True)
            assert "equipo@huanuco.pe" in trail
            assert ("10.77.1.9" in trail) is sees, email
    own = writer.get(f"/expedientes/{case_id}").get_data(as_text=True)
    assert "10.77.1.9" in own  # one's own whereabouts are no secret to oneself
