"""Who sits in the body on a given date, and whether its composition follows the Norma.

The Norma lists the participants per level (local 5.1.1, regional 5.2.1) and adds that the list
"can be adjusted to the reality of each locality": a category without members is a warning.
Two things are required before the body is installed: its presidency (the President of the
regional government or the Mayor) and, in a provincial IAL, at least one representative of the
district municipalities (categories marked ``required`` in data/member_categories.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from core.extensions import db
from plugins.institutionalization.models import ArticulationBody, BodyMember, MemberCategory

LIMA = ZoneInfo("America/Lima")


def today_lima() -> date:
    return datetime.now(UTC).astimezone(LIMA).date()


def categories_for(government_kind: str) -> list[MemberCategory]:
    """The active categories that apply to a government of this kind, in the Norma's order."""
    rows = db.session.scalars(
        select(MemberCategory).where(MemberCategory.active.is_(True)).order_by(MemberCategory.position)
    ).all()
    return [c for c in rows if c.applies_to(government_kind)]


def roster(body: ArticulationBody, on: date) -> list[BodyMember]:
    """The members on ``on`` (periods are inclusive), by category, then role, then name."""
    return list(
        db.session.scalars(
            select(BodyMember)
            .join(MemberCategory)
            .where(
                BodyMember.body_id == body.id,
                BodyMember.active_from <= on,
                or_(BodyMember.active_to.is_(None), BodyMember.active_to >= on),
            )
            .options(joinedload(BodyMember.category), joinedload(BodyMember.institution))
            .order_by(MemberCategory.position, BodyMember.role != "president", BodyMember.full_name)
        )
    )


def by_category(members: list[BodyMember]) -> list[tuple[MemberCategory, list[BodyMember]]]:
    """Members grouped under their category, in the category order (as the roster lists them)."""
    groups: dict[int, tuple[MemberCategory, list[BodyMember]]] = {}
    for member in members:
        groups.setdefault(member.category_id, (member.category, []))[1].append(member)
    return sorted(groups.values(), key=lambda group: (group[0].position, group[0].id))


@dataclass
class Composition:
    """The composition check of a body on a date."""

    on: date
    members: list[BodyMember]
    covered: list[MemberCategory] = field(default_factory=list)
    missing: list[MemberCategory] = field(default_factory=list)
    president: BodyMember | None = None
    blockers: list[str] = field(default_factory=list)  # required before installation

    @property
    def warnings(self) -> list[str]:
        return [
            _("No members in the category «%(category)s».", category=c.name) for c in self.missing if not c.required
        ]

    @property
    def complete(self) -> bool:
        return not self.blockers


def composition(body: ArticulationBody, on: date | None = None) -> Composition:
    """Covered and missing categories, the presidency, and what blocks the installation."""
    on = on or today_lima()
    members = roster(body, on)
    present = {m.category_id for m in members}
    result = Composition(on=on, members=members)
    for category in categories_for(body.government.kind):
        (result.covered if category.id in present else result.missing).append(category)
    # The presidency belongs to the presiding category (Mayor, Regional President/Governor), not to
    # any member given the role: a record made before this rule, or a category an administrator
    # edited, cannot make a university representative the president.
    result.president = next((m for m in members if m.role == "president" and m.category.presides), None)
    for member in members:
        if member.role == "president" and not member.category.presides:
            result.blockers.append(presidency_reason(body.government.kind, member.category))
    if result.president is None:
        day = on.strftime("%d/%m/%Y")
        if body.government.kind == "regional":
            missing = _(
                "The presidency is missing: register the President of the Regional Government as a member "
                "with the role «President» (in office on %(date)s).",
                date=day,
            )
        else:
            missing = _(
                "The presidency is missing: register the Mayor as a member with the role «President» "
                "(in office on %(date)s).",
                date=day,
            )
        result.blockers.append(missing)
    for category in result.missing:
        if category.required:
            result.blockers.append(_("A required category is missing: %(category)s.", category=category.name))
    return result


def installation_blockers(body: ArticulationBody) -> list[str]:
    """Guard ``body_composition_complete``: the composition on the installation date (or today)."""
    return composition(body, body.installation_date or today_lima()).blockers


def published_ordinance(body: ArticulationBody):  # noqa: ANN201 — Ordinance | None
    """The body's ordinance in force: published and not derogated (the latest, if several)."""
    from plugins.institutionalization.models import Ordinance

    return db.session.scalar(
        select(Ordinance)
        .where(Ordinance.body_id == body.id, Ordinance.state == "published")
        .order_by(Ordinance.publication_date.desc(), Ordinance.id.desc())
        .limit(1)
    )


def constitution_blockers(body: ArticulationBody) -> list[str]:
    """Guard ``body_ordinance_published``: a body is constituted by its published ordinance."""
    if published_ordinance(body) is None:
        return [_("The ordinance that constitutes the body has not been published yet.")]
    return []


def presidency_reason(government_kind: str, category: MemberCategory) -> str:
    """Why a member of ``category`` cannot hold the presidency (Norma 5.1.1, 5.2.1)."""
    if government_kind == "regional":
        return _(
            "Only the President of the Regional Government (Regional Governor) presides the body, numeral "
            "5.2.1 of the Norma Técnica: a member of the category «%(category)s» cannot have the role «President».",
            category=category.name,
        )
    return _(
        "Only the Mayor presides the body, numeral 5.1.1 of the Norma Técnica: a member of the category "
        "«%(category)s» cannot have the role «President».",
        category=category.name,
    )
