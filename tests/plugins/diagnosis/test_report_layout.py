"""The diagnosis report as a legal officer reads it (issue 12, point 16), through the app with real
WeasyPrint and pypdf, page by page: every district in the Mapa de Coincidencias with its header on
every page, the chart on the page of its heading or a sentence instead, a lettered legend, no
almost-blank page, and laws cited only when in force on the report's date."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from core.extensions import db
from tests.plugins.diagnosis.conftest import create_case_web

FOOTER = re.compile(
    r"Vista previa sin valor oficial: el documento emitido lleva un código de verificación\.|Página \d+ de \d+"
)


def report_pages(client, case_id: int) -> list[str]:  # noqa: ANN001
    response = client.get(f"/documentos/vista-previa/{case_id}/diagnostico.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(response.data)).pages]


def _districts(app, case_id: int) -> list[str]:  # noqa: ANN001
    from plugins.diagnosis.instruments import districts_in_scope
    from plugins.diagnosis.models import Diagnosis

    with app.app_context():
        return [d.name for d in districts_in_scope(db.session.get(Diagnosis, case_id).government)]


def test_coincidence_map_lists_every_district_with_a_header_on_every_page(app, regional_team, govs):
    case_id = create_case_web(regional_team, "diagnosis", govs["huanuco"], "Diagnóstico regional")
    districts = _districts(app, case_id)
    assert len(districts) == 84

    # nothing recorded yet: no chart, a sentence saying so
    pages = report_pages(regional_team, case_id)
    text = " ".join(pages)
    assert "no se presenta el gráfico" in text
    # the a)-k) columns are explained by the same letters, never by numbers
    assert "a) Número de familias" in text and "1. Número de familias" not in text
    # no almost-blank page: every page carries more than its footer and a line or two
    for number, page in enumerate(pages[:-1], start=1):
        assert len(FOOTER.sub("", page).strip()) > 150, (number, page)
    # the closing sentence and the signature are never apart
    assert "Se suscribe el presente diagnóstico regional en Huánuco, 31 de diciembre de 2008." in pages[-1]
    assert "Presidente del Gobierno Regional de Huánuco" in pages[-1]

    from sqlalchemy import select

    from core.models import SocialProgram, Territory
    from plugins.diagnosis.instruments import set_coverage
    from plugins.diagnosis.models import Diagnosis

    with app.app_context():
        diagnosis = db.session.get(Diagnosis, case_id)
        program = db.session.scalar(select(SocialProgram).where(SocialProgram.key == "juntos"))
        for territory in db.session.scalars(select(Territory).where(Territory.name.in_(districts))):
            set_coverage(diagnosis, program, territory, 100 + territory.id % 50)
        db.session.commit()
    pages = report_pages(regional_team, case_id)
    start = next(i for i, p in enumerate(pages) if "4. Mapa de Coincidencias" in p)
    assert "no se presenta el gráfico" not in " ".join(pages)
    # the chart (SVG: its labels are text) fits on the page of its heading: 84 districts are summarised
    assert "Programas sociales que intervienen en el distrito" in pages[start], pages[start]
    table = [p for p in pages[start:] if "Total" in p and "Distrito" in p]
    body = " ".join(table)
    for name in districts:
        assert name in body, name
    for page in table:  # the header row repeats on each page of the table
        assert re.search(r"Distrito 1 2 3 4 5 .* Total", page), page[:300]


def test_laws_are_cited_only_when_in_force_on_the_reports_date(app, regional_team, govs):
    old = create_case_web(regional_team, "diagnosis", govs["huanuco"], "Diagnóstico 2008")
    recent = create_case_web(regional_team, "diagnosis", govs["huanuco"], "Diagnóstico 2012", year=2012)
    old_text = " ".join(report_pages(regional_team, old))
    assert "29733" not in old_text and "31 de diciembre de 2008" in old_text
    assert "la relación nominal es un dato personal)" in old_text
    recent_text = " ".join(report_pages(regional_team, recent))
    assert "protegido por la Ley N° 29733" in recent_text
    assert "Presidente del Gobierno Regional de Huánuco" in recent_text  # the signature block, 2012
