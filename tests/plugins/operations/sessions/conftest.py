"""A regional Instancia of Huánuco with members whose periods bracket the test sessions' date
(15 April 2008): five members on that date, one whose period ended before it, one who joins after."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from core.extensions import db

SESSION_DATE = date(2008, 4, 15)
# (category, name, role, from, to)
MEMBERS = [
    ("regional_president", "Ricardo Valdivia Tarazona", "president", date(2008, 3, 1), None),
    ("regional_offices", "Carmen Tello Alvarado", "technical_secretary", date(2008, 3, 1), None),
    ("regional_officials", "Nelly Cabrera Malpartida", "member", date(2008, 3, 1), None),
    ("regional_officials", "Óscar Trujillo Ponce", "member", date(2008, 3, 1), None),
    ("regional_officials", "Rocío Melgarejo Durand", "member", date(2008, 3, 1), None),
    ("regional_officials", "Hernán Lozano Meza", "member", date(2008, 3, 1), date(2008, 3, 31)),
    ("regional_officials", "Manuel Figueroa Rojas", "member", date(2008, 5, 1), None),
]

WOMEN = {"Carmen Tello Alvarado", "Nelly Cabrera Malpartida", "Rocío Melgarejo Durand"}


@pytest.fixture
def instancia(app: Any, govs: dict[str, int]) -> dict[str, Any]:
    """The body's id and its members' ids by name (created as the CLI would, in the body's government)."""
    from core.cases import case_types, create_case
    from core.models import Government
    from core.security import scope_for_cli
    from plugins.institutionalization.models import BodyMember, MemberCategory

    with app.app_context():
        government = db.session.get(Government, govs["huanuco"])
        body = create_case(
            case_types()["articulation_body"],
            government,
            2008,
            "Instancia de Articulación Regional de Huánuco",
            None,
            scope_for_cli(None),
            direction_kind="technical_secretariat",
        )
        members = {}
        for key, name, role, start, end in MEMBERS:
            category = db.session.scalar(select(MemberCategory).where(MemberCategory.key == key))
            member = BodyMember(
                body=body,
                full_name=name,
                category=category,
                role=role,
                sex="f" if name in WOMEN else "m",
                active_from=start,
                active_to=end,
            )
            db.session.add(member)
            db.session.flush()
            members[name] = member.id
        db.session.commit()
        return {"body_id": body.id, "members": members}
