"""Baselines of the nine key indicators (Figure 05) per territory: their declared fields
(fields.BASELINE), the source's valid levels (Figure 03), measures, and the CSV/XLSX import."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.i18n import reader_list
from core.models import KeyIndicator, Territory
from core.values import ValueProblem
from plugins.diagnosis import fields as declared  # a module: fields.py reads this one's checks when parsing
from plugins.diagnosis.instruments.scope import key_indicators, territories_in_scope
from plugins.diagnosis.matrix.values import MatrixError
from plugins.diagnosis.models import TERRITORY_LEVELS, Baseline, DataSource, Diagnosis, IndicatorMeasure
from plugins.diagnosis.tabular import ImportReport, read_table, require_columns


def indicator_lookup() -> dict[str, KeyIndicator]:
    """Key indicators by key, by position ("2") and by acronym."""
    index: dict[str, KeyIndicator] = {}
    for ind in key_indicators():
        index[ind.key.lower()] = ind
        index[str(ind.position)] = ind
        if ind.acronym:
            index.setdefault(ind.acronym.lower(), ind)
    return index


def data_sources() -> dict[str, DataSource]:
    """The active sources (seed data, data/data_sources.yaml), by key, in their order."""
    rows = db.session.scalars(select(DataSource).where(DataSource.active.is_(True)).order_by(DataSource.position))
    return {row.key: row for row in rows}


def check_source(raw: Any) -> str:
    text = str(raw or "").strip().upper()
    if text in ("CENSOS", "CENSUS", "CPV"):
        text = "CENSO"
    sources = data_sources()
    if text not in sources:
        raise MatrixError(_("Unknown source «%(raw)s»: use %(sources)s.", raw=raw, sources=", ".join(sources)))
    return text


#: Spanish names of the territorial levels, for messages.
LEVEL_NAMES = {"national": "nacional", "department": "departamental", "province": "provincial", "district": "distrital"}


def check_source_level(source: str, territory: Territory) -> None:
    """Figure 03: a source is valid down to its lowest level; a value for a narrower territory
    (a district baseline from ENAHO, ENDES or MONIN) is refused, with the reason."""
    row = data_sources().get(source)
    if row is None or row.lowest_level not in TERRITORY_LEVELS or territory.level not in TERRITORY_LEVELS:
        return
    if TERRITORY_LEVELS.index(territory.level) > TERRITORY_LEVELS.index(row.lowest_level):
        valid = [LEVEL_NAMES[level] for level in TERRITORY_LEVELS[: TERRITORY_LEVELS.index(row.lowest_level) + 1]]
        raise MatrixError(
            _(
                "The source %(source)s is not valid for the %(level)s level of %(territory)s: according to "
                "Figure N° 03 of the Norma Técnica, it infers only at the %(levels)s level. Use a valid source "
                "for that level (census or administrative record).",
                source=source,
                level=LEVEL_NAMES[territory.level],
                territory=territory.name,
                levels=reader_list(valid),
            )
        )


def measures_of(indicator: KeyIndicator) -> dict[str, IndicatorMeasure]:
    """The indicator's measures (seed data), by key; empty: the indicator has one value."""
    rows = db.session.scalars(
        select(IndicatorMeasure)
        .where(IndicatorMeasure.indicator_key == indicator.key, IndicatorMeasure.active.is_(True))
        .order_by(IndicatorMeasure.position)
    )
    return {row.key: row for row in rows}


def check_measure(indicator: KeyIndicator, raw: Any) -> str:
    """Indicator 1 holds poverty and extreme poverty: each value names its measure."""
    text = str(raw or "").strip().lower().replace(" ", "_")
    measures = measures_of(indicator)
    if not measures:
        if text:
            raise MatrixError(
                _("The indicator «%(name)s» has one value only: it takes no measure.", name=indicator.name)
            )
        return ""
    if text not in measures:
        raise MatrixError(
            _(
                "The indicator «%(name)s» is measured separately: give the measure (%(measures)s).",
                name=indicator.name,
                measures=", ".join(f"{k} = {m.name}" for k, m in measures.items()),
            )
        )
    return text


def check_year(raw: Any) -> int:
    text = str(raw if raw is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not 1940 <= int(text) <= 2100:
        raise MatrixError(_("The year «%(raw)s» is not valid.", raw=raw))
    return int(text)


def upsert_baseline(
    diagnosis: Diagnosis,
    territory: Territory,
    indicator: KeyIndicator,
    value: Any,
    year: Any,
    source: Any,
    notes: Any = None,
    existing: dict[tuple[int, int, str], Baseline] | None = None,
    measure: Any = None,
) -> Baseline:
    """Set the baseline of ``indicator`` (and its ``measure``) in ``territory``: its declared fields
    (fields.BASELINE) all checked at once, then the source's level and the indicator's measures."""
    values = declared.parse_row(
        declared.BASELINE,
        {"value": value, "year": year, "source": source, "notes": notes, "measure": measure},
        new=True,
    )
    check_source_level(values["source"], territory)
    which = check_measure(indicator, measure)
    if existing is None:
        row = db.session.scalar(
            select(Baseline).where(
                Baseline.diagnosis_id == diagnosis.id,
                Baseline.territory_id == territory.id,
                Baseline.indicator_id == indicator.id,
                Baseline.measure == which,
            )
        )
    else:
        row = existing.get((territory.id, indicator.id, which))
    if row is None:
        row = Baseline(diagnosis_id=diagnosis.id, territory_id=territory.id, indicator_id=indicator.id, measure=which)
        db.session.add(row)
        if existing is not None:
            existing[(territory.id, indicator.id, which)] = row
    row.value, row.year, row.source, row.notes = (
        Decimal(values["value"]),
        values["year"],
        values["source"],
        values["notes"],
    )
    return row


BASELINE_COLUMNS = {"ubigeo": "ubigeo", "indicador": "indicador", "valor": "valor", "ano": "año", "fuente": "fuente"}
#: The file's columns that are declared fields (fields.BASELINE), by the field they fill.
BASELINE_FIELDS = {"valor": "value", "ano": "year", "fuente": "source", "notas": "notes"}


def import_baselines(diagnosis: Diagnosis, filename: str, data: bytes) -> ImportReport:
    """Baselines from CSV/XLSX (ubigeo, indicador, valor, año, fuente[, medida, notas]), all or nothing.

    ``indicador`` is the key indicator's number (1–9 of Figure 05), key or acronym; ``medida`` names
    the measure of an indicator that has several (1: pobreza, pobreza_extrema).
    """
    report = ImportReport()
    headers, rows = read_table(filename, data)
    require_columns(headers, BASELINE_COLUMNS)
    allowed = {t.ubigeo: t for t in territories_in_scope(diagnosis.government)}
    indicators = indicator_lookup()
    existing = {
        (b.territory_id, b.indicator_id, b.measure): b
        for b in db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == diagnosis.id))
    }
    seen: set[tuple[str, int, str]] = set()
    report.rows = len(rows)
    for number, row in rows:
        ubigeo = str(row.get("ubigeo") or "").strip()
        if ubigeo.isdigit() and len(ubigeo) < 6:
            ubigeo = ubigeo.zfill(6)
        territory = allowed.get(ubigeo)
        if territory is None:
            report.add(number, "ubigeo", _("«%(ubigeo)s» is not a territory of this diagnosis.", ubigeo=ubigeo))
        key = str(row.get("indicador") or "").strip().lower()
        if key.endswith(".0"):
            key = key[:-2]
        indicator = indicators.get(key)
        if indicator is None:
            report.add(
                number, "indicador", _("Unknown indicator «%(value)s» (use 1 to 9).", value=row.get("indicador"))
            )
        if territory is None or indicator is None:
            continue
        try:
            which = check_measure(indicator, row.get("medida"))
        except MatrixError as error:
            report.add(number, "medida", str(error))
            continue
        if (ubigeo, indicator.id, which) in seen:
            report.add(
                number, "indicador", _("Repeated row: the same territory, indicator and measure appear earlier.")
            )
            continue
        seen.add((ubigeo, indicator.id, which))
        for column, name in BASELINE_FIELDS.items():
            declared_field = declared.BASELINE[name]
            try:
                parsed = declared_field.parse(row.get(column), label=str(declared_field.label))
                if name == "source":
                    check_source_level(parsed, territory)
            except (ValueProblem, MatrixError) as error:
                report.add(number, BASELINE_COLUMNS.get(column, column), str(error))
    if not report.ok:
        return report
    with db.session.no_autoflush:
        for _number, row in rows:
            ubigeo = str(row.get("ubigeo")).strip()
            ubigeo = ubigeo.zfill(6) if ubigeo.isdigit() else ubigeo
            key = str(row.get("indicador")).strip().lower().removesuffix(".0")
            upsert_baseline(
                diagnosis,
                allowed[ubigeo],
                indicators[key],
                row.get("valor"),
                row.get("ano"),
                row.get("fuente"),
                row.get("notas"),
                existing,
                row.get("medida"),
            )
            report.saved += 1
    db.session.flush()
    return report


def baselines_by_indicator(diagnosis: Diagnosis) -> dict[int, list[Baseline]]:
    rows = db.session.scalars(
        select(Baseline)
        .join(Territory, Baseline.territory_id == Territory.id)
        .where(Baseline.diagnosis_id == diagnosis.id)
        .options(selectinload(Baseline.territory), selectinload(Baseline.indicator))
        .order_by(Territory.ubigeo)
    ).all()
    grouped: dict[int, list[Baseline]] = defaultdict(list)
    for row in rows:
        grouped[row.indicator_id].append(row)
    return grouped
