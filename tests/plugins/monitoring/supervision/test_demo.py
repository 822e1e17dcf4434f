"""The demo: a supervision round of Huánuco's region (a closed visit with its issued ficha, findings whose
commitments are deadlines), two community organizations of Amarilis, one report turned into a visit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.demo import load_demo
from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import pdf_text


@pytest.mark.demo
def test_demo_loads_a_supervision_round(app):  # noqa: ANN001
    from plugins.monitoring.supervision.models import CommunityOrganization, CommunityReport, SupervisionVisit

    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        visits = db.session.scalars(select(SupervisionVisit).order_by(SupervisionVisit.id)).all()
        assert [(v.government.name, v.state) for v in visits] == [
            ("Gobierno Regional de Huánuco", "closed"),
            ("Gobierno Regional de Huánuco", "recorded"),
            ("Municipalidad Distrital de Amarilis", "recorded"),
        ]
        assert str(visits[0].score) == "68.2" and all(f.deadline is not None for f in visits[0].findings)
        organizations = db.session.scalars(select(CommunityOrganization)).all()
        assert {o.government.name for o in organizations} == {"Municipalidad Distrital de Amarilis"}
        assert len(organizations) == 2
        statuses = sorted(r.status for r in db.session.scalars(select(CommunityReport)))
        assert statuses == ["acted", "consolidated"]
        document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == visits[0].id))
        text = pdf_text(document.content)
    assert "Puesto de Salud Llicua" in text and "Registrar el DNI en todas las historias clínicas" in text
