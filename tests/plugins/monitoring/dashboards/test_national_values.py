"""The national table's values: each region's latest period of each indicator's latest year, computed from
its districts' numerators and denominators (the sums read per indicator, board.py ``_department_sums``)."""

from __future__ import annotations

from typing import Any

from tests.plugins.monitoring.dashboards.conftest import add_measurement


def test_national_table_computes_each_indicator_from_its_own_latest_year(
    app: Any, client: Any, people: Any, api_token: Any, govs: Any
) -> None:
    from core.extensions import db

    with app.app_context():
        # indicator 2: latest year 2009 (Huánuco's two districts), Cusco only in 2008
        add_measurement("100102", 2, 2008, 4, "30", numerator="30", denominator="100")
        add_measurement("100102", 2, 2009, 2, "25", numerator="25", denominator="100")
        add_measurement("100101", 2, 2009, 1, "10", numerator="10", denominator="100")
        add_measurement("100101", 2, 2009, 2, "15", numerator="15", denominator="100")
        add_measurement("080101", 2, 2008, 4, "40", numerator="40", denominator="100")
        # indicator 4: latest year 2010 (Cusco, weighted); Huánuco's value has no numerator: nothing computed
        add_measurement("080101", 4, 2010, 1, "20", numerator="40", denominator="200")
        add_measurement("080108", 4, 2010, 1, "50", numerator="300", denominator="600")
        add_measurement("100102", 4, 2010, 1, "50")
        db.session.commit()
    headers = {"Authorization": f"Bearer {api_token(people['national'])}"}
    body = client.get("/api/v1/monitoring/dashboards/national", headers=headers).get_json()
    regions = {g["id"]: g["indicators"] for g in body["governments"]}
    huanuco, cusco = regions[govs["huanuco"]], regions[govs["cusco"]]
    assert (huanuco["2"]["value"], huanuco["2"]["period"], huanuco["2"]["computed"]) == ("20", "2009-T2", True)
    assert cusco["2"]["value"] is None  # its 2008 value is older than the indicator's latest year
    assert (cusco["4"]["value"], cusco["4"]["period"], cusco["4"]["computed"]) == ("42.5", "2010-T1", True)
    assert huanuco["4"]["value"] is None
    people.login(client, "national")
    page = client.get("/seguimiento/nacional").get_data(as_text=True)
    assert "<td>42.5 <small>2010-T1</small>" in page
