"""The diagnosis's pages: Fichas Distritales and the nominal list of item (g), baselines, the
Mapa de Actores, the Mapa de Coincidencias, causes and the production diagnosis.

Each page reads through the scoping layer and writes through a named operation (submit)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from core.models import Territory
from core.security import current_scope
from plugins.diagnosis import instruments
from plugins.diagnosis.models import (
    SURVEY_SECTIONS,
    Actor,
    ActorRelation,
    Baseline,
    Cause,
    Diagnosis,
    DistrictRecord,
    NominalChild,
    SurveyAnswer,
    WealthItem,
)
from plugins.diagnosis.pages.common import bp, can_write, case_data, load_case, posted, submit, unknown_action, upload
from plugins.diagnosis.privacy import audit_nominal_access, can_see_nominal_list


def _record(diagnosis: Diagnosis, record_id: int) -> DistrictRecord:
    record = db.session.get(DistrictRecord, record_id)
    if record is None or record.diagnosis_id != diagnosis.id:
        abort(404)
    return record


# --- Fichas Distritales and item (g) -------------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/fichas")
@login_required
def fichas(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)
    return render_template(
        "diagnosis/fichas.html",
        case=diagnosis,
        records=instruments.records_with_values(diagnosis.id),
        items=instruments.social_items(),
        can_write=can_write(diagnosis),
        can_nominal=can_see_nominal_list(current_scope(), diagnosis),
    )


@bp.route("/diagnosticos/<int:case_id>/fichas/<int:record_id>", methods=["GET", "POST"])
@login_required
def ficha(case_id: int, record_id: int):
    diagnosis = load_case(case_id, Diagnosis)
    record = _record(diagnosis, record_id)
    items = instruments.social_items()

    def page(status: int = 200, **_: Any) -> Any:
        by_item = {v.item_id: v for v in record.values}
        nominal_count = None
        if diagnosis.keeps_nominal_list and can_see_nominal_list(current_scope(), diagnosis):
            nominal_count = db.session.scalar(
                select(func.count(NominalChild.id)).where(NominalChild.record_id == record.id)
            )
        return render_template(
            "diagnosis/ficha.html",
            case=diagnosis,
            record=record,
            rows=[(item, by_item.get(item.id)) for item in items],
            can_write=can_write(diagnosis),
            nominal_count=nominal_count,
            form=request.form if status != 200 else None,
        ), status

    if request.method == "GET":
        return page()
    entries = {
        item.letter: {
            key: request.form.get(f"item_{item.id}_{field}")
            for key, field in (("value", "value"), ("source", "source"), ("date", "as_of"), ("notes", "notes"))
        }
        for item in items
    }
    data = case_data(diagnosis, record_id=record.id, items=entries, notes=request.form.get("notes"))
    return submit("diagnosis.ficha.edit", data, url_for("diagnosis.fichas", case_id=diagnosis.id), page)


@bp.route("/diagnosticos/<int:case_id>/lista-nominal", methods=["POST"])
@login_required
def nominal_setting(case_id: int):
    """Whether this government keeps the nominal list of item (g): its coordinators decide."""
    diagnosis = load_case(case_id, Diagnosis)

    def page(status: int = 200, **_: Any) -> Any:
        return render_template("core/error.html", code=status, message=""), status

    data = case_data(diagnosis, keep=request.form.get("keep") == "1")
    return submit("diagnosis.nominal_list.keep", data, url_for("diagnosis.fichas", case_id=diagnosis.id), page)


@bp.route("/diagnosticos/<int:case_id>/fichas/<int:record_id>/lista-nominal", methods=["GET", "POST"])
@login_required
def nominal_list(case_id: int, record_id: int):
    """Item (g), nominal list: the government's coordinators only; every access is audited."""
    diagnosis = load_case(case_id, Diagnosis)
    record = _record(diagnosis, record_id)
    if not can_see_nominal_list(current_scope(), diagnosis) or not diagnosis.keeps_nominal_list:
        abort(403)

    def page(status: int = 200, **_: Any) -> Any:
        children = db.session.scalars(
            select(NominalChild).where(NominalChild.record_id == record.id).order_by(NominalChild.full_name)
        ).all()
        audit_nominal_access("nominal_list_viewed", diagnosis, f"ficha {record.territory.ubigeo}: {len(children)}")
        db.session.commit()
        response = render_template(
            "diagnosis/nominal.html", case=diagnosis, record=record, children=children, can_write=can_write(diagnosis)
        )
        return response, status, {"Cache-Control": "no-store, private"}

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.nominal_list", case_id=diagnosis.id, record_id=record.id)
    if request.form.get("delete"):
        data = case_data(diagnosis, record_id=record.id, child_id=request.form.get("delete"))
        return submit("diagnosis.nominal_child.remove", data, done, page)
    values = {k: request.form.get(k) for k in ("full_name", "dni", "birth_date", "community")}
    return submit("diagnosis.nominal_child.add", case_data(diagnosis, record_id=record.id, **values), done, page)


# --- baselines -------------------------------------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/lineas-de-base", methods=["GET", "POST"])
@login_required
def baselines(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)

    def page(status: int = 200, report: Any = None) -> Any:
        territories = instruments.territories_in_scope(diagnosis.government)
        indicators = instruments.key_indicators()
        # One column per indicator, or per measure of an indicator measured several ways (1: poverty and
        # extreme poverty): (indicator, measure key, label).
        columns = []
        for indicator in indicators:
            measures = instruments.measures_of(indicator)
            if measures:
                columns += [(indicator, key, f"{indicator.position}. {m.name}") for key, m in measures.items()]
            else:
                columns.append((indicator, "", str(indicator.position)))
        rows = db.session.scalars(select(Baseline).where(Baseline.diagnosis_id == diagnosis.id)).all()
        return render_template(
            "diagnosis/baselines.html",
            case=diagnosis,
            territories=territories,
            indicators=indicators,
            columns=columns,
            sources=instruments.data_sources(),
            cells={(b.territory_id, b.indicator_id, b.measure): b for b in rows},
            can_write=can_write(diagnosis),
            report=report,
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.baselines", case_id=diagnosis.id)
    if request.files.get("file"):
        return submit("diagnosis.baselines.import", case_data(diagnosis, **upload()), done, page)
    values = {k: request.form.get(k) for k in ("indicator", "value", "year", "source", "notes")}
    data = case_data(diagnosis, territory_id=request.form.get("territory", ""), **values)
    return submit("diagnosis.baseline.set", data, done, page)


# --- Mapa de Actores and Mapa de Coincidencias ----------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/actores", methods=["GET", "POST"])
@login_required
def actors(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)

    def page(status: int = 200, **_: Any) -> Any:
        actor_rows = db.session.scalars(
            select(Actor)
            .where(Actor.diagnosis_id == diagnosis.id)
            .options(selectinload(Actor.programs))
            .order_by(Actor.kind, Actor.name)
        ).all()
        relations = db.session.scalars(
            select(ActorRelation)
            .where(ActorRelation.diagnosis_id == diagnosis.id)
            .options(joinedload(ActorRelation.source), joinedload(ActorRelation.target))
            .order_by(ActorRelation.id)
        ).all()
        return render_template(
            "diagnosis/actors.html",
            case=diagnosis,
            actors=actor_rows,
            relations=relations,
            can_write=can_write(diagnosis),
        ), status

    if request.method == "GET":
        return page()
    operations = {
        "add_actor": "diagnosis.actor.add",
        "add_relation": "diagnosis.relation.add",
        "delete_actor": "diagnosis.actor.remove",
        "delete_relation": "diagnosis.relation.remove",
    }
    name = operations.get(request.form.get("action", ""))
    if name is None:
        unknown_action(diagnosis)
    data = {k: v for k, v in posted().items() if k not in ("action", "_form", "csrf_token", "version")}
    return submit(name, case_data(diagnosis, **data), url_for("diagnosis.actors", case_id=diagnosis.id), page)


@bp.route("/diagnosticos/<int:case_id>/coincidencias", methods=["GET", "POST"])
@login_required
def coverage(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)

    def page(status: int = 200, report: Any = None) -> Any:
        grid = instruments.coincidence_matrix(diagnosis)
        # A region has ~80 districts: the grid is shown one province at a time (gaps listed for all).
        parents = {
            t.id: t.name
            for t in db.session.scalars(
                select(Territory).where(Territory.id.in_({d.parent_id for d in grid.districts}))
            )
        }
        provinces = sorted({(d.ubigeo[:4], parents.get(d.parent_id, d.ubigeo[:4])) for d in grid.districts})
        province = request.args.get("provincia") or (provinces[0][0] if len(provinces) > 1 else "")
        return render_template(
            "diagnosis/coverage.html",
            case=diagnosis,
            matrix=grid,
            shown=[d for d in grid.districts if d.ubigeo.startswith(province)],
            provinces=provinces,
            province=province,
            can_write=can_write(diagnosis),
            report=report,
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.coverage", case_id=diagnosis.id, provincia=request.args.get("provincia", ""))
    if request.files.get("file"):
        return submit("diagnosis.coverage.import", case_data(diagnosis, **upload()), done, page)
    grid = instruments.coincidence_matrix(diagnosis)
    rows = []
    for program in grid.programs:
        for district in grid.districts:
            name = f"c_{program.id}_{district.id}"
            if name not in request.form:
                continue
            value = request.form.get(name, "").strip()
            # A ticked cell or a typed number means the program intervenes; neither removes it.
            checked = request.form.get(f"on_{program.id}_{district.id}") == "1" or bool(value)
            rows.append(
                {
                    "program": program.key,
                    "ubigeo": district.ubigeo,
                    "beneficiaries": (value or "sí") if checked else "no",
                }
            )
    return submit("diagnosis.coverage.set", case_data(diagnosis, rows=rows), done, page)


# --- causes and the production diagnosis -------------------------------------------------------------


@bp.route("/diagnosticos/<int:case_id>/causas", methods=["GET", "POST"])
@login_required
def causes(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)

    def page(status: int = 200, **_: Any) -> Any:
        rows = db.session.scalars(select(Cause).where(Cause.diagnosis_id == diagnosis.id).order_by(Cause.id)).all()
        return render_template(
            "diagnosis/causes.html", case=diagnosis, causes=rows, can_write=can_write(diagnosis)
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.causes", case_id=diagnosis.id)
    if request.form.get("delete"):
        return submit("diagnosis.cause.remove", case_data(diagnosis, id=request.form["delete"]), done, page)
    values = {k: request.form.get(k) for k in ("level", "description", "evidence", "source")}
    return submit("diagnosis.cause.add", case_data(diagnosis, **values), done, page)


@bp.route("/diagnosticos/<int:case_id>/productivo", methods=["GET", "POST"])
@login_required
def production(case_id: int):
    diagnosis = load_case(case_id, Diagnosis)
    districts = instruments.districts_in_scope(diagnosis.government)

    def page(status: int = 200, **_: Any) -> Any:
        wealth = db.session.scalars(
            select(WealthItem)
            .where(WealthItem.diagnosis_id == diagnosis.id)
            .options(joinedload(WealthItem.territory))
            .order_by(WealthItem.category, WealthItem.name)
        ).all()
        answers = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.diagnosis_id == diagnosis.id)).all()
        selected = request.args.get("distrito") or (districts[0].ubigeo if districts else "")
        district = next((d for d in districts if d.ubigeo == selected), districts[0] if districts else None)
        return render_template(
            "diagnosis/production.html",
            case=diagnosis,
            wealth=wealth,
            districts=districts,
            district=district,
            answers={a.section: a.content for a in answers if district and a.territory_id == district.id},
            can_write=can_write(diagnosis),
        ), status

    if request.method == "GET":
        return page()
    done = url_for("diagnosis.production", case_id=diagnosis.id, distrito=request.form.get("district", ""))
    action = request.form.get("action")
    if action == "add_wealth":
        values = {k: request.form.get(k) for k in ("category", "name", "description", "district")}
        return submit("diagnosis.wealth.add", case_data(diagnosis, **values), done, page)
    if action == "delete_wealth":
        return submit("diagnosis.wealth.remove", case_data(diagnosis, id=request.form.get("id")), done, page)
    if action == "survey":
        values = {section: request.form.get(section) for section in SURVEY_SECTIONS}
        return submit(
            "diagnosis.survey.set", case_data(diagnosis, district=request.form.get("district"), **values), done, page
        )
    unknown_action(diagnosis)
