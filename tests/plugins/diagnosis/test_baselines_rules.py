"""Baselines by the standard's rules: indicator 1 (poverty and extreme poverty) holds two measures,
so recording one never overwrites the other; Figure 03: a source is valid down to a territorial
level (ENAHO, ENDES and MONIN at national and departmental level only), kept as seed data."""

from __future__ import annotations

import io

from sqlalchemy import select

from core.extensions import db
from plugins.diagnosis.models import Baseline, DataSource
from tests.plugins.diagnosis.conftest import create_case_web, post_form


def _ids(app) -> tuple[dict[str, int], dict[int, int]]:  # noqa: ANN001
    from core.models import KeyIndicator, Territory

    with app.app_context():
        territories = {
            t.ubigeo: t.id
            for t in db.session.scalars(select(Territory).where(Territory.ubigeo.in_(["100000", "100102"])))
        }
        indicators = {i.position: i.id for i in db.session.scalars(select(KeyIndicator))}
    return territories, indicators


def _save(client, app, case_id: int, territory: int, indicator: str, value: str, source: str):  # noqa: ANN001, ANN202
    return post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"territory": territory, "indicator": indicator, "value": value, "year": "2007", "source": source},
    )


def _rows(app, case_id: int) -> list[tuple[str, str, str]]:  # noqa: ANN001
    with app.app_context():
        return sorted(
            (b.measure, str(b.value.normalize()), b.source)
            for b in db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == case_id))
        )


def test_poverty_and_extreme_poverty_are_two_baselines(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    territories, indicators = _ids(app)
    region = territories["100000"]
    page = client.get(f"/diagnosticos/{case_id}/lineas-de-base").get_data(as_text=True)
    assert ">1. Pobreza</th>" in page and ">1. Pobreza extrema</th>" in page
    assert _save(client, app, case_id, region, f"{indicators[1]}:pobreza", "64.9", "ENAHO").status_code == 303
    assert _save(client, app, case_id, region, f"{indicators[1]}:pobreza_extrema", "38.4", "ENAHO").status_code == 303
    assert _rows(app, case_id) == [("pobreza", "64.9", "ENAHO"), ("pobreza_extrema", "38.4", "ENAHO")]
    # without its measure, indicator 1 is refused with the reason; nothing changes
    response = _save(client, app, case_id, region, str(indicators[1]), "50", "ENAHO")
    assert response.status_code == 400
    assert "se mide por separado: indique la medida (pobreza = Pobreza, pobreza_extrema = Pobreza extrema)" in (
        response.get_data(as_text=True)
    )
    assert _rows(app, case_id) == [("pobreza", "64.9", "ENAHO"), ("pobreza_extrema", "38.4", "ENAHO")]


def test_a_district_baseline_from_a_survey_is_refused_by_figure_03(app, regional_team, govs):
    client = regional_team
    case_id = create_case_web(client, "diagnosis", govs["huanuco"], "Diagnóstico")
    territories, indicators = _ids(app)
    amarilis = territories["100102"]
    for source in ("ENAHO", "ENDES", "MONIN"):
        response = _save(client, app, case_id, amarilis, str(indicators[2]), "31.2", source)
        assert response.status_code == 400, source
        page = response.get_data(as_text=True)
        assert f"La fuente {source} no es válida para el nivel distrital de Amarilis" in page
        assert "Figura N° 03 de la Norma Técnica, infiere solo a nivel nacional y departamental" in page
    assert _rows(app, case_id) == []
    # the same survey at the departmental level, and a registry at the district, are valid
    assert _save(client, app, case_id, territories["100000"], str(indicators[2]), "42.8", "ENDES").status_code == 303
    assert _save(client, app, case_id, amarilis, str(indicators[2]), "31.2", "SIEN").status_code == 303
    # the import applies the same rule, naming the row and the column
    data = b"ubigeo;indicador;valor;a\xc3\xb1o;fuente\n100102;4;12;2007;MONIN\n"
    response = post_form(
        client,
        app,
        case_id,
        f"/diagnosticos/{case_id}/lineas-de-base",
        {"file": (io.BytesIO(data), "lb.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "<td>2</td><td>fuente</td><td>La fuente MONIN no es válida para el nivel distrital" in response.get_data(
        as_text=True
    )

    # the levels are data (data/data_sources.yaml), not code: an administrator's change applies
    def lowest(level: str) -> None:
        with app.app_context():
            db.session.scalar(select(DataSource).where(DataSource.key == "MONIN")).lowest_level = level
            db.session.commit()

    lowest("district")  # reference data kept between tests: put it back afterwards
    try:
        assert _save(client, app, case_id, amarilis, str(indicators[4]), "12", "MONIN").status_code == 303
    finally:
        lowest("department")
