"""Statistics of the Ventanilla CRECER, per office, region or the country (what the reader reaches): entries by
kind, status, program or sector and place; the median days to answer; the share answered
within the due date; recurrence hot spots. Grouped in SQL (a handful of queries whatever the number of entries),
drawn by core.charts with the data beside each chart as a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select

from core.charts import figure, inline_svg
from core.extensions import db
from core.models import Institution, SocialProgram, Territory
from core.security import Scope
from plugins.monitoring.ventanilla.access import readable_entries
from plugins.monitoring.ventanilla.models import KINDS, STATUSES, VentanillaEntry

#: At most this many answered entries are read to compute the median (the newest): a bounded query.
MEDIAN_SAMPLE = 5000


@dataclass
class Statistics:
    total: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_concern: list[tuple[str, int]] = field(default_factory=list)
    by_place: list[tuple[str, int]] = field(default_factory=list)
    hot_spots: list[tuple[str, str, int]] = field(default_factory=list)
    median_days: float | None = None
    answered: int = 0
    answered_in_time: int = 0

    @property
    def share_in_time(self) -> float | None:
        return round(100 * self.answered_in_time / self.answered, 1) if self.answered else None


def compute(scope: Scope, office_id: int | None = None) -> Statistics:
    where = [readable_entries(scope)]
    if office_id:
        where.append(VentanillaEntry.office_id == office_id)
    stats = Statistics()

    def grouped(column: Any) -> list[tuple[Any, int]]:
        query = select(column, func.count(VentanillaEntry.id)).where(*where).group_by(column)
        return [(key, count) for key, count in db.session.execute(query).all()]

    kinds = grouped(VentanillaEntry.kind)
    stats.total = sum(count for _key, count in kinds)
    stats.by_kind = [(KINDS.get(k, k), c) for k, c in sorted(kinds, key=lambda r: -r[1])]
    stats.by_status = [(STATUSES.get(k, k), c) for k, c in sorted(grouped(VentanillaEntry.status), key=lambda r: -r[1])]
    concern = func.coalesce(SocialProgram.acronym, SocialProgram.name, Institution.acronym, Institution.name)
    rows = db.session.execute(
        select(concern, func.count(VentanillaEntry.id))
        .select_from(VentanillaEntry)
        .outerjoin(SocialProgram, SocialProgram.id == VentanillaEntry.program_id)
        .outerjoin(Institution, Institution.id == VentanillaEntry.institution_id)
        .where(*where)
        .group_by(concern)
        .order_by(func.count(VentanillaEntry.id).desc())
        .limit(10)
    ).all()
    stats.by_concern = [(name or "Sin especificar", count) for name, count in rows]
    stats.by_place = [
        (name, count)
        for name, count in db.session.execute(
            select(Territory.name, func.count(VentanillaEntry.id))
            .join(Territory, Territory.id == VentanillaEntry.place_id)
            .where(*where)
            .group_by(Territory.name)
            .order_by(func.count(VentanillaEntry.id).desc())
            .limit(10)
        ).all()
    ]
    stats.hot_spots = [
        (place, name or "Sin especificar", count)
        for place, name, count in db.session.execute(
            select(Territory.name, concern, func.count(VentanillaEntry.id))
            .select_from(VentanillaEntry)
            .join(Territory, Territory.id == VentanillaEntry.place_id)
            .outerjoin(SocialProgram, SocialProgram.id == VentanillaEntry.program_id)
            .outerjoin(Institution, Institution.id == VentanillaEntry.institution_id)
            .where(*where, VentanillaEntry.recurrent.is_(True))
            .group_by(Territory.name, concern)
            .order_by(func.count(VentanillaEntry.id).desc())
            .limit(10)
        ).all()
    ]
    answered = db.session.execute(
        select(VentanillaEntry.created_at, VentanillaEntry.answered_at, VentanillaEntry.due_date)
        .where(*where, VentanillaEntry.answered_at.is_not(None))
        .order_by(VentanillaEntry.answered_at.desc())
        .limit(MEDIAN_SAMPLE)
    ).all()
    stats.answered = len(answered)
    stats.answered_in_time = sum(1 for _c, a, due in answered if due is None or a.date() <= due)
    if answered:
        stats.median_days = median((a - c).total_seconds() / 86400 for c, a, _due in answered)
    return stats


def bar_chart(rows: list[tuple[str, int]], title: str) -> Markup:
    """A horizontal bar chart, inline SVG for a page (the caller shows the same rows as a table)."""
    labels = [label for label, _count in rows][::-1]
    values = [count for _label, count in rows][::-1]
    with figure(5.5, 0.35 * max(len(rows), 2) + 0.6) as (fig, axes):
        axes.barh(labels, values, color="#2b6a9e")
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        return Markup(inline_svg(fig, title))  # matplotlib's own SVG; the title is escaped by inline_svg
