"""The Jinja environment of documents (autoescape always, Spanish helpers), their assets, dates in
Peru, the year-name line and the public address documents print."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import gettext as _
from jinja2 import Environment, FileSystemLoader, PrefixLoader
from sqlalchemy import select

from core import legal
from core.config import PROJECT_ROOT
from core.documents.models import YearName
from core.documents.registry import CORE_DOCUMENTS, CORE_STATIC, DocumentError
from core.extensions import db
from core.formatting import amount_in_words, date_in_words, legal_money, long_date, money, number
from core.models.user import utcnow
from core.plugins import plugin_registry

LIMA = ZoneInfo("America/Lima")


# --- the Jinja environment of documents -----------------------------------------------------------


def asset_roots(app: Flask | None = None) -> dict[str, str]:
    """Static folders a document may load assets from: the core's and each enabled plugin's."""
    app = app or current_app
    roots = {"core": str(CORE_STATIC)}
    for info in plugin_registry(app).enabled:
        folder = info.folder("static")
        if folder:
            roots[info.name] = str(folder)
    return roots


def document_environment(app: Flask | None = None):  # noqa: ANN201
    """The app's document environment (cached): autoescape always on, Spanish helpers as filters."""
    app = app or current_app
    env = app.extensions.get("articula.documents.env")
    if env is not None:
        return env
    prefixes = {"core": FileSystemLoader(str(CORE_DOCUMENTS))}
    for info in plugin_registry(app).enabled:
        folder = info.folder("documents")
        if folder:
            prefixes[info.name] = FileSystemLoader(str(folder))
    prefixes["documents"] = FileSystemLoader(str(PROJECT_ROOT / "templates" / "documents"))
    # autoescape=True for every template whatever its name: user text never becomes markup.
    env = Environment(
        loader=PrefixLoader(prefixes), autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=app.debug
    )
    helpers = {
        "long_date": long_date,
        "date_in_words": date_in_words,
        "money": money,
        "amount_in_words": amount_in_words,
        "legal_money": legal_money,
        "number": number,
        "lima_datetime": lima_datetime,
        # grammatical agreement of inserted names: de("Municipalidad…") → "de la Municipalidad…"
        "de": legal.de,
        "a": legal.a,
        "el": legal.el,
        "head_title": legal.head_title,
        "law_in_force": legal.in_force,
        "cite_law": legal.cite,
    }
    env.filters.update(helpers)
    env.globals.update(helpers)
    app.extensions["articula.documents.env"] = env
    return env


def lima_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) timestamp in Peru time: "30 de junio de 2008, 14:05"."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(LIMA)
    return f"{long_date(local.date())}, {local:%H:%M}"


def today_lima() -> date:
    return utcnow().replace(tzinfo=UTC).astimezone(LIMA).date()  # utcnow: frozen while issuing


def dated_in_cycle(year: int | None, *candidates: date | None) -> date:
    """A cycle document's date: its own (first of ``candidates`` set), else today, but never past its
    cycle year: a draft of an earlier year is dated 31 December of that year, so that the titles,
    currency, laws and year-name line it prints are those of its year."""
    for candidate in candidates:
        if candidate is not None:
            return candidate
    today = today_lima()
    return date(year, 12, 31) if year and year < today.year else today


def year_name(year: int) -> str:
    """The year-name line for ``year``.

    Until a year's decree appears, entities keep using the previous year's line (glosario), so a
    missing year falls back to the latest earlier one, and the dashboard warns administrators
    (``missing_current_year_name``). Empty only when no earlier year is recorded at all, which
    ``issue_document`` refuses rather than print an empty line.
    """
    return (
        db.session.scalar(select(YearName.name).where(YearName.year <= year).order_by(YearName.year.desc()).limit(1))
        or ""
    )


def missing_current_year_name() -> int | None:
    """The current year (Lima) when it has no year-name line of its own, else None."""
    year = today_lima().year
    return None if db.session.scalar(select(YearName.id).where(YearName.year == year)) else year



def base_url() -> str:
    """The configured public address (``BASE_URL``), without a trailing slash.

    Issued documents are immutable: the address they print must never come from a request's Host
    header (a forged one would be printed forever), nor be relative (issued from the CLI). Outside
    production an unset ``BASE_URL`` falls back to the development server's address, said as such.
    """
    base = (current_app.config.get("BASE_URL") or "").strip().rstrip("/")
    if base:
        return base
    if current_app.config.get("PRODUCTION"):  # core/config.py refuses to start without it; belt and braces
        raise DocumentError(_("The public address (ARTICULA_BASE_URL) is missing: the document cannot be issued."), 500)
    return "http://127.0.0.1:5000"
