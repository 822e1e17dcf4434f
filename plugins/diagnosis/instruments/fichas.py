"""The Fichas Distritales: one per district in scope, and the values of their items (counts only;
item (g) is the count of children, never their names)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.models import SocialInfoItem, Territory
from plugins.diagnosis.instruments.scope import districts_in_scope
from plugins.diagnosis.matrix.values import MatrixError, clean_text, parse_number
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
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise MatrixError(_("«%(label)s» must be a date (YYYY-MM-DD).", label=label)) from None


def set_record_value(
    record: DistrictRecord, item: SocialInfoItem, value: Any, source: Any, as_of: Any, notes: Any
) -> DistrictRecordValue | None:
    """Store one item of a Ficha (a count; for item g the count of children, never names)."""
    label = f"{item.letter}) valor"
    number = parse_number(value, label, integer=True)
    src = clean_text(source, f"{item.letter}) fuente")
    when = parse_as_of(as_of, f"{item.letter}) fecha")
    note = clean_text(notes, f"{item.letter}) notas", limit=2000)
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
