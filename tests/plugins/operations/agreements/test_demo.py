"""The demo: Huánuco's signed Convenio de Gestión 2008 with the province and Amarilis, in execution with two
progress reports (its PDF dated on the signing day, the heads titled as in 2008), and the UNHEVAL agreement."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.demo import load_demo
from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import pdf_text
from plugins.operations.agreements.models import Agreement


@pytest.mark.demo
def test_demo_loads_the_convenios(app):  # noqa: ANN001
    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        agreements = db.session.scalars(select(Agreement).order_by(Agreement.id)).all()
        assert [(a.kind, a.state) for a in agreements] == [
            ("management", "execution"),
            ("inter_institutional", "negotiation"),
        ]
        convenio, university = agreements
        assert [g.name for g in convenio.counterparts] == [
            "Municipalidad Provincial de Huánuco",
            "Municipalidad Distrital de Amarilis",
        ]
        assert len(convenio.reports) == 2 and len(convenio.goals) == 2
        assert all(g.plan_result is not None for g in convenio.goals)  # tied to the region's Plan Articulado
        assert university.external_name == "Universidad Nacional Hermilio Valdizán"
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == convenio.id))
        text = pdf_text(document.content)
    assert "Huánuco, 15 de julio de 2008" in text
    assert "Presidente del Gobierno Regional de Huánuco" in text  # before Ley N° 30305
    # The currency of the signing date: the Nuevo Sol until 15 December 2015 (Ley N° 30381).
    assert "CIENTO VEINTE MIL Y 00/100 NUEVOS SOLES" in text and "S/. 120,000.00" in text
