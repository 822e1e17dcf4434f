"""Case search by index: the words of each case's reference and title, lower case and without
accents, kept in ``case_search_term`` on every write, looked up by prefix with a B-tree range.

A ``LIKE '%…%'`` over titles reads every case (3-4× slower at national scale); a word lookup
reads only the matching index entries, on SQLite and PostgreSQL alike. "informe ayacucho"
finds cases with a word starting with "informe" and one starting with "ayacucho"; "Ñuñoa"
and "nunoa" are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, event, exists, func, insert, inspect, select, true
from sqlalchemy.orm import Session, aliased

from core.extensions import db
from core.models.case import Case, CaseSearchTerm

TERM_LENGTH = 40
MAX_WORDS = 8  # words of a query that count (bounded work per search)
FREQUENCY_CAP = 10_000
_WORD = re.compile(r"[0-9a-z]+")
#: The last character a term may hold: "word" ≤ term ≤ "word" + "zzz…" is exactly "starts with word".
_TOP = "z" * TERM_LENGTH


def words(text: str | None) -> list[str]:
    """The searchable words of a text: accents and case folded, split on anything not a letter or digit."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    seen: dict[str, None] = {}
    for word in _WORD.findall(plain):
        seen.setdefault(word[:TERM_LENGTH], None)
    return list(seen)


def terms_of(reference: str | None, title: str | None) -> list[str]:
    return words(f"{reference or ''} {title or ''}")


def _range(word: str) -> ColumnElement[bool]:
    return and_(CaseSearchTerm.term >= word, CaseSearchTerm.term <= word + _TOP[len(word) :])


def _frequency(word: str) -> int:
    """How many cases have a word starting with ``word`` (counted up to FREQUENCY_CAP: an index read)."""

    inner = select(CaseSearchTerm.case_id).where(_range(word)).limit(FREQUENCY_CAP).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0


def search_clause(query_text: str, case_id: Any = Case.id) -> ColumnElement[bool]:
    """Cases having, for each word of ``query_text``, a word that starts with it.

    The rarest word (one bounded index count per word) selects the candidates; the other words are
    checked per candidate through the (case, word) primary key, so the cost follows the matches, not
    the table ("bench 100102" reads the one case with 100102, not every case with "bench"). Nothing
    searchable in the text (only punctuation): no restriction."""
    found = words(query_text)[:MAX_WORDS]
    if not found:
        return true()
    rarest = min(found, key=_frequency) if len(found) > 1 else found[0]
    clauses = [case_id.in_(select(CaseSearchTerm.case_id).where(_range(rarest)))]
    for word in found:
        if word != rarest:
            other = aliased(CaseSearchTerm)
            clauses.append(
                exists().where(
                    other.case_id == case_id,
                    other.term >= word,
                    other.term <= word + _TOP[len(word) :],
                )
            )
    return and_(*clauses)


def reindex(connection: Any, rows: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Replace the terms of the given (case id, reference, title) rows."""
    rows = list(rows)
    if not rows:
        return
    table = CaseSearchTerm.__table__
    connection.execute(delete(table).where(table.c.case_id.in_([r[0] for r in rows])))
    values = [{"case_id": cid, "term": term} for cid, reference, title in rows for term in terms_of(reference, title)]
    if values:
        connection.execute(insert(table), values)


@event.listens_for(Session, "after_flush")
def _keep_terms(session: Session, _flush_context: Any) -> None:
    # After the flush the new cases have their ids; the attribute history still says what changed.
    changed = []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Case):
            continue
        state = inspect(obj)
        if obj in session.new or state.attrs.title.history.has_changes() or state.attrs.reference.history.has_changes():
            changed.append((obj.id, obj.reference, obj.title))
    if changed:
        reindex(session.connection(), changed)
