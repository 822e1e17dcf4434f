"""``articula demo load``: Huánuco 2008 with its IAR installed and its ordinance published; the
provincial and district IAL at earlier stages; loading twice changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core.extensions import db


def test_demo_load_creates_huanuco_2008_and_is_idempotent(app, govs):
    from core.demo import load_demo
    from plugins.institutionalization.composition import composition
    from plugins.institutionalization.models import ArticulationBody, BodyMember, Ordinance

    with app.app_context():
        load_demo(app)
        load_demo(app)
        bodies = {b.government_id: b for b in db.session.scalars(select(ArticulationBody))}
        assert len(bodies) == 3
        regional = bodies[govs["huanuco"]]
        assert regional.state == "installed" and regional.acronym == "IAR"
        members = db.session.scalar(select(func.count()).where(BodyMember.body_id == regional.id))
        assert members == 16  # 15 in office, and the Director of Health replaced on 1 June
        check = composition(regional, date(2008, 7, 7))
        assert len(check.members) == 15 and not check.blockers
        assert {c.key for c in check.covered} >= {
            "regional_president",
            "regional_universities",
            "regional_civil_society",
        }
        ordinance = db.session.scalar(select(Ordinance).where(Ordinance.body_id == regional.id))
        assert ordinance.state == "published"
        assert ordinance.number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"
        assert [t.name for t in ordinance.transitions] == ["submit", "approve", "publish"]

        provincial = bodies[govs["huanuco_prov"]]
        assert provincial.state == "draft" and provincial.acronym == "IAL"
        assert any("municipalidades distritales" in b for b in composition(provincial).blockers)
        prov_ordinance = db.session.scalar(select(Ordinance).where(Ordinance.body_id == provincial.id))
        assert prov_ordinance.state == "in_review"
        amarilis = bodies[govs["amarilis"]]
        assert amarilis.state == "draft" and not composition(amarilis).blockers
