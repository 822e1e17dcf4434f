"""The diagnosis's writes: Fichas Distritales and the nominal list of item (g), baselines, the
Mapa de Coincidencias, the Mapa de Actores, causes, and the production diagnosis.

Each is a named operation (core.operations); the values are checked by instruments.py, whose
refusals (MatrixError, TableError) are core Refusals."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Territory
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.diagnosis import fields as declared
from plugins.diagnosis import instruments, matrix
from plugins.diagnosis.matrix import MatrixError
from plugins.diagnosis.models import (
    SURVEY_SECTIONS,
    Actor,
    ActorRelation,
    Cause,
    Diagnosis,
    DistrictRecord,
    NominalChild,
    WealthItem,
)
from plugins.diagnosis.operations.common import changed, editable, editing, not_found
from plugins.diagnosis.privacy import audit_nominal_access, can_see_nominal_list
from plugins.diagnosis.tabular import ImportRefused, ImportReport, TableError

CASE = ("case_id", "version")


def _record(diagnosis: Diagnosis, data: dict[str, Any]) -> DistrictRecord:
    """The Ficha by ``record_id`` or by its district's ``ubigeo``."""
    query = select(DistrictRecord).where(DistrictRecord.diagnosis_id == diagnosis.id)
    if data.get("ubigeo") is not None:
        query = query.join(Territory, DistrictRecord.territory_id == Territory.id).where(
            Territory.ubigeo == str(data["ubigeo"])
        )
    else:
        query = query.where(DistrictRecord.id == _int(data.get("record_id")))
    record = db.session.scalar(query)
    if record is None:
        raise not_found()
    return record


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


# --- Fichas Distritales and item (g) ---------------------------------------------------------------------


@operation("diagnosis.ficha.edit", params=(*CASE, "record_id", "ubigeo", "items", "notes"))
def edit_ficha(ctx: Context, data: dict[str, Any]) -> DistrictRecord:
    """Set the values of a Ficha Distrital: ``items`` {letter: {value, source, date, notes}}, and its ``notes``.

    Every item is checked; the problems of all of them are reported together."""
    diagnosis = ctx.load(Diagnosis, data.get("case_id"), action=EDIT)
    record = _record(diagnosis, data)  # an unknown district answers 404 before any other refusal
    editable(ctx, diagnosis, data)
    items = {i.letter: i for i in instruments.social_items()}
    entries = data.get("items")
    if not isinstance(entries, dict):
        raise MatrixError(_("«items» must be an object {letter: {value, source, date, notes}}."))
    problems = []
    for letter, entry in entries.items():
        if letter not in items or not isinstance(entry, dict):
            raise MatrixError(_("Unknown item «%(letter)s» (use a–k).", letter=letter))
        if set(entry) - {"value", "source", "date", "notes"}:
            raise MatrixError(_("Item %(letter)s: only value, source, date and notes are accepted.", letter=letter))
        try:
            instruments.set_record_value(
                record, items[letter], entry.get("value"), entry.get("source"), entry.get("date"), entry.get("notes")
            )
        except MatrixError as error:
            problems.append(str(error))
    if "notes" in data:
        record.notes = matrix.clean_text(data.get("notes"), _("Notes"), limit=20000)
    if problems:
        raise MatrixError(" ".join(problems))
    changed(ctx, diagnosis)
    return record


def _nominal(ctx: Context, data: dict[str, Any]) -> Diagnosis:
    diagnosis = editing(ctx, Diagnosis, data)
    if not can_see_nominal_list(ctx.scope, diagnosis):
        raise Refusal(_("You do not have permission to do this."), 403)
    return diagnosis


@operation("diagnosis.nominal_list.keep", params=(*CASE, "keep"))
def keep_nominal_list(ctx: Context, data: dict[str, Any]) -> Diagnosis:
    """Whether the government keeps the nominal list of item (g) (``keep``); its coordinators decide.

    Stopping the list deletes it: personal data is not kept longer than needed (Ley N° 29733)."""
    diagnosis = _nominal(ctx, data)
    keep = bool(data.get("keep"))
    if not keep and diagnosis.keeps_nominal_list:
        ids = [r.id for r in diagnosis.records]
        db.session.execute(db.delete(NominalChild).where(NominalChild.record_id.in_(ids)))
        audit_nominal_access("nominal_list_deleted", diagnosis, "lista nominal eliminada")
    diagnosis.keeps_nominal_list = keep
    changed(ctx, diagnosis)
    return diagnosis


def _nominal_record(ctx: Context, data: dict[str, Any]) -> tuple[Diagnosis, DistrictRecord]:
    diagnosis = _nominal(ctx, data)
    if not diagnosis.keeps_nominal_list:
        raise Refusal(_("This government does not keep the nominal list."), 403)
    return diagnosis, _record(diagnosis, data)


@operation("diagnosis.nominal_child.add", params=(*CASE, "record_id", "full_name", "dni", "birth_date", "community"))
def add_nominal_child(ctx: Context, data: dict[str, Any]) -> NominalChild:
    """Add a child to the nominal list of a Ficha (coordinators of the government only; audited)."""
    diagnosis, record = _nominal_record(ctx, data)
    child = NominalChild(record_id=record.id, **declared.parse_row(declared.NOMINAL_CHILD, data, new=True))
    db.session.add(child)
    audit_nominal_access("nominal_child_added", diagnosis, f"ficha {record.territory.ubigeo}")
    changed(ctx, diagnosis)
    return child


@operation("diagnosis.nominal_child.remove", params=(*CASE, "record_id", "child_id"))
def remove_nominal_child(ctx: Context, data: dict[str, Any]) -> DistrictRecord:
    """Remove a child from the nominal list of a Ficha (audited)."""
    diagnosis, record = _nominal_record(ctx, data)
    child = db.session.get(NominalChild, _int(data.get("child_id")))
    if child is None or child.record_id != record.id:
        raise MatrixError(_("Record not found."))
    db.session.delete(child)
    audit_nominal_access("nominal_child_deleted", diagnosis, f"ficha {record.territory.ubigeo}")
    changed(ctx, diagnosis)
    return record


# --- baselines and the Mapa de Coincidencias ---------------------------------------------------------------


@operation("diagnosis.baselines.save", params=(*CASE, "rows"))
def save_baselines(ctx: Context, data: dict[str, Any]) -> ImportReport:
    """Set baselines: ``rows`` [{ubigeo, indicator, measure, value, year, source, notes}], all or nothing.

    ``indicator`` is the key indicator's number (1–9), key or acronym; the report names each row's problem."""
    diagnosis = editing(ctx, Diagnosis, data)
    territories = {t.ubigeo: t for t in instruments.territories_in_scope(diagnosis.government)}
    indicators = instruments.indicator_lookup()
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise MatrixError(_("«rows» must be a list."))
    report = ImportReport(rows=len(rows))
    checked = []
    for number, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        territory = territories.get(str(row.get("ubigeo", "")))
        indicator = indicators.get(str(row.get("indicator", "")).lower())
        if territory is None:
            report.add(number, "ubigeo", _("Territory outside the diagnosis's scope."))
        if indicator is None:
            report.add(number, "indicator", _("Unknown indicator (1 to 9)."))
        if territory and indicator:
            checked.append((number, territory, indicator, row))
    for number, territory, indicator, row in checked:
        try:
            instruments.upsert_baseline(
                diagnosis,
                territory,
                indicator,
                row.get("value"),
                row.get("year"),
                row.get("source"),
                row.get("notes"),
                measure=row.get("measure"),
            )
            report.saved += 1
        except MatrixError as error:
            report.add(number, "value/year/source", str(error))
    if not report.ok:
        raise ImportRefused(report)
    changed(ctx, diagnosis)
    return report


@operation(
    "diagnosis.baseline.set",
    params=(*CASE, "territory_id", "indicator", "value", "year", "source", "notes"),
)
def set_baseline(ctx: Context, data: dict[str, Any]) -> Diagnosis:
    """Set one baseline: ``territory_id``, ``indicator`` ("12", or "12:measure" for one of its measures),
    ``value``, ``year``, ``source``, ``notes``."""
    diagnosis = editing(ctx, Diagnosis, data)
    territory = next(
        (
            t
            for t in instruments.territories_in_scope(diagnosis.government)
            if str(t.id) == str(data.get("territory_id"))
        ),
        None,
    )
    indicator_id, _sep, measure = str(data.get("indicator") or "").partition(":")
    indicator = next((i for i in instruments.key_indicators() if str(i.id) == indicator_id), None)
    if territory is None or indicator is None:
        raise MatrixError(_("Choose a territory of the scope and an indicator."))
    instruments.upsert_baseline(
        diagnosis,
        territory,
        indicator,
        data.get("value"),
        data.get("year"),
        data.get("source"),
        data.get("notes"),
        measure=measure,
    )
    changed(ctx, diagnosis)
    return diagnosis


def _import(ctx: Context, data: dict[str, Any], reader: Any) -> ImportReport:
    diagnosis = editing(ctx, Diagnosis, data)
    if not data.get("content"):
        raise TableError(_("Choose a file."))
    report = reader(diagnosis, str(data.get("filename") or ""), data["content"])
    if not report.ok:
        raise ImportRefused(report)
    changed(ctx, diagnosis)
    return report


@operation("diagnosis.baselines.import", params=(*CASE, "filename", "content"))
def import_baselines(ctx: Context, data: dict[str, Any]) -> ImportReport:
    """Baselines from a CSV or XLSX file (``filename``, ``content``), all or nothing."""
    return _import(ctx, data, instruments.import_baselines)


@operation("diagnosis.coverage.set", params=(*CASE, "rows"))
def set_coverage(ctx: Context, data: dict[str, Any]) -> Diagnosis:
    """Mapa de Coincidencias: ``rows`` [{program, ubigeo, beneficiaries}] (a count, "sí", or "no"/false to remove).

    Every row is checked; the problems of all of them are reported together."""
    diagnosis = editing(ctx, Diagnosis, data)
    districts = {d.ubigeo: d for d in instruments.districts_in_scope(diagnosis.government)}
    programs = instruments.program_lookup()
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise MatrixError(_("«rows» must be a list."))
    problems = []
    for number, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        program = programs.get(str(row.get("program", "")).lower())
        district = districts.get(str(row.get("ubigeo", "")))
        if program is None or district is None:
            raise MatrixError(_("Row %(number)s: unknown program or district.", number=number))
        beneficiaries = row.get("beneficiaries")
        try:
            instruments.set_coverage(diagnosis, program, district, "no" if beneficiaries is False else beneficiaries)
        except MatrixError as error:
            problems.append(f"{program.acronym or program.name} / {district.name}: {error}")
    if problems:
        raise MatrixError(" ".join(problems))
    changed(ctx, diagnosis)
    return diagnosis


@operation("diagnosis.coverage.import", params=(*CASE, "filename", "content"))
def import_coverage(ctx: Context, data: dict[str, Any]) -> ImportReport:
    """The Mapa de Coincidencias from a CSV or XLSX file (``filename``, ``content``), all or nothing."""
    return _import(ctx, data, instruments.import_coverage)


# --- actors, relations, causes, production ------------------------------------------------------------------


def _adder(name: str, model: type, apply: Any, doc: str) -> Any:
    def add(ctx: Context, data: dict[str, Any]) -> Any:
        diagnosis = editing(ctx, Diagnosis, data, append=True)
        row = model()
        apply(diagnosis, row, {k: v for k, v in data.items() if k not in CASE})
        db.session.add(row)
        changed(ctx, diagnosis, append=True)
        db.session.flush()
        return row

    add.__doc__ = doc
    return operation(name, params=CASE)(add)


def _remover(name: str, model: type, doc: str) -> Any:
    def remove(ctx: Context, data: dict[str, Any]) -> Diagnosis:
        diagnosis = editing(ctx, Diagnosis, data)
        row = db.session.get(model, _int(data.get("id")))
        if row is None or row.diagnosis_id != diagnosis.id:
            raise MatrixError(_("Record not found."))
        db.session.delete(row)
        changed(ctx, diagnosis)
        return diagnosis

    remove.__doc__ = doc
    return operation(name, params=(*CASE, "id"))(remove)


add_actor = _adder(
    "diagnosis.actor.add", Actor, instruments.apply_actor, "Add an actor {name, kind, level, role, programs}."
)
remove_actor = _remover("diagnosis.actor.remove", Actor, "Remove an actor (``id``) and its relations.")
add_relation = _adder(
    "diagnosis.relation.add", ActorRelation, instruments.apply_relation, "Add a relation {source_id, target_id, kind}."
)
remove_relation = _remover("diagnosis.relation.remove", ActorRelation, "Remove a relation between actors (``id``).")
add_cause = _adder(
    "diagnosis.cause.add", Cause, instruments.apply_cause, "Add a cause {level, description, evidence, source}."
)
remove_cause = _remover("diagnosis.cause.remove", Cause, "Remove a cause (``id``).")
add_wealth = _adder(
    "diagnosis.wealth.add",
    WealthItem,
    instruments.apply_wealth,
    "Add a resource or potential {category, name, district}.",
)
remove_wealth = _remover("diagnosis.wealth.remove", WealthItem, "Remove a resource or potential (``id``).")


@operation("diagnosis.survey.set", params=(*CASE, "district", *SURVEY_SECTIONS))
def set_survey(ctx: Context, data: dict[str, Any]) -> Diagnosis:
    """The production survey's answers of one ``district``, one key per section (empty removes it)."""
    diagnosis = editing(ctx, Diagnosis, data)
    for section in SURVEY_SECTIONS:
        if section in data:
            instruments.set_survey_answer(diagnosis, data.get("district"), section, data.get(section))
    changed(ctx, diagnosis)
    return diagnosis


OPERATIONS = [
    edit_ficha,
    keep_nominal_list,
    add_nominal_child,
    remove_nominal_child,
    set_baseline,
    save_baselines,
    import_baselines,
    set_coverage,
    import_coverage,
    add_actor,
    remove_actor,
    add_relation,
    remove_relation,
    add_cause,
    remove_cause,
    add_wealth,
    remove_wealth,
    set_survey,
]
