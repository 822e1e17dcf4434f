"""The Fichas Distritales: one per district in scope, and the values of their items (counts only;
item (g) is the count of children, never their names)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import SocialInfoItem, Territory
from plugins.diagnosis import fields as declared  # a module: fields.py imports this package's parsers
from plugins.diagnosis.instruments.scope import districts_in_scope
from plugins.diagnosis.matrix.values import MatrixError
from plugins.diagnosis.models import Diagnosis, DistrictRecord, DistrictRecordValue


def create_records(diagnosis: Diagnosis) -> int:
    """A Ficha Distrital for every district in scope that has none yet."""
    have = set(
        db.session.scalars(select(DistrictRecord.territory_id).where(DistrictRecord.diagnosis_id == diagnosis.id))
    )
    created = 0
    for district in districts_in_scope(diagnosis.government):
        if district.id not in have:
            db.session.add(DistrictRecord(diagnosis_id=diagnosis.id, territory_id=district.id))
            created += 1
    db.session.flush()
    return created


def records_with_values(diagnosis_id: int) -> list[DistrictRecord]:
    return list(
        db.session.scalars(
            select(DistrictRecord)
            .join(Territory, DistrictRecord.territory_id == Territory.id)
            .where(DistrictRecord.diagnosis_id == diagnosis_id)
            .options(selectinload(DistrictRecord.territory), selectinload(DistrictRecord.values))
            .order_by(Territory.ubigeo)
        )
    )


def parse_as_of(raw: Any, label: str = "Fecha") -> date | None:
    """A date of the diagnosis's instruments (core.values.parse_date, through the declared field)."""
    return declared.parse_value(declared.NOMINAL_CHILD["birth_date"], raw, label)


def set_record_value(
    record: DistrictRecord, item: SocialInfoItem, value: Any, source: Any, as_of: Any, notes: Any
) -> DistrictRecordValue | None:
    """Store one item of a Ficha (a count; for item g the count of children, never names): its
    declared fields (fields.FICHA_VALUE), every problem of the item at once, each naming the item."""
    sent = {"value": value, "source": source, "date": as_of, "notes": notes}
    parsed, problems = {}, []
    for f in declared.FICHA_VALUE.inputs:
        try:
            parsed[f.name] = declared.parse_value(f, sent[f.name], f"{item.letter}) {f.label}")
        except MatrixError as error:
            problems.append(str(error))
    if problems:
        raise MatrixError(" ".join(problems))
    number, src, when, note = parsed["value"], parsed["source"], parsed["date"], parsed["notes"]
    row = next((v for v in record.values if v.item_id == item.id), None)
    if number is None and src is None and when is None and note is None:
        if row is not None:
            record.values.remove(row)
        return None
    if row is None:
        row = DistrictRecordValue(item_id=item.id)
        record.values.append(row)
    row.value, row.source, row.as_of, row.notes = number, src, when, note
    return row
