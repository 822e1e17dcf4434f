"""The Mapa de Actores (actors and their relations), the causes of chronic malnutrition, and the
production diagnosis (resources and potentials, the survey per district): rows from their declared
fields (fields.py), checked against the diagnosis they belong to."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Territory
from plugins.diagnosis import fields as declared
from plugins.diagnosis.instruments.coverage import program_lookup
from plugins.diagnosis.instruments.scope import districts_in_scope
from plugins.diagnosis.matrix.values import MatrixError
from plugins.diagnosis.models import (
    SURVEY_SECTIONS,
    Actor,
    ActorRelation,
    Cause,
    Diagnosis,
    SurveyAnswer,
    WealthItem,
)


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


def apply_actor(diagnosis: Diagnosis, actor: Actor, data: dict[str, Any]) -> None:
    values = declared.parse_row(declared.ACTOR, data, new=True)
    lookup = program_lookup()
    programs, unknown = [], []
    for key in values.pop("programs", None) or []:
        if key:
            program = lookup.get(key.lower()) or next((p for p in lookup.values() if str(p.id) == key), None)
            (programs.append(program) if program else unknown.append(key))
    if unknown:
        raise MatrixError(_("Unknown social program: %(names)s.", names=", ".join(f"«{u}»" for u in unknown)))
    actor.diagnosis_id = diagnosis.id
    for name, value in values.items():
        setattr(actor, name, value)
    actor.programs = list(dict.fromkeys(programs))


def apply_relation(diagnosis: Diagnosis, relation: ActorRelation, data: dict[str, Any]) -> None:
    values = declared.parse_row(declared.RELATION, data, new=True)
    ids = {a.id: a for a in db.session.scalars(select(Actor).where(Actor.diagnosis_id == diagnosis.id))}
    source, target = ids.get(values.pop("source_id")), ids.get(values.pop("target_id"))
    if source is None or target is None:
        raise MatrixError(_("Choose two actors of this Mapa de Actores."))
    if source.id == target.id:
        raise MatrixError(_("A relation joins two different actors."))
    relation.diagnosis_id = diagnosis.id
    relation.source, relation.target = source, target
    for name, value in values.items():
        setattr(relation, name, value)


def apply_cause(diagnosis: Diagnosis, cause: Cause, data: dict[str, Any]) -> None:
    cause.diagnosis_id = diagnosis.id
    for name, value in declared.parse_row(declared.CAUSE, data, new=True).items():
        setattr(cause, name, value)


def apply_wealth(diagnosis: Diagnosis, item: WealthItem, data: dict[str, Any]) -> None:
    values = declared.parse_row(declared.WEALTH, data, new=True)
    district = _district_in_scope(diagnosis, values.pop("district", None), required=False)
    item.diagnosis_id = diagnosis.id
    for name, value in values.items():
        setattr(item, name, value)
    item.territory_id = district.id if district else None


def _section(raw: Any) -> str:
    value = str(raw or "").strip()
    if value not in SURVEY_SECTIONS:
        raise MatrixError(
            _(
                "«%(label)s»: «%(raw)s» is not a valid option (%(allowed)s).",
                label="Sección de la encuesta",
                raw=raw,
                allowed=", ".join(SURVEY_SECTIONS),
            )
        )
    return value


def set_survey_answer(diagnosis: Diagnosis, district_raw: Any, section: Any, content: Any) -> None:
    district = _district_in_scope(diagnosis, district_raw, required=True)
    key = _section(section)
    text = declared.parse_value(declared.SURVEY[key], content)
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
