"""The "Acta de Sesión" (Spanish, documents/sessions_minutes.html): heading with the year name and
the government (the shared layout), place, date and times, attendance table, quorum, agenda,
agreements with their responsible and due dates, and the signatures of the president and the
technical secretary of the body on the session's date. Issued by the "approve_minutes" transition."""

from __future__ import annotations

from typing import Any

from core.formatting import date_in_words, long_date
from plugins.institutionalization.models import DIRECTION_KINDS, MEMBER_ROLES, MEMBER_ROLES_BY_SEX
from plugins.operations.sessions.models import ATTENDANCE, InstanciaSession
from plugins.operations.sessions.quorum import eligible, quorum_of, quorum_text


def _charge(member: Any) -> str:
    charge = member.position or ""
    if member.institution_label and member.institution_label not in charge:
        charge = f"{charge}, {member.institution_label}" if charge else member.institution_label
    return charge


def _signature(member: Any, role: str, level_name: str) -> dict[str, str]:
    """A signature line: the person's name, then their role worded by sex; without a recorded sex the
    office, held by the person ("a cargo de la Secretaría Técnica"), which needs no agreement."""
    if member is None:
        return {"name": "", "charge": f"{MEMBER_ROLES_BY_SEX['m'][role]} de la {level_name}"}
    worded = MEMBER_ROLES_BY_SEX.get(member.sex, MEMBER_ROLES_BY_SEX[None])[role]
    charge = f"{worded} de la {level_name}" if member.sex else f"a cargo de la {worded} de la {level_name}"
    return {"name": member.full_name, "charge": charge}


def minutes_context(case: InstanciaSession) -> dict[str, Any]:
    members = eligible(case)
    status = {row.member_id: row.status for row in case.attendance}
    president = next((m for m in members if m.role == "president"), None)
    secretary = next((m for m in members if m.role == "technical_secretary"), None)
    territory = case.government.territory
    body = case.body
    direction = DIRECTION_KINDS.get(body.direction_kind, "Secretaría Técnica")
    return {
        "doc_title": f"Acta de la Sesión {case.kind_name} N° {case.number}",
        "document_date": case.session_date,
        "issuing_office": f"{direction} de la {body.level_name}",
        "session": case,
        "body_name": body.title,
        "city": (territory.capital or territory.name) if territory else case.government.name,
        "date_text": long_date(case.session_date),
        "date_words": date_in_words(case.session_date),
        "start_time": case.start_time or "……",
        "end_time": case.end_time or "……",
        "attendees": [
            {
                "name": m.full_name,
                "charge": _charge(m),
                "role": MEMBER_ROLES.get(m.role, m.role),
                "status": ATTENDANCE.get(status.get(m.id, ""), "Sin registro"),
            }
            for m in members
        ],
        "quorum": quorum_text(quorum_of(case, members)),
        "agenda": case.agenda_items,
        "agreements": [
            {
                "number": a.number,
                "text": a.text,
                "responsible": a.responsible.full_name,
                "due": long_date(a.due_date),
            }
            for a in case.agreements
        ],
        "signatures": [
            _signature(president, "president", body.level_name),
            _signature(secretary, "technical_secretary", body.level_name),
        ],
        "direction": direction,
        "level_name": body.level_name,
    }


def register() -> None:
    from core import documents as core_documents

    core_documents.register_document(
        "session_minutes",
        "operations/sessions_minutes.html",
        "Acta de Sesión",
        ["instancia_session"],
        minutes_context,
        manual=False,
    )
