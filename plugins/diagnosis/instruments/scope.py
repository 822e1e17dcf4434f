"""Where a diagnosis looks: the districts (and territories) in the government's scope, and the seed
catalogs its instruments are filled against (the Ficha's items, the nine key indicators)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.extensions import db
from core.models import Government, KeyIndicator, SocialInfoItem, Territory


def districts_in_scope(government: Government) -> list[Territory]:
    """Every district of the region (regional), of the province (provincial), or the district itself.

    A provincial municipality also governs its capital district (ubigeo ending in 01).
    """
    territory = government.territory
    if territory.level == "district":
        return [territory]
    if territory.level == "province":
        return list(
            db.session.scalars(
                select(Territory)
                .where(Territory.parent_id == territory.id, Territory.level == "district")
                .order_by(Territory.ubigeo)
            )
        )
    province = aliased(Territory)
    return list(
        db.session.scalars(
            select(Territory)
            .join(province, Territory.parent_id == province.id)
            .where(province.parent_id == territory.id, Territory.level == "district")
            .order_by(Territory.ubigeo)
        )
    )


def territories_in_scope(government: Government) -> list[Territory]:
    """The government's own territory first, then its districts (where baselines may be recorded)."""
    districts = districts_in_scope(government)
    own = government.territory
    return ([own] if own.level != "district" else []) + districts


def social_items() -> list[SocialInfoItem]:
    return list(
        db.session.scalars(
            select(SocialInfoItem).where(SocialInfoItem.active.is_(True)).order_by(SocialInfoItem.position)
        )
    )


def key_indicators() -> list[KeyIndicator]:
    return list(
        db.session.scalars(select(KeyIndicator).where(KeyIndicator.active.is_(True)).order_by(KeyIndicator.position))
    )
