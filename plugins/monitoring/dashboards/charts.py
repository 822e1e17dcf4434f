"""The dashboards' charts, drawn from plain data by core.charts (matplotlib SVG): one library for pages
(inline ``<svg>``, each shown with its data table) and PDFs (``data:`` URIs that fit the page).

Every function takes tuples of plain values and the words to print (the caller translates them for a
page; documents pass Spanish), so the same drawing serves both and can be cached.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from core.charts import data_uri, figure, inline_svg

#: Colours of the statuses (status.py), the same on pages, in charts and in documents.
STATUS_COLOURS = {"on_track": "#1f6f3f", "at_risk": "#b7791f", "off_track": "#8a1c1c", "no_data": "#9aa5b1"}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)  # floats only to draw


def _trend(
    points: tuple[tuple[str, Decimal | None], ...],
    baseline: Decimal | None,
    target: Decimal | None,
    words: tuple[str, str, str],
    size: tuple[float, float],
    render: Callable[[Any], Any],
) -> Any:
    value_word, baseline_word, target_word = words
    with figure(*size) as (fig, axes):
        labels = [label for label, _value in points]
        axes.plot(range(len(points)), [_number(v) for _l, v in points], marker="o", color="#1f4e79", label=value_word)
        if baseline is not None:
            axes.axhline(float(baseline), color="#9aa5b1", linestyle=":", label=baseline_word)
        if target is not None:
            axes.axhline(float(target), color="#1f6f3f", linestyle="--", label=target_word)
        step = max(1, len(labels) // 8)  # at most ~8 tick labels: they stay legible
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=30, ha="right", fontsize=7)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(fontsize=7, loc="best")
        return render(fig)


@lru_cache(maxsize=256)
def trend_svg(
    points: tuple[tuple[str, Decimal | None], ...],
    baseline: Decimal | None,
    target: Decimal | None,
    words: tuple[str, str, str],
    title: str,
) -> Markup | None:
    """Inline SVG of an indicator's values by period with its baseline and target lines (pages)."""
    if not points:
        return None
    return Markup(_trend(points, baseline, target, words, (3.4, 2.2), lambda fig: inline_svg(fig, title)))


@lru_cache(maxsize=256)
def trend_uri(
    points: tuple[tuple[str, Decimal | None], ...],
    baseline: Decimal | None,
    target: Decimal | None,
    words: tuple[str, str, str],
) -> str | None:
    """The same chart as a ``data:`` URI, sized for half of an A4 page's width (documents)."""
    if not points:
        return None
    return _trend(points, baseline, target, words, (3.2, 2.0), data_uri)


@lru_cache(maxsize=64)
def comparison_svg(rows: tuple[tuple[str, Decimal | None, str], ...], title: str) -> Markup | None:
    """Horizontal bars of one indicator's latest value per government (name, value, status), coloured by
    status: the governments of a region side by side."""
    shown = [(name, value, status) for name, value, status in rows if value is not None]
    if not shown:
        return None
    with figure(6.4, max(1.6, 0.28 * len(shown) + 0.8)) as (fig, axes):
        names = [name if len(name) <= 40 else name[:39] + "…" for name, _v, _s in shown]
        axes.barh(
            range(len(shown)),
            [float(value) for _n, value, _s in shown],
            color=[STATUS_COLOURS[status] for _n, _v, status in shown],
        )
        axes.set_yticks(range(len(shown)), names, fontsize=7)
        axes.invert_yaxis()
        axes.spines[["top", "right"]].set_visible(False)
        return Markup(inline_svg(fig, title))


@lru_cache(maxsize=64)
def dot_map_svg(points: tuple[tuple[str, Decimal, Decimal, Decimal], ...], title: str) -> Markup | None:
    """A dot map of districts (name, longitude, latitude, value), coloured by value (darker: higher)."""
    if not points:
        return None
    with figure(4.6, 4.6) as (fig, axes):
        dots = axes.scatter(
            [float(lon) for _n, lon, _lat, _v in points],
            [float(lat) for _n, _lon, lat, _v in points],
            c=[float(value) for _n, _lon, _lat, value in points],
            cmap="YlOrRd",
            s=28,
            edgecolors="#333333",
            linewidths=0.3,
        )
        fig.colorbar(dots, ax=axes, shrink=0.7)
        axes.set_aspect("equal", adjustable="datalim")
        axes.set_xticks([])
        axes.set_yticks([])
        return Markup(inline_svg(fig, title))
