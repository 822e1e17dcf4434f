"""The demo: Huánuco's 2008 regional contest of local best practices, from its call to its award — three
applications (the province, Amarilis, a community organization), a jury of three, the ranking, the
Resolución and one certificate per winner, each dated in 2008 (titles and currency of that year)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.deadlines.models import Deadline
from core.demo import load_demo
from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import pdf_text
from plugins.operations.incentives.models import Contest


@pytest.mark.demo
def test_demo_runs_a_contest_from_call_to_award(app):  # noqa: ANN001
    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        contests = db.session.scalars(select(Contest)).all()
        assert [(c.government.name, c.state) for c in contests] == [("Gobierno Regional de Huánuco", "awarded")]
        contest = contests[0]
        assert [a.applicant for a in contest.ranked] == [
            "Municipalidad Distrital de Amarilis",
            "Comité de Vaso de Leche de Llicua",
            "Municipalidad Provincial de Huánuco",
        ]
        assert [str(a.total) for a in contest.ranked] == ["79.50", "75.33", "71.50"]
        documents = {
            d.template_key: pdf_text(d.content)
            for d in db.session.scalars(select(IssuedDocument).where(IssuedDocument.case_id == contest.id))
        }
        deadlines = db.session.scalars(select(Deadline).where(Deadline.case_id == contest.id)).all()
        assert len(deadlines) == 3 and all(d.met_at is not None for d in deadlines)
    assert sorted(documents) == [
        "contest_bases",
        "contest_certificate_1",
        "contest_certificate_2",
        "contest_certificate_3",
        "contest_resolution",
    ]
    bases = documents["contest_bases"]
    assert "Huánuco, 1 de agosto de 2008" in bases
    assert "TREINTA MIL Y 00/100 NUEVOS SOLES" in bases  # the budget cap, in the currency of 2008
    assert "30 de setiembre de 2008" in bases  # the reception deadline, as Peru writes the month
    resolution = documents["contest_resolution"]
    assert "RESOLUCIÓN EJECUTIVA REGIONAL DE RECONOCIMIENTO" in resolution
    assert "Presidente del Gobierno Regional de Huánuco" in resolution  # before Ley N° 30305
    assert "QUINCE MIL Y 00/100 NUEVOS SOLES" in resolution
    certificate = documents["contest_certificate_1"]
    assert "a la Municipalidad Distrital de Amarilis" in certificate and "Primer puesto" in certificate
    assert "al Comité de Vaso de Leche de Llicua" in documents["contest_certificate_2"]
    assert "El Gobierno Regional de Huánuco convoca" in bases
