"""The Mapa de Coincidencias: which social program intervenes in which district of the scope, with
its beneficiaries; the districts no program reaches and the programs absent from the scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import SocialProgram, Territory
from plugins.diagnosis import fields as declared  # a module: fields.py imports this package's parsers
from plugins.diagnosis.instruments.scope import districts_in_scope
from plugins.diagnosis.matrix.values import MatrixError
from plugins.diagnosis.models import Coverage, Diagnosis
from plugins.diagnosis.tabular import ImportReport, read_table, require_columns


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
    count = None if text in ("", "si", "sí", "x") else declared.parse_value(declared.COVERAGE["beneficiaries"], text)
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
            report.add(
                number,
                "programa",
                _("Unknown social program «%(program)s» (Annex No. 03).", program=row.get("programa")),
            )
        value = row.get("beneficiarios")
        try:
            text = "" if value is None else str(value).strip().lower()
            if text not in ("", "si", "sí", "x", "no", "-"):
                declared.parse_value(declared.COVERAGE["beneficiaries"], text.removesuffix(".0"))
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
