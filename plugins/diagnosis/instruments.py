"""The diagnosis's instruments: districts in scope and their Fichas, baselines (with CSV/XLSX import),
the Mapa de Coincidencias (matrix, gaps, import), and the check before validation.

Longer than ~400 lines: the rules of the diagnosis's five instruments (Fichas, baselines, coincidences,
actors/causes, production) share their parsers and district scope; splitting them is the next step (issue 8).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from core.extensions import db
from core.models import Government, KeyIndicator, SocialInfoItem, SocialProgram, Territory
from plugins.diagnosis.matrix import MatrixError, clean_text, parse_number
from plugins.diagnosis.models import (
    CAUSE_LEVELS,
    MAX_TEXT,
    SURVEY_SECTIONS,
    TERRITORY_LEVELS,
    WEALTH_CATEGORIES,
    Actor,
    ActorRelation,
    Baseline,
    Cause,
    Coverage,
    DataSource,
    Diagnosis,
    DistrictRecord,
    DistrictRecordValue,
    IndicatorMeasure,
    SurveyAnswer,
    WealthItem,
)
from plugins.diagnosis.tabular import ImportReport, TableError, read_table, require_columns

# --- territory in scope ------------------------------------------------------------------------------


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


# --- Ficha values ------------------------------------------------------------------------------------


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


# --- baselines ---------------------------------------------------------------------------------------


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
                levels=f" {_('and')} ".join(valid),
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
    number = parse_number(value, "Valor")
    if number is None:
        raise MatrixError(_("«Value» is required."))
    year_value = check_year(year)
    src = check_source(source)
    check_source_level(src, territory)
    which = check_measure(indicator, measure)
    note = clean_text(notes, "Notas", limit=2000)
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
    row.value, row.year, row.source, row.notes = Decimal(number), year_value, src, note
    return row


BASELINE_COLUMNS = {"ubigeo": "ubigeo", "indicador": "indicador", "valor": "valor", "ano": "año", "fuente": "fuente"}


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
            report.add(number, "ubigeo", f"«{ubigeo}» no es un territorio del ámbito de este diagnóstico.")
        key = str(row.get("indicador") or "").strip().lower()
        if key.endswith(".0"):
            key = key[:-2]
        indicator = indicators.get(key)
        if indicator is None:
            report.add(number, "indicador", f"Indicador desconocido «{row.get('indicador')}» (use 1 a 9).")
        if territory is None or indicator is None:
            continue
        try:
            which = check_measure(indicator, row.get("medida"))
        except MatrixError as error:
            report.add(number, "medida", str(error))
            continue
        if (ubigeo, indicator.id, which) in seen:
            report.add(number, "indicador", "Fila repetida: el mismo territorio, indicador y medida ya aparecen antes.")
            continue
        seen.add((ubigeo, indicator.id, which))
        place = territory
        for column, check in (
            ("valor", lambda v: parse_number(v, "Valor") is not None or _raise("«Valor» es obligatorio.")),
            ("ano", check_year),
            ("fuente", lambda v, place=place: check_source_level(check_source(v), place)),
            ("notas", lambda v: clean_text(v, "Notas", limit=2000)),
        ):
            try:
                check(row.get(column))
            except MatrixError as error:
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


def _raise(message: str) -> None:
    raise MatrixError(message)


# --- Mapa de Coincidencias ---------------------------------------------------------------------------


@dataclass
class CoincidenceMatrix:
    programs: list[SocialProgram]
    districts: list[Territory]
    cells: dict[tuple[int, int], Coverage]  # (program_id, territory_id) → coverage
    uncovered_districts: list[Territory]  # no program intervenes
    absent_programs: list[SocialProgram]  # intervenes nowhere in scope

    def cell(self, program: SocialProgram, district: Territory) -> Coverage | None:
        return self.cells.get((program.id, district.id))

    def district_count(self, district: Territory) -> int:
        return sum(1 for p in self.programs if (p.id, district.id) in self.cells)


def coincidence_matrix(diagnosis: Diagnosis) -> CoincidenceMatrix:
    programs = list(
        db.session.scalars(select(SocialProgram).where(SocialProgram.active.is_(True)).order_by(SocialProgram.position))
    )
    districts = districts_in_scope(diagnosis.government)
    cells = {
        (c.program_id, c.territory_id): c
        for c in db.session.scalars(select(Coverage).where(Coverage.diagnosis_id == diagnosis.id))
    }
    covered_districts = {t for (_p, t) in cells}
    present_programs = {p for (p, _t) in cells}
    return CoincidenceMatrix(
        programs=programs,
        districts=districts,
        cells=cells,
        uncovered_districts=[d for d in districts if d.id not in covered_districts],
        absent_programs=[p for p in programs if p.id not in present_programs],
    )


def program_lookup() -> dict[str, SocialProgram]:
    index: dict[str, SocialProgram] = {}
    for program in db.session.scalars(select(SocialProgram).where(SocialProgram.active.is_(True))):
        index[program.key.lower()] = program
        if program.acronym:
            index.setdefault(program.acronym.lower(), program)
    return index


def set_coverage(diagnosis: Diagnosis, program: SocialProgram, district: Territory, beneficiaries: Any) -> None:
    """Mark (or unmark, with "no") that ``program`` intervenes in ``district`` with its coverage."""
    row = db.session.scalar(
        select(Coverage).where(
            Coverage.diagnosis_id == diagnosis.id,
            Coverage.program_id == program.id,
            Coverage.territory_id == district.id,
        )
    )
    text = "" if beneficiaries is None else str(beneficiaries).strip().lower()
    if text in ("no", "0", "-", "—", "x-"):
        if row is not None:
            db.session.delete(row)
        return
    count = None if text in ("", "si", "sí", "x") else parse_number(text, "Beneficiarios", integer=True)
    if row is None:
        row = Coverage(diagnosis_id=diagnosis.id, program_id=program.id, territory_id=district.id)
        db.session.add(row)
    row.beneficiaries = count


COVERAGE_COLUMNS = {"ubigeo": "ubigeo", "programa": "programa", "beneficiarios": "beneficiarios"}


def import_coverage(diagnosis: Diagnosis, filename: str, data: bytes) -> ImportReport:
    """The Mapa de Coincidencias from CSV/XLSX: one row per program and district, all or nothing."""
    report = ImportReport()
    headers, rows = read_table(filename, data)
    require_columns(headers, COVERAGE_COLUMNS)
    districts = {t.ubigeo: t for t in districts_in_scope(diagnosis.government)}
    programs = program_lookup()
    report.rows = len(rows)
    parsed = []
    for number, row in rows:
        ubigeo = str(row.get("ubigeo") or "").strip().removesuffix(".0")
        ubigeo = ubigeo.zfill(6) if ubigeo.isdigit() else ubigeo
        district = districts.get(ubigeo)
        if district is None:
            report.add(number, "ubigeo", _("«%(value)s» is not a district in this diagnosis's scope.", value=ubigeo))
        program = programs.get(str(row.get("programa") or "").strip().lower())
        if program is None:
            report.add(number, "programa", f"Programa social desconocido «{row.get('programa')}» (Anexo N° 03).")
        value = row.get("beneficiarios")
        try:
            text = "" if value is None else str(value).strip().lower()
            if text not in ("", "si", "sí", "x", "no", "-"):
                parse_number(text.removesuffix(".0"), "Beneficiarios", integer=True)
        except MatrixError as error:
            report.add(number, "beneficiarios", str(error))
        if district and program:
            parsed.append((program, district, None if value is None else str(value).removesuffix(".0")))
    if not report.ok:
        return report
    for program, district, value in parsed:
        set_coverage(diagnosis, program, district, value)
        report.saved += 1
    db.session.flush()
    return report


# --- actors, causes, production (web forms and API share these) -------------------------------------


def _choice(raw: Any, allowed: tuple[str, ...], label: str) -> str:
    value = str(raw or "").strip()
    if value not in allowed:
        raise MatrixError(
            _(
                "«%(label)s»: «%(raw)s» is not a valid option (%(allowed)s).",
                label=label,
                raw=raw,
                allowed=", ".join(allowed),
            )
        )
    return value


def apply_actor(diagnosis: Diagnosis, actor: Actor, data: dict[str, Any]) -> None:
    from plugins.diagnosis.models import ACTOR_KINDS, ACTOR_LEVELS

    actor.diagnosis_id = diagnosis.id
    actor.name = clean_text(data.get("name"), "Actor", required=True)
    actor.kind = _choice(data.get("kind"), ACTOR_KINDS, "Tipo de actor")
    actor.level = _choice(data.get("level"), ACTOR_LEVELS, "Nivel")
    actor.role = clean_text(data.get("role"), "Rol", limit=2000)
    raw = data.get("programs") or []
    keys = raw if isinstance(raw, list) else str(raw).replace(",", ";").split(";")
    lookup = program_lookup()
    programs, unknown = [], []
    for key in (str(k).strip() for k in keys):
        if key:
            program = lookup.get(key.lower()) or next((p for p in lookup.values() if str(p.id) == key), None)
            (programs.append(program) if program else unknown.append(key))
    if unknown:
        raise MatrixError(_("Unknown social program: %(names)s.", names=", ".join(f"«{u}»" for u in unknown)))
    actor.programs = list(dict.fromkeys(programs))


def apply_relation(diagnosis: Diagnosis, relation: ActorRelation, data: dict[str, Any]) -> None:
    from plugins.diagnosis.models import RELATION_KINDS

    ids = {a.id: a for a in db.session.scalars(select(Actor).where(Actor.diagnosis_id == diagnosis.id))}
    try:
        source, target = ids[int(data.get("source_id"))], ids[int(data.get("target_id"))]
    except (KeyError, TypeError, ValueError):
        raise MatrixError(_("Choose two actors of this Mapa de Actores.")) from None
    if source.id == target.id:
        raise MatrixError(_("A relation joins two different actors."))
    relation.diagnosis_id = diagnosis.id
    relation.source, relation.target = source, target
    relation.kind = _choice(data.get("kind"), RELATION_KINDS, "Tipo de relación")
    relation.description = clean_text(data.get("description"), "Descripción", limit=2000)


def apply_cause(diagnosis: Diagnosis, cause: Cause, data: dict[str, Any]) -> None:
    cause.diagnosis_id = diagnosis.id
    cause.level = _choice(data.get("level"), CAUSE_LEVELS, "Nivel de la causa")
    cause.description = clean_text(data.get("description"), "Causa", required=True, limit=2000)
    cause.evidence = clean_text(data.get("evidence"), "Evidencia", limit=MAX_TEXT)
    cause.source = clean_text(data.get("source"), "Fuente")


def _district_in_scope(diagnosis: Diagnosis, raw: Any, required: bool) -> Territory | None:
    text = str(raw or "").strip()
    if not text:
        if required:
            raise MatrixError(_("Choose a district."))
        return None
    for district in districts_in_scope(diagnosis.government):
        if text in (district.ubigeo, str(district.id)):
            return district
    raise MatrixError(_("«%(value)s» is not a district in this diagnosis's scope.", value=text))


def apply_wealth(diagnosis: Diagnosis, item: WealthItem, data: dict[str, Any]) -> None:
    item.diagnosis_id = diagnosis.id
    item.category = _choice(data.get("category"), WEALTH_CATEGORIES, "Potencialidad")
    item.name = clean_text(data.get("name"), "Recurso o potencialidad", required=True)
    item.description = clean_text(data.get("description"), "Descripción", limit=2000)
    district = _district_in_scope(diagnosis, data.get("district"), required=False)
    item.territory_id = district.id if district else None


def set_survey_answer(diagnosis: Diagnosis, district_raw: Any, section: Any, content: Any) -> None:
    district = _district_in_scope(diagnosis, district_raw, required=True)
    key = _choice(section, SURVEY_SECTIONS, "Sección de la encuesta")
    text = clean_text(content, "Respuesta", limit=MAX_TEXT)
    row = db.session.scalar(
        select(SurveyAnswer).where(
            SurveyAnswer.diagnosis_id == diagnosis.id,
            SurveyAnswer.territory_id == district.id,
            SurveyAnswer.section == key,
        )
    )
    if text is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = SurveyAnswer(diagnosis_id=diagnosis.id, territory_id=district.id, section=key)
        db.session.add(row)
    row.content = text


# --- chart data and the check before validation ------------------------------------------------------


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


__all__ = [
    "TableError",
    "coincidence_matrix",
    "create_records",
    "districts_in_scope",
    "gaps",
    "import_baselines",
    "import_coverage",
]
