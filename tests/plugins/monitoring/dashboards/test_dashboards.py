"""The dashboards through the app: a government's (at /seguimiento/ itself), a region's governments side by
side, the national table (sortable, CSV) and their API; values reported or computed from the districts'
numerators and denominators, the status by the documented rule, charts with their data tables, scoping."""

from __future__ import annotations

import csv
import io
import re
from typing import Any


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_region_sees_its_indicators_against_its_goals(client: Any, people: Any, huanuco_data: Any) -> None:
    people.login(client, "team")
    page = client.get("/seguimiento/")
    assert page.status_code == 200
    html = _text(page)
    assert "Tablero — Gobierno Regional de Huánuco" in html
    assert 'href="/seguimiento/areas"' in html  # the sub-areas of stage 4
    row = re.search(r"2\. Desnutrición crónica.*?</tr>", html).group(0)
    # baseline 30 (2007), goal 20 (2011), the region's own reported value wins over the districts' 20
    assert "30 (2007)" in row and "20 (2011)" in row and "22.5" in row and "2009-T2" in row
    assert ">2.5<" in row  # gap to the goal
    # 75 % of the change done with 37.5 % of the time elapsed
    assert "En camino" in row
    assert '<svg role="img" aria-label="Evolución de 2. Desnutrición crónica' in html
    assert "Valores de 2. Desnutrición crónica" in html  # the chart's data table for screen readers


def test_a_province_gets_the_value_computed_from_its_districts(client: Any, people: Any, huanuco_data: Any) -> None:
    people.login(client, "prov_team")
    html = _text(client.get("/seguimiento/"))
    row = re.search(r"2\. Desnutrición crónica.*?</tr>", html).group(0)
    assert "20" in row and "calculado de los distritos" in row  # (25 + 15) / (100 + 100), weighted
    assert "Sin datos" in row  # no baseline of the province: no status


def test_region_side_by_side_and_scoping(client: Any, people: Any, govs: Any, huanuco_data: Any) -> None:
    url = f"/seguimiento/region/{govs['huanuco']}?indicador=2"
    people.login(client, "team")
    page = client.get(url)
    assert page.status_code == 200
    html = _text(page)
    amarilis = re.search(r">Municipalidad Distrital de Amarilis</a></th>.*?</tr>", html).group(0)
    assert "25" in amarilis and "2009-T2" in amarilis
    province = re.search(r"Municipalidad Provincial de Huánuco</a>.*?</tr>", html).group(0)
    assert "20" in province
    assert html.count('<svg role="img"') >= 1
    for role in ("amarilis_team", "cusco"):
        people.login(client, role)
        assert client.get(url).status_code == 404
    people.login(client, "auditor")
    assert client.get(url).status_code == 200
    assert client.get(f"/seguimiento/region/{govs['amarilis']}").status_code == 404  # not a region
    people.login(client, "amarilis_team")
    assert client.get(f"/seguimiento/gobierno/{govs['huanuco']}").status_code == 404
    assert client.get(f"/seguimiento/gobierno/{govs['amarilis']}").status_code == 200


def test_national_table_sorts_and_exports(client: Any, people: Any, huanuco_data: Any) -> None:
    people.login(client, "team")
    assert client.get("/seguimiento/nacional").status_code == 403
    people.login(client, "national")
    assert client.get("/seguimiento/").headers["Location"].endswith("/seguimiento/nacional")
    page = client.get("/seguimiento/nacional?orden=2")
    assert page.status_code == 200
    names = re.findall(r'<th scope="row"><a href="/seguimiento/region/\d+">([^<]+)</a>', page.get_data(as_text=True))
    assert len(names) == 25 and names[0] == "Gobierno Regional de Huánuco"  # the one value first, the rest after
    descending = re.findall(
        r'<th scope="row"><a[^>]*>([^<]+)</a>',
        client.get("/seguimiento/nacional?orden=2&dir=desc").get_data(as_text=True),
    )
    assert descending[0] == "Gobierno Regional de Huánuco"  # governments without a value go last either way
    export = client.get("/seguimiento/nacional.csv?orden=2")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["ubigeo", "Gobierno"]
    column = next(n for n, name in enumerate(rows[0]) if name.startswith("2. Desnutrición crónica"))
    huanuco = next(row for row in rows if row[1] == "Gobierno Regional de Huánuco")
    assert huanuco[column : column + 3] == ["22.5", "2009-T2", "En camino"]
    assert len(rows) == 26


def test_dashboard_api(client: Any, people: Any, api_token: Any, govs: Any, huanuco_data: Any) -> None:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    body = client.get(f"/api/v1/monitoring/dashboards/governments/{govs['huanuco']}", headers=team).get_json()
    cell = body["governments"][0]["indicators"]["2"]
    assert cell["status"] == "on_track" and cell["baseline"] == "30" and cell["target"] == "20"
    assert cell["value"] == "22.5" and cell["period"] == "2009-T2" and cell["computed"] is False
    assert [point["period"] for point in cell["series"]] == ["2008-T4", "2009-T2"]
    region = client.get(f"/api/v1/monitoring/dashboards/regions/{govs['huanuco']}", headers=team).get_json()
    amarilis = next(g for g in region["governments"] if g["id"] == govs["amarilis"])
    assert amarilis["indicators"]["2"]["value"] == "25"
    assert client.get("/api/v1/monitoring/dashboards/national", headers=team).status_code == 403
    cusco = {"Authorization": f"Bearer {api_token(people['cusco'])}"}
    assert client.get(f"/api/v1/monitoring/dashboards/regions/{govs['huanuco']}", headers=cusco).status_code == 404
    national = {"Authorization": f"Bearer {api_token(people['national'])}"}
    table = client.get("/api/v1/monitoring/dashboards/national", headers=national).get_json()
    assert len(table["governments"]) == 25


def test_without_a_plan_goal_the_dashboard_holds_the_national_goal_to_2011(
    app: Any, client: Any, people: Any, huanuco_data: Any
) -> None:
    """The national goals are seed data the test databases keep (tests/conftest.py: monitoring_national_goal);
    Cusco has no plan: its dashboard reads the standard's goals (malnutrition 16 %, poverty 30 % in 2011)."""
    from sqlalchemy import func, select

    from core.extensions import db
    from plugins.monitoring.indicators.models import NationalGoal, Target
    from tests.plugins.monitoring.dashboards.conftest import add_measurement

    with app.app_context():
        assert db.session.scalar(select(func.count(NationalGoal.id))) == 4  # data/national_goals.yaml
        add_measurement("080000", 2, 2009, 2, "24", level="department", source="ENDES")
        db.session.commit()
        assert db.session.scalar(select(func.count(Target.id))) == 1  # Huánuco's own; none of Cusco
    people.login(client, "cusco")
    html = _text(client.get("/seguimiento/?anio=2009"))
    malnutrition = re.search(r"2\. Desnutrición crónica.*?</tr>", html).group(0)
    assert "16 (2011)" in malnutrition and "24" in malnutrition and ">8<" in malnutrition  # gap 24 − 16
    poverty = re.search(r"1\. Pobreza y pobreza extrema — Pobreza</a>.*?</tr>", html).group(0)
    assert "30 (2011)" in poverty  # the measure «pobreza»; «pobreza extrema» has no national goal
    extreme = re.search(r"1\. Pobreza y pobreza extrema — Pobreza extrema</a>.*?</tr>", html).group(0)
    assert "(2011)" not in extreme
    # the region's own goal (20) still wins over the national one for Huánuco
    people.login(client, "team")
    row = re.search(r"2\. Desnutrición crónica.*?</tr>", _text(client.get("/seguimiento/"))).group(0)
    assert "20 (2011)" in row and "16 (2011)" not in row
