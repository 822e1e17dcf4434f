"""The values of the Plan Articulado's matrix: the parsers its declared fields use (fields.py), shared
by the pages, the API and the XLSX import, and the catalog lookups (strategic programs, funding
sources, institutions) that accept a key, an acronym or a name as people type them.

Every parser raises :class:`MatrixError`, a Refusal whose message names the field in the reader's
language (Spanish by default)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core import values
from core.extensions import db
from core.models import Institution, StrategicProgram
from core.refusals import Refusal
from plugins.diagnosis.models import FUNDING_SOURCES, MAX_NAME

#: The largest count or goal (beneficiaries, physical goals, ficha counts): nine digits.
NUMBER_MAX = Decimal("999999999")
#: The largest indicator value (baselines, indicator targets): what Numeric(12, 4) holds.
MEASURE_MAX = Decimal("99999999.9999")


class MatrixError(Refusal, ValueError):
    """A value refused (400); the message names the field. A Refusal, so an operation that raises
    it is refused like any other (core.operations); still a ValueError for the parsers' callers."""

    def __str__(self) -> str:
        # Its text is every reason, field errors included (an import's report quotes it).
        return " ".join(self.reasons)


# --- parsing values (shared by forms, API and XLSX import) ---------------------------------------------


def parse_money(raw: Any, label: str = "Presupuesto", required: bool = False, maximum: Any = None) -> Decimal | None:
    """Soles as Decimal (core.values.parse_money, the one money parser): non-negative, two decimals,
    within the field's ``maximum`` (always within what a money column holds)."""
    try:
        return values.parse_money(raw, label, required=required, maximum=maximum)
    except values.ValueProblem as problem:
        raise MatrixError(str(problem)) from None


def parse_number(
    raw: Any, label: str, *, integer: bool = False, places: int = 4, maximum: Any = NUMBER_MAX
) -> Decimal | int | None:
    """A non-negative number (goal, physical goal, baseline) up to ``maximum``, None when empty
    (core.values parsers, which name the field and the limit)."""
    try:
        if isinstance(raw, str):
            raw = raw.strip().removesuffix("%").strip()  # a goal typed as "15 %"
        if integer:
            return values.parse_integer(raw, label, maximum=maximum)
        return values.parse_decimal(raw, label, places=places, maximum=maximum)
    except values.ValueProblem as problem:
        raise MatrixError(str(problem)) from None


def clean_text(raw: Any, label: str, *, required: bool = False, limit: int = MAX_NAME) -> str | None:
    """Trimmed text within ``limit`` characters (a 10 MB field is refused, not truncated)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if required:
            raise MatrixError(_("«%(label)s» is required.", label=label))
        return None
    if len(text) > limit:
        raise MatrixError(
            _(
                "«%(label)s» takes %(limit)s characters at most (it has %(length)s).",
                label=label,
                limit=limit,
                length=len(text),
            )
        )
    return text


def parse_months(raw: Any) -> list[int]:
    """Months of the timetable: a list of 1..12, or text such as "3,4,5" or "3-5"."""
    if raw is None or raw == "" or raw == []:
        return []
    items: list[Any]
    if isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        items = []
        for part in str(raw).replace(";", ",").split(","):
            part = part.strip()
            if "-" in part:
                start, _sep, end = part.partition("-")
                if not (start.strip().isdigit() and end.strip().isdigit()):
                    raise MatrixError(_("Months: «%(part)s» is not a valid range (for example 3-5).", part=part))
                items += list(range(int(start), int(end) + 1))
            elif part:
                items.append(part)
    months = set()
    for item in items:
        text = str(item).strip()
        if not text.isdigit() or not 1 <= int(text) <= 12:
            raise MatrixError(_("Months: «%(item)s» is not a month (1 to 12).", item=item))
        months.add(int(text))
    return sorted(months)


def fold(text: Any) -> str:
    """Case-, accent- and spacing-insensitive form used to match what people type to catalog values."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def funding_label(code: str | None) -> str:
    """A funding source as a Spanish spreadsheet shows it: «Recursos Ordinarios (RO)»."""
    from plugins.diagnosis.labels import SPANISH

    if not code:
        return ""
    name = SPANISH["funding"].get(code, code)
    return name if code == "OTHER" else f"{name} ({code})"


def _choose(raw: str, options: list[tuple[list[str], Any]], label: str, valid: list[str]) -> Any:
    """The option whose key or one of whose labels matches ``raw`` (see fold); else an error that names
    the column and lists the valid values."""
    wanted = fold(raw)
    for names, value in options:
        if any(wanted == fold(name) for name in names if name):
            return value
    raise MatrixError(
        _(
            "«%(label)s»: «%(raw)s» is not a valid value. Valid values: %(valid)s.",
            label=label,
            raw=raw,
            valid="; ".join(valid),
        )
    )


def _institution_options() -> tuple[list[tuple[list[str], Institution]], list[str]]:
    rows = db.session.scalars(
        select(Institution).where(Institution.active.is_(True)).order_by(Institution.position, Institution.id)
    ).all()
    return [([i.key, i.label, i.name, i.acronym, i.short_name, str(i)], i) for i in rows], [i.label for i in rows]


def institutions_by_key(keys: list[str]) -> list[Institution]:
    """Institutions of the catalog (Appendix 2) by key, acronym, short or full name; an unknown one is an
    error that lists the valid values."""
    wanted = [k.strip() for k in keys if k and k.strip()]
    if not wanted:
        return []
    options, valid = _institution_options()
    found, unknown = [], []
    for key in wanted:
        try:
            found.append(_choose(key, options, "Instituciones responsables", valid))
        except MatrixError:
            unknown.append(key)
    if unknown:
        raise MatrixError(
            _(
                "Institution not in the catalogue: %(unknown)s. Valid values: %(valid)s.",
                unknown=", ".join(f"«{u}»" for u in unknown),
                valid="; ".join(valid),
            )
        )
    return list(dict.fromkeys(found))


def institutions_from_text(raw: Any) -> list[Institution]:
    """Institutions written in one cell or field, separated by «;» (or by commas, as long as a full
    name that itself holds a comma — «Ministerio de Vivienda, Construcción y Saneamiento» — still
    counts as one)."""
    if isinstance(raw, (list, tuple)):
        return institutions_by_key([str(k) for k in raw])
    parts = [p.strip() for p in str(raw or "").replace("\n", ";").split(";") if p.strip()]
    if not parts:
        return []
    options, valid = _institution_options()

    def known(text: str) -> bool:
        try:
            _choose(text, options, "Instituciones responsables", valid)
            return True
        except MatrixError:
            return False

    keys: list[str] = []
    for part in parts:
        pieces = part.split(",")
        start = 0
        while start < len(pieces):
            # the longest run of comma-separated pieces that names an institution, else one piece
            # (reported as unknown by institutions_by_key)
            end = next((e for e in range(len(pieces), start, -1) if known(",".join(pieces[start:e]))), start + 1)
            keys.append(",".join(pieces[start:end]))
            start = end
    return institutions_by_key(keys)


def strategic_program_by_key(key: str | None) -> StrategicProgram | None:
    """A strategic program by key, acronym or name (as the spreadsheet's drop-down lists it)."""
    if not key or not str(key).strip():
        return None
    rows = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position, StrategicProgram.id)).all()
    options = [([p.key, p.name, p.acronym, p.short_name, str(p)], p) for p in rows]
    return _choose(str(key).strip(), options, "Programa estratégico", [p.name for p in rows])


def check_funding(code: str | None) -> str | None:
    """A funding source's code, given its code or its label («Recursos Ordinarios (RO)»)."""
    if code is None or not str(code).strip():
        return None
    from plugins.diagnosis.labels import SPANISH

    options = [([c, funding_label(c), SPANISH["funding"].get(c)], c) for c in FUNDING_SOURCES]
    return _choose(str(code).strip(), options, "Fuente de financiamiento", [funding_label(c) for c in FUNDING_SOURCES])
