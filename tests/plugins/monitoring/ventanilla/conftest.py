"""The Ventanilla CRECER of the Huánuco region (virtual and in person) and of Amarilis (in person), set up through
the office operation as the system would; Amarilis's team member is designated staff."""

from __future__ import annotations

from typing import Any

import pytest

AMARILIS = "100102"  # Amarilis, province of Huánuco


@pytest.fixture
def offices(app: Any, govs: dict[str, int], people: Any) -> dict[str, int]:
    from core.operations import run

    with app.app_context():
        region = run(
            "monitoring.ventanilla.office.save",
            None,
            {
                "government_id": govs["huanuco"],
                "channel": "virtual_and_in_person",
                "unit": "Gerencia Regional de Desarrollo Social",
                "address": "Jr. Calicanto 145, Huánuco",
                "hours": "Lunes a viernes, 8:00 a 16:45",
            },
        )
        amarilis = run(
            "monitoring.ventanilla.office.save",
            None,
            {
                "government_id": govs["amarilis"],
                "channel": "in_person",
                "address": "Plaza de Armas s/n, Paucarbamba",
                "juntos_support": True,
            },
        )
        run("monitoring.ventanilla.staff.add", None, {"office_id": amarilis.id, "user_id": people["amarilis_team"]})
        run("monitoring.ventanilla.staff.add", None, {"office_id": region.id, "user_id": people["team"]})
        return {"huanuco": region.id, "amarilis": amarilis.id}


@pytest.fixture
def submit(client: Any) -> Any:
    """submit(**fields) → the response of the public form (anonymous, from the district page)."""
    from core.testing import csrf_from

    def send(**fields: Any) -> Any:
        token = csrf_from(client, f"/ventanilla?distrito={AMARILIS}")
        data = {
            "csrf_token": token,
            "place": AMARILIS,
            "kind": "consulta",
            "description": "¿Cuándo llega el pago?",
            **fields,
        }
        return client.post(f"/ventanilla?distrito={AMARILIS}", data=data, environ_base={"REMOTE_ADDR": "190.1.2.3"})

    return send
