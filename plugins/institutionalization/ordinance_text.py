"""The ordinance's Spanish text: legal basis per level, VISTO, articles pre-filled from the body,
article ordinals ("Artículo Primero.-"), and the minimum-content guard of Norma 5.2.1.

The pre-filled text is a starting point the team edits (every clause is editable until the
council approves the ordinance); the legal references follow the glosario: Constitución art. 191
and Ley N° 27867 (regional) or art. 194 and Ley N° 27972 (municipal), D.S. N° 055-2007-PCM,
D.S. N° 080-2007-PCM and the Norma Técnica N° 001-2008.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import legal
from plugins.institutionalization.composition import by_category, composition, roster, today_lima
from plugins.institutionalization.models import (
    DIRECTION_KINDS,
    ORIGINS,
    ArticulationBody,
    Ordinance,
    OrdinanceClause,
)

_UNITS = ["", "Primero", "Segundo", "Tercero", "Cuarto", "Quinto", "Sexto", "Séptimo", "Octavo", "Noveno"]
_TENS = ["", "Décimo", "Vigésimo", "Trigésimo", "Cuadragésimo"]


def ordinal(n: int) -> str:
    """1 → "Primero", 11 → "Décimo Primero", 20 → "Vigésimo" (as ordinances number their articles)."""
    if not 1 <= n < 50:
        raise ValueError(f"ordinal out of range: {n}")
    tens, units = divmod(n, 10)
    return " ".join(word for word in (_TENS[tens], _UNITS[units]) if word)


def article_heading(position: int, count: int) -> str:
    """ "Artículo Primero.-"… or "Artículo Único.-" when the ordinance has one article."""
    return "Artículo Único.-" if count == 1 else f"Artículo {ordinal(position)}.-"


# --- the legal basis (CONSIDERANDO) -------------------------------------------------------------------

_CRECER_BASIS = [
    "Que, mediante Decreto Supremo N° 055-2007-PCM se aprobó la Estrategia Nacional CRECER, que establece "
    "la intervención articulada de las entidades públicas de los tres niveles de gobierno vinculadas con la "
    "lucha contra la pobreza y la desnutrición crónica infantil;",
    "Que, mediante Decreto Supremo N° 080-2007-PCM se aprobó el Plan de Operaciones de la Estrategia Nacional "
    "CRECER, que define sus líneas de intervención, sus indicadores y los roles de los gobiernos regionales y "
    "locales en su implementación;",
]

REGIONAL_BASIS = [
    "Que, el artículo 191° de la Constitución Política del Perú, modificado por la Ley N° 27680, Ley de "
    "Reforma Constitucional del Capítulo XIV del Título IV sobre Descentralización, establece que los "
    "gobiernos regionales tienen autonomía política, económica y administrativa en los asuntos de su "
    "competencia;",
    "Que, la Ley N° 27867, Ley Orgánica de Gobiernos Regionales, establece en su artículo 2° que los gobiernos "
    "regionales son personas jurídicas de derecho público, con autonomía política, económica y administrativa "
    "en asuntos de su competencia, y en su artículo 4° que tienen por finalidad esencial fomentar el desarrollo "
    "regional integral sostenible y garantizar el ejercicio pleno de los derechos y la igualdad de "
    "oportunidades de sus habitantes;",
    "Que, el artículo 15°, literal a), de la Ley N° 27867 atribuye al Consejo Regional la función de aprobar, "
    "modificar o derogar las normas que regulen o reglamenten los asuntos y materias de competencia y funciones "
    "del Gobierno Regional, y su artículo 38° dispone que las Ordenanzas Regionales norman asuntos de carácter "
    "general, la organización y la administración del Gobierno Regional y reglamentan materias de su "
    "competencia;",
    *_CRECER_BASIS,
    "Que, la Norma Técnica N° 001-2008 de Implementación Regional y Local de la Estrategia Nacional CRECER "
    "dispone, en su numeral 5.2.1, que el gobierno regional cree la Instancia de Articulación Regional, o amplíe "
    "las funciones de otra instancia existente acorde con los objetivos de la Estrategia, mediante ordenanza "
    "regional; instancia presidida por el Presidente del Gobierno Regional, con la más amplia participación "
    "institucional de los actores de su jurisdicción, cuya ordenanza precisa como mínimo sus participantes, su "
    "organización, su dirección (Oficina Técnica) y la aprobación de los objetivos y metas del Plan Articulado "
    "Regional;",
]

LOCAL_BASIS = [
    "Que, el artículo 194° de la Constitución Política del Perú, modificado por la Ley N° 28607, Ley de Reforma "
    "Constitucional, establece que las municipalidades provinciales y distritales son los órganos de gobierno "
    "local y tienen autonomía política, económica y administrativa en los asuntos de su competencia;",
    "Que, la Ley N° 27972, Ley Orgánica de Municipalidades, establece en su artículo 40° que las ordenanzas son "
    "las normas de carácter general de mayor jerarquía en la estructura normativa municipal, por medio de las "
    "cuales se aprueba la organización interna y las materias en las que la municipalidad tiene competencia "
    "normativa, y en su artículo 84° asigna a las municipalidades funciones en materia de programas sociales, "
    "defensa y promoción de derechos;",
    *_CRECER_BASIS,
    "Que, la Norma Técnica N° 001-2008 de Implementación Regional y Local de la Estrategia Nacional CRECER "
    "dispone, en su numeral 5.1.1, que para institucionalizar la Instancia de Articulación Local se apruebe la "
    "ordenanza municipal que expresa el compromiso del gobierno local en la lucha contra la pobreza y la "
    "desnutrición crónica infantil; instancia presidida por el Alcalde, que puede crearse a partir de una "
    "similar existente (CODECO, Comité de Lucha contra la Pobreza, Comité de Cogestión u otra) o como una "
    "nueva;",
]


def considering_clauses(body: ArticulationBody) -> list[str]:
    """The CONSIDERANDO clauses of the body's level, plus the reason to broaden an existing body."""
    clauses = list(REGIONAL_BASIS if body.level == "regional" else LOCAL_BASIS)
    if body.origin != "new":
        existing = body.origin_name or ORIGINS[body.origin]
        clauses.append(
            f"Que, en aplicación del principio de no duplicidad de instancias y de optimización de los recursos "
            f"humanos y económicos, resulta pertinente ampliar las funciones {legal.de(existing)}, cuya finalidad es "
            f"acorde con los objetivos de la Estrategia Nacional CRECER, para que actúe como {body.level_name};"
        )
    return clauses


def default_visto(body: ArticulationBody) -> str:
    unit = body.direction_unit or (
        "Gerencia Regional de Desarrollo Social" if body.level == "regional" else "Gerencia de Desarrollo Social"
    )
    council = (
        "Comisión de Desarrollo Social del Consejo Regional" if body.level == "regional" else "comisión de regidores"
    )
    return (
        f"El informe de la {unit} sobre la conformación de la {body.level_name} de la Estrategia Nacional "
        f"CRECER y el dictamen de la {council} correspondiente; y,"
    )


# --- the articles, pre-filled from the body -------------------------------------------------------------


def _member_line(member) -> str:  # noqa: ANN001 — BodyMember
    parts = [member.full_name]
    if member.position:
        parts.append(member.position)
    if member.institution_label and member.institution_label not in (member.position or ""):
        parts.append(member.institution_label)
    return "- " + ", ".join(parts) + "."


def article_texts(ordinance: Ordinance, on: date | None = None) -> list[tuple[str, str]]:
    """(subject, text) of each article, from the body as it is on ``on`` (default: today)."""
    body = ordinance.body
    on = on or today_lima()
    regional = body.level == "regional"
    norm = ordinance.instrument_name
    government = body.government.name
    # The head's title follows the ordinance's date (Ley N° 30305); a draft of an earlier cycle year
    # is dated within that year, not today.
    dated = ordinance.approval_date or ordinance.session_date
    if dated is None:
        dated = date(ordinance.year, 12, 31) if ordinance.year and ordinance.year < on.year else on
    presider = legal.el(legal.head_title(body.government.kind, dated))
    members = roster(body, on)
    articles: list[tuple[str, str]] = []

    purpose = (
        "como mecanismo institucional de coordinación y articulación interinstitucional de las entidades "
        "públicas y privadas que actúan en su ámbito territorial, responsable de la gestión, supervisión y "
        "seguimiento de la Estrategia Nacional CRECER en la lucha contra la pobreza y la desnutrición crónica "
        f"infantil, presidida por {presider}"
    )
    if body.origin == "new":
        articles.append(
            (
                "organization",
                f"CONFORMAR la {body.level_name} de la Estrategia Nacional CRECER {legal.de(government)}, {purpose}.",
            )
        )
    else:
        existing = body.origin_name or ORIGINS[body.origin]
        articles.append(
            (
                "organization",
                f"AMPLIAR las funciones {legal.de(existing)}, que en adelante actuará como {body.level_name} de la "
                f"Estrategia Nacional CRECER {legal.de(government)}, {purpose}.",
            )
        )

    lines = [f"ESTABLECER que la {body.level_name} está integrada por:"]
    for letter, (category, people) in zip("abcdefghijklmnopqrstuvwxyz", by_category(members), strict=False):
        lines.append(f"{letter}) {category.name}:")
        lines += [_member_line(m) for m in people]
    if not members:
        lines.append("(Registre los miembros de la Instancia para completar este artículo.)")
    articles.append(("participants", "\n".join(lines)))

    direction = DIRECTION_KINDS.get(body.direction_kind, "Secretaría Técnica")
    unit = body.direction_unit or (
        "la Gerencia Regional de Desarrollo Social" if regional else "la Gerencia de Desarrollo Social"
    )
    if not unit.lower().startswith(("la ", "el ")):
        unit = f"la {unit}"
    articles.append(
        (
            "direction",
            f"DESIGNAR a {unit} como {direction} de la {body.level_name}, encargada de conducir sus sesiones, "
            "elaborar sus actas, dar seguimiento a sus acuerdos y coordinar la formulación del Plan Articulado.",
        )
    )

    committee = [m for m in members if m.technical_committee]
    if body.has_technical_committee or committee:
        lines = [
            f"CONFORMAR el Comité Técnico de la {body.level_name}, responsable del cumplimiento de los acuerdos y "
            "metas vinculados a la lucha contra la pobreza y la desnutrición crónica infantil, integrado por:"
        ]
        lines += [_member_line(m) for m in committee] or ["(Indique qué miembros integran el Comité Técnico.)"]
        articles.append(("organization", "\n".join(lines)))

    if body.monitoring_officer_name:
        officer = body.monitoring_officer_name
        if body.monitoring_officer_position:
            officer += f", {body.monitoring_officer_position}"
        articles.append(
            (
                "organization",
                f"DESIGNAR a {officer}, como responsable del Sistema de Seguimiento e Información de la Estrategia "
                f"Nacional CRECER en el ámbito {legal.de(government)}.",
            )
        )

    plan = "Plan Articulado Regional" if regional else "Plan Articulado Local"
    articles.append(
        (
            "plan",
            f"APROBAR los objetivos y metas del {plan} de lucha contra la pobreza y la desnutrición crónica infantil, "
            f"que como anexo forman parte integrante de la presente {norm}.",
        )
    )
    management = "la Gerencia General Regional" if regional else "la Gerencia Municipal"
    articles.append(
        ("other", f"ENCARGAR a {management} y a {unit[0].lower() + unit[1:]} el cumplimiento de la presente {norm}.")
    )
    medium = (
        "en el Diario Oficial El Peruano, en el diario encargado de las publicaciones judiciales de la región"
        if regional
        else "en el diario encargado de las publicaciones judiciales de la localidad"
    )
    articles.append(
        (
            "other",
            f"DISPONER la publicación de la presente {norm} {medium} y en el portal electrónico "
            f"{legal.de(government)}.",
        )
    )
    return articles


def prefill(ordinance: Ordinance, articles_only: bool = False) -> None:
    """Fill (or refill) the pre-filled clauses from the body; clauses the team edited are kept.

    ``articles_only``: refresh only the articles (the body changed), keep every CONSIDERANDO.
    """
    body = ordinance.body
    if not articles_only and not ordinance.visto:
        ordinance.visto = default_visto(body)
    kinds = ["article"] if articles_only else ["considering", "article"]
    for clause in list(ordinance.clauses):
        if clause.kind in kinds and clause.generated:
            ordinance.clauses.remove(clause)
    kept = {kind: [c for c in ordinance.clauses if c.kind == kind] for kind in kinds}
    if "considering" in kinds:
        texts = [t for t in considering_clauses(body) if t not in {c.text for c in kept["considering"]}]
        _append(ordinance, "considering", [(None, t) for t in texts], before=kept["considering"])
    _append(ordinance, "article", article_texts(ordinance), before=kept["article"])


def _append(
    ordinance: Ordinance, kind: str, items: list[tuple[str | None, str]], before: list[OrdinanceClause]
) -> None:
    """New generated clauses first, the team's own after them, renumbered 1…n."""
    new = [OrdinanceClause(kind=kind, subject=subject, text=text, generated=True) for subject, text in items]
    for position, clause in enumerate(new + sorted(before, key=lambda c: (c.position, c.id or 0)), start=1):
        clause.position = position
        if clause not in ordinance.clauses:
            ordinance.clauses.append(clause)


# --- the minimum content (Norma 5.2.1), the guard on approval ---------------------------------------------

#: One reason per subject of ARTICLE_SUBJECTS (models.py), in the Norma's order.
_SUBJECT_GAPS = {
    "participants": _l("The article that sets the participants (members) of the body is missing."),
    "organization": _l("The article on the organization of the body (its composition and functioning) is missing."),
    "direction": _l("The article that designates its direction (Secretaría Técnica or Oficina Técnica) is missing."),
    "plan": _l("The article that approves the objectives and goals of the Plan Articulado is missing."),
    "other": _l("At least one article on other matters (for example, entrusting its enforcement) is missing."),
}


def minimum_content_gaps(ordinance: Ordinance) -> list[str]:
    """Guard ``ordinance_minimum_content``: one reason per gap of Norma 5.2.1 (reader's language), plus the
    presidency of the body and the parts without which the ordinance cannot be printed."""
    gaps = []
    subjects = {c.subject for c in ordinance.articles if c.text.strip()}
    gaps += [str(reason) for subject, reason in _SUBJECT_GAPS.items() if subject not in subjects]
    if not ordinance.considerings:
        gaps.append(_("The considering part (CONSIDERANDO) with the legal basis is missing."))
    if not (ordinance.visto or "").strip():
        gaps.append(_("The VISTO is missing."))
    if ordinance.instrument == "ordinance" and ordinance.session_date is None:
        if ordinance.level == "regional":
            gaps.append(_("The date of the Consejo Regional session that approves the ordinance is missing."))
        else:
            gaps.append(_("The date of the Concejo Municipal session that approves the ordinance is missing."))
    if ordinance.approval_vote is None and ordinance.instrument == "ordinance":
        gaps.append(_("The vote (unanimously or by majority) is missing."))
    if ordinance.body is not None:
        # The same rule as the installation (composition.installation_blockers): the council cannot
        # approve the composition of a body the Norma would not let install (presidency, district
        # representative of a provincial IAL, §5.1.1).
        check = composition(ordinance.body, ordinance.approval_date or today_lima())
        gaps += check.blockers
    return gaps


def publication_blockers(ordinance: Ordinance) -> list[str]:
    """Guard ``ordinance_was_approved`` on publication: the workflow already allows "publish" only
    from "approved"; this holds even if an administrator edits the workflow to offer a shortcut."""
    approved = any(t.to_state == "approved" for t in ordinance.transitions)
    if not approved or ordinance.approval_date is None:
        if ordinance.level == "regional":
            return [_("The ordinance does not record its approval by the Consejo Regional: it cannot be published.")]
        return [_("The ordinance does not record its approval by the Concejo Municipal: it cannot be published.")]
    return []
