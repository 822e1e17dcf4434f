"""Pages of contests under /operaciones/concursos: the list, drafting a contest, and the contest page
(its Bases: criteria and prizes; the jury and the juror's declaration; applications; a juror's scoring
form; the ranking). Transitions and the issued PDFs are the engine's case page (/expedientes/<id>).
Every write is an operation (form_run)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectField

from core.extensions import db
from core.models import Government
from core.operations import Refusal, form_run, load_or_404
from core.security import EDIT, can, current_scope, readable_case_clause, writable_government_ids
from core.web.pagination import paginate
from core.workflow import get_workflow
from plugins.operations.incentives.fields import APPLICANT_CHOICES, APPLICATION, CONTEST, JUROR
from plugins.operations.incentives.models import (
    MAX_CRITERIA,
    MAX_PRIZES,
    SCALE,
    ApplicationFile,
    Contest,
    ContestApplication,
    ContestJuror,
)
from plugins.operations.incentives.service import in_conflict, juror_for, juror_governments

bp = Blueprint("operations_contests", __name__, url_prefix="/operaciones/concursos")

AREA = (
    _l("Incentives and recognition"),
    "operations_contests.index",
    _l("Contests of best practices: Bases, applications, jury scoring, ranking and recognition."),
)


class _WithGovernment(FlaskForm):
    government_id = SelectField(coerce=str)


ContestForm = CONTEST.form_class(_WithGovernment, versioned=False)
JurorForm = JUROR.form_class(FlaskForm, versioned=False)
ApplicationForm = APPLICATION.form_class(FlaskForm, versioned=False)


def _load(model: type, record_id: int, **kwargs: Any) -> Any:
    """The record through the scoping layer: 404 out of reach, 403 not allowed (as the page answers)."""
    try:
        return load_or_404(model, record_id, **kwargs)
    except Refusal as refusal:
        abort(refusal.status)


def _writable_governments() -> list[tuple[str, str]]:
    scope = current_scope()
    query = select(Government).order_by(Government.name)
    if not scope.is_admin:
        query = query.where(Government.id.in_(writable_government_ids(scope)))
    return [(str(g.id), g.name) for g in db.session.scalars(query.limit(300))]


@bp.route("/")
@login_required
def index() -> str:
    query = (
        select(Contest)
        .where(readable_case_clause(current_scope()))
        .options(joinedload(Contest.government))
        .order_by(Contest.year.desc(), Contest.id.desc())
    )
    return render_template(
        "operations/incentives/index.html",
        page=paginate(query, Contest.id),
        workflow=get_workflow("contest"),
        creatable=can(current_scope(), "case.create"),
    )


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not can(current_scope(), "case.create"):
        abort(403)
    form = ContestForm()
    form.government_id.choices = _writable_governments()
    status = 200
    if request.method == "POST":
        names = (*CONTEST.input_names, "government_id")
        data = {name: request.form[name] for name in names if name in request.form}
        contest, status = form_run("operations.contest.create", current_user, data, form)
        if contest is not None:
            return redirect(url_for("operations_contests.detail", contest_id=contest.id), 303)
    return render_template("operations/incentives/new.html", form=form), status


def _municipalities(contest: Contest) -> list[tuple[str, str]]:
    region_id = contest.government_id if contest.government.kind == "regional" else contest.government.region_id
    rows = db.session.scalars(
        select(Government)
        .where(Government.region_id == region_id, Government.kind != "regional")
        .order_by(Government.name)
    )
    return [("", "—")] + [(str(g.id), g.name) for g in rows]


def _with_children(contest: Contest) -> Contest:
    """The contest with everything its page prints, in a fixed number of statements (no per-row loads)."""
    return db.session.scalars(
        select(Contest)
        .where(Contest.id == contest.id)
        .options(
            selectinload(Contest.criteria),
            selectinload(Contest.prizes),
            selectinload(Contest.jurors).joinedload(ContestJuror.user),
            selectinload(Contest.applications).options(
                joinedload(ContestApplication.government),
                selectinload(ContestApplication.scores),
                selectinload(ContestApplication.files).joinedload(ApplicationFile.attachment),
            ),
        )
        .execution_options(populate_existing=True)
    ).one()


def _detail(contest: Contest, status: int = 200, **forms: Any) -> Any:
    contest = _with_children(contest)
    scope = current_scope()
    juror = juror_for(contest, current_user)
    scorable: list[ContestApplication] = []
    mine: dict[tuple[int, int], Any] = {}
    if juror is not None:
        governments = juror_governments(juror.user_id)
        scorable = [a for a in contest.applications if not in_conflict(contest, a, governments)]
        mine = {
            (s.application_id, s.criterion_id): s.score for a in scorable for s in a.scores if s.juror_id == juror.id
        }
    application_form = forms.get("application_form") or ApplicationForm(formdata=None)
    application_form.applicant_kind.choices = list(APPLICANT_CHOICES.items())
    context = {
        "contest": contest,
        "workflow": get_workflow("contest"),
        "can_edit": can(scope, "case.edit", contest),
        "juror": juror,
        "scorable": scorable,
        "mine": mine,
        "scale": SCALE,
        "criteria_rows": max(MAX_CRITERIA, len(contest.criteria)),
        "prize_rows": MAX_PRIZES,
        "juror_form": forms.get("juror_form") or JurorForm(formdata=None),
        "application_form": application_form,
        "municipalities": _municipalities(contest),
        "applicant_names": APPLICANT_CHOICES,
    }
    return render_template("operations/incentives/detail.html", **context), status


@bp.route("/<int:contest_id>")
@login_required
def detail(contest_id: int) -> Any:
    return _detail(_load(Contest, contest_id))


def _back(contest_id: int, anchor: str = "") -> Any:
    return redirect(url_for("operations_contests.detail", contest_id=contest_id) + anchor, 303)


def _table(prefix: str, names: tuple[str, ...], count: int) -> list[dict[str, str]]:
    """Rows of a repeated form (``<name>-<n>``), blank rows left out by the operation."""
    return [{name: request.form.get(f"{name}-{n}", "") for name in names} for n in range(1, count + 1)]


@bp.route("/<int:contest_id>/criterios", methods=["POST"])
@login_required
def criteria(contest_id: int) -> Any:
    contest = _load(Contest, contest_id, action=EDIT)
    rows = _table("criterion", ("name", "description", "weight"), max(MAX_CRITERIA, len(contest.criteria)))
    data = {"contest_id": contest.id, "version": request.form.get("version"), "criteria": rows}
    _result, status = form_run("operations.contest.criteria.set", current_user, data)
    return _back(contest_id, "#bases") if status == 200 else _detail(_load(Contest, contest_id), status)


@bp.route("/<int:contest_id>/premios", methods=["POST"])
@login_required
def prizes(contest_id: int) -> Any:
    contest = _load(Contest, contest_id, action=EDIT)
    rows = _table("prize", ("description", "amount"), MAX_PRIZES)
    data = {"contest_id": contest.id, "version": request.form.get("version"), "prizes": rows}
    _result, status = form_run("operations.contest.prizes.set", current_user, data)
    return _back(contest_id, "#bases") if status == 200 else _detail(_load(Contest, contest_id), status)


@bp.route("/<int:contest_id>/jurados", methods=["POST"])
@login_required
def jurors(contest_id: int) -> Any:
    contest = _load(Contest, contest_id, action=EDIT)
    form = JurorForm()
    data = {"contest_id": contest.id, "email": request.form.get("email", ""), "charge": request.form.get("charge", "")}
    _result, status = form_run("operations.contest.juror.add", current_user, data, form)
    return (
        _back(contest_id, "#jurado") if status == 200 else _detail(_load(Contest, contest_id), status, juror_form=form)
    )


@bp.route("/<int:contest_id>/declaracion", methods=["POST"])
@login_required
def declaration(contest_id: int) -> Any:
    contest = _load(Contest, contest_id)
    data = {"contest_id": contest.id, "no_conflict": request.form.get("no_conflict", "")}
    _result, status = form_run("operations.contest.juror.declare", current_user, data)
    return _back(contest_id, "#calificacion") if status == 200 else _detail(_load(Contest, contest_id), status)


@bp.route("/<int:contest_id>/postulaciones", methods=["POST"])
@login_required
def applications(contest_id: int) -> Any:
    contest = _load(Contest, contest_id, action=EDIT)
    form = ApplicationForm()
    form.applicant_kind.choices = list(APPLICANT_CHOICES.items())
    data = {name: request.form.get(name, "") for name in APPLICATION.input_names}
    data["contest_id"] = contest.id
    result, status = form_run("operations.contest.application.add", current_user, data, form)
    if status == 200 and request.files.get("file"):
        upload = {"application_id": result.id, "upload": request.files["file"]}
        _file, status = form_run("operations.contest.application.file", current_user, upload)
    if status == 200:
        return _back(contest_id, "#postulaciones")
    return _detail(_load(Contest, contest_id), status, application_form=form)


@bp.route("/postulaciones/<int:application_id>/calificacion", methods=["POST"])
@login_required
def scores(application_id: int) -> Any:
    application = _load(ContestApplication, application_id, government=lambda a: a.contest.government)
    contest_id = application.contest_id
    marks = {key.split("-", 1)[1]: value for key, value in request.form.items() if key.startswith("score-")}
    data = {"application_id": application.id, "scores": marks}
    _result, status = form_run("operations.contest.scores.set", current_user, data)
    return _back(contest_id, "#calificacion") if status == 200 else _detail(_load(Contest, contest_id), status)
