"""The staff side: the registry, the entry page with its timeline and actions, referral with its Oficio PDF,
answers public and notes internal, emergency notices, escalation when overdue or recurrent, privacy of the
citizen's data (masked outside the holding office, each view audited), and version conflicts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.testing import csrf_from, pdf_text
from tests.plugins.monitoring.ventanilla.conftest import AMARILIS
from tests.plugins.monitoring.ventanilla.test_public import _code

WEB = "/seguimiento/ventanilla"


def _entry(app: Any, code: str) -> Any:
    from plugins.monitoring.ventanilla.codes import normalize
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context():
        entry = db.session.scalar(select(VentanillaEntry).where(VentanillaEntry.code == normalize(code)))
        db.session.expunge(entry)
        return entry


def _act(client: Any, entry_id: int, action: str, **data: Any) -> Any:
    token = csrf_from(client, f"{WEB}/entradas/{entry_id}")
    return client.post(f"{WEB}/entradas/{entry_id}/{action}", data={"csrf_token": token, **data})


def _institution(app: Any, key_part: str = "MIDIS") -> int:
    from core.models import Institution

    with app.app_context():
        rows = db.session.scalars(select(Institution).order_by(Institution.id)).all()
        return next((i.id for i in rows if (i.acronym or "").upper().startswith(key_part)), rows[0].id)


def test_staff_refer_answer_and_the_citizen_sees_only_public_steps(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    code = _code(
        submit(
            kind="pedido",
            request_kind="no_attention",
            description="No llegó el pago de JUNTOS.",
            name="Rosa Huamán Ccori",
            dni="41234567",
            consent="y",
        )
    )
    entry = _entry(app, code)
    people.login(client, "amarilis_team")
    registry = client.get(f"{WEB}/?office={offices['amarilis']}").get_data(as_text=True)
    assert code in registry and "1 entradas" in registry
    page = client.get(f"{WEB}/entradas/{entry.id}").get_data(as_text=True)
    assert "Rosa Huamán Ccori" in page and "41234567" in page  # the holding office's staff
    institution = _institution(app)
    assert _act(client, entry.id, "refer", institution_id=institution, version=entry.version).status_code == 303
    oficio = client.get(f"{WEB}/entradas/{entry.id}/oficio.pdf")
    text = pdf_text(oficio.data)
    assert "OFICIO DE DERIVACIÓN" in text and "No llegó el pago de JUNTOS." in text and code in text
    assert "Rosa Huamán Ccori" in text  # she consented: the program may contact her
    _act(client, entry.id, "note", text="Llamar al coordinador distrital de JUNTOS.")
    _act(client, entry.id, "program_answer", text="JUNTOS revisó el padrón: el pago sale el viernes.")
    _act(client, entry.id, "answer", text="Su pago se abonará este viernes en el Banco de la Nación.")
    tracking = client.get(f"/ventanilla/seguimiento?codigo={code}").get_data(as_text=True)
    assert "Respondida al ciudadano" in tracking
    assert "Su pago se abonará este viernes" in tracking
    assert "Llamar al coordinador" not in tracking and "revisó el padrón" not in tracking
    assert "Rosa" not in tracking
    timeline = client.get(f"{WEB}/entradas/{entry.id}").get_data(as_text=True)
    assert "Llamar al coordinador" in timeline and "(interna)" in timeline


def test_personal_data_is_masked_outside_the_holding_office_and_each_view_is_audited(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    from core.models.audit import AuditEvent

    code = _code(submit(name="Rosa Huamán Ccori", dni="41234567", consent="y"))
    entry = _entry(app, code)
    for role in ("team", "auditor", "national"):  # the region reads its local office; auditors; ST-CIAS
        people.login(client, role)
        page = client.get(f"{WEB}/entradas/{entry.id}")
        assert page.status_code == 200, role
        text = page.get_data(as_text=True)
        assert "Rosa" not in text and "41234567" not in text and "Datos personales reservados" in text
    people.login(client, "amarilis_team")
    client.get(f"{WEB}/entradas/{entry.id}")
    with app.app_context():
        views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "personal_data_view")).all()
        assert len(views) == 1 and views[0].actor_user_id == people["amarilis_team"]
        assert "Rosa" not in (views[0].detail or "")
    people.login(client, "cusco")
    assert client.get(f"{WEB}/entradas/{entry.id}").status_code == 404


def test_only_the_holding_office_acts_and_a_stale_version_is_refused(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    entry = _entry(app, _code(submit()))
    for role, status in (("team", 403), ("auditor", 403), ("cusco", 404), ("amarilis_coord", 303)):
        people.login(client, role)
        assert _act(client, entry.id, "note", text="Revisado.").status_code == status, role
    people.login(client, "amarilis_team")
    stale = _act(client, entry.id, "answer", text="Respuesta.", version=entry.version)  # the note changed it
    assert stale.status_code == 303
    assert "Otra persona modificó el registro" in client.get(f"{WEB}/entradas/{entry.id}").get_data(as_text=True)


def test_an_emergency_notifies_the_office_staff_at_once_with_a_short_due_date(
    app: Any, client: Any, people: Any, offices: Any
) -> None:
    from core.deadlines.models import Notification
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    people.login(client, "amarilis_team")
    token = csrf_from(client, f"{WEB}/entradas/nueva")
    response = client.post(
        f"{WEB}/entradas/nueva",
        data={
            "csrf_token": token,
            "office_id": offices["amarilis"],
            "channel": "phone",
            "kind": "pedido",
            "request_kind": "no_attention",
            "place": AMARILIS,
            "description": "Niño con anemia severa sin atención.",
            "emergency": "y",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        entry = db.session.scalar(select(VentanillaEntry))
        assert entry.channel == "phone" and entry.emergency
        assert (entry.due_date - entry.created_at.date()).days <= 4  # one working day (a weekend at most)
        notices = db.session.scalars(select(Notification)).all()
        assert {n.user_id for n in notices} >= {people["amarilis_team"]}
        assert all("EMERGENCIA" in n.message for n in notices)


def test_overdue_local_entries_escalate_to_the_region_keeping_their_history(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    from core.operations import run
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    code = _code(submit())
    entry = _entry(app, code)
    people.login(client, "amarilis_team")
    _act(client, entry.id, "refer", institution_id=_institution(app), version=entry.version)
    with app.app_context():
        due = db.session.get(VentanillaEntry, entry.id).due_date
        assert run("monitoring.ventanilla.entries.escalate", None, {"today": due}) == 0  # due today: not yet
        assert run("monitoring.ventanilla.entries.escalate", None, {"today": due + timedelta(days=1)}) == 1
        moved = db.session.get(VentanillaEntry, entry.id)
        assert moved.office_id == offices["huanuco"] and moved.origin_office_id == offices["amarilis"]
        assert moved.escalated and [e.kind for e in moved.events] == ["registered", "referred", "escalated"]
    # the region's staff now attends it; the original office still reads it, no longer acts
    people.login(client, "team")
    assert _act(client, entry.id, "note", text="Recibida por la región.").status_code == 303
    people.login(client, "amarilis_team")
    page = client.get(f"{WEB}/entradas/{entry.id}").get_data(as_text=True)
    assert "Recibida por la región." in page and "recibida por" in page
    assert _act(client, entry.id, "note", text="Otra.").status_code == 403
    assert "Elevada a la Ventanilla regional" in client.get(f"/ventanilla/seguimiento?codigo={code}").get_data(
        as_text=True
    )


def test_recurrent_entries_about_one_program_in_one_district_escalate(
    app: Any, client: Any, offices: Any, submit: Any
) -> None:
    from core.models import SocialProgram
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context():
        program = db.session.scalars(select(SocialProgram).order_by(SocialProgram.id)).first().id
    for n in range(3):
        submit(kind="pedido", request_kind="inadequate", program_id=program, description=f"Mala atención {n}.")
    with app.app_context():
        entries = db.session.scalars(select(VentanillaEntry).order_by(VentanillaEntry.id)).all()
        assert [e.recurrent for e in entries] == [True, True, True]
        assert entries[-1].escalated and entries[-1].office_id == offices["huanuco"]


def test_closing_and_reopening(app: Any, client: Any, people: Any, offices: Any, submit: Any) -> None:
    entry = _entry(app, _code(submit()))
    people.login(client, "amarilis_team")
    _act(client, entry.id, "resolve", text="Se orientó al ciudadano.")
    _act(client, entry.id, "close")
    assert _act(client, entry.id, "answer", text="x").status_code == 303
    assert "La entrada está cerrada" in client.get(f"{WEB}/entradas/{entry.id}").get_data(as_text=True)
    _act(client, entry.id, "reopen", text="El ciudadano volvió a escribir.")
    with app.app_context():
        from plugins.monitoring.ventanilla.models import VentanillaEntry

        assert db.session.get(VentanillaEntry, entry.id).status == "classified"


def test_retention_erases_personal_data_of_old_closed_entries(app: Any, offices: Any, submit: Any) -> None:
    from datetime import date

    from core.database import writing
    from plugins.monitoring.ventanilla.models import VentanillaEntry
    from plugins.monitoring.ventanilla.sweeps import erase_personal_data

    code = _code(submit(name="Rosa Huamán Ccori", consent="y"))
    with app.app_context(), writing():
        entry = db.session.scalar(select(VentanillaEntry))
        entry.status, entry.closed_at = "closed", entry.created_at
        db.session.commit()
        assert erase_personal_data(date.today()) == 0  # closed today: kept
        assert erase_personal_data(date.today() + timedelta(days=31 * 25)) == 1
        db.session.commit()
        kept = db.session.scalar(select(VentanillaEntry))
        assert kept.name is None and kept.description and kept.code in code.replace("-", "")


def test_the_registry_exports_csv_and_xlsx_without_personal_data_and_filters_by_period(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    import io
    from datetime import date

    from openpyxl import load_workbook

    code = _code(
        submit(
            kind="pedido",
            request_kind="inadequate",
            name="Rosa Huamán Ccori",
            dni="41234567",
            consent="y",
            description="Texto que puede tener nombres.",
        )
    )
    people.login(client, "amarilis_team")
    csv = client.get(f"{WEB}/exportar.csv?kind=pedido").get_data(as_text=True)
    assert code in csv and "Atención inadecuada" in csv and "Municipalidad Distrital de Amarilis" in csv
    assert "Rosa" not in csv and "41234567" not in csv and "Texto que puede" not in csv
    sheet = load_workbook(io.BytesIO(client.get(f"{WEB}/exportar.xlsx").data)).active
    assert [c.value for c in sheet[2]][0] == code
    today = date.today().isoformat()
    assert code in client.get(f"{WEB}/?since={today}&until={today}").get_data(as_text=True)
    assert code not in client.get(f"{WEB}/?until=2020-01-01").get_data(as_text=True)
    assert code not in client.get(f"{WEB}/exportar.csv?kind=consulta").get_data(as_text=True)


def test_a_regional_entry_overdue_and_recurrent_is_communicated_to_the_national_office(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    from core.models import SocialProgram
    from core.operations import run
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context():
        program = db.session.scalars(select(SocialProgram).order_by(SocialProgram.id)).first().id
    for n in range(3):  # recurrent: escalated to the region
        code = _code(submit(kind="pedido", request_kind="inadequate", program_id=program, description=f"Caso {n}."))
    entry = _entry(app, code)
    assert entry.office_id == offices["huanuco"]
    people.login(client, "team")
    institution = _institution(app)
    _act(client, entry.id, "refer", institution_id=institution, version=entry.version)
    with app.app_context():
        due = db.session.get(VentanillaEntry, entry.id).due_date
        later = {"today": due + timedelta(days=1)}
        assert run("monitoring.ventanilla.entries.escalate", None, later) >= 1
        assert run("monitoring.ventanilla.entries.escalate", None, later) == 0  # once
        kinds = [e.kind for e in db.session.get(VentanillaEntry, entry.id).events]
        assert kinds.count("national") == 1
    text = pdf_text(client.get(f"{WEB}/entradas/{entry.id}/oficio.pdf?nacional=1").data)
    assert "OFICIO DE COMUNICACIÓN" in text and "5.2.4 c)" in text and "el pedido" in text
    assert "no atendida y recurrente" in text and "Municipalidad Distrital de Amarilis" in text
    tracking = client.get(f"/ventanilla/seguimiento?codigo={code}").get_data(as_text=True)
    assert "Comunicada a la oficina nacional del programa o sector" in tracking


def test_the_registry_filters_by_program(app: Any, client: Any, people: Any, offices: Any, submit: Any) -> None:
    from core.models import SocialProgram

    with app.app_context():
        program = db.session.scalars(select(SocialProgram).order_by(SocialProgram.id)).first().id
    with_program = _code(submit(program_id=program, description="Con programa."))
    without = _code(submit(description="Sin programa."))
    people.login(client, "amarilis_team")
    page = client.get(f"{WEB}/?program={program}").get_data(as_text=True)
    assert with_program in page and without not in page and 'name="program"' in page


def test_the_staff_form_picks_the_place_step_by_step_and_the_server_still_checks_it(
    app: Any, client: Any, people: Any, offices: Any
) -> None:
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    people.login(client, "amarilis_team")
    first = client.get(f"{WEB}/entradas/nueva").get_data(as_text=True)
    assert 'id="departamento"' in first and 'name="description"' not in first  # the place first, no code box
    provinces = client.get(f"{WEB}/entradas/nueva?departamento=100000&provincia=100100").get_data(as_text=True)
    assert 'id="distrito"' in provinces and f'value="{AMARILIS}"' in provinces and ">Amarilis<" in provinces
    found = client.get(f"{WEB}/entradas/nueva?q=amaril").get_data(as_text=True)
    assert f"distrito={AMARILIS}" in found
    form = client.get(f"{WEB}/entradas/nueva?distrito={AMARILIS}").get_data(as_text=True)
    assert f'<input type="hidden" name="place" value="{AMARILIS}">' in form and "Amarilis, Huánuco" in form
    assert 'name="description"' in form
    token = csrf_from(client, f"{WEB}/entradas/nueva?distrito={AMARILIS}")
    data = {"csrf_token": token, "office_id": offices["amarilis"], "channel": "in_person", "kind": "consulta"}
    bad = client.post(f"{WEB}/entradas/nueva", data={**data, "place": "999999", "description": "Consulta."})
    assert bad.status_code == 400 and "no hay un distrito con ese código" in bad.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(VentanillaEntry.id)) is None
    ok = client.post(
        f"{WEB}/entradas/nueva?distrito={AMARILIS}", data={**data, "place": AMARILIS, "description": "Consulta."}
    )
    assert ok.status_code == 303
