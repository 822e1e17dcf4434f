"""Who may attend a session (the body's roster on its date) and whether there is quorum.

Neither the Norma Técnica nor the glosario fixes the Instancia's quorum, and the body records no
member without vote (plugins/institutionalization/models.py): every member on the date has
voice and vote, so the quorum is the usual rule of collegiate bodies (Ley N° 27444, art. 99):
more than half of the members — half plus one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.deadlines import lima_today
from core.extensions import db
from core.security import Scope, readable_clause
from plugins.institutionalization.composition import roster
from plugins.institutionalization.models import BodyMember
from plugins.operations.sessions.models import InstanciaSession, SessionAgreement


@dataclass(frozen=True)
class Quorum:
    """The quorum of a session: members on its date, how many are needed, how many came."""

    members: int
    required: int
    present: int
    recorded: bool  # attendance was taken

    @property
    def reached(self) -> bool:
        return self.recorded and self.members > 0 and self.present >= self.required


def eligible(session: InstanciaSession) -> list[BodyMember]:
    """The members of the session's body on the session's date."""
    return roster(session.body, session.session_date)


def quorum_of(session: InstanciaSession, members: list[BodyMember] | None = None) -> Quorum:
    members = eligible(session) if members is None else members
    present = sum(1 for row in session.attendance if row.status == "present")
    return Quorum(len(members), len(members) // 2 + 1, present, bool(session.attendance))


def quorum_text(quorum: Quorum) -> str:
    """The quorum as the acta states it (Spanish, legal text)."""
    if not quorum.recorded:
        return "No se ha registrado la asistencia."
    verdict = "existe quórum reglamentario" if quorum.reached else "no existe quórum"
    return (
        f"Asistieron {quorum.present} de los {quorum.members} miembros de la Instancia; el quórum es de "
        f"{quorum.required} miembros (más de la mitad): {verdict}."
    )


def pending_agreements(
    scope: Scope, government_ids: list[int] | None = None, limit: int | None = None
) -> list[SessionAgreement]:
    """Agreements not done yet, of sessions the scope reads, earliest due first."""
    query = (
        select(SessionAgreement)
        .join(InstanciaSession, InstanciaSession.id == SessionAgreement.session_id)
        .where(
            SessionAgreement.status != "done",
            InstanciaSession.state != "cancelled",
            readable_clause(scope, InstanciaSession.government_id),
        )
        .options(joinedload(SessionAgreement.responsible), joinedload(SessionAgreement.session))
        .order_by(SessionAgreement.due_date, SessionAgreement.id)
    )
    if government_ids is not None:
        query = query.where(InstanciaSession.government_id.in_(government_ids))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query).unique())


def body_pending(body_id: int) -> list[SessionAgreement]:
    """The pending agreements of one body's sessions (the Instancia's page)."""
    return list(
        db.session.scalars(
            select(SessionAgreement)
            .join(InstanciaSession, InstanciaSession.id == SessionAgreement.session_id)
            .where(
                InstanciaSession.body_id == body_id,
                SessionAgreement.status != "done",
                InstanciaSession.state != "cancelled",
            )
            .options(joinedload(SessionAgreement.responsible), joinedload(SessionAgreement.session))
            .order_by(SessionAgreement.due_date, SessionAgreement.id)
        ).unique()
    )


def today() -> date:
    return lima_today()


def attendance_blockers(session: InstanciaSession) -> list[str]:
    """Guard ``session_attendance_taken``: a session is recorded as held once its attendance is taken."""
    if not session.attendance:
        return [_("Record the members' attendance before marking the session as held.")]
    return []
