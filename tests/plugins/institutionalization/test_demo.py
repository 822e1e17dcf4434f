"""``articula demo load``: Huánuco 2008 with its IAR installed and its ordinance published; the
provincial IAL at an earlier stage; the current year (from today's date) as the cycle in progress;
loading twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.extensions import db


@pytest.mark.demo
def test_demo_load_creates_huanuco_2008_and_is_idempotent(app, govs):
    from core.demo import load_demo
    from plugins.institutionalization.composition import composition
    from plugins.institutionalization.models import ArticulationBody, BodyMember, Ordinance

    with app.app_context():
        load_demo(app)  # idempotent: the app's database has the demo loaded already
        bodies = {b.government_id: b for b in db.session.scalars(select(ArticulationBody))}
        assert len(bodies) == 3
        regional = bodies[govs["huanuco"]]
        assert regional.state == "installed" and regional.acronym == "IAR"
        members = db.session.scalar(select(func.count()).where(BodyMember.body_id == regional.id))
        # 15 in office in 2008, the Director of Health replaced on 1 June, the Governor of this year
        assert members == 17
        check = composition(regional, date(2008, 7, 7))
        assert len(check.members) == 15 and not check.blockers
        assert {c.key for c in check.covered} >= {
            "regional_president",
            "regional_universities",
            "regional_civil_society",
        }
        ordinance = db.session.scalar(select(Ordinance).where(Ordinance.body_id == regional.id, Ordinance.year == 2008))
        assert ordinance.state == "published"
        assert ordinance.number == "ORDENANZA REGIONAL N° 008-2008-GRH/CR"
        assert [t.name for t in ordinance.transitions] == ["submit", "approve", "publish"]

        provincial = bodies[govs["huanuco_prov"]]
        assert provincial.state == "draft" and provincial.acronym == "IAL"
        assert any("municipalidades distritales" in b for b in composition(provincial).blockers)
        prov_ordinance = db.session.scalar(select(Ordinance).where(Ordinance.body_id == provincial.id))
        assert prov_ordinance.state == "in_review"
        amarilis = bodies[govs["amarilis"]]
        assert amarilis.state == "installed" and not composition(amarilis).blockers  # installed this year

        # the current year is the cycle in progress: the standing IAR's ordinance of the year, in draft,
        # and its new president (the Governor) from January
        from core.cycles import current_year

        year = current_year()
        this_year = db.session.scalar(select(Ordinance).where(Ordinance.body_id == regional.id, Ordinance.year == year))
        assert this_year.state == "draft" and this_year.reference == f"ORD-001-{year}-GRH"
        assert composition(regional).president.full_name == "Gisela Mercedes Alvarado Ríos"
        amarilis_ordinance = db.session.scalar(select(Ordinance).where(Ordinance.body_id == amarilis.id))
        assert amarilis_ordinance.year == year and amarilis_ordinance.state == "published"


@pytest.mark.demo
def test_a_newcomer_sees_the_current_cycle_and_deadlines_still_ahead(app, client, govs):
    """Whatever today's date, the demo's current cycle has deadlines ahead (Amarilis's timetable)."""
    from core.cycles import current_year
    from core.deadlines import lima_today
    from core.demo import DEMO_PASSWORD
    from tests.conftest import login

    year = current_year()
    login(client, "equipo.amarilis@huanuco.demo", DEMO_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert f"/ciclos/{govs['amarilis']}/{year}" in page
    widget = page.split("Instancias de Articulación</h2>")[1].split("</section>")[0]
    assert "Próximo plazo:" in widget  # the nearest one: a PAL step, or an open Ventanilla entry of the demo
    with app.app_context():
        from core.deadlines.models import Deadline

        ahead = db.session.scalars(
            select(Deadline).where(
                Deadline.government_id == govs["amarilis"], Deadline.year == year, Deadline.due_date >= lima_today()
            )
        ).all()
        assert any(d.label.startswith(f"PAL {year}:") for d in ahead)  # Amarilis's plan timetable
    cycle = client.get(f"/ciclos/{govs['amarilis']}/{year}").get_data(as_text=True)
    assert f"Plan Articulado Local de Amarilis {year}" in cycle and "Aprobado por ordenanza o resolución" in cycle
