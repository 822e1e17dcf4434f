"""Through the pages: the region drafts a best-practices contest, its Bases are refused until the weights add
up to 100 and the prizes fit the budget cap, the call issues the Bases and opens the calendar's deadlines,
two municipalities apply (one too late), the jury declares and scores (out of range and one's own
municipality refused), incomplete scoring blocks the results, and the award issues the Resolución and one
certificate per winner."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from core.deadlines.models import Deadline
from core.documents.models import IssuedDocument
from core.extensions import db
from core.testing import csrf_from, pdf_text
from plugins.operations.incentives.models import Contest, ContestCriterion, ContestScore

WEB = "/operaciones/concursos"


def _post(client, url: str, data: dict, **kwargs):  # noqa: ANN001, ANN003, ANN201
    token = csrf_from(client, "/operaciones/")
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def _contest(app, cid: int) -> Contest:  # noqa: ANN001
    with app.app_context():
        contest = db.session.get(Contest, cid)
        db.session.expunge(contest)
        return contest


def _transition(client, app, cid: int, name: str):  # noqa: ANN001, ANN201
    return _post(client, f"/expedientes/{cid}/transiciones/{name}", {"version": str(_contest(app, cid).version)})


def _text(response) -> str:  # noqa: ANN001
    return html.unescape(response.get_data(as_text=True))


def _rows(prefix_values: list[dict[str, str]]) -> dict[str, str]:
    return {f"{k}-{n}": v for n, row in enumerate(prefix_values, start=1) for k, v in row.items()}


def _score(client, app, cid: int, application_id: int, values: list[str]):  # noqa: ANN001, ANN201
    with app.app_context():
        ids = db.session.scalars(
            select(ContestCriterion.id).where(ContestCriterion.contest_id == cid).order_by(ContestCriterion.position)
        ).all()
    data = {f"score-{i}": v for i, v in zip(ids, values, strict=True)}
    return _post(client, f"{WEB}/postulaciones/{application_id}/calificacion", data)


def test_a_contest_runs_from_call_to_award_through_the_pages(app, client, people, govs):  # noqa: ANN001, PLR0915
    today = date.today()
    people.login(client, "coord")
    assert client.get(f"{WEB}/nuevo").status_code == 200
    response = _post(
        client,
        f"{WEB}/nuevo",
        {
            "government_id": str(govs["huanuco"]),
            "title": "Concurso Regional de Buenas Prácticas",
            "purpose": "Reconocer las buenas prácticas locales contra la desnutrición crónica infantil.",
            "eligibility": "Municipalidades de la región Huánuco.",
            "budget_cap": "20000",
            "reception_deadline": (today + timedelta(days=30)).isoformat(),
            "evaluation_deadline": (today + timedelta(days=60)).isoformat(),
            "results_date": (today + timedelta(days=75)).isoformat(),
        },
    )
    assert response.status_code == 303, _text(response)[:3000]
    cid = int(re.search(r"/concursos/(\d+)$", response.headers["Location"]).group(1))

    # Bad Bases: nothing saved, the message names the field.
    version = str(_contest(app, cid).version)
    bad = _rows([{"name": "Resultados", "weight": "50"}, {"name": "Articulación", "weight": "40"}])
    response = _post(client, f"{WEB}/{cid}/criterios", {"version": version, **bad})
    assert response.status_code == 400
    assert "Criterios: los pesos suman 90; deben sumar 100." in _text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(ContestCriterion.id))) == 0
    good = _rows(
        [
            {"name": "Resultados", "weight": "50"},
            {"name": "Articulación", "weight": "30"},
            {"name": "Sostenibilidad", "weight": "20"},
        ]
    )
    assert _post(client, f"{WEB}/{cid}/criterios", {"version": version, **good}).status_code == 303
    version = str(_contest(app, cid).version)
    over = _rows([{"description": "Equipamiento", "amount": "15000"}, {"description": "Pasantía", "amount": "8000"}])
    response = _post(client, f"{WEB}/{cid}/premios", {"version": version, **over})
    assert response.status_code == 400
    assert "Premios: suman S/ 23,000.00 y superan el tope presupuestal de S/ 20,000.00." in _text(response)
    prizes = _rows([{"description": "Equipamiento", "amount": "12000"}, {"description": "Pasantía", "amount": "8000"}])
    assert _post(client, f"{WEB}/{cid}/premios", {"version": version, **prizes}).status_code == 303
    # The jury: the region's coordinator and team member.
    people["team"]
    for email in (people.email("coord"), people.email("team")):
        assert _post(client, f"{WEB}/{cid}/jurados", {"email": email, "charge": "Gerencia Regional"}).status_code == 303
    response = _post(client, f"{WEB}/{cid}/jurados", {"email": "nadie@ninguna.pe"})
    assert response.status_code == 400 and "ningún usuario activo" in _text(response)

    # The call issues the Bases and opens the calendar's deadlines.
    assert _transition(client, app, cid, "call").status_code == 303
    assert _contest(app, cid).state == "called"
    with app.app_context():
        bases = db.session.scalar(select(IssuedDocument).where(IssuedDocument.case_id == cid))
        text = pdf_text(bases.content)
        deadlines = db.session.scalars(
            select(Deadline).where(Deadline.case_id == cid).order_by(Deadline.due_date)
        ).all()
    assert "BASES DEL CONCURSO" in text and "Gobernador Regional de Huánuco" in text  # after Ley N° 30305
    assert "DOCE MIL Y 00/100 SOLES" in text and "VEINTE MIL Y 00/100 SOLES" in text
    assert "Resultados 50" in text and "Total 100" in text
    assert len(deadlines) == 3 and deadlines[0].due_date >= today + timedelta(days=30)

    # Applications: the province and Amarilis; one dated after the reception deadline is refused.
    late = (today + timedelta(days=31)).isoformat()
    application = {
        "applicant_kind": "municipality",
        "practice": "Vigilancia nutricional",
        "evidence": "Padrón nominal.",
    }
    response = _post(
        client,
        f"{WEB}/{cid}/postulaciones",
        {**application, "government_id": str(govs["amarilis"]), "submitted_on": late},
    )
    assert response.status_code == 400 and "Fecha de presentación: la recepción cerró el" in _text(response)
    ids = {}
    for key in ("huanuco_prov", "amarilis"):
        data = {**application, "government_id": str(govs[key]), "submitted_on": today.isoformat()}
        assert _post(client, f"{WEB}/{cid}/postulaciones", data).status_code == 303
    with app.app_context():
        contest = db.session.get(Contest, cid)
        ids = {a.government_id: a.id for a in contest.applications}
    # The province's coordinator reads the contest now that it applied, and joins the jury.
    people["prov_coord"]
    assert _post(client, f"{WEB}/{cid}/jurados", {"email": people.email("prov_coord")}).status_code == 303
    people.login(client, "team")
    assert _transition(client, app, cid, "evaluate").status_code == 303
    assert _contest(app, cid).state == "evaluation"

    # Scoring: a declaration first, scores in range, never one's own municipality.
    people.login(client, "coord")
    response = _score(client, app, cid, ids[govs["amarilis"]], ["8", "7", "9"])
    assert response.status_code == 409
    assert _post(client, f"{WEB}/{cid}/declaracion", {"no_conflict": "on"}).status_code == 303
    response = _score(client, app, cid, ids[govs["amarilis"]], ["11", "7", "9"])
    assert response.status_code == 400
    assert "Puntaje de «Resultados»: 11 está fuera del rango (0 a 10)." in _text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(ContestScore.id))) == 0
    assert _score(client, app, cid, ids[govs["amarilis"]], ["8", "7", "9"]).status_code == 303
    assert _score(client, app, cid, ids[govs["huanuco_prov"]], ["7", "8", "6"]).status_code == 303
    people.login(client, "prov_coord")
    assert _post(client, f"{WEB}/{cid}/declaracion", {"no_conflict": "on"}).status_code == 303
    response = _score(client, app, cid, ids[govs["huanuco_prov"]], ["10", "10", "10"])
    assert response.status_code == 400
    assert "usted pertenece a Municipalidad Provincial de Huánuco" in _text(response)
    assert _score(client, app, cid, ids[govs["amarilis"]], ["9", "8", "8"]).status_code == 303

    # The team member has not scored: the results are blocked, and say why.
    people.login(client, "coord")
    assert _transition(client, app, cid, "publish_results").status_code == 303
    assert _contest(app, cid).state == "evaluation"
    page = _text(client.get(f"/expedientes/{cid}"))
    assert "no ha declarado" in page or "no ha calificado" in page
    people.login(client, "team")
    assert _post(client, f"{WEB}/{cid}/declaracion", {"no_conflict": "on"}).status_code == 303
    assert _score(client, app, cid, ids[govs["amarilis"]], ["7", "7", "7"]).status_code == 303
    assert _score(client, app, cid, ids[govs["huanuco_prov"]], ["6", "6", "6"]).status_code == 303
    people.login(client, "coord")
    assert _transition(client, app, cid, "publish_results").status_code == 303
    assert _contest(app, cid).state == "results"
    page = _text(client.get(f"{WEB}/{cid}"))
    assert "Orden de mérito" in page

    # The award: the Resolución and one certificate per winner.
    assert _transition(client, app, cid, "award").status_code == 303
    with app.app_context():
        contest = db.session.get(Contest, cid)
        assert contest.state == "awarded"
        # Amarilis: means 8, 7.33, 8 → 40 + 22 + 16 = 78.00; the province: 6.5, 7, 6 → 32.5 + 21 + 12 = 65.50
        assert [(a.government_id, str(a.total), a.rank) for a in contest.ranked] == [
            (govs["amarilis"], "78.00", 1),
            (govs["huanuco_prov"], "65.50", 2),
        ]
        documents = {
            d.template_key: pdf_text(d.content)
            for d in db.session.scalars(select(IssuedDocument).where(IssuedDocument.case_id == cid))
        }
        met = db.session.scalar(
            select(func.count(Deadline.id)).where(Deadline.case_id == cid, Deadline.met_at.is_not(None))
        )
    assert met == 3
    assert sorted(documents) == [
        "contest_bases",
        "contest_certificate_1",
        "contest_certificate_2",
        "contest_resolution",
    ]
    resolution = documents["contest_resolution"]
    assert "RESOLUCIÓN EJECUTIVA REGIONAL DE RECONOCIMIENTO" in resolution
    assert "Primer puesto Municipalidad Distrital de Amarilis" in resolution
    assert "DOCE MIL Y 00/100 SOLES" in resolution and "OCHO MIL Y 00/100 SOLES" in resolution
    assert "a la Municipalidad Provincial de Huánuco" in documents["contest_certificate_2"]
    assert "Segundo puesto" in documents["contest_certificate_2"]
