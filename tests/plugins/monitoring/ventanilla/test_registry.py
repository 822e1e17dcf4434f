"""The quarterly registry: counts by kind, program, status and resolution, with no personal data in its PDF or
XLSX; Amarilis sends it to the region and the region its consolidated one to the ST-CIAS through Submissions;
the national user sees who sent on time, late or not at all."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from core.database import writing
from core.extensions import db
from core.testing import csrf_from, pdf_text

WEB = "/seguimiento/ventanilla"
YEAR, QUARTER = 2026, 3
PERSONAL = ("Rosa Huamán Ccori", "41234567", "962000111", "rosa@example.pe")


def _in_third_quarter(app: Any) -> None:
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context(), writing():
        db.session.execute(update(VentanillaEntry).values(created_at=datetime(YEAR, 8, 14, 15, 0)))
        db.session.commit()


@pytest.fixture
def regional_term(app: Any) -> Any:
    """The regional rule's term made long enough to be on time today (the rule table is kept between tests:
    put back afterwards)."""
    from core.deadlines.models import DeadlineRule

    key = DeadlineRule.key == "monitoring.ventanilla_registry_regional"
    with app.app_context(), writing():
        db.session.execute(update(DeadlineRule).where(key).values(quarter_offset_days=120))
        db.session.commit()
    yield
    with app.app_context(), writing():
        db.session.execute(update(DeadlineRule).where(key).values(quarter_offset_days=20))
        db.session.commit()


def test_the_registry_goes_up_without_personal_data_and_the_national_user_sees_who_sent(
    app: Any, client: Any, people: Any, offices: Any, govs: dict[str, int], submit: Any, regional_term: Any
) -> None:
    from core.models.submissions import Submission
    from core.operations import run

    with app.app_context():  # a provincial office that will not send
        run("monitoring.ventanilla.office.save", None, {"government_id": govs["huanuco_prov"], "channel": "in_person"})
    submit(
        kind="pedido",
        request_kind="no_attention",
        description="No me atendieron.",
        name=PERSONAL[0],
        dni=PERSONAL[1],
        phone=PERSONAL[2],
        email=PERSONAL[3],
        consent="y",
    )
    submit(kind="consulta", description=f"Soy {PERSONAL[0]}, ¿cuándo pagan?")
    _in_third_quarter(app)

    people.login(client, "amarilis_team")
    pdf = client.get(f"{WEB}/registros/{govs['amarilis']}/{YEAR}/{QUARTER}.pdf")
    text = pdf_text(pdf.data)
    assert "REGISTRO DE CONSULTAS, OPINIONES, PEDIDOS Y SUGERENCIAS" in text
    assert "tercer trimestre de 2026" in text and "Entradas registradas 2" in text
    assert "Pedido 1" in text and "Consulta 1" in text and "Sin respuesta 2" in text
    workbook = client.get(f"{WEB}/registros/{govs['amarilis']}/{YEAR}/{QUARTER}.xlsx")
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert cells[6:9] == ["Total", "Entradas registradas", "2"]
    for personal in PERSONAL:
        assert personal not in text and all(personal not in c for c in cells)
    assert "cuándo pagan" not in text  # descriptions may hold names: never in a registry

    sent = client.post(
        f"{WEB}/registros/{govs['amarilis']}/{YEAR}/{QUARTER}/enviar",
        data={"csrf_token": csrf_from(client, f"{WEB}/registros")},
    )
    assert sent.status_code == 303
    again = client.post(
        f"{WEB}/registros/{govs['amarilis']}/{YEAR}/{QUARTER}/enviar",
        data={"csrf_token": csrf_from(client, f"{WEB}/registros")},
    )
    assert again.status_code == 303
    assert "ya fue enviado" in client.get(f"{WEB}/registros?year={YEAR}&quarter={QUARTER}").get_data(as_text=True)
    people.login(client, "team")  # the region consolidates (its office and the local ones)
    consolidated = pdf_text(client.get(f"{WEB}/registros/{govs['huanuco']}/{YEAR}/{QUARTER}.pdf").data)
    assert "REGISTRO REGIONAL DE CONSULTAS" in consolidated and "Entradas registradas 2" in consolidated
    assert all(p not in consolidated for p in PERSONAL)
    client.post(
        f"{WEB}/registros/{govs['huanuco']}/{YEAR}/{QUARTER}/enviar",
        data={"csrf_token": csrf_from(client, f"{WEB}/registros")},
    )

    with app.app_context():
        submissions = {s.government_id: s for s in db.session.scalars(select(Submission))}
        assert submissions[govs["amarilis"]].recipient_government_id == govs["huanuco"]
        assert submissions[govs["huanuco"]].recipient_government_id is None  # the ST-CIAS
        assert submissions[govs["amarilis"]].on_time is False and submissions[govs["huanuco"]].on_time is True
        document = submissions[govs["amarilis"]].items[0].document
        assert all(p not in pdf_text(document.content) for p in PERSONAL)

    people.login(client, "national")
    overview = client.get(f"{WEB}/registros?year={YEAR}&quarter={QUARTER}").get_data(as_text=True)
    rows = {line.split("</td>")[0].split("<td>")[-1]: line for line in overview.split("<tr>")[2:]}
    assert "Enviado a tiempo" in rows["Gobierno Regional de Huánuco"]
    assert "Enviado fuera de plazo" in rows["Municipalidad Distrital de Amarilis"]
    assert "No enviado (vencido)" in rows["Municipalidad Provincial de Huánuco"]


def test_the_registry_deadlines_bind_only_governments_with_a_ventanilla(
    app: Any, client: Any, people: Any, govs: Any, offices: Any
) -> None:
    """The rules' ``applies_to``: Huánuco (regional) and Amarilis (district) have a Ventanilla and owe four
    registries a year; Cusco and the provincial municipality of Huánuco, none — in generation and in Plazos."""
    from sqlalchemy import func

    from core.deadlines import generate_deadlines
    from core.deadlines.models import Deadline, DeadlineRule

    with app.app_context(), writing():
        generate_deadlines(YEAR)
        db.session.commit()
        rows = db.session.execute(
            select(DeadlineRule.key, Deadline.government_id, func.count())
            .join(Deadline, Deadline.rule_id == DeadlineRule.id)
            .where(DeadlineRule.key.like("monitoring.ventanilla_registry%"), Deadline.year == YEAR)
            .group_by(DeadlineRule.key, Deadline.government_id)
        ).all()
        core_rule = db.session.scalar(
            select(func.count(func.distinct(Deadline.government_id)))
            .join(DeadlineRule, DeadlineRule.id == Deadline.rule_id)
            .where(DeadlineRule.key == "core.regional_submission", Deadline.year == YEAR)
        )
    assert set(rows) == {
        ("monitoring.ventanilla_registry_regional", govs["huanuco"], 4),
        ("monitoring.ventanilla_registry_local", govs["amarilis"], 4),
    }
    assert core_rule >= 2  # a rule without ``applies_to`` still binds its whole level (Huánuco and Cusco)
    people.login(client, "national")
    page = client.get(f"/plazos/?view=national&rule=monitoring.ventanilla_registry_local&year={YEAR}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Amarilis" in text and "Municipalidad Provincial de Huánuco" not in text
