"""The Spanish PDFs of stage 1 and what each one prints (templates in documents/*.html):

- ``ordinance``: the ordinance (or resolution), in the glosario's shape, with the regional or
  municipal formulas; issued by the ordinance's "publish" transition.
- ``installation_minutes``: the Acta de Instalación (date, place, attendees, agreements);
  issued by the body's "install" transition.
- ``member_roster``: the Relación de Miembros on a date (today when issued from the case page;
  any date as a preview from the roster page).
- ``member_credentials``: one credential per member in office (one member's from the roster).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

from core import legal
from core.documents import dated_in_cycle
from core.formatting import date_in_words, long_date
from plugins.institutionalization.composition import by_category, composition, roster, today_lima
from plugins.institutionalization.fields import MEMBER
from plugins.institutionalization.models import (
    DIRECTION_KINDS,
    MEMBER_ROLES_BY_SEX,
    VOTES,
    ArticulationBody,
    BodyMember,
    Ordinance,
)
from plugins.institutionalization.ordinance_text import article_heading


def _regional(case: Any) -> bool:
    return case.government.kind == "regional"


def authority(case: Any, on: date | None = None) -> str:
    """ "EL GOBERNADOR REGIONAL DE HUÁNUCO" (from Ley N° 30305) / "EL PRESIDENTE DEL GOBIERNO REGIONAL
    DE HUÁNUCO" (before) / "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE X": titled by the document's date."""
    return f"EL {authority_title(case, on).upper()}"


def authority_title(case: Any, on: date | None = None) -> str:
    """ "Gobernador Regional de Huánuco" / "Presidente del Gobierno Regional de Huánuco" / "Alcalde de la
    Municipalidad Distrital de X", on the document's date ``on`` (default today)."""
    return legal.head_of(case.government.kind, case.government.name, on or today_lima())


def council(case: Any) -> str:
    """ "Consejo Regional" for a regional government, "Concejo Municipal" for a municipality."""
    return "Consejo Regional" if _regional(case) else "Concejo Municipal"


def _president_name(body: ArticulationBody, on: date) -> str:
    check = composition(body, on)
    return check.president.full_name if check.president else ""


# --- the ordinance ----------------------------------------------------------------------------------


def ordinance_number(case: Ordinance) -> str:
    """What follows "N°" in the heading ("008-2008-GRH/CR"); the reference while it has none."""
    if not case.number:
        return case.reference
    return case.number.split("N°", 1)[1].strip() if "N°" in case.number else case.number


def ordinance_context(case: Ordinance) -> dict[str, Any]:
    regional = _regional(case)
    # a draft of an earlier cycle is dated within its year (titles, year name and laws of that year)
    dated = dated_in_cycle(case.year, case.promulgation_date, case.approval_date)
    articles = case.articles
    government = case.government.name
    session = ""
    if case.session_date:
        kind = "Ordinaria" if case.session_kind == "ordinary" else "Extraordinaria"
        session = f"Sesión {kind} de fecha {long_date(case.session_date)}"
    vote = VOTES.get(case.approval_vote or "", "")
    if case.approval_vote_detail:
        vote = f"{vote} ({case.approval_vote_detail})" if vote else case.approval_vote_detail
    heading_title = case.number.split("N°", 1)[0].strip() if case.number and "N°" in case.number else None
    if regional:
        por_cuanto = (
            f"El Consejo Regional {legal.de(government)}, en su {session}, ha aprobado la Ordenanza Regional siguiente:"
        )
        enacting = (
            f"Que, estando a lo acordado y aprobado {vote} en la {session}, y en uso de las atribuciones conferidas "
            "por la Constitución Política del Perú y la Ley N° 27867, Ley Orgánica de Gobiernos Regionales, "
            "el Consejo Regional ha emitido la siguiente:"
        )
        resolution_basis = (
            "Estando a lo expuesto y en uso de las atribuciones conferidas por los artículos 20° y 21° de la "
            "Ley N° 27867, Ley Orgánica de Gobiernos Regionales;"
        )
        dado_en = f"Dado en la sede central {legal.de(government)}, {date_in_words(dated)}."
    else:
        por_cuanto = f"El Concejo Municipal {legal.de(government)}, en {session};"
        enacting = (
            "Estando a lo expuesto y en uso de las facultades conferidas por el numeral 8) del artículo 9° y el "
            f"artículo 40° de la Ley N° 27972, Ley Orgánica de Municipalidades, el Concejo Municipal aprobó {vote} "
            "la siguiente:"
        )
        resolution_basis = (
            "Estando a lo expuesto y en uso de las atribuciones conferidas por el numeral 6) del artículo 20° de la "
            "Ley N° 27972, Ley Orgánica de Municipalidades;"
        )
        dado_en = f"Dado en {legal.el(government)}, {date_in_words(dated)}."
    return {
        "ordinance": case,
        "doc_title": heading_title or case.instrument_name,
        "document_date": dated,
        "issuing_office": council(case) if case.instrument == "ordinance" else authority_title(case, dated),
        "regional": regional,
        "is_resolution": case.instrument == "resolution",
        "authority": authority(case, dated),
        # "Comuníquese al señor Gobernador Regional…" / "…Presidente del Gobierno Regional…" by date
        "head_title": legal.head_title(case.government.kind, dated),
        "por_cuanto": por_cuanto,
        "visto": case.visto or "",
        "considerings": [c.text for c in case.considerings],
        "enacting": enacting,
        "resolution_basis": resolution_basis,
        "instrument_heading": case.instrument_name.upper(),
        "articles": [
            {"heading": article_heading(i, len(articles)), "text": a.text} for i, a in enumerate(articles, start=1)
        ],
        "dado_en": dado_en,
        "signatory": case.signatory_name or _president_name(case.body, dated),
        "signatory_title": legal.head_title(case.government.kind, dated),
    }


# --- the body's documents -----------------------------------------------------------------------------


def _member_row(m: BodyMember) -> dict[str, Any]:
    """What documents print of a member: the declared fields (members.py) as a document prints them
    (long dates, category), worded by the member's sex (``SEXES``; None: unrecorded)."""
    shown = MEMBER.document_values(m)
    roles = MEMBER_ROLES_BY_SEX.get(m.sex, MEMBER_ROLES_BY_SEX[None])
    role = roles.get(m.role, m.role)
    if m.role == "member":
        phrase = "es miembro de la"
    elif m.role == "president":
        phrase = "preside la"
    elif m.sex:
        phrase = f"es {role.lower()} de la"
    else:  # no agreement possible: the office, held by the person
        phrase = f"está a cargo de la {role} de la"
    charge = m.position or ""
    if m.institution_label and m.institution_label not in charge:
        charge = f"{charge}, {m.institution_label}" if charge else m.institution_label
    return {
        "name": m.full_name,
        "dni": m.dni or "—",
        "sex": m.sex,
        # "identificada con DNI N°…" / "identificado…"; without a recorded sex, "con DNI N°…" needs no agreement
        "identified": {"f": "identificada con", "m": "identificado con"}.get(m.sex or "", "con"),
        "position": m.position or "",
        "institution": m.institution_label,
        "charge": charge,
        "role_key": m.role,
        "role": role,  # tables: "Secretaria Técnica", or the office when the sex is not recorded
        "role_phrase": phrase,  # credentials: "es secretaria técnica de la" / "está a cargo de la …"
        # signatures: under the person's name, a role that agrees, or "a cargo de" the office
        "role_line": f"{role} de la Instancia" if m.sex else f"a cargo de la {role} de la Instancia",
        "committee": m.technical_committee,
        "since": shown["active_from"],
        "until": shown["active_to"],
        "category": shown["category_name"],
    }


def _constituted_by(body: ArticulationBody) -> str:
    from plugins.institutionalization.composition import published_ordinance

    ordinance = published_ordinance(body)
    return (ordinance.number or ordinance.reference) if ordinance else ""


def _body_context(body: ArticulationBody, on: date) -> dict[str, Any]:
    members = roster(body, on)
    direction = DIRECTION_KINDS.get(body.direction_kind, "Secretaría Técnica")
    return {
        "issuing_office": f"{direction} de la {body.level_name}",
        "body": body,
        "body_name": body.title,
        "level_name": body.level_name,
        "direction": DIRECTION_KINDS.get(body.direction_kind, ""),
        "direction_unit": body.direction_unit or "",
        "constituted_by": _constituted_by(body),
        "groups": [(category.name, [_member_row(m) for m in people]) for category, people in by_category(members)],
        "members": members,
        "authority": authority(body, on),
        "authority_title": authority_title(body, on),
        "on": on,
        "on_text": long_date(on),
    }


def _hours(value: time | None) -> str:
    """ "10:00" (24-hour clock, as minutes write it); a blank to fill by hand when not recorded."""
    return value.strftime("%H:%M") if value else "……"


def installation_context(case: ArticulationBody) -> dict[str, Any]:
    on = case.installation_date or today_lima()
    context = _body_context(case, on)
    check = composition(case, on)
    secretary = next((m for m in check.members if m.role == "technical_secretary"), None)
    territory = case.government.territory
    others = [line.strip() for line in (case.installation_other_attendees or "").splitlines() if line.strip()]
    context.update(
        {
            "doc_title": f"Acta de Instalación de la {case.level_name}",
            "document_date": on,
            "city": (territory.capital or territory.name) if territory else case.government.name,
            "place_text": case.installation_place or "",
            "date_words": date_in_words(on),
            "start_time": _hours(case.installation_start_time),
            "end_time": _hours(case.installation_end_time),
            "agreements": [line.strip() for line in (case.installation_agreements or "").splitlines() if line.strip()],
            "other_attendees": others,
            "president": check.president.full_name if check.president else "",
            "secretary": secretary.full_name if secretary else "",
            # "firmando los asistentes": one line per attendee, the person's name and then their charge
            "signers": [_member_row(m) for _, people in by_category(context["members"]) for m in people],
        }
    )
    return context


def _secretary_signature(body: ArticulationBody, on: date) -> dict[str, str]:
    """Who signs for the body's direction: the technical secretary's name and charge, worded by sex."""
    members = roster(body, on)
    secretary = next((m for m in members if m.role == "technical_secretary"), None)
    direction = DIRECTION_KINDS.get(body.direction_kind, "Secretaría Técnica")
    office = f"{direction} de la {body.level_name}"
    if secretary is None:
        return {"name": "", "title": office, "issuer": legal.el(office).upper()}
    role = MEMBER_ROLES_BY_SEX.get(secretary.sex, MEMBER_ROLES_BY_SEX[None])["technical_secretary"]
    title = f"{role} de la {body.level_name}"
    issuer = f"{'EL' if secretary.sex == 'm' else 'LA'} {title.upper()}"
    if not secretary.sex:  # the office certifies; under the person's name, "a cargo de" it
        title = f"a cargo de la {title}"
    if secretary.position:
        title = f"{secretary.position}, {title}"
    return {"name": secretary.full_name, "title": title, "issuer": issuer}


def roster_context(case: ArticulationBody, on: date | None = None) -> dict[str, Any]:
    on = on or today_lima()
    context = _body_context(case, on)
    # The direction keeps the roster and certifies it (Norma 5.1.1 / 5.2.1: Secretaría u Oficina Técnica).
    context.update(
        {
            "doc_title": "Relación de Miembros",
            "document_date": today_lima(),
            "certifier": _secretary_signature(case, on),
        }
    )
    return context


def credentials_context(case: ArticulationBody, members: list[BodyMember] | None = None) -> dict[str, Any]:
    """One credential per member. The head of the government (Gobernador/Presidente Regional or Alcalde)
    accredits the members; the head presides the body by the Norma itself (5.1.1, 5.2.1), so the
    president's own credential is not self-issued: the technical secretary certifies it."""
    on = today_lima()
    context = _body_context(case, on)
    chosen = members if members is not None else context["members"]
    head = _president_name(case, on)
    secretary = _secretary_signature(case, on)
    credentials = []
    for member in chosen:
        row = _member_row(member)
        if member.role == "president":
            row["issuer"] = secretary["issuer"]
            row["verb"] = "certifica que"
            row["signer"], row["signer_title"] = secretary["name"], secretary["title"]
        else:
            row["issuer"] = context["authority"]
            row["verb"] = "acredita a"
            row["signer"], row["signer_title"] = head, context["authority_title"]
        credentials.append(row)
    context.update(
        {
            "doc_title": "Credencial" if len(chosen) == 1 else "Credenciales",
            "document_date": on,
            "credentials": credentials,
            "signatory": head,
        }
    )
    return context


# --- registration -----------------------------------------------------------------------------------


def register() -> None:
    """Register the four documents with the documents subsystem (core.documents)."""
    from core import documents as core_documents

    core_documents.register_document(
        "ordinance",
        "institutionalization/ordinance.html",
        "Ordenanza",
        ["ordinance"],
        ordinance_context,
        manual=False,
        number=ordinance_number,
    )
    core_documents.register_document(
        "installation_minutes",
        "institutionalization/installation_minutes.html",
        "Acta de Instalación",
        ["articulation_body"],
        installation_context,
        manual=False,
    )
    core_documents.register_document(
        "member_roster",
        "institutionalization/member_roster.html",
        "Relación de Miembros",
        ["articulation_body"],
        roster_context,
    )
    core_documents.register_document(
        "member_credentials",
        "institutionalization/member_credentials.html",
        "Credenciales de los miembros",
        ["articulation_body"],
        credentials_context,
    )


def dated_spec(key: str, context_fn: Any) -> Any:
    """A registered document with another context function (the roster on a chosen date, one
    member's credential): rendered as a preview, never issued."""
    from core.documents import DOCUMENTS

    return replace(DOCUMENTS[key], context_fn=context_fn)
