"""Deadlines engine: rules (declared, validated, reloaded), Ley N° 27444 due dates, generation,
statuses, workflow effects and recomputation — through the real database."""

from __future__ import annotations

import re
import time
from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select, update

from core.calendar import WorkingCalendar
from core.deadlines import (
    DeadlineError,
    calendar_for,
    generate_deadlines,
    lima_today,
    load_rules,
    meet_deadline,
    normalize_rule,
    recompute_due_dates,
    rule_problems,
    start_deadline,
    status_expression,
    status_of,
)
from core.deadlines.models import Deadline, DeadlineRule, NonWorkingDay, Notification, Reminder
from core.extensions import db
from core.hookspecs import hookimpl
from core.models import Case, CaseTransition, Government, WorkflowDefinition
from core.plugins import PluginInfo, plugin_registry
from tests.conftest import csrf_from, login

# --- helpers shared by the deadline test modules -------------------------------------------------------


def add_rule(key: str, **spec) -> int:
    """Store a (valid) rule as an administrator would; returns its id. Call inside an app context."""
    values = normalize_rule({"key": key, "label": spec.pop("label", f"Plazo {key}"), **spec}, "test")
    assert rule_problems(values) == [], rule_problems(values)
    rule = DeadlineRule(owner="test", edited=True, **values)
    db.session.add(rule)
    db.session.commit()
    return rule.id


def only_core_rules() -> None:
    """Deactivate the plugins' calendar rules (e.g. the quarterly report's): counts below are the core's.
    Use with the ``restore_rules`` fixture, which loads them back."""
    db.session.execute(update(DeadlineRule).where(DeadlineRule.owner != "core").values(active=False))
    db.session.commit()


def get_rule(key: str) -> DeadlineRule:
    return db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == key))


def due_of(key: str, gov_id: int, year: int, period: int = 0) -> date:
    return db.session.scalar(
        select(Deadline.due_date)
        .join(DeadlineRule)
        .where(
            DeadlineRule.key == key,
            Deadline.government_id == gov_id,
            Deadline.year == year,
            Deadline.period == period,
            Deadline.case_id.is_(None),
        )
    )


def new_case(gov_id: int, year: int, title: str = "Expediente de plazos") -> Case:
    """A generic case created through the case engine, as the system administrator."""
    from core.cases import case_types, create_case
    from core.security import scope_for_cli

    case = create_case(
        case_types()["generic"], db.session.get(Government, gov_id), year, title, None, scope_for_cli(None), "diagnosis"
    )
    db.session.commit()
    return case


@pytest.fixture
def restore_rules(app):  # noqa: ANN001, ANN201
    """Rules are reference data kept between tests: put the shipped ones back afterwards."""
    yield
    from flask import has_app_context

    if has_app_context():  # the test's own session (the ``ctx`` fixture) must not hold the write lock
        db.session.rollback()
    with app.app_context():
        db.session.rollback()
        db.session.execute(delete(Reminder))
        db.session.execute(delete(Notification))
        db.session.execute(delete(Deadline))
        db.session.execute(delete(DeadlineRule).where(DeadlineRule.owner != "core"))
        load_rules(app, reset=True)
        db.session.commit()


@pytest.fixture
def restore_generic_workflow(app):  # noqa: ANN001, ANN201
    with app.app_context():
        source = db.session.get(WorkflowDefinition, "generic").source
    yield source
    with app.app_context():
        row = db.session.get(WorkflowDefinition, "generic")
        row.source, row.edited = source, False
        db.session.commit()


# --- rules -----------------------------------------------------------------------------------------------


def test_core_declares_the_30_june_regional_submission(ctx):
    rule = get_rule("core.regional_submission")
    assert (rule.kind, rule.month, rule.day, rule.level, rule.owner) == ("fixed_yearly", 6, 30, "regional", "core")
    assert "ST-CIAS" in rule.label and rule.active


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"kind": "fixed_yearly", "month": 2, "day": 30}, "no existe"),
        ({"kind": "fixed_yearly", "month": 2, "day": 29}, "no existe"),
        ({"kind": "fixed_yearly", "month": 13, "day": 1}, "no existe"),
        ({"kind": "fixed_yearly", "month": 6}, "requiere mes y día"),
        ({"kind": "quarterly", "quarter_dates": "04-15, 07-15, 10-15"}, "cuatro"),
        ({"kind": "quarterly", "quarter_dates": "04-15, 07-15, 10-15, 02-30"}, "no válida"),
        ({"kind": "quarterly", "quarter_offset_days": 120}, "entre 0 y 89"),
        ({"kind": "working_days_after", "event": "recepción"}, "número de días"),
        ({"kind": "calendar_days_after", "days": 10}, "evento"),
        ({"kind": "monthly"}, "Tipo de plazo desconocido"),
        ({"kind": "fixed_yearly", "month": 6, "day": 30, "level": "municipal"}, "Nivel de gobierno desconocido"),
    ],
)
def test_invalid_rules_are_explained_in_spanish(ctx, spec, fragment):
    problems = rule_problems(normalize_rule({"key": "envio", "label": "Envío", **spec}, "prueba"))
    assert any(fragment in p for p in problems), problems


def test_rule_normalization(ctx):
    values = normalize_rule(
        {
            "key": "registro",
            "label": "Registro",
            "kind": "quarterly",
            "quarter_dates": ["4-15", "07-15", "10-15", "1-15"],
        },
        "operations",
    )
    assert values["key"] == "operations.registro"
    assert values["quarter_dates"] == "04-15,07-15,10-15,01-15" and values["quarter_offset_days"] is None
    assert rule_problems(values) == []
    # fields another kind uses are dropped; quarterly defaults to the quarter's end
    values = normalize_rule({"key": "x.y", "label": "Y", "kind": "quarterly", "month": 6}, "z")
    assert (values["month"], values["days"], values["quarter_offset_days"]) == (None, None, 0)
    # ``days`` on a quarterly rule: working days after each quarter's end (1 to 60)
    values = normalize_rule({"key": "x.y", "label": "Y", "kind": "quarterly", "month": 6, "days": 3}, "z")
    assert (values["month"], values["days"], values["quarter_offset_days"]) == (None, 3, None)
    assert rule_problems(values) == []
    assert rule_problems({**values, "days": 61}) != []
    bad_key = normalize_rule({"key": "Mal Clave", "label": "Y", "kind": "quarterly"}, "z")
    assert any("Clave no válida" in p for p in rule_problems(bad_key))


def test_plugin_rules_from_yaml_and_hook_keep_admin_edits(app, tmp_path, restore_rules):
    registry = plugin_registry(app)
    (tmp_path / "deadlines.yaml").write_text(
        "- key: registro_trimestral\n"
        "  label: Envío del Registro de la Ventanilla CRECER al gobierno regional\n"
        "  kind: quarterly\n"
        "  offset_days: 10\n"
        "  level: local\n",
        encoding="utf-8",
    )
    declared = [{"key": "respuesta", "label": "Respuesta al pedido", "kind": "working_days_after", "days": 10}]
    declared[0]["event"] = "recepción del pedido"

    class Hooks:
        @hookimpl
        def deadline_rules(self):  # noqa: ANN201
            return declared

    info = PluginInfo(name="prueba", module_name="prueba", path=tmp_path, version="1", enabled=True)
    registry.enabled.append(info)
    registry.manager.register(Hooks(), name="prueba")
    try:
        with app.app_context():
            results = load_rules(app)
            db.session.commit()
            assert results == {"prueba.registro_trimestral": "created", "prueba.respuesta": "created"}
            quarterly = get_rule("prueba.registro_trimestral")
            assert (quarterly.owner, quarterly.quarter_offset_days, quarterly.level) == ("prueba", 10, "local")
            assert get_rule("prueba.respuesta").days == 10
            # an administrator edits one; the plugin then changes both: the edit is kept
            get_rule("prueba.respuesta").days, get_rule("prueba.respuesta").edited = 15, True
            db.session.commit()
            declared[0]["days"] = 20
            (tmp_path / "deadlines.yaml").write_text(
                (tmp_path / "deadlines.yaml").read_text().replace("offset_days: 10", "offset_days: 15")
            )
            results = load_rules(app)
            db.session.commit()
            assert results["prueba.respuesta"] == "kept"
            assert results["prueba.registro_trimestral"] == "updated"
            assert get_rule("prueba.respuesta").days == 15
            assert get_rule("prueba.registro_trimestral").quarter_offset_days == 15
            # an invalid declaration stops the load and names the rule
            declared.append({"key": "rota", "label": "Rota", "kind": "fixed_yearly", "month": 2, "day": 30})
            with pytest.raises(DeadlineError, match="prueba.rota"):
                load_rules(app)
            db.session.rollback()
            assert get_rule("prueba.rota") is None
    finally:
        registry.manager.unregister(name="prueba")
        registry.enabled.remove(info)


# --- due dates (Ley N° 27444) ---------------------------------------------------------------------------


def test_30_june_2024_a_sunday_is_due_monday_1_july(ctx, govs):
    assert date(2024, 6, 30).weekday() == 6
    generate_deadlines(2024, [govs["huanuco"], govs["cusco"]])
    generate_deadlines(2026, [govs["huanuco"]])
    db.session.commit()
    assert due_of("core.regional_submission", govs["huanuco"], 2024) == date(2024, 7, 1)
    assert due_of("core.regional_submission", govs["cusco"], 2024) == date(2024, 7, 1)
    assert due_of("core.regional_submission", govs["huanuco"], 2026) == date(2026, 6, 30)  # a Tuesday


def test_ten_working_days_from_friday_26_june_2026_skip_san_pedro_y_san_pablo(ctx, govs, restore_rules):
    add_rule("test.respuesta", kind="working_days_after", days=10, event="recepción del pedido")
    case = new_case(govs["huanuco"], 2026)
    deadline = start_deadline(case, get_rule("test.respuesta"), date(2026, 6, 26))
    db.session.commit()
    assert "San Pedro" in calendar_for(case.government).holiday_name(date(2026, 6, 29))
    assert deadline.start_date == date(2026, 6, 26)
    assert deadline.due_date == date(2026, 7, 13)  # Monday
    assert (deadline.case_id, deadline.government_id, deadline.year) == (case.id, govs["huanuco"], 2026)


def test_calendar_days_falling_on_a_holiday_move_to_the_next_working_day(ctx, govs, restore_rules):
    add_rule("test.observaciones", kind="calendar_days_after", days=28, event="notificación")
    case = new_case(govs["cusco"], 2026)
    # 1 June 2026 + 28 days = Monday 29 June, San Pedro y San Pablo → Tuesday 30 June
    assert start_deadline(case, get_rule("test.observaciones"), date(2026, 6, 1)).due_date == date(2026, 6, 30)


def test_quarterly_rules_default_to_the_quarter_ends_or_take_explicit_dates(ctx, govs, restore_rules):
    add_rule("test.trimestral", kind="quarterly", level="local")
    add_rule("test.explicito", kind="quarterly", level="district", quarter_dates="04-15,07-15,10-15,01-15")
    generate_deadlines(2024, [govs["amarilis"], govs["huanuco_prov"], govs["huanuco"]])
    db.session.commit()
    amarilis = govs["amarilis"]
    # 31 March 2024 is Easter Sunday, 30 June 2024 a Sunday
    assert [due_of("test.trimestral", amarilis, 2024, q) for q in (1, 2, 3, 4)] == [
        date(2024, 4, 1),
        date(2024, 7, 1),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    # the fourth quarter's report is due in January of the next year
    assert [due_of("test.explicito", amarilis, 2024, q) for q in (1, 2, 3, 4)] == [
        date(2024, 4, 15),
        date(2024, 7, 15),
        date(2024, 10, 15),
        date(2025, 1, 15),
    ]
    labels = db.session.scalars(
        select(Deadline.label).join(DeadlineRule).where(DeadlineRule.key == "test.trimestral").order_by(Deadline.id)
    ).all()
    assert "(primer trimestre 2024)" in labels[0]
    # levels: the provincial municipality has the local rule only, the region neither
    assert due_of("test.trimestral", govs["huanuco_prov"], 2024, 1) is not None
    assert due_of("test.explicito", govs["huanuco_prov"], 2024, 1) is None
    assert due_of("test.trimestral", govs["huanuco"], 2024, 1) is None


# --- generation ----------------------------------------------------------------------------------------


def test_generation_for_every_government_is_fast_complete_and_idempotent(ctx, restore_rules):
    only_core_rules()
    add_rule("test.trimestral", kind="quarterly", level="local")
    kinds = dict(db.session.execute(select(Government.kind, func.count()).group_by(Government.kind)).all())
    assert kinds["regional"] >= 25 and sum(kinds.values()) > 1900
    expected = kinds["regional"] + 4 * (kinds["provincial"] + kinds["district"])

    # plugins may ship calendar rules of their own (the Ventanilla's quarterly registries): counted apart
    ours = (
        select(func.count(Deadline.id))
        .join(DeadlineRule)
        .where(Deadline.year == 2026, DeadlineRule.owner.in_(("core", "test")))
    )
    started = time.perf_counter()
    created = generate_deadlines(2026)
    db.session.commit()
    elapsed = time.perf_counter() - started
    assert created == db.session.scalar(select(func.count(Deadline.id)).where(Deadline.year == 2026)) >= expected
    assert db.session.scalar(ours) == expected
    assert elapsed < 5, f"generation took {elapsed:.2f} s"

    started = time.perf_counter()
    assert generate_deadlines(2026) == 0
    db.session.commit()
    assert time.perf_counter() - started < 2
    assert db.session.scalar(ours) == expected
    # a concurrent generator inserting the same rows is absorbed by ON CONFLICT DO NOTHING
    from core.deadlines import missing_deadlines
    from core.deadlines.generation import _insert_ignoring_duplicates

    rows = missing_deadlines(2027, [1, 2, 3])
    _insert_ignoring_duplicates(rows)
    _insert_ignoring_duplicates(rows)
    db.session.commit()
    assert db.session.scalar(select(func.count(Deadline.id)).where(Deadline.year == 2027)) == len(rows)


def test_cli_generate(app, ctx, restore_rules):
    only_core_rules()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["deadlines", "generate", "--year", "2030"])
    assert first.exit_code == 0, first.output
    regional = db.session.scalar(select(func.count(Government.id)).where(Government.kind == "regional"))
    # the core's 30 June rule binds every region; plugins' calendar rules may add theirs
    created, total = map(int, re.search(r"(\d+) creados; (\d+) en total", first.output).groups())
    assert created == total >= regional
    again = runner.invoke(args=["deadlines", "generate", "--year", "2030"])
    assert f"0 creados; {total} en total" in again.output
    assert runner.invoke(args=["deadlines", "generate", "--year", "1800"]).exit_code == 2


# --- statuses --------------------------------------------------------------------------------------------


def test_status_in_python_and_in_sql_agree(ctx, govs):
    today = date(2026, 6, 23)
    rule = get_rule("core.regional_submission")
    cases = {
        "pending": (date(2026, 7, 1), None),  # 8 days ahead, beyond the 7-day window
        "due_soon": (date(2026, 6, 30), None),
        "due_soon_today": (today, None),
        "late": (date(2026, 6, 22), None),
        "met": (date(2026, 6, 30), date(2026, 6, 30)),
        "met_late": (date(2026, 6, 22), date(2026, 6, 23)),
    }
    ids = {}
    for period, (name, (due, met_on)) in enumerate(cases.items()):
        deadline = Deadline(
            rule_id=rule.id, government_id=govs["huanuco"], year=2026, period=10 + period, label=name, due_date=due
        )
        if met_on:
            deadline.met_at, deadline.met_on = datetime(met_on.year, met_on.month, met_on.day, 20), met_on
        db.session.add(deadline)
        db.session.flush()
        ids[name] = deadline.id
    db.session.commit()
    from_sql = dict(
        db.session.execute(select(Deadline.id, status_expression(today, 7)).where(Deadline.id.in_(ids.values()))).all()
    )
    for name, deadline_id in ids.items():
        deadline = db.session.get(Deadline, deadline_id)
        expected = name.removesuffix("_today")
        assert status_of(deadline.due_date, deadline.met_on, today, 7) == expected
        assert from_sql[deadline_id] == expected


def test_met_on_is_the_peruvian_date():
    from core.deadlines import lima_date

    # 30 June 2026, 22:30 in Lima is already 1 July in UTC: still met on time
    assert lima_date(datetime(2026, 7, 1, 3, 30)) == date(2026, 6, 30)
    assert status_of(date(2026, 6, 30), lima_date(datetime(2026, 7, 1, 3, 30)), date(2026, 7, 2), 7) == "met"


# --- workflow effects --------------------------------------------------------------------------------------


def _transition(client, case_id: int, name: str):  # noqa: ANN001, ANN202
    token = csrf_from(client, f"/expedientes/{case_id}")
    return client.post(f"/expedientes/{case_id}/transiciones/{name}", data={"csrf_token": token})


def test_workflow_effects_start_and_meet_deadlines(
    app, client, make_user, govs, restore_rules, restore_generic_workflow
):
    from core.workflow import save_definition

    with app.app_context():
        add_rule("test.revision", label="Revisión del expediente", kind="working_days_after", days=10, event="envío")
        source = restore_generic_workflow.replace(
            "to: in_review, roles: [team, coordinator]}",
            "to: in_review, roles: [team, coordinator], starts_deadline: test.revision}",
        ).replace(
            "to: approved, roles: [coordinator], require: [title]}",
            "to: approved, roles: [coordinator], require: [title],\n"
            "            meets_deadline: [test.revision, regional_submission]}",
        )
        assert "starts_deadline" in source and "meets_deadline" in source
        save_definition("generic", source)
        db.session.commit()
        year = lima_today().year
        case_id = new_case(govs["huanuco"], year).id
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    coordinator = make_user("coord@huanuco.pe", ("coordinator", govs["huanuco"]))

    login(client, "equipo@huanuco.pe")
    assert _transition(client, case_id, "submit").status_code == 303
    with app.app_context():
        deadline = db.session.scalar(select(Deadline).where(Deadline.case_id == case_id))
        today = lima_today()
        assert deadline.start_date == today
        assert deadline.due_date == WorkingCalendar().add_working_days(today, 10)
        assert deadline.met_at is None
    client.post("/salir", data={"csrf_token": csrf_from(client, "/")})

    login(client, "coord@huanuco.pe")
    assert _transition(client, case_id, "approve").status_code == 303
    with app.app_context():
        own = db.session.scalar(select(Deadline).where(Deadline.case_id == case_id))
        assert own.met_at is not None and own.met_by_id == coordinator and own.met_case_id == case_id
        # the short key found the core's 30 June rule: the government's deadline of the case's year is met
        submission = db.session.scalar(
            select(Deadline)
            .join(DeadlineRule)
            .where(DeadlineRule.key == "core.regional_submission", Deadline.government_id == govs["huanuco"])
        )
        assert submission.year == year and submission.met_case_id == case_id and submission.met_by_id == coordinator
        assert submission.met_on == lima_today()
        # the case page shows both deadlines, met
        page = client.get(f"/expedientes/{case_id}").get_data(as_text=True)
        assert "Revisión del expediente" in page and "status-met" in page


def test_unknown_rule_in_a_workflow_refuses_the_transition_and_writes_nothing(
    app, client, make_user, govs, restore_generic_workflow
):
    from core.workflow import save_definition

    with app.app_context():
        save_definition(
            "generic",
            restore_generic_workflow.replace(
                "to: in_review, roles: [team, coordinator]}",
                "to: in_review, roles: [team, coordinator], starts_deadline: no.existe}",
            ),
        )
        db.session.commit()
        case_id = new_case(govs["huanuco"], 2026).id
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    response = _transition(client, case_id, "submit")
    assert response.status_code == 303
    assert "no.existe" in client.get(f"/expedientes/{case_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).state == "draft"
        assert db.session.scalar(select(func.count(CaseTransition.id)).where(CaseTransition.case_id == case_id)) == 0
        assert db.session.scalar(select(func.count(Deadline.id))) == 0


def test_meeting_keeps_the_first_fulfilment_and_restarting_only_while_unmet(ctx, govs, restore_rules):
    add_rule("test.respuesta", kind="working_days_after", days=5, event="recepción")
    rule = get_rule("test.respuesta")
    case = new_case(govs["huanuco"], 2026)
    start_deadline(case, rule, date(2026, 7, 1))
    restarted = start_deadline(case, rule, date(2026, 7, 6))
    assert restarted.start_date == date(2026, 7, 6)
    first = meet_deadline(case, rule, None, datetime(2026, 7, 8, 15))
    assert len(first) == 1 and first[0].met_on == date(2026, 7, 8)
    assert meet_deadline(case, rule, None, datetime(2026, 7, 9, 15)) == []
    assert start_deadline(case, rule, date(2026, 8, 3)).start_date == date(2026, 7, 6)  # met: not reopened
    # a quarterly rule is met quarter by quarter, earliest first
    add_rule("test.trimestral", kind="quarterly", level="all")
    quarterly = get_rule("test.trimestral")
    assert [d.period for d in meet_deadline(case, quarterly, None)] == [1]
    assert [d.period for d in meet_deadline(case, quarterly, None)] == [2]
    # a rule that does not bind the case's government is ignored
    local_case = new_case(govs["amarilis"], 2026)
    assert meet_deadline(local_case, get_rule("core.regional_submission"), None) == []


# --- recomputation ---------------------------------------------------------------------------------------


def test_recompute_moves_unmet_deadlines_and_keeps_met_ones(ctx, govs, restore_rules):
    only_core_rules()
    generate_deadlines(2026, [govs["huanuco"], govs["cusco"]])
    db.session.commit()
    met = db.session.scalar(select(Deadline).where(Deadline.government_id == govs["cusco"], Deadline.year == 2026))
    met.met_at, met.met_on = datetime(2026, 6, 1, 12), date(2026, 6, 1)
    db.session.add(NonWorkingDay(date=date(2026, 6, 30), name="Día no laborable (prueba)"))
    db.session.commit()
    assert recompute_due_dates(date(2026, 6, 30)) == 1
    db.session.commit()
    assert due_of("core.regional_submission", govs["huanuco"], 2026) == date(2026, 7, 1)
    assert due_of("core.regional_submission", govs["cusco"], 2026) == date(2026, 6, 30)  # met: untouched
    # nothing due before the changed day is even looked at
    assert recompute_due_dates(date(2026, 7, 2)) == 0


def test_calendars_merge_national_and_regional_days(ctx, govs):
    huanuco = db.session.get(Government, govs["huanuco"])
    amarilis = db.session.get(Government, govs["amarilis"])
    cusco = db.session.get(Government, govs["cusco"])
    db.session.add_all(
        [
            NonWorkingDay(date=date(2026, 8, 14), name="Día no laborable nacional"),
            NonWorkingDay(date=date(2026, 8, 15), name="Aniversario de Huánuco", region_id=huanuco.id),
        ]
    )
    db.session.commit()
    for gov in (huanuco, amarilis):
        assert calendar_for(gov).holiday_name(date(2026, 8, 15)) == "Aniversario de Huánuco"
    assert calendar_for(cusco).holiday_name(date(2026, 8, 15)) is None
    assert not calendar_for(cusco).is_working_day(date(2026, 8, 14))
    assert calendar_for(cusco).add_working_days(date(2026, 8, 13), 1) == date(2026, 8, 17)


def test_lima_today_is_peruvian():
    assert abs((lima_today() - date.today()).days) <= 1
