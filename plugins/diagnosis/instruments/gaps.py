"""What keeps a diagnosis from validation, each gap a sentence naming where it is."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from plugins.diagnosis.instruments.baselines import measures_of
from plugins.diagnosis.instruments.fichas import records_with_values
from plugins.diagnosis.instruments.scope import key_indicators, social_items
from plugins.diagnosis.models import CAUSE_LEVELS, Actor, Baseline, Cause, Diagnosis


def gaps(diagnosis: Diagnosis) -> list[str]:
    """What keeps the diagnosis from validation (Spanish): every Ficha complete with value and
    source (item g: the count), the nine baselines of the government's territory, actors, and for a
    regional diagnosis the causes at the three levels."""
    problems: list[str] = []
    items = social_items()
    records = records_with_values(diagnosis.id)
    if not records:
        problems.append(_("There are no Fichas Distritales."))
    for record in records:
        by_item = {v.item_id: v for v in record.values}
        missing = [i.letter for i in items if by_item.get(i.id) is None or by_item[i.id].value is None]
        unsourced = [
            i.letter
            for i in items
            if by_item.get(i.id) and by_item[i.id].value is not None and not by_item[i.id].source
        ]
        if missing:
            problems.append(
                _(
                    "Ficha of %(territory)s: items %(items)s are missing.",
                    territory=record.territory.name,
                    items=", ".join(missing),
                )
            )
        if unsourced:
            problems.append(
                _(
                    "Ficha of %(territory)s: the source of items %(items)s is missing.",
                    territory=record.territory.name,
                    items=", ".join(unsourced),
                )
            )
    own = diagnosis.government.territory_id
    have = set(
        db.session.execute(
            select(Baseline.indicator_id, Baseline.measure).where(
                Baseline.diagnosis_id == diagnosis.id, Baseline.territory_id == own
            )
        ).tuples()
    )
    missing_ind = []
    for i in key_indicators():  # an indicator with measures needs each of them (1: both kinds of poverty)
        measures = measures_of(i)
        wanted = [(i.id, key) for key in measures] or [(i.id, "")]
        missing_ind += [
            f"{i.position} ({measures[key].name.lower()})" if key else str(i.position)
            for _name, key in wanted
            if (i.id, key) not in have
        ]
    if missing_ind:
        problems.append(
            _(
                "The baselines of %(territory)s for indicators %(indicators)s are missing.",
                territory=diagnosis.government.territory.name,
                indicators=", ".join(missing_ind),
            )
        )
    if not db.session.scalar(select(Actor.id).where(Actor.diagnosis_id == diagnosis.id).limit(1)):
        problems.append(_("The Mapa de Actores is empty."))
    if diagnosis.government.kind == "regional":
        levels = set(db.session.scalars(select(Cause.level).where(Cause.diagnosis_id == diagnosis.id)))
        from plugins.diagnosis.labels import SPANISH

        for level in CAUSE_LEVELS:
            if level not in levels:
                problems.append(
                    _(
                        "The %(causes)s of chronic malnutrition are missing.",
                        causes=SPANISH["cause"][level].lower(),
                    )
                )
    return problems
