"""The registry, its API and the statistics cost the same number of SQL statements at any number of entries and
any page size; statistics show their charts with the data beside them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from core.database import QueryCounter, writing
from core.extensions import db
from tests.plugins.monitoring.ventanilla.conftest import AMARILIS


def _grow(app: Any, offices: dict[str, int], govs: dict[str, int], n: int, start: int) -> None:
    from core.models import SocialProgram, Territory
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    with app.app_context(), writing():
        place = db.session.scalar(select(Territory.id).where(Territory.ubigeo == AMARILIS))
        programs = db.session.scalars(select(SocialProgram.id).order_by(SocialProgram.id).limit(5)).all()
        now = datetime(2026, 9, 1)
        rows = []
        for i in range(start, start + n):
            office = "amarilis" if i % 2 else "huanuco"
            rows.append(
                {
                    "code": f"T{i:07d}",
                    "office_id": offices[office],
                    "origin_office_id": offices[office],
                    "government_id": govs[office],
                    "origin_government_id": govs[office],
                    "channel": "online",
                    "kind": ("consulta", "opinion", "pedido", "sugerencia")[i % 4],
                    "program_id": programs[i % len(programs)],
                    "place_id": place,
                    "description": f"Entrada {i}",
                    "emergency": i % 17 == 0,
                    "status": ("registered", "referred", "answered", "closed")[i % 4],
                    "due_date": (now + timedelta(days=i % 20)).date(),
                    "escalated": False,
                    "recurrent": i % 5 == 0,
                    "consent": False,
                    "created_at": now + timedelta(minutes=i),
                    "answered_at": now + timedelta(days=1 + i % 9) if i % 4 >= 2 else None,
                    "version": 1,
                }
            )
        db.session.execute(insert(VentanillaEntry), rows)
        db.session.commit()


def _count(app: Any, client: Any, path: str, headers: dict[str, str] | None = None) -> int:
    with app.app_context():
        engine = db.engine
    client.get(path, headers=headers)  # warm-up
    with QueryCounter(engine) as counter:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return counter.count


def test_registry_and_statistics_cost_the_same_statements_at_any_size(
    app: Any, client: Any, people: Any, api_token: Any, offices: Any, govs: dict[str, int]
) -> None:
    national = {"Authorization": f"Bearer {api_token(people['national'])}"}

    def measure() -> tuple[int, ...]:
        people.login(client, "national")
        counts = [
            _count(app, client, f"/seguimiento/ventanilla/?per_page={size}&{filters}")
            for size in (10, 50)
            for filters in ("", "kind=pedido&overdue=1", "emergency=1&recurrent=1&status=referred")
        ]
        counts += [_count(app, client, f"/api/v1/ventanilla/entries?per_page={size}", national) for size in (10, 50)]
        counts.append(_count(app, client, "/seguimiento/ventanilla/estadisticas"))
        people.login(client, "amarilis_team")
        counts.append(_count(app, client, "/seguimiento/ventanilla/?per_page=50"))
        return tuple(counts)

    _grow(app, offices, govs, 60, 0)
    small = measure()
    _grow(app, offices, govs, 600, 60)
    assert measure() == small


def test_statistics_show_charts_with_their_data(app: Any, client: Any, people: Any, offices: Any, govs: Any) -> None:
    _grow(app, offices, govs, 40, 0)
    people.login(client, "team")  # the region: its office and Amarilis's
    page = client.get("/seguimiento/ventanilla/estadisticas").get_data(as_text=True)
    assert page.count('<svg role="img"') == 4
    assert "Entradas por tipo" in page and "<td>Consulta</td><td>10</td>" in page
    assert "Respondidas dentro del plazo" in page and "Focos de recurrencia" in page
    people.login(client, "amarilis_team")
    own = client.get(f"/seguimiento/ventanilla/estadisticas?office={offices['amarilis']}").get_data(as_text=True)
    assert "<dd>20</dd>" in own
    people.login(client, "cusco")
    assert "<dd>0</dd>" in client.get("/seguimiento/ventanilla/estadisticas").get_data(as_text=True)


#: The registry's filters, alone and combined, as the national user (every office) and an office's staff use them.
FILTERS = (
    "",
    "kind=pedido",
    "status=referred",
    "kind=pedido&status=referred",
    "emergency=1",
    "recurrent=1",
    "overdue=1",
    "overdue=1&emergency=1",
    "program=1",
    "since=2026-09-01&until=2026-09-02",
    "office=OFFICE",
    "office=OFFICE&status=referred",
)


def entry_plans(app: Any, client: Any, path: str) -> tuple[int, list[list[str]] | None]:
    """(statements, SQLite's plan of each statement reading ventanilla_entry — None on PostgreSQL) of one
    request of ``path``."""
    from core.database import table_plans

    with app.app_context():
        engine = db.engine
    client.get(path)  # warm-up
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200, path
    if engine.dialect.name != "sqlite":  # PostgreSQL plans a table of a few rows as a scan: plans only on SQLite
        return counter.count, None
    return counter.count, table_plans(engine, counter, "ventanilla_entry")


def test_every_registry_filter_costs_the_same_statements_and_reads_through_an_index(
    app: Any, client: Any, people: Any, offices: dict[str, int], govs: dict[str, int]
) -> None:
    """The bench's check (benchmarks/bench_ventanilla.py at 500,000 entries) at a small scale: per role, every
    filter combination costs the same statements at any size, no statement reads the entries without an index,
    and the national registry's one-column filters read their page in order from their (filter, date) index."""
    from core.database import full_scans

    def measure() -> dict[str, set[int]]:
        counts: dict[str, set[int]] = {}
        for role in ("national", "amarilis_team"):
            people.login(client, role)
            for filters in FILTERS:
                path = f"/seguimiento/ventanilla/?per_page=50&{filters.replace('OFFICE', str(offices['amarilis']))}"
                count, plans = entry_plans(app, client, path)
                counts.setdefault(role, set()).add(count)
                if plans is None:
                    continue
                assert plans and full_scans(plans, "ventanilla_entry") == [], (role, filters, plans)
                if role == "national" and filters.split("=")[0] in (
                    "kind",
                    "status",
                    "emergency",
                    "recurrent",
                    "program",
                ):
                    assert not any("TEMP B-TREE" in step for plan in plans for step in plan), (filters, plans)
        return counts

    _grow(app, offices, govs, 40, 0)
    small = measure()
    assert all(len(statements) == 1 for statements in small.values()), small  # the same for every filter
    _grow(app, offices, govs, 400, 40)
    assert measure() == small
