"""Pagination shared by web pages and the API: a page of rows plus a total count in two queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from core.errors import bad_request
from core.extensions import db


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1  # a keyset page (page 0) links forward only

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _int_arg(name: str, default: int) -> int:
    """Pages are lenient about a bad number (first page); the API, which documents the parameter as an
    integer ≥ 1, refuses it (400). Numbers beyond the database's range never get here (core.validation)."""
    raw = request.args.get(name)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = None
    if request.blueprint == "api" and (value is None or value < 1):
        bad_request(_("«%(field)s» must be an integer of 1 or more.", field=name))
    return default if value is None else value


def _limits() -> tuple[int, int]:
    """Default and maximum page sizes: the API's are configurable (API_PAGE_SIZE, API_MAX_PAGE_SIZE)."""
    if request.blueprint == "api":
        return current_app.config["API_PAGE_SIZE"], current_app.config["API_MAX_PAGE_SIZE"]
    return 50, 500


def paginate(
    query: Select,
    id_column: Any,
    per_page: int | None = None,
    max_per_page: int | None = None,
    after: Any = None,
) -> Page:
    """Run ``query`` for ``?page=``/``?per_page=``; the count selects only ids (no full-row scan).

    ``after``: a keyset condition (e.g. ``Case.id < 1234``) that replaces the offset — the page
    after a known row costs the same at any depth, where ``OFFSET 40000`` reads 40 000 rows. The
    total still counts every match (without the condition); ``page`` is then 0 (unknown)."""
    default, maximum = _limits()
    per_page = min(max(1, _int_arg("per_page", per_page or default)), max_per_page or maximum)
    page = max(1, _int_arg("page", 1)) if after is None else 0
    count_query = select(func.count()).select_from(query.with_only_columns(id_column).order_by(None).subquery())
    total = db.session.scalar(count_query) or 0
    if after is None:
        rows = query.limit(per_page).offset((page - 1) * per_page)
    else:
        rows = query.where(after).limit(per_page)
    items = db.session.scalars(rows).unique().all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)
