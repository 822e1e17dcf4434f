"""The Convenio and its Informe de Evaluación print what their own date says (issue 11, item 8): a convenio
signed in March 2008 carries that year's name, the head's title before Ley N° 30305 («Presidente del Gobierno
Regional») and the Nuevo Sol in figures and words; its evaluation, issued today, carries today's year name,
«Gobernador Regional» and soles, and is dated today."""

from __future__ import annotations

from sqlalchemy import select

from core.documents import today_lima
from core.documents.models import IssuedDocument
from core.extensions import db
from core.formatting import long_date
from core.models import Case, KeyIndicator, User
from core.operations import run
from core.security import scope_for
from core.testing import pdf_text
from core.workflow import perform
from tests.plugins.operations.year_names import current_year_name


def _text(key: str, case_id: int) -> str:
    document = db.session.scalar(
        select(IssuedDocument).where(IssuedDocument.case_id == case_id, IssuedDocument.template_key == key)
    )
    return " ".join(pdf_text(document.content).split())


def test_a_2008_convenio_and_its_evaluation_today(app, people, govs):  # noqa: ANN001
    coord_id, amarilis_id = people["coord"], people["amarilis_coord"]
    with app.app_context():
        coord = db.session.get(User, coord_id)
        indicator = db.session.scalar(select(KeyIndicator.id).order_by(KeyIndicator.id).limit(1))
        aid = run(
            "operations.agreement.create",
            coord,
            {
                "government_id": govs["huanuco"],
                "year": 2008,
                "title": "Convenio de Gestión 2008",
                "kind": "management",
                "object": "Reducir la desnutrición crónica infantil.",
                "start_date": "2008-03-01",
                "end_date": "2008-12-31",
                "counterparts": [str(govs["amarilis"])],
            },
        ).id
        goal = run(
            "operations.agreement.goal.add",
            coord,
            {"agreement_id": aid, "description": "Niños con CRED", "target": "60", "key_indicator_id": indicator},
        )
        goal_id = goal.id
        run(
            "operations.agreement.commitment.add",
            coord,
            {"agreement_id": aid, "party": "region", "what": "Capacitar", "who": "Gerencia", "due_date": "2008-06-30"},
        )
        run(
            "operations.agreement.support.add",
            coord,
            {"agreement_id": aid, "kind": "funds", "description": "Equipamiento", "amount": "120000"},
        )
        perform(db.session.get(Case, aid), "negotiate", coord, scope_for(coord))
        db.session.commit()
        run("operations.agreement.accept", db.session.get(User, amarilis_id), {"agreement_id": aid})
        agreement = db.session.get(Case, aid)
        agreement.signed_on = agreement.start_date.replace(day=10)
        perform(agreement, "sign", coord, scope_for(coord))
        perform(agreement, "start", coord, scope_for(coord))
        db.session.commit()
        run(
            "operations.agreement.report.add",
            coord,
            {"agreement_id": aid, "period": "2008-S2", "values": {str(goal_id): "55"}},
        )
        perform(db.session.get(Case, aid), "evaluate", coord, scope_for(coord))
        db.session.commit()

        signed = _text("agreement", aid)
        evaluation = _text("agreement_evaluation", aid)
    assert "AÑO DE LAS CUMBRES MUNDIALES EN EL PERÚ" in signed.upper()
    assert "Presidente del Gobierno Regional de Huánuco" in signed and "Gobernador Regional" not in signed
    assert "S/. 120,000.00" in signed and "CIENTO VEINTE MIL Y 00/100 NUEVOS SOLES" in signed
    assert "10 de marzo de 2008" in signed

    assert current_year_name(app).upper() in evaluation.upper()  # the year-name line of today
    assert "Gobernador Regional de Huánuco" in evaluation
    assert "S/ 120,000.00" in evaluation and "CIENTO VEINTE MIL Y 00/100 SOLES" in evaluation
    assert "NUEVOS SOLES" not in evaluation
    assert f"Evaluado el {long_date(today_lima())}" in evaluation
    assert "Niños con CRED" in evaluation and "55" in evaluation
